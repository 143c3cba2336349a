package dev.jipc.pool;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.JvmFlags;

/**
 * A JDK 25 AOT cache (JEP 483/514) of jipc's child bootstrap, made on first use and kept per JDK build and class path
 * in {@code $XDG_CACHE_HOME/jipc/aot} ({@code ~/.cache/jipc/aot}): a child JVM started with it loads and links the
 * classes of {@link ChildMain}, {@link Warmup} and jipc's segments, queues and values from the cache (measured here:
 * a forkserver spare's boot and warm-up took 0.18 to 0.23 s with it, 0.38 to 0.47 s without).
 *
 * <pre>
 * Overview
 *
 * Key: SHA-256 of java.home, java.vm.version, jipc's flags and every class path entry with its size and
 * modification time; the cache is child-KEY.aot. The first child JVM command of a key with no cache starts one
 * training run in the background (a spare with -XX:AOTCacheOutput, given end of file at once: it warms up and
 * exits, and the JVM writes the cache as it exits), written under a temporary name and moved into place when
 * complete; children start plain until then. A failed training run is not retried by this JVM.
 *
 * Not used (a debug line on jipc's logger says why): -Djipc.aot=false; a class path with a directory, including one
 * named by a jar manifest's Class-Path (the JVM cannot cache classes from directories: tests and IDE runs); a cache
 * directory that cannot be made. A child started with a cache it cannot use (other GC or options) runs without
 * it: -XX:AOTMode defaults to auto, and the aot and cds log tags are off in the child so that its stdout stays the
 * user's.
 * </pre>
 */
final class AotCache
{
    /** System property: {@code false} turns the cache off. */
    static final String PROPERTY = "jipc.aot";

    private static final ConcurrentHashMap<String, Boolean> TRAINING = new ConcurrentHashMap<>();
    private static final System.Logger LOGGER = Processes.getLogger();
    private static volatile Resolved resolved;

    private AotCache()
    {
    }

    /**
     * The JVM options a child should get for the AOT cache of this JVM's class path: the cache when it exists,
     * nothing when it does not (a training run starts then) or cannot be used.
     *
     * @return options for the child's command line.
     */
    static List<String> childOptions()
    {
        if (!Boolean.parseBoolean(System.getProperty(PROPERTY, "true")))
        {
            return List.of();
        }
        final String classPath = System.getProperty("java.class.path");
        final Path directory = defaultDirectory();
        Resolved known = resolved;
        if (known == null || !known.classPath().equals(classPath) || !known.directory().equals(directory))
        {
            // the manifests and the key cost milliseconds (a jar opened per entry): once per JVM, not per start
            final String unusable = unusableBecause(classPath);
            if (unusable != null)
            {
                LOGGER.log(System.Logger.Level.DEBUG, "AOT cache not used for child JVMs: {0}", unusable);
            }
            known = new Resolved(classPath, directory, unusable,
                unusable == null ? directory.resolve("child-" + key(classPath) + ".aot") : null);
            resolved = known;
        }
        return known.unusable() != null ? List.of() : optionsFor(known.classPath(), known.cache(), true);
    }

    /**
     * The JVM options for a class path and cache directory.
     *
     * @param classPath the child's class path.
     * @param directory where caches are kept.
     * @param train     whether to start a training run when there is no cache yet.
     * @return {@code -XX:AOTCache=...} and the log options, or nothing.
     */
    static List<String> childOptions(final String classPath, final Path directory, final boolean train)
    {
        final String unusable = unusableBecause(classPath);
        if (unusable != null)
        {
            LOGGER.log(System.Logger.Level.DEBUG, "AOT cache not used for child JVMs: {0}", unusable);
            return List.of();
        }
        return optionsFor(classPath, directory.resolve("child-" + key(classPath) + ".aot"), train);
    }

    private static List<String> optionsFor(final String classPath, final Path cache, final boolean train)
    {
        if (Files.isRegularFile(cache))
        {
            return List.of("-XX:AOTCache=" + cache, "-Xlog:aot=off", "-Xlog:cds=off");
        }
        if (train && TRAINING.putIfAbsent(cache.toString(), Boolean.TRUE) == null)
        {
            Thread.ofPlatform().daemon().name("jipc-aot-training").start(() -> train(classPath, cache));
        }
        return List.of();
    }

