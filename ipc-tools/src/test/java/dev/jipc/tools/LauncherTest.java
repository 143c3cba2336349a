package dev.jipc.tools;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./jipc} launcher's staleness check, run on a stand-in checkout that lies under a directory called
 * {@code src} (as {@code ~/src/jipc} does), with a stub {@code mvn} that records whether a build was asked for.
 */
class LauncherTest
{
    private static final Path LAUNCHER = Path.of("..", "jipc").toAbsolutePath().normalize();
    private static final Path FLAGS = Path.of("..", "ipc-core", "src", "main", "resources", "dev", "jipc", "core",
        "jvm-flags.properties").toAbsolutePath().normalize();
    private static final FileTime BEFORE_BUILD = FileTime.from(Instant.now().minusSeconds(3600));
    private static final FileTime BUILT = FileTime.from(Instant.now().minusSeconds(1800));
    private static final FileTime AFTER_BUILD = FileTime.from(Instant.now().minusSeconds(60));

    @TempDir
    Path temp;

    @Test
    void shouldNotRebuildForFilesOutsideModuleSourcesInACheckoutUnderSrc() throws Exception
    {
        final Path root = checkout();
        // what a run or a build leaves behind, newer than the jar: none of it is a source
        write(root.resolve("ipc-tools/target/child-logs/child.log"), AFTER_BUILD);
        write(root.resolve("results/bench.txt"), AFTER_BUILD);
        write(root.resolve("README.md"), AFTER_BUILD);
        assertFalse(launchBuilds(root), "a built checkout under src/ must not be rebuilt");
    }

    @Test
    void shouldRebuildWhenAModuleSourceOrPomChanged() throws Exception
    {
        final Path root = checkout();
        write(root.resolve("ipc-core/src/main/java/dev/jipc/core/Changed.java"), AFTER_BUILD);
        assertTrue(launchBuilds(root), "a changed source must trigger a build");

        final Path again = Files.createDirectories(temp.resolve("again"));
        final Path other = checkout(again);
        Files.setLastModifiedTime(other.resolve("ipc-tools/pom.xml"), AFTER_BUILD);
        assertTrue(launchBuilds(other), "a changed module pom must trigger a build");
    }

    private Path checkout() throws IOException
    {
        return checkout(temp);
    }

    /** A built stand-in checkout at {@code <parent>/src/jipc}: sources older than the jar. */
    private static Path checkout(final Path parent) throws IOException
    {
        final Path root = Files.createDirectories(parent.resolve("src").resolve("jipc"));
        Files.copy(LAUNCHER, root.resolve("jipc"));
        write(root.resolve("pom.xml"), BEFORE_BUILD);
        for (final String module : new String[] {"ipc-core", "ipc-tools"})
        {
            write(root.resolve(module).resolve("pom.xml"), BEFORE_BUILD);
            write(root.resolve(module).resolve("src/main/java/dev/jipc/Example.java"), BEFORE_BUILD);
        }
        final Path flags = root.resolve("ipc-core/src/main/resources/dev/jipc/core/jvm-flags.properties");
        Files.createDirectories(flags.getParent());
        Files.copy(FLAGS, flags);
        Files.setLastModifiedTime(flags, BEFORE_BUILD);
        Files.createDirectories(root.resolve("ipc-tools/target/lib"));
        write(root.resolve("ipc-tools/target/classes/dev/jipc/tools/Main.class"), BEFORE_BUILD);
        write(root.resolve("ipc-tools/target/ipc-tools.jar"), BUILT);
        // creating the files touched their directories: date them back too, as in a checkout built after its edits
        try (Stream<Path> paths = Files.walk(parent))
        {
            for (final Path directory : (Iterable<Path>)paths.filter(Files::isDirectory)::iterator)
            {
                Files.setLastModifiedTime(directory, BEFORE_BUILD);
            }
        }
        return root;
    }

    /** Runs {@code jipc --version} with a stub {@code mvn} first on the PATH; true when the launcher called it. */
    private boolean launchBuilds(final Path root) throws IOException, InterruptedException
    {
        final Path bin = Files.createDirectories(root.getParent().getParent().resolve("bin"));
        final Path marker = bin.resolve("mvn-was-called");
        final Path mvn = bin.resolve("mvn");
        Files.writeString(mvn, "#!/bin/sh\ntouch '" + marker + "'\n");
        Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwx------"));
        final ProcessBuilder builder = new ProcessBuilder("bash", root.resolve("jipc").toString(), "--version")
            .redirectErrorStream(true)
            .redirectOutput(bin.resolve("launcher.log").toFile());
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        final Process launcher = builder.start();
        if (!launcher.waitFor(60, TimeUnit.SECONDS))
        {
            launcher.destroyForcibly();
            fail("launcher did not finish within 60 s; output:\n" + Files.readString(bin.resolve("launcher.log")));
        }
        // the stand-in jar holds no classes, so the launched JVM itself fails: only the build decision matters here
        return Files.exists(marker);
    }

    private static void write(final Path file, final FileTime modified) throws IOException
    {
        Files.createDirectories(file.getParent());
        Files.write(file, new byte[0]);
        Files.setLastModifiedTime(file, modified);
    }
}
