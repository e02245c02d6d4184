package dev.vigil.accel;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * The daemon's kernels: picks a backend from {@code accel.backend} and {@code accel.device},
 * falls back to Java whenever OpenCL cannot serve, and says what it picked and why.
 *
 * <ul>
 *   <li>{@code java}: Java only.</li>
 *   <li>{@code opencl}: the chosen OpenCL device for every batch (the operator asked for it); if
 *       it cannot be used, Java.</li>
 *   <li>{@code auto}: the first OpenCL GPU or accelerator with fp64 (or the device
 *       {@code accel.device} names), each kernel on it from the batch size where {@link Calibration}
 *       measured it faster than Java; never a CPU OpenCL device unless named; otherwise Java. A
 *       {@link #shared} Accel with nothing named looks only once a batch of {@link #PROBE_AT_ITEMS}
 *       items comes, so an idle node loads nothing of OpenCL.</li>
 * </ul>
 *
 * Every way OpenCL can fail here (no library, no platform, no fp64, kernels that do not build, a
 * device lost mid-run, results that disagree with Java in calibration) ends in Java, one log line,
 * and the reason in {@link #status()}. Until {@link #select} has decided (the daemon runs it on a
 * background thread so that start-up does not wait for a kernel build), calls run in Java.
 */
public final class Accel implements Kernels, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Accel.class);

    /** {@code accel.backend}. */
    public enum Backend {
        AUTO, JAVA, OPENCL;

        /** @throws IllegalArgumentException naming the accepted values */
        public static Backend parse(final String value) {
            for (final Backend b : values()) {
                if (b.label().equals(value)) {
                    return b;
                }
            }
            throw new IllegalArgumentException("accel.backend must be auto, java or opencl, got '" + value + "'");
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * What {@code /v1/status} and {@code /metrics} show: what was asked, what runs ({@code java} or
     * {@code opencl}), the device, why, and the device's work so far.
     *
     * @param deviceNanos   time spent in device calls, transfers included
     * @param transferNanos the part of it spent moving data
     */
    public record Status(String requested, String backend, String device, String reason, String thresholds,
                         long batches, long bytesMoved, double transferShare, long deviceNanos, long transferNanos) {
    }

    private final Backend requested;
    private final String deviceSelector;
    private volatile Kernels current = JavaKernels.INSTANCE;
    private volatile OpenClKernels opencl;
    private volatile String device = "";
    private volatile String reason = "selecting";
    private volatile Calibration calibration;
    /** While not null: how to start looking for a device, once a batch of {@link #PROBE_AT_ITEMS} items comes. */
    private volatile Runnable probe;
    private final java.util.concurrent.atomic.AtomicBoolean probed = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * With {@code auto} and no device named, a shared Accel looks for an OpenCL device only when a
     * batch this large comes (its items: increments summed, rows scored, parts merged); the
     * calibrations measured here never put a kernel on a device below it. Until then nothing of
     * OpenCL is loaded: listing the platforms alone maps an ICD's driver (PoCL's LLVM, about 65 MB
     * resident), which an idle node need not carry.
     */
    public static final int PROBE_AT_ITEMS = 10_000;

    private Accel(final Backend requested, final String deviceSelector) {
        this.requested = requested;
        this.deviceSelector = deviceSelector == null ? "" : deviceSelector.trim();
    }

    /** Not yet selected: every call in Java until {@link #select()}. */
    public static Accel of(final Backend requested, final String deviceSelector) {
        return new Accel(Objects.requireNonNull(requested), deviceSelector);
    }

    /** Selects now (may take a kernel build and a calibration, about a second or two). */
    public static Accel selected(final Backend requested, final String deviceSelector) {
        final Accel accel = of(requested, deviceSelector);
        accel.select();
        return accel;
    }

    private static final java.util.Map<String, Accel> SHARED = new java.util.HashMap<>();

    /**
     * The process's one Accel for this backend and device selector, selecting on a background
     * thread the first time: several daemons in one JVM (simnet, tests) share one device, one
     * kernel build and one calibration. Never closed (the process's exit releases the device).
     */
    public static Accel shared(final Backend requested, final String deviceSelector) {
        final String key = requested.label() + "\0" + (deviceSelector == null ? "" : deviceSelector.trim());
        synchronized (SHARED) {
            return SHARED.computeIfAbsent(key, k -> {
                final Accel accel = of(requested, deviceSelector);
                final Runnable start = () -> {
                    final Thread thread = new Thread(accel::select, "vigil-accel-select");
                    thread.setDaemon(true);
                    thread.start();
                };
                if (requested == Backend.AUTO && accel.deviceSelector.isEmpty()) {
                    accel.probeAtFirstLargeBatch(start);
                } else {
                    start.run();
                }
                return accel;
            });
        }
    }

    /**
     * Java until a batch of {@link #PROBE_AT_ITEMS} items or more comes; that call runs
     * {@code start} (once; the batch itself still runs in Java) and {@code start} selects.
     */
    void probeAtFirstLargeBatch(final Runnable start) {
        reason = "auto: no OpenCL device looked for yet; the first batch of " + PROBE_AT_ITEMS
            + " items or more starts the search (in the background; that batch runs in java)";
        probe = Objects.requireNonNull(start);
    }

    private void noteBatch(final long items) {
        final Runnable start = probe;
        if (start != null && items >= PROBE_AT_ITEMS && probed.compareAndSet(false, true)) {
            probe = null;
            reason = "selecting";
            start.run();
        }
    }

    /**
     * Decides the backend, logs one line, and switches to it. Call once. Never throws: whatever
     * goes wrong (even the JOCL jar missing from the class path) ends in Java with the reason.
     */
    public void select() {
        try {
            select(OpenClDevice::list, OpenClKernels::open);
        } catch (final RuntimeException | LinkageError e) {
            settle(JavaKernels.INSTANCE, "", "selection failed: " + e + "; using java");
        }
    }

    /** The opener of a device, for the build-failure test. */
    interface Opener {
        OpenClKernels open(OpenClDevice device) throws OpenClKernels.OpenFailed;
    }

    /** The device lister, for the no-library and no-platform tests. */
    interface Lister {
        List<OpenClDevice> list() throws OpenClDevice.Unavailable;
    }

    synchronized void select(final Lister lister, final Opener opener) {
        if (requested == Backend.JAVA) {
            settle(JavaKernels.INSTANCE, "", "accel.backend is java");
            return;
        }
        final List<OpenClDevice> devices;
        try {
            devices = lister.list();
        } catch (final OpenClDevice.Unavailable e) {
            settle(JavaKernels.INSTANCE, "", e.getMessage() + "; using java");
            return;
        }
        final Choice choice = choose(devices, requested, deviceSelector);
        if (choice.device == null) {
            settle(JavaKernels.INSTANCE, "", choice.why + "; using java");
            return;
        }
        final OpenClKernels kernels;
        try {
            kernels = opener.open(choice.device);
        } catch (final OpenClKernels.OpenFailed e) {
            settle(JavaKernels.INSTANCE, "", e.getMessage() + "; using java");
            return;
        } catch (final RuntimeException | LinkageError e) {
            settle(JavaKernels.INSTANCE, "", "opening " + choice.device.describe() + " failed: " + e + "; using java");
            return;
        }
        final Calibration cal;
        try {
            cal = Calibration.run(kernels);
        } catch (final RuntimeException e) {
            kernels.close();
            settle(JavaKernels.INSTANCE, "", "calibrating " + choice.device.describe() + " failed: " + e + "; using java");
            return;
        }
        calibration = cal;
        kernels.resetCounters();
        if (kernels.lostReason() != null) {
            final String lost = kernels.lostReason();
            kernels.close();
            settle(JavaKernels.INSTANCE, "", choice.device.describe() + " failed in calibration: " + lost + "; using java");
            return;
        }
        if (!cal.agrees()) {
            kernels.close();
            settle(JavaKernels.INSTANCE, "", choice.device.describe() + " disagreed with java in calibration (" + cal.disagreement()
                + "); using java");
            return;
        }
        if (requested == Backend.OPENCL) {
            kernels.thresholds(OpenClKernels.Thresholds.ALWAYS);
            opencl = kernels;
            settle(kernels, choice.device.describe(), "accel.backend is opencl: every batch on " + choice.device.describe()
                + " (" + choice.why + "; calibration would put " + cal.describeThresholds() + ")");
            return;
        }
        if (!cal.deviceKeepsSomeKernel()) {
            // a GPU is preferred, but one that loses every kernel at the largest size would only
            // hold memory: Java it is, and the figures say why
            kernels.close();
            settle(JavaKernels.INSTANCE, "", "calibration: the OpenCL " + choice.device.type().label() + " " + choice.device.describe()
                + " is not faster than java at the largest size of any kernel (" + summary(cal) + "); using java");
            return;
        }
        kernels.thresholds(cal.thresholds());
        opencl = kernels;
        settle(kernels, choice.device.describe(), choice.why + "; calibration: " + cal.describeThresholds() + " (" + summary(cal) + ")");
    }

    private void settle(final Kernels kernels, final String device, final String reason) {
        this.device = device;
        this.reason = reason;
        this.current = kernels;
        LOG.info("accel: {} ({}), requested {}: {}", kernels.name(), device.isEmpty() ? "no device" : device, requested.label(), reason);
    }

    /** The figures behind a decision: java and device items per second at the largest calibrated size. */
    private static String summary(final Calibration cal) {
        final List<String> parts = new ArrayList<>();
        for (final String kernel : List.of("accumulate", "score", "merge")) {
            cal.points().stream().filter(p -> p.kernel().equals(kernel)).reduce((a, b) -> b).ifPresent(p ->
                parts.add(String.format(Locale.ROOT, "%s at %d: java %.3g/s, device %.3g/s", kernel, p.batch(),
                    p.javaPerSecond(), p.devicePerSecond())));
        }
        return String.join("; ", parts);
    }

    /** A device, or none and why. */
    public record Choice(OpenClDevice device, String why) {
    }

    /**
     * The device to try: the one {@code selector} names (an index, or a case-insensitive substring
     * of the name or platform) if given; otherwise, for {@code auto}, the first GPU or accelerator
     * with fp64 (to be calibrated), else none, and for {@code opencl} the first device with fp64.
     */
    public static Choice choose(final List<OpenClDevice> devices, final Backend requested, final String selector) {
        if (!selector.isEmpty()) {
            final OpenClDevice named = named(devices, selector);
            if (named == null) {
                return new Choice(null, "accel.device '" + selector + "' matches none of " + describeAll(devices));
            }
            if (!named.fp64()) {
                return new Choice(null, named.describe() + " (accel.device '" + selector + "') has no fp64 (cl_khr_fp64)");
            }
            return new Choice(named, named.describe() + " named by accel.device '" + selector + "'");
        }
        final List<OpenClDevice> withFp64 = devices.stream().filter(OpenClDevice::fp64).toList();
        if (withFp64.isEmpty()) {
            return new Choice(null, "no OpenCL device with fp64 (cl_khr_fp64) among " + describeAll(devices));
        }
        if (requested == Backend.AUTO) {
            for (final OpenClDevice d : withFp64) {
                if (d.type() == OpenClDevice.Type.GPU || d.type() == OpenClDevice.Type.ACCELERATOR) {
                    return new Choice(d, d.describe() + " is the first OpenCL " + d.type().label() + " with fp64");
                }
            }
            // A CPU device (PoCL) runs on the cores Java runs on, wins only large score batches (about
            // 2x at 100,000 rows), and its compiler stays resident once the kernels are built (about
            // 200 MB measured): in auto it is not used; accel.backend opencl or accel.device picks one.
            return new Choice(null, "no OpenCL GPU or accelerator with fp64 among " + describeAll(withFp64)
                + " (a CPU device is used only with accel.backend opencl or accel.device)");
        }
        final OpenClDevice first = withFp64.get(0);
        return new Choice(first, first.describe() + " is the first OpenCL device with fp64");
    }

    private static OpenClDevice named(final List<OpenClDevice> devices, final String selector) {
        if (selector.chars().allMatch(Character::isDigit)) {
            final int index = Integer.parseInt(selector);
            return devices.stream().filter(d -> d.index() == index).findFirst().orElse(null);
        }
        final String needle = selector.toLowerCase(Locale.ROOT);
        return devices.stream().filter(d -> d.name().toLowerCase(Locale.ROOT).contains(needle)
            || d.platformName().toLowerCase(Locale.ROOT).contains(needle)).findFirst().orElse(null);
    }

    private static String describeAll(final List<OpenClDevice> devices) {
        return devices.stream().map(d -> d.describe() + (d.fp64() ? "" : " [no fp64]")).toList().toString();
    }

    public Status status() {
        final OpenClKernels device = opencl;
        if (device == null) {
            return new Status(requested.label(), current.name(), this.device, reason, "", 0, 0, 0, 0, 0);
        }
        final OpenClKernels.Counters c = device.counters();
        final String lost = device.lostReason();
        final String thresholds = describe(device.thresholds());
        return lost == null
            ? new Status(requested.label(), "opencl", this.device, reason, thresholds, c.batches(), c.bytesMoved(), c.transferShare(),
                c.totalNanos(), c.transferNanos())
            : new Status(requested.label(), "java", this.device, "device lost: " + lost + "; using java (was: " + reason + ")", "",
                c.batches(), c.bytesMoved(), c.transferShare(), c.totalNanos(), c.transferNanos());
    }

    private static String describe(final OpenClKernels.Thresholds t) {
        final Function<Integer, String> one = v -> v == Integer.MAX_VALUE ? "never" : v == 0 ? "always" : "from " + v;
        return "accumulate " + one.apply(t.accumulate()) + ", score " + one.apply(t.score()) + ", merge " + one.apply(t.merge());
    }

    /** The calibration behind the choice, or null (Java chosen without one). */
    public Calibration calibration() {
        return calibration;
    }

    @Override
    public String name() {
        return current.name();
    }

    @Override
    public void sum(final double[] increments, final int off, final int len, final ExactSum into) {
        noteBatch(len);
        current.sum(increments, off, len, into);
    }

    @Override
    public void sum(final double[] increments, final int[] ends, final ExactSum[] into) {
        noteBatch(ends.length == 0 ? 0 : ends[ends.length - 1]);
        current.sum(increments, ends, into);
    }

    @Override
    public void score(final Baselines baselines, final double[] observations, final int[] baselineOf, final int n, final double[] out) {
        noteBatch(n);
        current.score(baselines, observations, baselineOf, n, out);
    }

    @Override
    public void merge(final MomentsBatch parts, final int[] groupEnds, final int groups, final MomentsBatch out) {
        noteBatch(groups == 0 ? 0 : groupEnds[groups - 1]);
        current.merge(parts, groupEnds, groups, out);
    }

    @Override
    public Combination combine(final double[] totals, final int observers, final CombineRule rule) {
        return current.combine(totals, observers, rule);
    }

    @Override
    public synchronized void close() {
        current = JavaKernels.INSTANCE;
        final OpenClKernels device = opencl;
        if (device != null) {
            device.close();
        }
    }
}
