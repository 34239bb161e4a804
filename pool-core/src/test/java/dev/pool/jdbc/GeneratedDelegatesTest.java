package dev.pool.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed {@code *Delegate} classes are exactly what {@code tools/GenerateDelegates.java}
 * writes: the generator is compiled and run in memory and its output compared with the files, so
 * a hand edit of a generated file, or a generator change not followed by a regeneration, fails here.
 */
class GeneratedDelegatesTest {

    /** pool-core's folder: Surefire runs the tests there. */
    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Path GENERATOR = MODULE.resolveSibling("tools").resolve("GenerateDelegates.java");
    private static final Path GENERATED = MODULE.resolve("src/main/java/dev/pool/jdbc");

    @Test
    void committedDelegatesAreWhatTheGeneratorWrites(@TempDir Path classes) throws Exception {
        Map<String, String> generated = generate(classes);
        assertThat(generated).as("files the generator writes").isNotEmpty();

        Set<String> committed;
        try (Stream<Path> files = Files.list(GENERATED)) {
            committed = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith("Delegate.java"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        assertThat(committed).as("*Delegate.java files in %s", GENERATED).isEqualTo(generated.keySet());
        for (Map.Entry<String, String> file : generated.entrySet()) {
            assertThat(Files.readString(GENERATED.resolve(file.getKey())))
                    .as("%s differs from what the generator writes: regenerate with `java tools/GenerateDelegates.java` "
                            + "from the repository root, and change the generator, not the file", file.getKey())
                    .isEqualTo(file.getValue());
        }
    }

    /** Compiles the generator into {@code classes} and returns what its {@code generateAll()} writes. */
    @SuppressWarnings("unchecked")
    private Map<String, String> generate(Path classes) throws IOException, ReflectiveOperationException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("a JDK's compiler (tests run on a JDK)").isNotNull();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int status = javac.run(null, errors, errors, "-d", classes.toString(), GENERATOR.toString());
        assertThat(status).as("compiling %s:%n%s", GENERATOR, errors.toString(StandardCharsets.UTF_8)).isZero();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
            return (Map<String, String>) loader.loadClass("GenerateDelegates").getMethod("generateAll").invoke(null);
        }
    }
}
