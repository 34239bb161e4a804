package dev.pool.test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the programs from the machine's packages that a few tests drive (PgBouncer, Chromium and
 * its chromedriver): on the {@code PATH}, then in the system's binary folders, since Debian puts
 * {@code pgbouncer} in {@code /usr/sbin}, which a non-root {@code PATH} often lacks.
 *
 * <p>The system property {@value #SEARCH_PATH_PROPERTY} (folders separated by {@code :}) replaces
 * both, so a machine that has the programs can check what a machine without them does:
 * {@code ./mvnw verify -Dpool.test.program-path=/nowhere}.
 */
public final class Programs {

    public static final String SEARCH_PATH_PROPERTY = "pool.test.program-path";

    private static final List<String> SYSTEM_FOLDERS = List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");

    private Programs() {
    }

    /** The executable called {@code name}, if any folder searched has one. */
    public static Optional<Path> find(String name) {
        for (String folder : searchPath()) {
            Path candidate = Path.of(folder, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The executable called {@code name}, or an error naming it, where it was looked for and the command that installs it. */
    public static Path require(String name, String install) {
        return find(name).orElseThrow(() -> new IllegalStateException(missing(name, install)));
    }

    /** What a test that needs {@code name} says when it is not there. */
    static String missing(String name, String install) {
        return name + " is not installed (looked in " + String.join(":", searchPath()) + "); install it with: " + install;
    }

    /** The folders searched, in order. */
    public static List<String> searchPath() {
        String override = System.getProperty(SEARCH_PATH_PROPERTY);
        Set<String> folders = new LinkedHashSet<>();
        if (override != null) {
            folders.addAll(split(override));
        } else {
            folders.addAll(split(System.getenv().getOrDefault("PATH", "")));
            folders.addAll(SYSTEM_FOLDERS);
        }
        return List.copyOf(folders);
    }

    private static List<String> split(String path) {
        List<String> folders = new ArrayList<>();
        for (String folder : path.split(File.pathSeparator)) {
            if (!folder.isBlank()) {
                folders.add(folder);
            }
        }
        return folders;
    }
}
