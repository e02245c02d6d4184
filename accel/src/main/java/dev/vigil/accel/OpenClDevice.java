package dev.vigil.accel;

import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One OpenCL device as the platforms list it: its place in the enumeration ({@code index},
 * platforms in order, then their devices), what {@code accel.device} matches, and what
 * selection needs to know. The handles are null in records made by tests.
 */
public record OpenClDevice(int index, cl_platform_id platform, cl_device_id id, String name, String platformName,
                           Type type, boolean fp64, int computeUnits, long maxAllocBytes, long globalMemBytes,
                           String version) {

    /** What kind of device, from {@code CL_DEVICE_TYPE}. */
    public enum Type {
        GPU, ACCELERATOR, CPU, OTHER;

        static Type of(final long bits) {
            if ((bits & CL.CL_DEVICE_TYPE_GPU) != 0) {
                return GPU;
            }
            if ((bits & CL.CL_DEVICE_TYPE_ACCELERATOR) != 0) {
                return ACCELERATOR;
            }
            if ((bits & CL.CL_DEVICE_TYPE_CPU) != 0) {
                return CPU;
            }
            return OTHER;
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Why OpenCL cannot be used at all here (no library, no platform). */
    public static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        public Unavailable(final String message, final Throwable cause) {
            super(message, cause);
        }
    }

    /** For status lines: "#0 pthread-skylake (cpu, Portable Computing Language)". */
    public String describe() {
        return "#" + index + " " + name + " (" + type.label() + ", " + platformName + ")";
    }

    /** Every device of every platform, in enumeration order. */
    public static List<OpenClDevice> list() throws Unavailable {
        return list(() -> CL.setExceptionsEnabled(true));
    }

    /**
     * As {@link #list()}, with the first touch of the library given: the test of a machine with
     * no OpenCL library passes one that fails to link.
     */
    static List<OpenClDevice> list(final Runnable touchLibrary) throws Unavailable {
        try {
            touchLibrary.run();
        } catch (final LinkageError e) { // UnsatisfiedLinkError, or NoClassDefFoundError after one
            throw new Unavailable("no OpenCL library (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
        }
        try {
            final int[] count = new int[1];
            CL.clGetPlatformIDs(0, null, count);
            if (count[0] == 0) {
                throw new Unavailable("no OpenCL platform (the ICD loader lists none)", null);
            }
            final cl_platform_id[] platforms = new cl_platform_id[count[0]];
            CL.clGetPlatformIDs(platforms.length, platforms, null);
            final List<OpenClDevice> devices = new ArrayList<>();
            for (final cl_platform_id platform : platforms) {
                final String platformName = platformString(platform, CL.CL_PLATFORM_NAME);
                final int[] n = new int[1];
                try {
                    CL.clGetDeviceIDs(platform, CL.CL_DEVICE_TYPE_ALL, 0, null, n);
                } catch (final CLException e) {
                    if (e.getStatus() == CL.CL_DEVICE_NOT_FOUND) {
                        continue;
                    }
                    throw e;
                }
                final cl_device_id[] ids = new cl_device_id[n[0]];
                CL.clGetDeviceIDs(platform, CL.CL_DEVICE_TYPE_ALL, ids.length, ids, null);
                for (final cl_device_id id : ids) {
                    devices.add(new OpenClDevice(devices.size(), platform, id, deviceString(id, CL.CL_DEVICE_NAME), platformName,
                        Type.of(deviceLong(id, CL.CL_DEVICE_TYPE)), hasFp64(id), (int) deviceInt(id, CL.CL_DEVICE_MAX_COMPUTE_UNITS),
                        deviceLong(id, CL.CL_DEVICE_MAX_MEM_ALLOC_SIZE), deviceLong(id, CL.CL_DEVICE_GLOBAL_MEM_SIZE),
                        deviceString(id, CL.CL_DEVICE_VERSION)));
                }
            }
            if (devices.isEmpty()) {
                throw new Unavailable("no OpenCL device (" + platforms.length + " platform(s), none with a device)", null);
            }
            return devices;
        } catch (final CLException e) {
            if (e.getStatus() == CL.CL_PLATFORM_NOT_FOUND_KHR) {
                throw new Unavailable("no OpenCL platform (CL_PLATFORM_NOT_FOUND_KHR)", e);
            }
            throw new Unavailable("OpenCL enumeration failed: " + e.getMessage(), e);
        }
    }

    /** fp64: the extension, or a nonzero double-precision configuration. */
    private static boolean hasFp64(final cl_device_id id) {
        final String extensions = deviceString(id, CL.CL_DEVICE_EXTENSIONS);
        if (extensions.contains("cl_khr_fp64")) {
            return true;
        }
        try {
            return deviceLong(id, CL.CL_DEVICE_DOUBLE_FP_CONFIG) != 0;
        } catch (final CLException e) {
            return false; // a device too old to know the query has no fp64 either
        }
    }

    private static String platformString(final cl_platform_id platform, final int what) {
        final long[] size = new long[1];
        CL.clGetPlatformInfo(platform, what, 0, null, size);
        final byte[] bytes = new byte[(int) size[0]];
        CL.clGetPlatformInfo(platform, what, bytes.length, Pointer.to(bytes), null);
        return cString(bytes);
    }

    private static String deviceString(final cl_device_id id, final int what) {
        final long[] size = new long[1];
        CL.clGetDeviceInfo(id, what, 0, null, size);
        final byte[] bytes = new byte[(int) size[0]];
        CL.clGetDeviceInfo(id, what, bytes.length, Pointer.to(bytes), null);
        return cString(bytes);
    }

    private static long deviceLong(final cl_device_id id, final int what) {
        final long[] value = new long[1];
        CL.clGetDeviceInfo(id, what, Sizeof.cl_ulong, Pointer.to(value), null);
        return value[0];
    }

    private static long deviceInt(final cl_device_id id, final int what) {
        final int[] value = new int[1];
        CL.clGetDeviceInfo(id, what, Sizeof.cl_uint, Pointer.to(value), null);
        return value[0];
    }

    private static String cString(final byte[] bytes) {
        int n = 0;
        while (n < bytes.length && bytes[n] != 0) {
            n++;
        }
        return new String(bytes, 0, n, StandardCharsets.UTF_8).trim();
    }
}
