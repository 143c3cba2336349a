package dev.jipc.core;

import static dev.jipc.core.SegmentDescriptor.CREATION_TIME_OFFSET;
import static dev.jipc.core.SegmentDescriptor.CREATOR_PID_OFFSET;
import static dev.jipc.core.SegmentDescriptor.CREATOR_START_TIME_OFFSET;
import static dev.jipc.core.SegmentDescriptor.HEADER_LENGTH;
import static dev.jipc.core.SegmentDescriptor.KIND_OFFSET;
import static dev.jipc.core.SegmentDescriptor.LAYOUT_VERSION;
import static dev.jipc.core.SegmentDescriptor.LAYOUT_VERSION_OFFSET;
import static dev.jipc.core.SegmentDescriptor.MAGIC;
import static dev.jipc.core.SegmentDescriptor.MAGIC_OFFSET;
import static dev.jipc.core.SegmentDescriptor.TOTAL_LENGTH_OFFSET;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A named file mapped {@code READ_WRITE}, {@code MAP_SHARED}: the memory every jipc object lives in.
 * <p>
 * A process maps each file once: {@link #open} of a file this process has mapped already returns the same
 * {@code Segment} with its reference count raised, and {@link #close()} unmaps only when the last user closes. The
 * mapping is a {@link MemorySegment} of a shared {@link Arena}, with an Agrona {@link AtomicBuffer} over the same
 * address for the ring buffers and lock words; every offset read from shared memory must be bounds-checked by the
 * kind that reads it, before use. The header is described in {@link SegmentDescriptor}.
 * <p>
 * Closing a segment while another thread of this process is still inside an operation on it is a caller error (as
 * unmapping is in Agrona): objects built on a segment refuse new operations once closed.
 */
public final class Segment implements AutoCloseable
{
    private static final Map<Path, Segment> MAPPED = new HashMap<>();
    private static final int ZERO_CHUNK = 64 * 1024;
    private static final AtomicBoolean FIRST_MAPPING_TASKS_STARTED = new AtomicBoolean();

    private final Path directory;
    private final String name;
    private final Path path;
    private final Object fileKey;
    private final SegmentKind kind;
    private final Arena arena;
    private final MemorySegment memory;
    private final AtomicBuffer buffer;
    private final ProcessRegistry registry;
    private final int attachLock;
    private int references = 1;

    private Segment(
        final Path directory, final String name, final Object fileKey, final SegmentKind kind, final Arena arena,
        final MemorySegment memory, final ProcessRegistry registry, final int attachLock)
    {
        this.directory = directory;
        this.name = name;
        this.path = directory.resolve(name);
        this.fileKey = fileKey;
        this.kind = kind;
        this.arena = arena;
        this.memory = memory;
        this.buffer = new UnsafeBuffer(memory.address(), (int)Math.min(memory.byteSize(), Integer.MAX_VALUE));
        this.registry = registry;
        this.attachLock = attachLock;
        runFirstMappingTasks();
    }

    /**
     * Creates a segment file and maps it. The file appears under its name only once the initializer has run and the
     * header is complete, so no other process can attach to a half-built segment.
     *
     * @param directory   the segment directory.
     * @param name        the segment name (see {@link SegmentDirectory#validateName}).
     * @param kind        what it holds.
     * @param bodyLength  bytes after the header.
     * @param initializer writes the kind-specific layout into the new segment; may be a no-op.
     * @return the mapped segment, owned by the caller.
     * @throws UncheckedIOException  with {@link FileAlreadyExistsException} as cause when the name exists.
     * @throws IllegalStateException when the directory is not safe to use ({@link SegmentDirectory#requireSafe}).
     */
    public static Segment create(
        final Path directory, final String name, final SegmentKind kind, final long bodyLength,
        final Consumer<Segment> initializer)
    {
        JvmFlags.check();
        Objects.requireNonNull(kind, "kind");
        if (bodyLength < 0 || bodyLength > Long.MAX_VALUE - HEADER_LENGTH)
        {
            throw new IllegalArgumentException("invalid segment body length: bodyLength=" + bodyLength);
        }
        final Path path = SegmentDirectory.resolveForCreate(directory, name);
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS))
        {
            throw exists(path, null);
        }
        final long length = HEADER_LENGTH + bodyLength;
        final ProcessIdentity self = ProcessIdentity.current();
        final Path temporary = SegmentDirectory.temporaryFile(directory, name, self.pid());
        final ProcessRegistry registry = ProcessRegistry.of(directory);
        Arena arena = null;
        int attachLock = -1;
        try
        {
            try (FileChannel channel = FileChannel.open(
                temporary,
                java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))))
            {
                // attached before the zero-fill and before the name appears: gc never finds it unattached
                attachLock = AttachLock.acquire(temporary, registry);
                allocate(channel, length);
                arena = Arena.ofShared();
                final MemorySegment memory = channel.map(FileChannel.MapMode.READ_WRITE, 0, length, arena);
                final Segment segment = new Segment(
                    directory, name, fileKey(temporary), kind, arena, memory, registry, attachLock);
                final AtomicBuffer header = segment.buffer;
                header.putInt(LAYOUT_VERSION_OFFSET, LAYOUT_VERSION);
                header.putInt(KIND_OFFSET, kind.id());
                header.putLong(TOTAL_LENGTH_OFFSET, length);
                header.putLong(CREATOR_PID_OFFSET, self.pid());
                header.putLong(CREATOR_START_TIME_OFFSET, self.startTime());
                header.putLong(CREATION_TIME_OFFSET, System.currentTimeMillis());
                initializer.accept(segment);
                header.putLongRelease(MAGIC_OFFSET, MAGIC);
                try
                {
                    Files.createLink(path, temporary);
                }
                catch (final FileAlreadyExistsException ex)
                {
                    throw exists(path, ex);
                }
                Files.delete(temporary);
                synchronized (MAPPED)
                {
                    MAPPED.put(path, segment);
                }
                return segment;
            }
        }
        catch (final IOException ex)
        {
            abandon(arena, attachLock, temporary);
            throw new UncheckedIOException("cannot create segment: " + path + ": " + ex.getMessage(), ex);
        }
        catch (final RuntimeException | Error ex)
        {
            abandon(arena, attachLock, temporary);
            throw ex;
        }
    }

    /**
     * Attaches to a segment, validating its header.
     *
     * @param directory the segment directory.
     * @param name      the segment name.
     * @param kind      the kind the caller expects.
     * @return the mapped segment; the caller must {@link #close()} it.
     * @throws UncheckedIOException   with {@link NoSuchFileException} as cause when there is no such segment, or
     *                                no such directory (open never creates one).
     * @throws IllegalStateException  when the directory is not safe to use ({@link SegmentDirectory#requireSafe}).
     * @throws SegmentFormatException when the file is not a valid segment of this kind, not a regular file or not
     *                                the current user's.
     */
    public static Segment open(final Path directory, final String name, final SegmentKind kind)
    {
        JvmFlags.check();
        final Path path = SegmentDirectory.resolve(directory, name);
        synchronized (MAPPED)
        {
            final Segment mapped = MAPPED.get(path);
            if (mapped != null && Files.exists(path) && mapped.fileKey.equals(fileKey(path)))
            {
                if (mapped.kind != kind)
                {
                    throw new SegmentFormatException(path, "wrong kind: kind=" + mapped.kind + ", expected=" + kind);
                }
                mapped.references++;
                return mapped;
            }
            // the file checks (a regular file of this user) and the header come first, then the attach lock, which
            // must be on the very file that was validated: a name replaced in between is refused
            final SegmentInfo info = SegmentInfo.read(path);
            info.validate(kind);
            final Object validatedFile = fileKey(path);
            final ProcessRegistry registry = ProcessRegistry.of(directory);
            final int attachLock;
            try
            {
                attachLock = AttachLock.acquire(path, registry);
                if (!AttachLock.checkStillLinked(path, attachLock).equals(validatedFile))
                {
                    AttachLock.release(attachLock);
                    throw new NoSuchFileException(path.toString(), null, "replaced while opening");
                }
            }
            catch (final NoSuchFileException ex)
            {
                throw new UncheckedIOException("no such segment: " + path + ": " + ex.getReason(), ex);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot open segment: " + path + ": " + ex.getMessage(), ex);
            }
            Arena arena = null;
            // map the file the attach lock holds, not whatever the name points at by now
            try (FileChannel channel = FileChannel.open(OpenFileLocks.path(attachLock),
                StandardOpenOption.READ, StandardOpenOption.WRITE))
            {
                if (channel.size() != info.length())
                {
                    throw new SegmentFormatException(
                        path, "file changed size while opening: fileSize=" + channel.size() + ", totalLength=" +
                        info.length());
                }
                arena = Arena.ofShared();
                final MemorySegment memory = channel.map(FileChannel.MapMode.READ_WRITE, 0, info.length(), arena);
                final Segment segment = new Segment(
                    directory, name, validatedFile, kind, arena, memory, registry, attachLock);
                MAPPED.put(path, segment);
                return segment;
            }
            catch (final IOException | RuntimeException | Error ex)
            {
                if (arena != null)
                {
                    arena.close();
                }
                AttachLock.release(attachLock);
                if (ex instanceof NoSuchFileException)
                {
                    throw new UncheckedIOException("no such segment: " + path, (IOException)ex);
                }
                if (ex instanceof IOException io)
                {
                    throw new UncheckedIOException("cannot open segment: " + path + ": " + io.getMessage(), io);
                }
                if (ex instanceof Error error)
                {
                    throw error;
                }
                throw (RuntimeException)ex;
            }
        }
    }

    /**
     * The directory holding this segment.
     *
     * @return the directory.
     */
    public Path directory()
    {
        return directory;
    }

    /**
     * The segment's name in its directory.
     *
     * @return the name.
     */
    public String name()
    {
        return name;
    }

    /**
     * The segment's file.
     *
     * @return the path.
     */
    public Path path()
    {
        return path;
    }

    /**
     * What the segment holds.
     *
     * @return the kind recorded in the header.
     */
    public SegmentKind kind()
    {
        return kind;
    }

    /**
     * The whole mapped file, header included.
     *
     * @return the mapping.
     */
    public MemorySegment memory()
    {
        return memory;
    }

    /**
     * An Agrona view of the first 2 GiB of the mapping, header included.
     *
     * @return the buffer, shared by every user of this segment in this process.
     */
    public AtomicBuffer buffer()
    {
        return buffer;
    }

    /**
     * The offset of the first byte after the header.
     *
     * @return {@link SegmentDescriptor#HEADER_LENGTH}.
     */
    public int bodyOffset()
    {
        return HEADER_LENGTH;
    }

    /**
     * Bytes after the header.
     *
     * @return the body length.
     */
    public long bodyLength()
    {
        return memory.byteSize() - HEADER_LENGTH;
    }

    /**
     * The process that created the segment.
     *
     * @return its pid and start time, from the header.
     */
    public ProcessIdentity creator()
    {
        return new ProcessIdentity(buffer.getLong(CREATOR_PID_OFFSET), buffer.getLong(CREATOR_START_TIME_OFFSET));
    }

    /**
     * The registry of the segment's directory, which judges the owners recorded in it.
     *
     * @return the registry this process joined for the directory.
     */
    public ProcessRegistry registry()
    {
        return registry;
    }

    /**
     * Removes the file. Mappings, this one included, stay valid until closed, as with POSIX shared memory. Does
     * nothing if the file is gone or was replaced by another segment of the same name.
     */
    public void unlink()
    {
        synchronized (MAPPED)
        {
            if (MAPPED.get(path) == this)
            {
                MAPPED.remove(path);
            }
            try
            {
                if (Files.exists(path) && fileKey.equals(fileKey(path)))
                {
                    Files.deleteIfExists(path);
                }
            }
            catch (final IOException | UncheckedIOException ex)
            {
                throw new UncheckedIOException("cannot unlink segment: " + path, ex instanceof IOException io ?
                    io : ((UncheckedIOException)ex).getCause());
            }
        }
    }

    /**
     * Releases this user's reference; the last one unmaps the file.
     */
    @Override
    public void close()
    {
        synchronized (MAPPED)
        {
            if (references == 0)
            {
                return;
            }
            if (--references == 0)
            {
                if (MAPPED.get(path) == this)
                {
                    MAPPED.remove(path);
                }
                arena.close();
                AttachLock.release(attachLock);
            }
        }
    }

    @Override
    public String toString()
    {
        return "Segment{path=" + path + ", kind=" + kind + ", length=" + memory.byteSize() + "}";
    }

    /**
     * Starts the {@link FirstMappingTask}s on a daemon thread when the process maps its first segment: the futex
     * downcall's link-up (66-100 ms of FFM linking, {@code dev.jipc.core.wait.FutexLinkTask}) that the first wake or
     * wait would otherwise pay on its caller's thread, often in a latency-critical hand-off. The tasks are found with
     * {@link ServiceLoader} on that thread, so that this package names none of the packages built on it and the
     * caller pays for neither the lookup nor the work. A failure is reported to the first real user (as a class's
     * {@link NoClassDefFoundError}), so the daemon itself stays silent.
     */
    private static void runFirstMappingTasks()
    {
        if (FIRST_MAPPING_TASKS_STARTED.compareAndSet(false, true))
        {
            Thread.ofPlatform()
                .daemon()
                .name("jipc-futex-link")
                .uncaughtExceptionHandler((thread, ex) -> {})
                .start(() -> ServiceLoader.load(FirstMappingTask.class, Segment.class.getClassLoader())
                    .forEach(FirstMappingTask::run));
        }
    }

    private static void allocate(final FileChannel channel, final long length) throws IOException
    {
        // Write real zeros rather than leave a sparse file: a full /dev/shm then fails here with an IOException
        // instead of killing the JVM with SIGBUS on first touch of an unbacked page.
        final ByteBuffer zeros = ByteBuffer.allocateDirect(ZERO_CHUNK);
        long position = 0;
        while (position < length)
        {
            zeros.clear().limit((int)Math.min(ZERO_CHUNK, length - position));
            position += channel.write(zeros, position);
        }
    }

    private static Object fileKey(final Path path)
    {
        try
        {
            return Objects.requireNonNull(Files.readAttributes(path, BasicFileAttributes.class).fileKey(), "fileKey");
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot stat segment: " + path, ex);
        }
    }

    private static UncheckedIOException exists(final Path path, final Exception cause)
    {
        final FileAlreadyExistsException ex = new FileAlreadyExistsException(path.toString(), null, "segment exists");
        if (cause != null)
        {
            ex.initCause(cause);
        }
        return new UncheckedIOException("segment already exists: " + path, ex);
    }

    private static void abandon(final Arena arena, final int attachLock, final Path temporary)
    {
        if (arena != null)
        {
            arena.close();
        }
        AttachLock.release(attachLock);
        try
        {
            Files.deleteIfExists(temporary);
        }
        catch (final IOException ignore)
        {
            // best effort: jipc gc removes leftovers of dead creators
        }
    }
}
