package dev.pool.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The starter uses the pool's public API ({@code dev.pool}) only, never its engine
 * ({@code dev.pool.engine}), which may change shape at any time. Checked on the compiled classes: a
 * reference to an engine type appears in a class file's constant pool as {@code dev/pool/engine/}.
 */
class EngineIndependenceTests {

    @Test
    void noClassOfTheStarterReferencesThePoolsEngine() throws IOException, URISyntaxException {
        Path classes = Path.of(PoolAutoConfiguration.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> referencing;
        try (Stream<Path> files = Files.walk(classes)) {
            referencing = files.filter(p -> p.toString().endsWith(".class"))
                    .filter(EngineIndependenceTests::referencesEngine)
                    .map(p -> classes.relativize(p).toString())
                    .toList();
        }
        assertThat(referencing).isEmpty();
    }

    private static boolean referencesEngine(Path classFile) {
        try {
            return new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1).contains("dev/pool/engine/");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
