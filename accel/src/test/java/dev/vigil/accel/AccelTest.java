package dev.vigil.accel;

import org.jocl.CL;
import org.jocl.CLException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Selection and every way out to Java: no library, no platform, no fp64, kernels that do not
 * build, a device lost mid-run; and what {@code auto} picks on this machine.
 */
class AccelTest {
    private static OpenClDevice fake(final int index, final String name, final OpenClDevice.Type type, final boolean fp64) {
        return new OpenClDevice(index, null, null, name, "Test Platform", type, fp64, 4, 1L << 30, 1L << 32, "OpenCL 3.0");
    }

    @Test
    void javaIsJavaWithoutTouchingOpenCl() {
        final Accel accel = Accel.of(Accel.Backend.JAVA, "");
        accel.select(() -> {
            throw new AssertionError("java must not list devices");
        }, d -> {
            throw new AssertionError("java must not open devices");
        });
        assertThat(accel.status().backend()).isEqualTo("java");
        assertThat(accel.status().reason()).isEqualTo("accel.backend is java");
        assertThat(accel.name()).isEqualTo("java");
    }

    @Test
    void autoLooksForADeviceOnlyOnceABatchLargeEnoughComesAndOnlyOnce() {
        final Accel accel = Accel.of(Accel.Backend.AUTO, "");
        final java.util.concurrent.atomic.AtomicInteger started = new java.util.concurrent.atomic.AtomicInteger();
        accel.probeAtFirstLargeBatch(started::incrementAndGet);
        assertThat(accel.status().reason()).contains("no OpenCL device looked for yet");

        final double[] increments = new double[Accel.PROBE_AT_ITEMS];
        java.util.Arrays.fill(increments, 0.5);
        final ExactSum small = new ExactSum();
        accel.sum(increments, 0, Accel.PROBE_AT_ITEMS - 1, small);
        accel.sum(increments, new int[] {10, Accel.PROBE_AT_ITEMS - 1}, new ExactSum[] {new ExactSum(), new ExactSum()});
        assertThat(started).as("batches below the size start nothing").hasValue(0);
        assertThat(small.value()).as("and run in java meanwhile").isEqualTo(0.5 * (Accel.PROBE_AT_ITEMS - 1));

        final ExactSum large = new ExactSum();
        accel.sum(increments, 0, Accel.PROBE_AT_ITEMS, large);
        assertThat(started).hasValue(1);
        assertThat(large.value()).as("the batch that starts the search runs in java").isEqualTo(0.5 * Accel.PROBE_AT_ITEMS);
        assertThat(accel.status().reason()).isEqualTo("selecting");
        accel.sum(increments, 0, Accel.PROBE_AT_ITEMS, new ExactSum());
        assertThat(started).as("once").hasValue(1);
    }

    @Test
    void noLibraryFallsBackToJavaAndSaysSo() {
        // a real UnsatisfiedLinkError, as the first touch of org.jocl.CL gives without libOpenCL
        for (final Accel.Backend backend : new Accel.Backend[] {Accel.Backend.AUTO, Accel.Backend.OPENCL}) {
            final Accel accel = Accel.of(backend, "");
            accel.select(() -> OpenClDevice.list(() -> System.loadLibrary("vigil-test-no-such-opencl")), d -> {
                throw new AssertionError("nothing to open");
            });
            final Accel.Status status = accel.status();
            assertThat(status.backend()).isEqualTo("java");
            assertThat(status.requested()).isEqualTo(backend.label());
            assertThat(status.reason()).startsWith("no OpenCL library (UnsatisfiedLinkError").endsWith("; using java");
            final ExactSum sum = new ExactSum();
            accel.sum(new double[] {1, 2, 3}, 0, 3, sum);
            assertThat(sum.value()).isEqualTo(6.0);
        }
    }

