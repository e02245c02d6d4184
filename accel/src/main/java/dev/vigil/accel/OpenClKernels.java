package dev.vigil.accel;

import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_program;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The kernels on one OpenCL device through JOCL, with the arithmetic of {@link JavaKernels}
 * operation for operation ({@code kernels.cl}): exact sums are the same bits, scores and merges
 * the same IEEE operations with no fused multiply-add.
 *
 * <ul>
 *   <li><b>Exact sums.</b> The terms are cut into slices (never across a segment); one work item
 *       sums a slice into its own 66-chunk accumulator, as {@link ExactSum} does, and returns it in
 *       canonical form; the host checks every slice (canonical, no refused term) and only then
 *       merges them into the caller's sums. Integer addition is associative, so the result does not
 *       depend on how the terms were sliced.</li>
 *   <li><b>Scores</b>: one work item per observation. <b>Merges</b>: one work item per group, its
 *       parts in their order.</li>
 *   <li><b>Where.</b> A call goes to the device only from a batch size on ({@link Thresholds}, set
 *       by {@link Calibration}); smaller ones, and {@link #combine}, run in Java.</li>
 *   <li><b>Loss.</b> Any OpenCL error during a call (a device lost, out of resources) makes this
 *       backend give the device up for good: one log line, the call and every later one computed
 *       in Java, and {@link #lostReason()} says why.</li>
 * </ul>
 *
 * Calls are serialised (one command queue). Large batches go in passes of at most
 * {@link #passBytes} of input.
 */
public final class OpenClKernels implements Kernels, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OpenClKernels.class);
    static final String SOURCE_RESOURCE = "kernels.cl";
    /** Terms per accumulation slice: at least this many, so a slice's 528-byte result stays small against its input. */
    static final int SLICE_MIN = 512;
    static final int SLICE_MAX = 1 << 16;
    private static final int CHUNKS = ExactSum.CHUNKS;

    /** The smallest batch each kernel sends to the device: terms, observations, parts. */
    public record Thresholds(int accumulate, int score, int merge) {
        /** Everything to the device (the benchmark's and the tests' setting). */
        public static final Thresholds ALWAYS = new Thresholds(0, 0, 0);
        /** Nothing to the device. */
        public static final Thresholds NEVER = new Thresholds(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE);
    }

    /** Device work since start: batches, bytes both ways, and where the time went. */
    public record Counters(long batches, long bytesMoved, long transferNanos, long totalNanos) {
        /** Share of device-call time spent moving data, in [0, 1]; 0 before the first batch. */
        public double transferShare() {
            return totalNanos == 0 ? 0 : Math.min(1.0, (double) transferNanos / totalNanos);
        }
    }

    /** Why a device could not be opened: the kernels did not build, or a context could not be made. */
    public static final class OpenFailed extends Exception {
        private static final long serialVersionUID = 1L;

        OpenFailed(final String message, final Throwable cause) {
            super(message, cause);
        }
    }

    private final OpenClDevice device;
    private final cl_context context;
    private final cl_command_queue queue;
    private final cl_program program;
    private final cl_kernel accumulateKernel;
    private final cl_kernel scoreKernel;
    private final cl_kernel mergeKernel;
    private volatile long passBytes;
    private final cl_mem[] buffers = new cl_mem[11];
    private final long[] capacities = new long[11];
    private volatile Thresholds thresholds = Thresholds.ALWAYS;
    private volatile String lost;
    /** Tests only: runs before each device call (may throw a {@link CLException} to act as a lost device). */
    volatile Runnable beforeDeviceCall = () -> { };
    private long batches;
    private long bytesMoved;
    private long transferNanos;
    private long totalNanos;

    private OpenClKernels(final OpenClDevice device, final cl_context context, final cl_command_queue queue,
                          final cl_program program) {
        this.device = device;
        this.context = context;
        this.queue = queue;
        this.program = program;
        this.accumulateKernel = CL.clCreateKernel(program, "vigil_accumulate", null);
        this.scoreKernel = CL.clCreateKernel(program, "vigil_score", null);
        this.mergeKernel = CL.clCreateKernel(program, "vigil_merge", null);
        this.passBytes = Math.max(1L << 20, Math.min(1L << 28, device.maxAllocBytes() / 2));
    }

    /** The kernels' source, as shipped. */
    public static String source() {
        try (InputStream in = OpenClKernels.class.getResourceAsStream(SOURCE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(SOURCE_RESOURCE + " is missing from the accel jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens the device and builds the shipped kernels on it. */
    public static OpenClKernels open(final OpenClDevice device) throws OpenFailed {
        return open(device, source());
    }

    /** As {@link #open(OpenClDevice)} with other source: the build-failure test passes broken source. */
    static OpenClKernels open(final OpenClDevice device, final String source) throws OpenFailed {
        Objects.requireNonNull(device.id(), "device handle");
        if (!device.fp64()) {
            throw new OpenFailed(device.describe() + " has no fp64 (cl_khr_fp64)", null);
        }
        CL.setExceptionsEnabled(true);
        cl_context context = null;
        cl_command_queue queue = null;
        cl_program program = null;
        try {
            final cl_context_properties properties = new cl_context_properties();
            properties.addProperty(CL.CL_CONTEXT_PLATFORM, device.platform());
            context = CL.clCreateContext(properties, 1, new cl_device_id[] {device.id()}, null, null, null);
            queue = createQueue(context, device.id());
            program = CL.clCreateProgramWithSource(context, 1, new String[] {source}, null, null);
            try {
                CL.clBuildProgram(program, 0, null, "", null, null);
            } catch (final CLException e) {
                throw new OpenFailed("the kernels did not build on " + device.describe() + ": " + e.getMessage() + ": "
                    + firstLines(buildLog(program, device.id()), 3), e);
            }
            final OpenClKernels kernels = new OpenClKernels(device, context, queue, program);
            program = null;
            queue = null;
            context = null;
            return kernels;
        } catch (final CLException e) {
            throw new OpenFailed("could not open " + device.describe() + ": " + e.getMessage(), e);
        } finally {
            if (program != null) {
                CL.clReleaseProgram(program);
            }
            if (queue != null) {
                CL.clReleaseCommandQueue(queue);
            }
            if (context != null) {
                CL.clReleaseContext(context);
            }
        }
    }

    @SuppressWarnings("deprecation") // clCreateCommandQueue: the one call every OpenCL 1.2+ device takes
    private static cl_command_queue createQueue(final cl_context context, final cl_device_id id) {
        return CL.clCreateCommandQueue(context, id, 0, null);
    }

    private static String buildLog(final cl_program program, final cl_device_id id) {
        try {
            final long[] size = new long[1];
            CL.clGetProgramBuildInfo(program, id, CL.CL_PROGRAM_BUILD_LOG, 0, null, size);
            final byte[] log = new byte[(int) size[0]];
            CL.clGetProgramBuildInfo(program, id, CL.CL_PROGRAM_BUILD_LOG, log.length, Pointer.to(log), null);
            return new String(log, StandardCharsets.UTF_8).replace("\0", "").trim();
        } catch (final CLException e) {
            return "(no build log: " + e.getMessage() + ")";
        }
    }

    private static String firstLines(final String text, final int lines) {
        final String[] all = text.split("\n");
        return String.join(" | ", java.util.Arrays.copyOf(all, Math.min(lines, all.length)));
    }

    /** Tests only: smaller passes, so that a test exercises the pass boundaries. */
    void passBytes(final long bytes) {
        this.passBytes = bytes;
    }

    public OpenClDevice device() {
        return device;
    }

    @Override
    public String name() {
        return "opencl";
    }

    public Thresholds thresholds() {
        return thresholds;
    }

    public void thresholds(final Thresholds thresholds) {
        this.thresholds = Objects.requireNonNull(thresholds);
    }

    /** Why the device was given up, or null while it is in use. */
    public String lostReason() {
        return lost;
    }

    /** Back to zero: the calibration's work is not the daemon's. */
    synchronized void resetCounters() {
        batches = 0;
        bytesMoved = 0;
        transferNanos = 0;
        totalNanos = 0;
    }

    public synchronized Counters counters() {
        return new Counters(batches, bytesMoved, transferNanos, totalNanos);
    }

    // ---- exact sums ----

    @Override
    public void sum(final double[] increments, final int off, final int len, final ExactSum into) {
        Objects.checkFromIndexSize(off, len, increments.length);
        if (!onDevice(len, thresholds.accumulate())) {
            JavaKernels.INSTANCE.sum(increments, off, len, into);
            return;
        }
        sumSegments(increments, new int[] {off}, new int[] {off + len}, new ExactSum[] {into});
    }

    @Override
    public void sum(final double[] increments, final int[] ends, final ExactSum[] into) {
        JavaKernels.checkSegments(increments, ends, into);
        final int total = ends.length == 0 ? 0 : ends[ends.length - 1];
        if (!onDevice(total, thresholds.accumulate())) {
            JavaKernels.INSTANCE.sum(increments, ends, into);
            return;
        }
        final int[] starts = new int[ends.length];
        for (int s = 1; s < ends.length; s++) {
            starts[s] = ends[s - 1];
        }
        sumSegments(increments, starts, ends, into);
    }

    private void sumSegments(final double[] xs, final int[] segStarts, final int[] segEnds, final ExactSum[] into) {
        long terms = 0;
        for (int s = 0; s < segStarts.length; s++) {
            terms += segEnds[s] - segStarts[s];
        }
        final int slice = sliceLength(terms);
        int slices = 0;
        for (int s = 0; s < segStarts.length; s++) {
            slices += (segEnds[s] - segStarts[s] + slice - 1) / slice;
        }
        final int[] starts = new int[slices];
        final int[] ends = new int[slices];
        final int[] owner = new int[slices];
        int k = 0;
        for (int s = 0; s < segStarts.length; s++) {
            for (int a = segStarts[s]; a < segEnds[s]; a += slice) {
                starts[k] = a;
                ends[k] = Math.min(segEnds[s], a + slice);
                owner[k++] = s;
            }
        }
        final long[] chunks = new long[slices * CHUNKS];
        final int[] refused = new int[slices];
        final boolean done = deviceCall(() -> accumulatePasses(xs, starts, ends, chunks, refused));
        if (!done) {
            for (int s = 0; s < segStarts.length; s++) {
                if (segEnds[s] > segStarts[s]) {
                    final int bad = JavaKernels.firstNonFinite(xs, segStarts[s], segEnds[s]);
                    if (bad >= 0) {
                        throw new IllegalArgumentException("ExactSum takes finite terms only, got " + xs[bad] + " at index " + bad);
                    }
                }
            }
            for (int s = 0; s < segStarts.length; s++) {
                into[s].add(xs, segStarts[s], segEnds[s] - segStarts[s]);
            }
            return;
        }
        int firstRefused = -1;
        for (int i = 0; i < slices; i++) {
            if (refused[i] >= 0 && (firstRefused < 0 || refused[i] < firstRefused)) {
                firstRefused = refused[i];
            }
        }
        if (firstRefused >= 0) {
            throw new IllegalArgumentException("ExactSum takes finite terms only, got " + xs[firstRefused] + " at index " + firstRefused);
        }
        for (int i = 0; i < slices; i++) {
            if (!ExactSum.isCanonical(chunks, i * CHUNKS)) {
                giveUp("the device returned a malformed accumulator (slice " + i + ")");
                sumSegments(xs, segStarts, segEnds, into); // now in Java
                return;
            }
        }
        for (int i = 0; i < slices; i++) {
            into[owner[i]].mergeChunks(chunks, i * CHUNKS);
        }
    }

    private int sliceLength(final long terms) {
        final long perItem = terms / Math.max(1L, (long) device.computeUnits() * 256);
        return (int) Math.max(SLICE_MIN, Math.min(SLICE_MAX, perItem));
    }

    /** Runs the slices in passes of at most passBytes of terms; fills chunks and refused. */
    private void accumulatePasses(final double[] xs, final int[] starts, final int[] ends, final long[] chunks, final int[] refused) {
        int first = 0;
        while (first < starts.length) {
            int last = first + 1;
            final long limit = passBytes / Sizeof.cl_double;
            while (last < starts.length && ends[last] - (long) starts[first] <= limit) {
                last++;
            }
            final int count = last - first;
            final int base = starts[first];
            final int span = ends[last - 1] - base;
            final int[] s = new int[count];
            final int[] e = new int[count];
            for (int i = 0; i < count; i++) {
                s[i] = starts[first + i] - base;
                e[i] = ends[first + i] - base;
            }
            final cl_mem xsMem = write(0, Pointer.to(xs).withByteOffset((long) base * Sizeof.cl_double), (long) span * Sizeof.cl_double);
            final cl_mem sMem = write(1, Pointer.to(s), (long) count * Sizeof.cl_int);
            final cl_mem eMem = write(2, Pointer.to(e), (long) count * Sizeof.cl_int);
            final cl_mem outMem = buffer(3, (long) count * CHUNKS * Sizeof.cl_long);
            final cl_mem badMem = buffer(4, (long) count * Sizeof.cl_int);
            args(accumulateKernel, xsMem, sMem, eMem, outMem, badMem);
            CL.clSetKernelArg(accumulateKernel, 5, Sizeof.cl_int, Pointer.to(new int[] {count}));
            run(accumulateKernel, count);
            read(outMem, Pointer.to(chunks).withByteOffset((long) first * CHUNKS * Sizeof.cl_long), (long) count * CHUNKS * Sizeof.cl_long);
            read(badMem, Pointer.to(refused).withByteOffset((long) first * Sizeof.cl_int), (long) count * Sizeof.cl_int);
            for (int i = first; i < last; i++) {
                if (refused[i] >= 0) {
                    refused[i] += base;
                }
            }
            first = last;
        }
    }

    // ---- scoring ----

    @Override
    public void score(final Baselines baselines, final double[] observations, final int[] baselineOf, final int n,
                      final double[] out) {
        baselines.checkScoring(observations, baselineOf, n, out);
        if (!onDevice(n, thresholds.score()) || !deviceCall(() -> scorePasses(baselines, observations, baselineOf, n, out))) {
            JavaKernels.INSTANCE.score(baselines, observations, baselineOf, n, out);
        }
    }

    private void scorePasses(final Baselines baselines, final double[] observations, final int[] baselineOf, final int n,
                             final double[] out) {
        final int d = baselines.dimension();
        final cl_mem means = write(5, Pointer.to(baselines.means()), (long) baselines.means().length * Sizeof.cl_double);
        final cl_mem lowers = write(6, Pointer.to(baselines.lowers()), (long) baselines.lowers().length * Sizeof.cl_double);
        final int rows = (int) Math.max(1, Math.min(Integer.MAX_VALUE, passBytes / ((long) d * Sizeof.cl_double)));
        for (int first = 0; first < n; first += rows) {
            final int count = Math.min(rows, n - first);
            final cl_mem obs = write(0, Pointer.to(observations).withByteOffset((long) first * d * Sizeof.cl_double),
                (long) count * d * Sizeof.cl_double);
            final cl_mem of = write(1, Pointer.to(baselineOf).withByteOffset((long) first * Sizeof.cl_int), (long) count * Sizeof.cl_int);
            final cl_mem result = buffer(2, (long) count * Sizeof.cl_double);
            CL.clSetKernelArg(scoreKernel, 0, Sizeof.cl_int, Pointer.to(new int[] {d}));
            CL.clSetKernelArg(scoreKernel, 1, Sizeof.cl_mem, Pointer.to(obs));
            CL.clSetKernelArg(scoreKernel, 2, Sizeof.cl_mem, Pointer.to(of));
            CL.clSetKernelArg(scoreKernel, 3, Sizeof.cl_mem, Pointer.to(means));
            CL.clSetKernelArg(scoreKernel, 4, Sizeof.cl_mem, Pointer.to(lowers));
            CL.clSetKernelArg(scoreKernel, 5, Sizeof.cl_mem, Pointer.to(result));
            CL.clSetKernelArg(scoreKernel, 6, Sizeof.cl_int, Pointer.to(new int[] {count}));
            run(scoreKernel, count);
            read(result, Pointer.to(out).withByteOffset((long) first * Sizeof.cl_double), (long) count * Sizeof.cl_double);
        }
    }

    // ---- merges ----

    @Override
    public void merge(final MomentsBatch parts, final int[] groupEnds, final int groups, final MomentsBatch out) {
        parts.checkMerge(groupEnds, groups, out);
        final int used = groups == 0 ? 0 : groupEnds[groups - 1];
        if (!onDevice(used, thresholds.merge()) || !deviceCall(() -> mergePasses(parts, groupEnds, groups, out))) {
            JavaKernels.INSTANCE.merge(parts, groupEnds, groups, out);
        }
    }

    private void mergePasses(final MomentsBatch parts, final int[] groupEnds, final int groups, final MomentsBatch out) {
        final int d = parts.dimension();
        final int t = Baselines.packedLength(d);
        final long partBytes = Sizeof.cl_long + (2L * d + t) * Sizeof.cl_double;
        final long partsPerPass = Math.max(1, passBytes / partBytes);
        int firstGroup = 0;
        while (firstGroup < groups) {
            final int base = firstGroup == 0 ? 0 : groupEnds[firstGroup - 1];
            int lastGroup = firstGroup + 1; // at least one group, however large
            while (lastGroup < groups && groupEnds[lastGroup] - (long) base <= partsPerPass) {
                lastGroup++;
            }
            final int count = lastGroup - firstGroup;
            final int span = groupEnds[lastGroup - 1] - base;
            final int[] s = new int[count];
            final int[] e = new int[count];
            for (int g = 0; g < count; g++) {
                s[g] = (firstGroup + g == 0 ? 0 : groupEnds[firstGroup + g - 1]) - base;
                e[g] = groupEnds[firstGroup + g] - base;
            }
            // groups with no parts at all: the kernel reads nothing, and nothing may be read past the arrays' ends
            final cl_mem counts = span == 0 ? buffer(0, Sizeof.cl_long)
                : write(0, Pointer.to(parts.counts()).withByteOffset((long) base * Sizeof.cl_long), (long) span * Sizeof.cl_long);
            final cl_mem shifts = span == 0 ? buffer(1, Sizeof.cl_double)
                : write(1, Pointer.to(parts.shifts()).withByteOffset((long) base * d * Sizeof.cl_double), (long) span * d * Sizeof.cl_double);
            final cl_mem means = span == 0 ? buffer(2, Sizeof.cl_double)
                : write(2, Pointer.to(parts.means()).withByteOffset((long) base * d * Sizeof.cl_double), (long) span * d * Sizeof.cl_double);
            final cl_mem comoments = span == 0 ? buffer(3, Sizeof.cl_double)
                : write(3, Pointer.to(parts.comoments()).withByteOffset((long) base * t * Sizeof.cl_double), (long) span * t * Sizeof.cl_double);
            final cl_mem sMem = write(4, Pointer.to(s), (long) count * Sizeof.cl_int);
            final cl_mem eMem = write(5, Pointer.to(e), (long) count * Sizeof.cl_int);
            final cl_mem oc = buffer(6, (long) count * Sizeof.cl_long);
            final cl_mem os = buffer(7, (long) count * d * Sizeof.cl_double);
            final cl_mem om = buffer(8, (long) count * d * Sizeof.cl_double);
            final cl_mem ok = buffer(9, (long) count * t * Sizeof.cl_double);
            CL.clSetKernelArg(mergeKernel, 0, Sizeof.cl_int, Pointer.to(new int[] {d}));
            final cl_mem[] mems = {counts, shifts, means, comoments, sMem, eMem, oc, os, om, ok};
            for (int i = 0; i < mems.length; i++) {
                CL.clSetKernelArg(mergeKernel, i + 1, Sizeof.cl_mem, Pointer.to(mems[i]));
            }
            CL.clSetKernelArg(mergeKernel, 11, Sizeof.cl_int, Pointer.to(new int[] {count}));
            run(mergeKernel, count);
            read(oc, Pointer.to(out.counts()).withByteOffset((long) firstGroup * Sizeof.cl_long), (long) count * Sizeof.cl_long);
            read(os, Pointer.to(out.shifts()).withByteOffset((long) firstGroup * d * Sizeof.cl_double), (long) count * d * Sizeof.cl_double);
            read(om, Pointer.to(out.means()).withByteOffset((long) firstGroup * d * Sizeof.cl_double), (long) count * d * Sizeof.cl_double);
            read(ok, Pointer.to(out.comoments()).withByteOffset((long) firstGroup * t * Sizeof.cl_double), (long) count * t * Sizeof.cl_double);
            firstGroup = lastGroup;
        }
    }

    @Override
    public Combination combine(final double[] totals, final int observers, final CombineRule rule) {
        return JavaKernels.INSTANCE.combine(totals, observers, rule); // a handful of numbers: never worth a transfer
    }

    // ---- the device calls ----

    private boolean onDevice(final long size, final int threshold) {
        return size > 0 && size >= threshold && lost == null;
    }

    /**
     * Runs one device call; on any OpenCL error gives the device up and returns false (the caller
     * then computes in Java; device calls only write into the caller's outputs, which Java
     * overwrites, or into buffers the caller merges only after success).
     */
    private synchronized boolean deviceCall(final Runnable call) {
        if (lost != null) {
            return false;
        }
        final long start = System.nanoTime();
        try {
            beforeDeviceCall.run();
            call.run();
            batches++;
            return true;
        } catch (final CLException e) {
            giveUp("OpenCL error " + CL.stringFor_errorCode(e.getStatus()) + " (" + e.getMessage() + ")");
            return false;
        } finally {
            totalNanos += System.nanoTime() - start;
        }
    }

    private synchronized void giveUp(final String why) {
        if (lost == null) {
            lost = why;
            // a device or driver failure, not Vigil's: the OpenCL status in `why` says what; no stack trace
            LOG.error("accel: giving up OpenCL device {}: {}; computing in Java from now on", device.describe(), why);
        }
    }

    private cl_mem buffer(final int slot, final long bytes) {
        final long size = Math.max(bytes, 8);
        if (buffers[slot] == null || capacities[slot] < size) {
            if (buffers[slot] != null) {
                CL.clReleaseMemObject(buffers[slot]);
                buffers[slot] = null;
            }
            final long capacity = Math.max(size, capacities[slot] * 3 / 2);
            buffers[slot] = CL.clCreateBuffer(context, CL.CL_MEM_READ_WRITE, capacity, null, null);
            capacities[slot] = capacity;
        }
        return buffers[slot];
    }

    private cl_mem write(final int slot, final Pointer from, final long bytes) {
        final cl_mem mem = buffer(slot, bytes);
        final long start = System.nanoTime();
        CL.clEnqueueWriteBuffer(queue, mem, CL.CL_TRUE, 0, bytes, from, 0, null, null);
        transferNanos += System.nanoTime() - start;
        bytesMoved += bytes;
        return mem;
    }

    private void read(final cl_mem mem, final Pointer into, final long bytes) {
        final long start = System.nanoTime();
        CL.clEnqueueReadBuffer(queue, mem, CL.CL_TRUE, 0, bytes, into, 0, null, null);
        transferNanos += System.nanoTime() - start;
        bytesMoved += bytes;
    }

    private static void args(final cl_kernel kernel, final cl_mem... mems) {
        for (int i = 0; i < mems.length; i++) {
            CL.clSetKernelArg(kernel, i, Sizeof.cl_mem, Pointer.to(mems[i]));
        }
    }

    private void run(final cl_kernel kernel, final int items) {
        // A multiple of 64 work items (the kernels skip those past the end), so that the runtime,
        // which picks the work-group size (an FPGA board's may be small), can pick a large one:
        // with a prime count it could only pick 1.
        final long global = (items + 63L) / 64 * 64;
        CL.clEnqueueNDRangeKernel(queue, kernel, 1, null, new long[] {global}, null, 0, null, null);
        CL.clFinish(queue);
    }

    @Override
    public synchronized void close() {
        if (lost == null) {
            lost = "closed";
        }
        for (int i = 0; i < buffers.length; i++) {
            final cl_mem mem = buffers[i];
            if (mem != null) {
                release(() -> CL.clReleaseMemObject(mem));
                buffers[i] = null;
            }
        }
        release(() -> CL.clReleaseKernel(accumulateKernel));
        release(() -> CL.clReleaseKernel(scoreKernel));
        release(() -> CL.clReleaseKernel(mergeKernel));
        release(() -> CL.clReleaseProgram(program));
        release(() -> CL.clReleaseCommandQueue(queue));
        release(() -> CL.clReleaseContext(context));
    }

    private static void release(final Runnable release) {
        try {
            release.run();
        } catch (final CLException e) {
            LOG.debug("accel: OpenCL release failed: {}", e.getMessage());
        }
    }
}
