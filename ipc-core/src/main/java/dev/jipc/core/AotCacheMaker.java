package dev.jipc.core;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The process that makes an {@link AotCache}: one training run of the bootstrap writes the cache under a temporary
 * name, a run that refuses an unusable cache checks it, and a rename installs it. It runs apart from the JVM that
 * wants the cache, so that it finishes and cleans up when that JVM exits first, and it holds a lock on its digest
 * while it works, so that JVMs starting together train once. Files in the cache directory:
 * <pre>
 *   DIGEST.aot                       the cache (DIGEST: 24 hex digits, see AotCache)
 *   DIGEST.log                       the last training run's output
 *   DIGEST.lock                      held by the maker at work
 *   .DIGEST.PID.RANDOM.tmp.aot       a cache being made (and its .config), removed when done or abandoned
 * </pre>
 * Nothing else in the directory is touched: only these names are pruned (caches and logs unused for a week, a
 * temporary of a maker that died after ten minutes, the JDK's own training taking seconds).
 */
public final class AotCacheMaker
{
    private static final Duration TRAINING_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration UNUSED_LIFETIME = Duration.ofDays(7);
    private static final Duration ABANDONED_LIFETIME = Duration.ofMinutes(10);
    private static final Pattern KEPT = Pattern.compile("[0-9a-f]{24}\\.(aot|log|lock)");
    private static final Pattern TEMPORARY = Pattern.compile("\\.[0-9a-f]{24}\\.\\d+\\.\\d+\\.tmp\\.aot(\\.config)?");

    private AotCacheMaker()
    {
    }

    /**
     * Makes one cache.
     *
     * @param args the cache directory, the digest, the children's class path, the bootstrap class and its arguments.
     * @throws Exception if the cache cannot be made; the log file says why when training failed.
     */
    public static void main(final String[] args) throws Exception
    {
        final Path directory = Path.of(args[0]);
        final String digest = args[1];
        final String classPath = args[2];
        final String bootstrap = args[3];
        final List<String> bootstrapArgs = Arrays.asList(args).subList(4, args.length);
        requirePrivateDirectory(directory);
        try (FileChannel lockFile = FileChannel.open(directory.resolve(digest + ".lock"),
            StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock ignored = lockFile.lock())
        {
            final Path file = cacheFile(directory, digest);
            if (Files.isRegularFile(file) && usable(file, classPath, bootstrap, bootstrapArgs))
            {
                return;
            }
            prune(directory);
            final Path temporary = directory.resolve("." + digest + "." + ProcessHandle.current().pid() + "." +
                ThreadLocalRandom.current().nextInt(1 << 30) + ".tmp.aot");
            try
            {
                final Path log = logFile(directory, digest);
                final int exit = run(List.of("-XX:AOTCacheOutput=" + temporary), classPath, bootstrap, bootstrapArgs,
                    log);
                if (exit != 0 || !Files.isRegularFile(temporary))
                {
                    throw new IllegalStateException("the training run of " + bootstrap + " failed: exit=" + exit +
                        ", log=" + log);
                }
                if (!usable(temporary, classPath, bootstrap, bootstrapArgs))
                {
                    throw new IllegalStateException("the JDK refuses the AOT cache it made: file=" + temporary);
                }
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            finally
            {
                Files.deleteIfExists(temporary);
                Files.deleteIfExists(Path.of(temporary + ".config"));
            }
        }
    }

    static Path cacheFile(final Path directory, final String digest)
    {
        return directory.resolve(digest + ".aot");
    }

    static Path logFile(final Path directory, final String digest)
    {
        return directory.resolve(digest + ".log");
    }

    /** A cache is usable if a JVM told to refuse an unusable one ({@code -XX:AOTMode=on}) runs the bootstrap. */
    static boolean usable(final Path file, final String classPath, final String bootstrap,
        final List<String> bootstrapArgs) throws IOException, InterruptedException
    {
        return run(List.of("-XX:AOTMode=on", "-XX:AOTCache=" + file, "-Xlog:aot=off"), classPath, bootstrap,
            bootstrapArgs, null) == 0;
    }

    /**
     * The JVM maps the cache as code: its directory, and every directory above it, must be writable by nobody but
     * this user (or root, or sticky, as {@code /tmp}), so that nobody else can put a cache of theirs in its place.
     * Makes the directory, private, when it is missing.
     */
    static void requirePrivateDirectory(final Path directory) throws IOException
    {
        if (!Files.exists(directory))
        {
            Files.createDirectories(directory.getParent());
            try
            {
                Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            }
            catch (final FileAlreadyExistsException ex)
            {
                // made by another JVM meanwhile: checked below like any other
            }
        }
        final FileStatus status = FileStatus.lstat(directory);
        if (!status.isDirectory() || !status.isOwnedByCurrentUser() || status.isGroupOrOtherAccessible())
        {
            throw new IllegalStateException("AOT cache directory is not a private directory of this user: path=" +
                directory + ", type=" + status.type() + ", owner=" + status.owner() + ", mode=" +
                status.permissions() + "; a JVM maps the cache as code: chmod 700 it, or set -D" +
                AotCache.DIRECTORY_PROPERTY + " to another");
        }
        for (Path parent = directory.toRealPath().getParent(); parent != null; parent = parent.getParent())
        {
            final FileStatus above = FileStatus.lstat(parent);
            final boolean othersWrite = (above.mode() & 0022) != 0 && (above.mode() & 01000) == 0;
            if ((above.uid() != FileStatus.CURRENT_UID && above.uid() != 0) || othersWrite)
            {
                throw new IllegalStateException("AOT cache directory lies under a directory another user can " +
                    "change: path=" + directory + ", parent=" + parent + ", owner=" + above.owner() + ", mode=" +
                    above.permissions() + "; set -D" + AotCache.DIRECTORY_PROPERTY + " to a directory of yours");
            }
        }
    }

    private static int run(final List<String> aotArgs, final String classPath, final String bootstrap,
        final List<String> bootstrapArgs, final Path log) throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>();
        command.add(ChildJvm.javaExecutable());
        command.addAll(JvmFlags.required());
        command.addAll(ChildJvm.inheritedProperties());
        command.addAll(aotArgs);
        command.add("-cp");
        command.add(classPath);
        command.add(bootstrap);
        command.addAll(bootstrapArgs);
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(
            log != null ? ProcessBuilder.Redirect.to(log.toFile()) : ProcessBuilder.Redirect.DISCARD).start();
        try
        {
            if (!process.waitFor(TRAINING_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS))
            {
                throw new IllegalStateException("the AOT run of " + bootstrap + " took longer than " +
                    TRAINING_TIMEOUT);
            }
            return process.exitValue();
        }
        finally
        {
            // the JDK writes the cache in a child JVM of its own: end it too, or it writes after the clean-up
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    /** Removes caches and logs unused for a week and temporaries of makers that died; nothing of other names. */
    private static void prune(final Path directory) throws IOException
    {
        final Instant now = Instant.now();
        try (Stream<Path> files = Files.list(directory))
        {
            for (final Path file : (Iterable<Path>)files::iterator)
            {
                final String name = file.getFileName().toString();
                final Duration lifetime = KEPT.matcher(name).matches() && !name.endsWith(".lock") ?
                    UNUSED_LIFETIME : TEMPORARY.matcher(name).matches() ? ABANDONED_LIFETIME : null;
                try
                {
                    if (lifetime != null && Files.getLastModifiedTime(file).toInstant().plus(lifetime).isBefore(now))
                    {
                        Files.deleteIfExists(file);
                    }
                }
                catch (final NoSuchFileException ex)
                {
                    // pruned by another maker meanwhile
                }
            }
        }
    }
}