    /**
     * Makes the cache: a training run of a spare that warms up and exits.
     *
     * @param classPath the class path the cache is for.
     * @param cache     where it goes.
     * @return whether the cache is in place.
     */
    static boolean train(final String classPath, final Path cache)
    {
        try
        {
            Files.createDirectories(cache.getParent(),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            final Path temporary = cache.resolveSibling(cache.getFileName() + "." + ProcessHandle.current().pid() +
                ".tmp");
            final Path log = cache.resolveSibling(cache.getFileName() + ".log");
            final List<String> command = new ArrayList<>();
            command.add(ChildJvm.javaExecutable());
            command.add("-XX:AOTCacheOutput=" + temporary);
            command.addAll(JvmFlags.required());
            command.add("-D" + ChildMain.SPARE_PROPERTY + "=true");
            command.add("-cp");
            command.add(classPath);
            command.add(ChildMain.class.getName());
            final java.lang.Process training = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            // end of file: the spare warms up, finds no task and exits with 0; the JVM writes the cache as it exits
            training.getOutputStream().close();
            if (!training.waitFor(2, TimeUnit.MINUTES))
            {
                training.destroyForcibly();
                LOGGER.log(System.Logger.Level.DEBUG, "AOT cache training timed out: log={0}", log);
                return false;
            }
            if (training.exitValue() != 0 || !Files.isRegularFile(temporary))
            {
                LOGGER.log(System.Logger.Level.DEBUG, "AOT cache training failed: exit={0}, log={1}",
                    training.exitValue(), log);
                Files.deleteIfExists(temporary);
                return false;
            }
            Files.move(temporary, cache, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Files.deleteIfExists(log);
            return true;
        }
        catch (final IOException | RuntimeException ex)
        {
            LOGGER.log(System.Logger.Level.DEBUG, "AOT cache not made: {0}", ex.toString());
            return false;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@code $XDG_CACHE_HOME/jipc/aot}, or {@code ~/.cache/jipc/aot}. */
    static Path defaultDirectory()
    {
        final String xdg = System.getenv("XDG_CACHE_HOME");
        final Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"),
            ".cache");
        return base.resolve("jipc").resolve("aot");
    }

    /**
     * Why a class path cannot have a cache, or null when it can.
     *
     * @param classPath a class path.
     * @return the reason, or null.
     */
    static String unusableBecause(final String classPath)
    {
        for (final String entry : classPath.split(File.pathSeparator))
        {
            if (entry.isEmpty())
            {
                continue;
            }
            final Path path = Path.of(entry);
            if (Files.isDirectory(path))
            {
                return "the class path has a directory: " + entry;
            }
            if (Files.isRegularFile(path))
            {
                final String inManifest = manifestDirectory(path);
                if (inManifest != null)
                {
                    return "the manifest Class-Path of " + entry + " names a directory: " + inManifest;
                }
            }
        }
        return null;
    }

    private static String manifestDirectory(final Path jar)
    {
        try (JarFile file = new JarFile(jar.toFile()))
        {
            final Manifest manifest = file.getManifest();
            final String classPath = manifest == null ? null :
                manifest.getMainAttributes().getValue("Class-Path");
            if (classPath == null)
            {
                return null;
            }
            for (final String entry : classPath.trim().split("\\s+"))
            {
                if (entry.endsWith("/"))
                {
                    return entry;
                }
            }
            return null;
        }
        catch (final IOException ex)
        {
            return null;
        }
    }

    /** What this JVM found out about its class path: why it cannot have a cache, or where the cache is. */
    private record Resolved(String classPath, Path directory, String unusable, Path cache)
    {
    }

    private static String key(final String classPath)
    {
        try
        {
            final MessageDigest digest = MessageDigest.getInstance("SHA-256");
            final StringBuilder text = new StringBuilder()
                .append(System.getProperty("java.home")).append('\n')
                .append(System.getProperty("java.vm.version")).append('\n')
                .append(String.join(" ", JvmFlags.required())).append('\n');
            for (final String entry : classPath.split(File.pathSeparator))
            {
                final Path path = Path.of(entry);
                text.append(entry);
                try
                {
                    text.append(' ').append(Files.size(path)).append(' ').append(Files.getLastModifiedTime(path));
                }
                catch (final IOException ex)
                {
                    text.append(" missing");
                }
                text.append('\n');
            }
            return HexFormat.of().formatHex(digest.digest(text.toString().getBytes(StandardCharsets.UTF_8)), 0, 16);
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("SHA-256 is missing from this JDK", ex);
        }
    }
}
