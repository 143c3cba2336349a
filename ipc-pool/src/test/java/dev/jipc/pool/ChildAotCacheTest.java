package dev.jipc.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import dev.jipc.core.AotCache;
import dev.jipc.core.ChildJvm;
import dev.jipc.core.JvmFlags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AOT cache of a child's bootstrap ({@link ChildTraining}, through {@link AotCache}): a real training run, whose
 * cache a child JVM then starts with, refusing to start on an unusable one ({@code -XX:AOTMode=on}). The test
 * JVM's own class path (surefire's, with directories) cannot have a cache: the test jars the directories first.
 */
class ChildAotCacheTest
{
    @TempDir
    Path directory;

    @Test
    void shouldTrainACacheThatAChildJvmStartsWith() throws Exception
    {
        final String classPath = jarredTestClassPath();
        final Path cache = AotCache.of(ChildTraining.class, classPath, directory.resolve("cache"))
            .await(Duration.ofMinutes(3));
        assertTrue(Files.size(cache) > 1 << 20, "a cache of the child bootstrap: " + Files.size(cache));

        final List<String> command = new ArrayList<>();
        command.add(ChildJvm.javaExecutable());
        command.add("-XX:AOTCache=" + cache);
        command.add("-XX:AOTMode=on");  // fail rather than fall back: the cache must be usable
        command.addAll(JvmFlags.required());
        command.add("-D" + ChildMain.SPARE_PROPERTY + "=true");
        command.add("-cp");
        command.add(classPath);
        command.add(ChildMain.class.getName());
        final java.lang.Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        try
        {
            child.getOutputStream().close();
            assertTrue(child.waitFor(120, TimeUnit.SECONDS), "child did not exit");
            final String output = new String(child.getInputStream().readAllBytes());
            assertEquals(0, child.exitValue(), output);
            assertEquals("", output.trim(), "a spare given end of file exits quietly");
        }
        finally
        {
            child.destroyForcibly();
        }
    }

    /** The test JVM's class path with every directory (also those of surefire's manifest jar) made a jar. */
    private String jarredTestClassPath() throws IOException
    {
        final List<String> entries = new ArrayList<>();
        int n = 0;
        for (final String entry : System.getProperty("java.class.path").split(File.pathSeparator))
        {
            for (final Path path : expand(Path.of(entry)))
            {
                if (Files.isDirectory(path))
                {
                    entries.add(jarOf(path, directory.resolve("dir-" + n++ + ".jar")).toString());
                }
                else if (Files.isRegularFile(path))
                {
                    entries.add(path.toString());
                }
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static List<Path> expand(final Path entry) throws IOException
    {
        if (!Files.isRegularFile(entry))
        {
            return List.of(entry);
        }
        try (JarFile jar = new JarFile(entry.toFile()))
        {
            final Manifest manifest = jar.getManifest();
            final String classPath = manifest == null ? null : manifest.getMainAttributes()
                .getValue(Attributes.Name.CLASS_PATH);
            if (classPath == null)
            {
                return List.of(entry);
            }
            final List<Path> paths = new ArrayList<>();
            for (final String url : classPath.trim().split("\\s+"))
            {
                paths.add(url.startsWith("file:") ? Path.of(URI.create(url)) : entry.resolveSibling(url));
            }
            return paths;
        }
    }

    private static Path jarOf(final Path classes, final Path jar) throws IOException
    {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
            Stream<Path> files = Files.walk(classes))
        {
            for (final Path file : files.filter(Files::isRegularFile).toList())
            {
                out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace(File.separatorChar, '/')));
                try (var in = Files.newInputStream(file))
                {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
        }
        return jar;
    }
}