    @Test
    void noPlatformFallsBackToJavaAndSaysSo() throws IOException, InterruptedException {
        OpenClTesting.device(); // JOCL and an ICD loader must be here for the child to reach clGetPlatformIDs
        final Path empty = Files.createTempDirectory("vigil-no-icd");
        try {
            // the ICD loader reads its vendors from OCL_ICD_VENDORS: an empty directory lists no platform
            final ProcessBuilder child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SelectAndPrint.class.getName(), "auto");
            child.environment().put("OCL_ICD_VENDORS", empty.toString());
            child.redirectErrorStream(true);
            final Process process = child.start();
            final String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(out).isZero();
            assertThat(out).contains("backend=java").contains("reason=no OpenCL platform");
        } finally {
            Files.deleteIfExists(empty);
        }
    }

    @Test
    void noFp64DevicesAreSkippedOrRefused() {
        final List<OpenClDevice> devices = List.of(fake(0, "Tiny GPU", OpenClDevice.Type.GPU, false),
            fake(1, "Some CPU", OpenClDevice.Type.CPU, true));
        final Accel.Choice auto = Accel.choose(devices, Accel.Backend.AUTO, "");
        assertThat(auto.device()).as("auto leaves a CPU device alone").isNull();
        assertThat(auto.why()).contains("no OpenCL GPU or accelerator with fp64").contains("Some CPU")
            .contains("accel.backend opencl or accel.device");
        assertThat(Accel.choose(devices, Accel.Backend.AUTO, "some cpu").device().name()).as("named, it is used").isEqualTo("Some CPU");
        assertThat(Accel.choose(devices, Accel.Backend.OPENCL, "").device().name()).isEqualTo("Some CPU");
        final Accel.Choice named = Accel.choose(devices, Accel.Backend.AUTO, "tiny");
        assertThat(named.device()).isNull();
        assertThat(named.why()).contains("Tiny GPU").contains("has no fp64");

        final Accel accel = Accel.of(Accel.Backend.AUTO, "");
        accel.select(() -> List.of(fake(0, "Tiny GPU", OpenClDevice.Type.GPU, false)), d -> {
            throw new AssertionError("a device without fp64 must not be opened");
        });
        assertThat(accel.status().backend()).isEqualTo("java");
        assertThat(accel.status().reason()).startsWith("no OpenCL device with fp64 (cl_khr_fp64) among [#0 Tiny GPU (gpu, Test Platform) [no fp64]]");
        // and the opener itself refuses one
        assertThatThrownBy(() -> OpenClKernels.open(new OpenClDevice(0, null, OpenClTesting.device().id(), "x", "p",
            OpenClDevice.Type.GPU, false, 1, 1, 1, "v"))).isInstanceOf(OpenClKernels.OpenFailed.class).hasMessageContaining("no fp64");
    }

    @Test
    void choosesGpusAndAcceleratorsFirstAndHonoursAccelDevice() {
        final List<OpenClDevice> devices = List.of(fake(0, "Some CPU", OpenClDevice.Type.CPU, true),
            fake(1, "FPGA Board", OpenClDevice.Type.ACCELERATOR, true), fake(2, "Big GPU", OpenClDevice.Type.GPU, true));
        assertThat(Accel.choose(devices, Accel.Backend.AUTO, "").device().name()).isEqualTo("FPGA Board");
        assertThat(Accel.choose(devices, Accel.Backend.AUTO, "2").device().name()).isEqualTo("Big GPU");
        assertThat(Accel.choose(devices, Accel.Backend.AUTO, "big").device().name()).isEqualTo("Big GPU");
        assertThat(Accel.choose(devices, Accel.Backend.OPENCL, "").device().name()).isEqualTo("Some CPU");
        final Accel.Choice none = Accel.choose(devices, Accel.Backend.AUTO, "7");
        assertThat(none.device()).isNull();
        assertThat(none.why()).contains("accel.device '7' matches none of");
        assertThatThrownBy(() -> Accel.Backend.parse("gpu")).hasMessageContaining("accel.backend").hasMessageContaining("'gpu'");
    }

    @Test
    void kernelsThatDoNotBuildFallBackToJavaWithTheBuildLog() {
        final OpenClDevice device = OpenClTesting.device();
        final Accel accel = Accel.of(Accel.Backend.OPENCL, "");
        accel.select(() -> List.of(device), d -> OpenClKernels.open(d, OpenClKernels.source().replace("vigil_carry(c);\n    for",
            "vigil_carry(c)\n    for"))); // one missing semicolon
        final Accel.Status status = accel.status();
        assertThat(status.backend()).isEqualTo("java");
        assertThat(status.reason()).startsWith("the kernels did not build on " + device.describe())
            .contains("CL_BUILD_PROGRAM_FAILURE").endsWith("; using java");
    }

    @Test
    void aDeviceLostMidRunIsGivenUpOnceAndJavaAnswers() throws OpenClKernels.OpenFailed {
        final OpenClDevice device = OpenClTesting.device();
        final List<OpenClKernels> opened = new ArrayList<>();
        final Accel accel = Accel.of(Accel.Backend.OPENCL, "");
        accel.select(() -> List.of(device), d -> {
            final OpenClKernels k = OpenClKernels.open(d);
            opened.add(k);
            return k;
        });
        try {
            assertThat(accel.status().backend()).isEqualTo("opencl");
            final double[] xs = Increments.mixed(3, 50_000, false);
            final ExactSum expected = new ExactSum();
            expected.add(xs);
            final ExactSum before = new ExactSum();
            accel.sum(xs, 0, xs.length, before);
            assertThat(before.toBytes()).isEqualTo(expected.toBytes());
            final long batches = accel.status().batches();
            assertThat(batches).isPositive();
            assertThat(accel.status().bytesMoved()).isGreaterThanOrEqualTo(8L * xs.length);

            opened.get(0).beforeDeviceCall = () -> {
                throw new CLException("CL_DEVICE_NOT_AVAILABLE", CL.CL_DEVICE_NOT_AVAILABLE);
            };
            final ExactSum during = new ExactSum();
            accel.sum(xs, 0, xs.length, during);
            assertThat(during.toBytes()).isEqualTo(expected.toBytes());
            final Accel.Status status = accel.status();
            assertThat(status.backend()).isEqualTo("java");
            assertThat(status.reason()).startsWith("device lost: OpenCL error CL_DEVICE_NOT_AVAILABLE");
            assertThat(status.batches()).isEqualTo(batches);

            opened.get(0).beforeDeviceCall = () -> { }; // even if it came back: given up for good
            final ExactSum after = new ExactSum();
            accel.sum(xs, 0, xs.length, after);
            assertThat(after.toBytes()).isEqualTo(expected.toBytes());
            assertThat(accel.status().batches()).isEqualTo(batches);
            final double[] scores = new double[2];
            final Baselines b = ModelReference.baselines(new java.util.SplittableRandom(1), 2, 1);
            accel.score(b, new double[] {1, 2, 3, 4}, new int[] {0, 0}, 2, scores);
            final double[] javaScores = new double[2];
            JavaKernels.INSTANCE.score(b, new double[] {1, 2, 3, 4}, new int[] {0, 0}, 2, javaScores);
            assertThat(scores).isEqualTo(javaScores);
        } finally {
            accel.close();
        }
    }

    @Test
    void autoOnThisMachinePicksWhatItsCalibrationSays() {
        final OpenClDevice device = OpenClTesting.device();
        // auto calibrates a GPU or accelerator by itself; a CPU device (PoCL here) only when named
        final Accel accel = Accel.selected(Accel.Backend.AUTO,
            device.type() == OpenClDevice.Type.CPU ? Integer.toString(device.index()) : "");
        try {
            final Accel.Status status = accel.status();
            final Calibration cal = accel.calibration();
            assertThat(cal).as(status.reason()).isNotNull();
            assertThat(cal.agrees()).as(cal.disagreement()).isTrue();
            assertThat(cal.points()).hasSize(Calibration.SIZES.length + 2 * (Calibration.SIZES.length - 1));
            if (cal.deviceKeepsSomeKernel()) {
                assertThat(status.backend()).isEqualTo("opencl");
                assertThat(status.reason()).contains("calibration: accumulate");
                assertThat(status.thresholds()).contains("from");
            } else {
                assertThat(status.backend()).isEqualTo("java");
                assertThat(status.reason()).startsWith("calibration: the OpenCL ").contains("is not faster than java at the largest size")
                    .contains("accumulate at 1000000: java");
            }
            // the thresholds are where each kernel keeps winning by the margin, never elsewhere
            for (final String kernel : List.of("accumulate", "score", "merge")) {
                final List<Calibration.Point> mine = cal.points().stream().filter(p -> p.kernel().equals(kernel)).toList();
                final int threshold = Calibration.threshold(cal.points(), kernel);
                for (final Calibration.Point p : mine) {
                    if (p.batch() >= threshold) {
                        assertThat(p.deviceWins()).as(p.toString()).isTrue();
                    }
                }
                assertThat(threshold == Integer.MAX_VALUE || mine.get(mine.size() - 1).deviceWins()).isTrue();
            }
            System.out.println("accel auto on this machine: " + status);
        } finally {
            accel.close();
        }
    }

    @Test
    void thresholdsStartWhereTheDeviceKeepsWinning() {
        assertThat(new Calibration.Point("x", 1, 10, 11.9).deviceWins()).isFalse(); // within the margin: a tie
        assertThat(new Calibration.Point("x", 1, 10, 12.1).deviceWins()).isTrue();
        final List<Calibration.Point> points = List.of(new Calibration.Point("score", 1_000, 10, 5),
            new Calibration.Point("score", 10_000, 10, 13), new Calibration.Point("score", 100_000, 10, 9),
            new Calibration.Point("score", 1_000_000, 10, 13), new Calibration.Point("merge", 1_000, 10, 13),
            new Calibration.Point("merge", 10_000, 10, 9));
        assertThat(Calibration.threshold(points, "score")).isEqualTo(1_000_000);
        assertThat(Calibration.threshold(points, "merge")).isEqualTo(Integer.MAX_VALUE);
        assertThat(Calibration.threshold(points, "accumulate")).isEqualTo(Integer.MAX_VALUE);
    }

    /** The child of {@link #noPlatformFallsBackToJavaAndSaysSo}: selects and prints the status. */
    public static final class SelectAndPrint {
        public static void main(final String[] args) {
            final Accel accel = Accel.selected(Accel.Backend.parse(args[0]), "");
            final Accel.Status s = accel.status();
            System.out.println("backend=" + s.backend());
            System.out.println("reason=" + s.reason());
        }
    }
}
