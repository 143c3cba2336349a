package dev.jipc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;

import dev.jipc.core.test.ChildLogs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AOT cache of the child bootstrap: made in the background on first use while children start plain, then used
 * by every child (proved by a child started with {@code -XX:AOTMode=on}, which the JDK refuses to run on an unusable
 * cache); a bad cache is made again; and a class path or directory where no cache can be had gives a plain start
 * and a reason.
 */
class AotCacheTest
{
    private static final Duration MAKING = Duration.ofMinutes(3);

    @TempDir
    static Path jars;
    private static String jarClassPath;

    @TempDir
    Path temporary;

    /** The JDK maps classes from jars only: ipc-core's classes go into one, beside the dependency jars. */
    @BeforeAll
    static void jarTheClassPath() throws IOException, URISyntaxException
    {
        final Path classes = Path.of(AotTraining.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        final Path jar = jars.resolve("ipc-core.jar");
        final ToolProvider tool = ToolProvider.findFirst("jar").orElseThrow();
        assertEquals(0, tool.run(System.out, System.err, "--create", "--file", jar.toString(), "-C",
            classes.toString(), "."));
        final List<String> entries = new ArrayList<>();
        entries.add(jar.toString());
        for (final String entry : System.getProperty("java.class.path").split(File.pathSeparator))
        {
            if (entry.endsWith(".jar") && Files.isRegularFile(Path.of(entry)))
            {
                entries.add(entry);
            }
        }
        jarClassPath = String.join(File.pathSeparator, entries);
    }

    @Test
    void shouldMakeTheCacheInTheBackgroundThenStartChildrenWithIt() throws Exception
    {
        final AotCache cache = AotCache.of(AotTraining.class, jarClassPath, temporary.resolve("aot"));
        final ChildJvm child = ChildJvm.of(AotTraining.class).classPath(jarClassPath).aotCache(cache);
        assertFalse(String.join(" ", child.command()).contains("-XX:AOTCache"), "no cache before it is made");

        final Path file = cache.await(MAKING);
        assertEquals(cache.file(), file);
        assertTrue(Files.size(file) > 1 << 20, "a cache of the bootstrap's classes: " + Files.size(file));
        assertEquals("rwx------", PosixFilePermissions.toString(
            Files.getPosixFilePermissions(temporary.resolve("aot"))));
        assertTrue(child.command().contains("-XX:AOTCache=" + file), String.join(" ", child.command()));
        assertEquals(0, runRefusingAnUnusableCache(child), "the child ran on the cache");
    }

    @Test
    void shouldMakeABadCacheAgain() throws Exception
    {
        final Path directory = Files.createDirectory(temporary.resolve("aot"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        final AotCache cache = AotCache.of(AotTraining.class, jarClassPath, directory);
        Files.writeString(cache.file(), "not an AOT cache");

        final Path file = cache.await(MAKING);
        assertTrue(Files.size(file) > 1 << 20, "made again: " + Files.size(file));
        assertEquals(0, runRefusingAnUnusableCache(
            ChildJvm.of(AotTraining.class).classPath(jarClassPath).aotCache(cache)));
    }

    @Test
    void shouldStartPlainWhenTheClassPathHasADirectoryOfClasses() throws Exception
    {
        final String classPath = System.getProperty("java.class.path");
        final AotCache cache = AotCache.of(AotTraining.class, classPath, temporary.resolve("aot"));
        final IllegalStateException refused = assertThrows(IllegalStateException.class, () -> cache.await(MAKING));
        assertTrue(refused.getMessage().contains("class path entry is a directory"), refused.getMessage());
        assertFalse(String.join(" ", ChildJvm.of(AotTraining.class).aotCache(cache).command())
            .contains("-XX:AOTCache"));
        assertFalse(Files.exists(temporary.resolve("aot")), "nothing made");
    }

    @Test
    void shouldRefuseADirectoryOthersCanWrite() throws Exception
    {
        final Path directory = Files.createDirectory(temporary.resolve("aot"));
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxrwxrwx"));
        final AotCache cache = AotCache.of(AotTraining.class, jarClassPath, directory);
        final IllegalStateException refused = assertThrows(IllegalStateException.class, () -> cache.await(MAKING));
        assertTrue(refused.getMessage().contains("not a private directory") &&
            refused.getMessage().contains("mode=0777"), refused.getMessage());
        try (var files = Files.list(directory))
        {
            assertEquals(0, files.count(), "no cache planted where others could replace it");
        }
    }

    /** Runs the child with {@code -XX:AOTMode=on}: the JDK refuses to start it if it cannot map the cache. */
    private static int runRefusingAnUnusableCache(final ChildJvm child) throws InterruptedException
    {
        try (ChildProcesses children = ChildLogs.group())
        {
            return ChildProcesses.awaitExit(children.start(child.jvmArgs("-XX:AOTMode=on")), 2, TimeUnit.MINUTES);
        }
    }
}
