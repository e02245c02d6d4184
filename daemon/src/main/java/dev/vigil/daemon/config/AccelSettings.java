package dev.vigil.daemon.config;

import dev.vigil.accel.Accel;

import java.util.Objects;

/**
 * The {@code accel} section: where the node's numeric batches run (see {@link Accel}).
 *
 * @param backend {@code accel.backend}: auto (an OpenCL GPU or accelerator where calibration shows
 *                it faster, else Java), java, or opencl (every batch on the device)
 * @param device  {@code accel.device}: an OpenCL device index or a case-insensitive part of its
 *                name or platform; empty for the first suitable device
 */
public record AccelSettings(Accel.Backend backend, String device) {
    /** A device name part longer than this is a mistake, not a name. */
    public static final int DEVICE_CHARS_MAX = 256;

    public AccelSettings {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(device, "device");
    }

    public static AccelSettings defaults() {
        return new AccelSettings(Accel.Backend.AUTO, "");
    }
}
