package dev.pool.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The engine stays internal: of its classes only {@link ConnectionPool} (what {@code PoolDataSource}
 * fronts) and {@link Clock} (the time seam tests replace) are public. A class made public to be
 * reached from another package fails this test: give that package a type of its own to see it through, as
 * {@code dev.pool.jdbc.LentConnection} is for the handles.
 */
class EngineSurfaceTest {

    @Test
    void onlyThePoolAndTheClockArePublic() throws IOException, URISyntaxException {
        Path classes = Path.of(ConnectionPool.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("dev/pool/engine");
        List<String> publicTypes;
        try (Stream<Path> files = Files.list(classes)) {
            publicTypes = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".class") && !n.contains("$") && !n.equals("package-info.class"))
                    .map(n -> "dev.pool.engine." + n.substring(0, n.length() - ".class".length()))
                    .filter(EngineSurfaceTest::isPublic)
                    .sorted()
                    .toList();
        }
        assertThat(publicTypes).containsExactly(Clock.class.getName(), ConnectionPool.class.getName());
    }

    private static boolean isPublic(String className) {
        try {
            return Modifier.isPublic(Class.forName(className).getModifiers());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
