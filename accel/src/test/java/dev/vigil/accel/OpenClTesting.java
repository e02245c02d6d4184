package dev.vigil.accel;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.util.List;

/**
 * The OpenCL device the tests run on: the first with fp64. Without one the OpenCL tests are
 * skipped on a developer's machine and fail under CI ({@code CI=true}), whose {@code .ci/run}
 * installs PoCL so that they always run there.
 */
final class OpenClTesting {
    private static OpenClKernels kernels;
    private static String unavailable;

    private OpenClTesting() {
    }

    static synchronized OpenClDevice device() {
        try {
            final List<OpenClDevice> devices = OpenClDevice.list();
            for (final OpenClDevice d : devices) {
                if (d.fp64()) {
                    return d;
                }
            }
            return require("no OpenCL device with fp64 among " + devices);
        } catch (final OpenClDevice.Unavailable e) {
            return require(e.getMessage());
        }
    }

    /** One opened backend for all the tests of a run (a PoCL build takes a second), every batch on the device. */
    static synchronized OpenClKernels kernels() {
        if (kernels == null && unavailable == null) {
            final OpenClDevice device = device();
            try {
                kernels = OpenClKernels.open(device);
            } catch (final OpenClKernels.OpenFailed e) {
                unavailable = e.getMessage();
            }
        }
        if (kernels == null) {
            return require(unavailable);
        }
        kernels.thresholds(OpenClKernels.Thresholds.ALWAYS);
        return kernels;
    }

    private static <T> T require(final String why) {
        if ("true".equals(System.getenv("CI"))) {
            Assertions.fail("CI=true and OpenCL is unusable here: " + why + " (.ci/run installs PoCL; see accel/README.md)");
        }
        Assumptions.abort("OpenCL is unusable here: " + why);
        return null;
    }
}
