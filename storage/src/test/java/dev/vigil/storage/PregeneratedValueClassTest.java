package dev.vigil.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The value class Chronicle Map would otherwise compile with javac at every start is shipped
 * pre-generated (storage/src/main/java/net/openhft/chronicle/hash). These tests fail if the copy
 * is stale for the Chronicle jars on the class path, or if Chronicle stops picking it up.
 */
class PregeneratedValueClassTest {
    private static final String NAME = "net.openhft.chronicle.hash.VanillaGlobalMutableState$$Native";
    private static final Path SOURCE =
        Path.of("src/main/java/net/openhft/chronicle/hash/VanillaGlobalMutableState$$Native.java");

    @TempDir
    Path dir;

    @Test
    void theShippedSourceIsWhatChronicleValuesGeneratesToday() throws Exception {
        final Class<?> valueModel = Class.forName("net.openhft.chronicle.values.ValueModel");
        final Object model = valueModel.getMethod("acquire", Class.class)
            .invoke(null, Class.forName("net.openhft.chronicle.hash.VanillaGlobalMutableState"));
        final Method generate = Class.forName("net.openhft.chronicle.values.Generators")
            .getDeclaredMethod("generateNativeClass", valueModel, String.class);
        generate.setAccessible(true);
        final String generated = (String) generate.invoke(null, model, "VanillaGlobalMutableState$$Native");

        String shipped = Files.readString(SOURCE, StandardCharsets.UTF_8);
        shipped = shipped.substring(shipped.indexOf("package "));        // the header comment
        shipped = shipped.replace("@SuppressWarnings(\"rawtypes\")\n", ""); // the one added line
        assertThat(shipped).isEqualTo(generated);
    }

    @Test
    void aStoreUsesTheShippedClassNotOneCompiledAtRunTime() throws Exception {
        try (StoreDirectory d = StoreDirectory.open(dir, "v=1",
                List.of(StoreSpec.fixedKey("things", 100, 8, 16, "test.things")))) {
            d.store("things").put(new byte[8], new byte[]{1});
        }
        final Class<?> used = Class.forName(NAME);
        // a class javac made at run time is defined without a code source; ours comes from storage's classes
        final java.security.CodeSource source = used.getProtectionDomain().getCodeSource();
        assertThat(source == null ? null : source.getLocation())
            .as("where %s was loaded from (none: compiled at run time)", NAME)
            .isNotNull()
            .asString().contains("storage");
        assertThat(used.getClassLoader()).isSameAs(PregeneratedValueClassTest.class.getClassLoader());
    }
}
