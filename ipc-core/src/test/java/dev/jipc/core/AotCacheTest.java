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

    /** The JDK maps classes from jars only: ipc-core's classes and its tests' go into two, beside the dependencies. */
    @BeforeAll
    static void jarTheClassPath() throws IOException, URISyntaxException
    {
        final List<String> entries = new ArrayList<>();
        entries.add(jar(AotCache.class, "ipc-core.jar"));
        entries.add(jar(AotTraining.class, "ipc-core-tests.jar"));
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
        final String digest = file.getFileName().toString().replace(".aot", "");
        assertEquals(List.of(digest + ".aot", digest + ".lock", digest + ".log"), names(temporary.resolve("aot")),
            "nothing but the cache, its log and its lock left behind");

        final ChildJvm ownArchive = ChildJvm.of(AotTraining.class).classPath(jarClassPath).aotCache(cache)
            .jvmArgs("-Xshare:off");
        assertFalse(String.join(" ", ownArchive.command()).contains("-XX:AOTCache"),
            "a child that chooses its own class data sharing is not given the cache, which the JDK would refuse");
        try (ChildProcesses children = ChildLogs.group())
        {
            assertEquals(0, ChildProcesses.awaitExit(children.start(ownArchive), 2, TimeUnit.MINUTES));
        }
    }

    @Test
    void shouldFinishTheCacheWhenTheJvmThatAskedForItExitsFirst() throws Exception
    {
        final Path directory = temporary.resolve("aot");
        try (ChildProcesses children = ChildLogs.group())
        {
            assertEquals(0, ChildProcesses.awaitExit(children.start(ChildJvm.of(ShortProgram.class)
                .args(jarClassPath, directory)), 2, TimeUnit.MINUTES));
        }
        final Path file = AotCache.of(AotTraining.class, jarClassPath, directory).file();
        final long deadline = System.nanoTime() + MAKING.toNanos();
        while (!Files.exists(file) || names(directory).size() != 3)
        {
            assertTrue(System.nanoTime() - deadline < 0, "the maker finished after its JVM left: " +
                names(directory));
            Thread.sleep(100);
        }
        assertTrue(Files.size(file) > 1 << 20);
        assertTrue(names(directory).stream().noneMatch(name -> name.contains("tmp")), names(directory).toString());
    }

    @Test
    void shouldPruneOnlyItsOwnFiles() throws Exception
    {
        final Path directory = Files.createDirectory(temporary.resolve("aot"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        final java.nio.file.attribute.FileTime weeksAgo =
            java.nio.file.attribute.FileTime.from(java.time.Instant.now().minus(Duration.ofDays(30)));
        final String staleCache = "0123456789abcdef01234567.aot";
        final String staleTemporary = ".0123456789abcdef01234567.42.7.tmp.aot.config";
        for (final String name : List.of(staleCache, staleTemporary, "app.aot", "notes.log"))
        {
            Files.setLastModifiedTime(Files.writeString(directory.resolve(name), name), weeksAgo);
        }
        AotCache.of(AotTraining.class, jarClassPath, directory).await(MAKING);
        final List<String> names = names(directory);
        assertFalse(names.contains(staleCache) || names.contains(staleTemporary), names.toString());
        assertTrue(names.contains("app.aot") && names.contains("notes.log"), "other files are left: " + names);
    }

    @Test
    void shouldRefuseADirectoryUnderOneOthersCanChange() throws Exception
    {
        final Path open = Files.createDirectory(temporary.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        final Path directory = Files.createDirectory(open.resolve("aot"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        final IllegalStateException refused = assertThrows(IllegalStateException.class,
            () -> AotCache.of(AotTraining.class, jarClassPath, directory).await(MAKING));
        assertTrue(refused.getMessage().contains("under a directory another user can change") &&
            refused.getMessage().contains("parent=" + open.toRealPath()), refused.getMessage());
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
    void shouldStartPlainWhenAJarsManifestNamesADirectory() throws Exception
    {
        final Path jar = temporary.resolve("booter.jar");
        final java.util.jar.Manifest manifest = new java.util.jar.Manifest();
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.CLASS_PATH, "file:/somewhere/target/classes/");
        try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar),
            manifest))
        {
            out.putNextEntry(new java.util.jar.JarEntry("empty.txt"));
        }
        final AotCache cache = AotCache.of(AotTraining.class, jar + File.pathSeparator + jarClassPath,
            temporary.resolve("aot"));
        final IllegalStateException refused = assertThrows(IllegalStateException.class, () -> cache.await(MAKING));
        assertTrue(refused.getMessage().contains("manifest Class-Path of " + jar) &&
            refused.getMessage().contains("target/classes/"), refused.getMessage());
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

    private static String jar(final Class<?> member, final String name) throws URISyntaxException
    {
        final Path classes = Path.of(member.getProtectionDomain().getCodeSource().getLocation().toURI());
        final Path jar = jars.resolve(name);
        final ToolProvider tool = ToolProvider.findFirst("jar").orElseThrow();
        assertEquals(0, tool.run(System.out, System.err, "--create", "--file", jar.toString(), "-C",
            classes.toString(), "."));
        return jar.toString();
    }

    private static List<String> names(final Path directory) throws IOException
    {
        try (var files = Files.list(directory))
        {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }

    /** A program that asks for the cache and is gone a second later, long before the cache is made. */
    public static final class ShortProgram
    {
        /**
         * Asks for the cache.
         *
         * @param args the class path of the cache, and its directory.
         * @throws InterruptedException never.
         */
        public static void main(final String[] args) throws InterruptedException
        {
            AotCache.of(AotTraining.class, args[0], Path.of(args[1])).jvmArgs();
            Thread.sleep(1000);
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
