package dev.vigil.accel;

class JavaKernelsTest extends KernelsContract {
    @Override
    Kernels kernels() {
        return JavaKernels.INSTANCE;
    }
}
