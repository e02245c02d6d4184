package dev.vigil.accel;

/** The shared contract on the OpenCL backend, every batch on the device. */
class OpenClKernelsTest extends KernelsContract {
    @Override
    Kernels kernels() {
        return OpenClTesting.kernels();
    }
}
