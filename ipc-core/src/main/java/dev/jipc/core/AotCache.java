package dev.jipc.core;

import java.io.File;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * An ahead-of-time cache (JDK 25's AOT cache, JEPs 483 and 514) of what a child JVM loads and links before it runs its
 * task, so that children start in a little over half the time: a training run of a bootstrap class records the classes
 * it loads, the JDK writes them pre-parsed and pre-linked into a cache file, and every later child maps it. Give one to
 * {@link ChildJvm#aotCache(AotCache)}.
 * <p>
 * The cache is made on first use, in the background, so that no start waits for it: until it is ready children start
 * plain. An {@link AotCacheMaker} process makes it, which finishes even when the JVM that asked exits first (a short
 * program finds the cache on its next run), and JVMs that ask at once train once. It lives in a directory of the user's
 * ({@code $XDG_CACHE_HOME/jipc/aot}, else {@code ~/.cache/jipc/aot}, or {@value #DIRECTORY_PROPERTY}), never in {@code
 * /dev/shm}, and a JVM maps it as code, so the directory must be the user's own and closed to others, under directories
 * nobody else can change. Its file name is a digest of what makes a cache valid: the JDK build, jipc's flags, the
 * bootstrap, and every class-path entry with its size and modification time (a rebuilt jar gives a new cache). A cache
 * another JVM made is checked once per JVM by a start that refuses an unusable cache ({@code -XX:AOTMode=on}); a bad
 * one is made again. Children map it with {@code -Xlog:aot=off}, so that a cache the JDK cannot use after all costs a
 * plain start, not a warning on the child's stderr.
 * <p>
 * Where no cache can be made (the JDK maps only jars, so a class path with a directory of classes, as a build's {@code
 * target/classes}, has none; an unsafe directory; a failed training run), children start plain and the reason is logged
 * once at {@code DEBUG} on the {@code dev.jipc.core.AotCache} {@link System.Logger}. A child whose own JVM arguments
 * choose a class data archive gets no cache ({@link #conflictsWith}); options that make the cache unusable without
 * failing the start (another GC, a heap too large for compressed pointers) cost a plain start. Set {@value
 * #ENABLED_PROPERTY}{@code =false} to never use one.
 */
public final class AotCache
{
    /** {@code false} turns AOT caches off: children start plain. */
    public static final String ENABLED_PROPERTY = "jipc.aot";
    /** The directory caches are kept in. */
    public static final String DIRECTORY_PROPERTY = "jipc.aot.dir";

    private static final System.Logger LOGGER = System.getLogger(AotCache.class.getName());
    private static final Map<String, AotCache> CACHES = new ConcurrentHashMap<>();

    private final String bootstrap;
    private final List<String> bootstrapArgs;
    private final String classPath;
    private final Path directory;
    private final CompletableFuture<Path> ready = new CompletableFuture<>();
    private volatile boolean started;
    private volatile long touchedAt;

    private AotCache(final String bootstrap, final List<String> bootstrapArgs, final String classPath,
        final Path directory)
    {
        this.bootstrap = bootstrap;
        this.bootstrapArgs = bootstrapArgs;
        this.classPath = classPath;
        this.directory = directory;
    }

    /**
     * The cache of a bootstrap of your own, trained by running its {@code main} once with {@code args}: it should
     * do quickly what a child does before its real work, and leave nothing behind.
     *
     * @param bootstrap the training class, with a {@code main} method.
     * @param classPath the children's class path.
     * @param directory where caches are kept.
     * @param args      the training run's arguments.
     * @return the cache, one per JVM for the same bootstrap, class path and directory.
     */
    public static AotCache of(final Class<?> bootstrap, final String classPath, final Path directory,
        final String... args)
    {
        final List<String> bootstrapArgs = List.of(args);
        final Path absolute = directory.toAbsolutePath();
        return CACHES.computeIfAbsent(
            bootstrap.getName() + '\0' + String.join("\0", bootstrapArgs) + '\0' + classPath + '\0' + absolute,
            key -> new AotCache(bootstrap.getName(), bootstrapArgs, classPath, absolute));
    }

    /**
     * Where caches are kept by default.
     *
     * @return {@value #DIRECTORY_PROPERTY}, else {@code $XDG_CACHE_HOME/jipc/aot}, else {@code ~/.cache/jipc/aot}.
     */
    public static Path defaultDirectory()
    {
        final String configured = System.getProperty(DIRECTORY_PROPERTY);
        if (configured != null)
        {
            return Path.of(configured);
        }
        final String xdg = System.getenv("XDG_CACHE_HOME");
        final Path base = xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(System.getProperty("user.home"),
            ".cache");
        return base.resolve("jipc").resolve("aot");
    }

    /**
     * The JVM arguments that map the cache when it is ready; none before (and the first call starts making or
     * checking it in the background) or when it cannot be had.
     *
     * @return {@code -XX:AOTCache=<file>} and {@code -Xlog:aot=off}, or an empty list.
     */
    public List<String> jvmArgs()
    {
        if (!Boolean.parseBoolean(System.getProperty(ENABLED_PROPERTY, "true")))
        {
            return List.of();
        }
        start();
        if (!ready.isDone() || ready.isCompletedExceptionally())
        {
            return List.of();
        }
        final Path file = ready.join();
        touch(file);
        return List.of("-XX:AOTCache=" + file, "-Xlog:aot=off");
    }

    /**
     * Waits until the cache is ready or known to be impossible, starting it if no child has asked yet: for tools
     * that measure starts with the cache, and tests.
     *
     * @param timeout the longest wait.
     * @return the cache file.
     * @throws IllegalStateException if no cache can be made, saying why.
     * @throws TimeoutException      if it is not ready in time.
     * @throws InterruptedException  if interrupted while waiting.
     */
    public Path await(final Duration timeout) throws TimeoutException, InterruptedException
    {
        start();
        try
        {
            return ready.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        catch (final ExecutionException ex)
        {
            throw new IllegalStateException(ex.getCause().getMessage(), ex.getCause());
        }
    }

    /**
     * The class path of the children this cache serves.
     *
     * @return the class path, as given to the JVM.
     */
    public String classPath()
    {
        return classPath;
    }

    /**
     * The file this cache is kept in (which may not exist yet).
     *
     * @return the path.
     * @throws IllegalStateException if a class-path entry cannot be read.
     */
    public Path file()
    {
        return AotCacheMaker.cacheFile(directory, digest());
    }

    @Override
    public String toString()
    {
        return "AotCache{bootstrap=" + bootstrap + ", directory=" + directory + "}";
    }

    /**
     * Whether a child's own JVM arguments choose a class data archive of their own, beside which the JDK refuses an
     * AOT cache (it does not start at all).
     *
     * @param jvmArgs the child's JVM arguments.
     * @return true if an AOT cache must not be added to them.
     */
    public static boolean conflictsWith(final List<String> jvmArgs)
    {
        for (final String arg : jvmArgs)
        {
            if (arg.startsWith("-Xshare") || arg.contains("SharedArchiveFile") || arg.contains("AOTCache") ||
                arg.contains("AOTMode") || arg.contains("AOTConfiguration") ||
                arg.contains("AutoCreateSharedArchive") || arg.contains("DumpLoadedClassList") ||
                arg.contains("SharedClassListFile"))
            {
                return true;
            }
        }
        return false;
    }

    private void start()
    {
        if (started)
        {
            return;
        }
        synchronized (this)
        {
            if (started)
            {
                return;
            }
            started = true;
        }
        final Thread maker = new Thread(this::make, "jipc-aot-cache");
        maker.setDaemon(true);
        maker.start();
    }

    private void make()
    {
        try
        {
            ready.complete(makeOrCheck());
        }
        catch (final Exception ex)
        {
            LOGGER.log(Level.DEBUG, "jipc: children start without an AOT cache: {0}", ex.getMessage());
            ready.completeExceptionally(ex);
        }
    }

    /**
     * Checks a cache another JVM made, or has a maker process make one. The maker is a process of its own, not a
     * thread here, so that it finishes (and cleans up) when this JVM exits first: a short program then finds the
     * cache on its next run instead of training again and leaving a half-made file behind.
     */
    private Path makeOrCheck() throws IOException, InterruptedException
    {
        for (final String entry : classPath.split(File.pathSeparator))
        {
            final Path path = Path.of(entry);
            if (Files.isDirectory(path))
            {
                try (Stream<Path> files = Files.list(path))
                {
                    if (files.findAny().isPresent())
                    {
                        throw new IllegalStateException("class path entry is a directory: " + path +
                            "; an AOT cache maps classes from jars only");
                    }
                }
            }
            else if (Files.isRegularFile(path))
            {
                final String named = manifestDirectory(path);
                if (named != null)
                {
                    throw new IllegalStateException("the manifest Class-Path of " + path + " names a directory: " +
                        named + "; an AOT cache maps classes from jars only");
                }
            }
        }
        AotCacheMaker.requirePrivateDirectory(directory);
        final String digest = digest();
        final Path file = AotCacheMaker.cacheFile(directory, digest);
        if (Files.isRegularFile(file))
        {
            if (AotCacheMaker.usable(file, classPath, bootstrap, bootstrapArgs))
            {
                touch(file);
                return file;
            }
            LOGGER.log(Level.DEBUG, "jipc: the AOT cache {0} cannot be used; making it again", file);
        }
        final List<String> command = new ArrayList<>();
        command.add(ChildJvm.javaExecutable());
        command.addAll(JvmFlags.required());
        command.addAll(ChildJvm.inheritedProperties());
        command.add("-cp");
        command.add(classPath);
        command.add(AotCacheMaker.class.getName());
        command.add(directory.toString());
        command.add(digest);
        command.add(classPath);
        command.add(bootstrap);
        command.addAll(bootstrapArgs);
        final Process maker = new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        final int exit = maker.waitFor();
        if (exit != 0 || !Files.isRegularFile(file))
        {
            throw new IllegalStateException("the AOT cache maker failed: exit=" + exit + ", log=" +
                AotCacheMaker.logFile(directory, digest));
        }
        return file;
    }

    /** A directory a jar's manifest puts on the class path (as a test runner's launcher jar does), or null. */
    private static String manifestDirectory(final Path jar) throws IOException
    {
        try (JarFile file = new JarFile(jar.toFile()))
        {
            final Manifest manifest = file.getManifest();
            final String classPath = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
            if (classPath != null)
            {
                for (final String entry : classPath.trim().split("\\s+"))
                {
                    if (entry.endsWith("/"))
                    {
                        return entry;
                    }
                }
            }
            return null;
        }
    }

    /** Marks the cache used, so that pruning (of caches unused for a week) leaves it; at most once a day. */
    private void touch(final Path file)
    {
        final long now = System.currentTimeMillis();
        if (now - touchedAt < TimeUnit.DAYS.toMillis(1))
        {
            return;
        }
        touchedAt = now;
        try
        {
            Files.setLastModifiedTime(file, FileTime.fromMillis(now));
        }
        catch (final IOException ex)
        {
            LOGGER.log(Level.DEBUG, "jipc: cannot mark the AOT cache {0} used: {1}", file, ex.toString());
        }
    }

    /** A digest of everything that makes a cache valid for a child. */
    private String digest()
    {
        try
        {
            final MessageDigest digest = MessageDigest.getInstance("SHA-256");
            final StringBuilder key = new StringBuilder()
                .append(System.getProperty("java.home")).append('\n')
                .append(System.getProperty("java.vm.version")).append('\n')
                .append(String.join(" ", JvmFlags.required())).append('\n')
                .append(bootstrap).append('\0').append(String.join("\0", bootstrapArgs)).append('\n');
            for (final String entry : classPath.split(File.pathSeparator))
            {
                final Path path = Path.of(entry);
                key.append(entry);
                if (Files.isRegularFile(path))
                {
                    key.append(' ').append(Files.size(path)).append(' ').append(Files.getLastModifiedTime(path));
                }
                key.append('\n');
            }
            return HexFormat.of().formatHex(digest.digest(key.toString().getBytes(StandardCharsets.UTF_8)), 0, 12);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot read class path entry for the AOT cache key: " + ex, ex);
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new AssertionError("every JDK has SHA-256", ex);
        }
    }
}
