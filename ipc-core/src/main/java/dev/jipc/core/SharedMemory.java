package dev.jipc.core;

import java.io.Serial;
import java.io.Serializable;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A named block of raw shared memory, as Python's {@code multiprocessing.shared_memory.SharedMemory}: one process
 * creates it, others open it by name or receive it serialised, and all see the same bytes.
 * <pre>{@code
 * try (SharedMemory block = SharedMemory.create("prices", 4096)) {   // in one JVM
 *     block.buffer().putLongVolatile(0, 42);
 * }
 * try (SharedMemory block = SharedMemory.open("prices")) {           // in another
 *     long price = block.buffer().getLongVolatile(0);
 * }
 * }</pre>
 * The block starts zeroed. Closing detaches this process; the block lives on until {@link #unlink()} removes its name
 * (as with POSIX {@code shm_unlink}, attached processes keep their mapping). Serialising a {@code SharedMemory} writes
 * a small handle (directory and name) that re-attaches in the receiving JVM.
 * <p>
 * The {@link #buffer()} is a raw view: like any Agrona buffer over mapped memory it must not be used after
 * {@link #close()}. {@link #segment()} is checked and throws instead.
 */
public final class SharedMemory implements AutoCloseable, Serializable
{
    @Serial
    private static final long serialVersionUID = 1L;

    private final transient Segment segment;
    private final transient MemorySegment memory;
    private final transient AtomicBuffer buffer;
    private transient volatile boolean closed;

    private SharedMemory(final Segment segment)
    {
        this.segment = segment;
        this.memory = segment.memory().asSlice(segment.bodyOffset());
        this.buffer = new UnsafeBuffer(memory.address(), (int)Math.min(memory.byteSize(), Integer.MAX_VALUE));
    }

    /**
     * Creates a block with a generated name in the default directory.
     *
     * @param size bytes, at least 1.
     * @return the new block.
     */
    public static SharedMemory create(final long size)
    {
        return create("psm_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1), size);
    }

    /**
     * Creates a named block in the default directory ({@link SegmentDirectory#defaultDirectory()}).
     *
     * @param name the block's name.
     * @param size bytes, at least 1.
     * @return the new block.
     * @throws java.io.UncheckedIOException if the name exists.
     */
    public static SharedMemory create(final String name, final long size)
    {
        return create(SegmentDirectory.defaultDirectory(), name, size);
    }

    /**
     * Creates a named block in a directory.
     *
     * @param directory where the file goes.
     * @param name      the block's name.
     * @param size      bytes, at least 1.
     * @return the new block.
     * @throws java.io.UncheckedIOException if the name exists.
     */
    public static SharedMemory create(final Path directory, final String name, final long size)
    {
        if (size < 1)
        {
            throw new IllegalArgumentException("shared memory size must be positive: size=" + size);
        }
        return new SharedMemory(Segment.create(directory, name, SegmentKind.SHARED_MEMORY, size, segment -> {}));
    }

    /**
     * Attaches to a block in the default directory.
     *
     * @param name the block's name.
     * @return the block.
     * @throws java.io.UncheckedIOException if there is no such block.
     * @throws SegmentFormatException       if the file is not a jipc shared memory block.
     */
    public static SharedMemory open(final String name)
    {
        return open(SegmentDirectory.defaultDirectory(), name);
    }

    /**
     * Attaches to a block in a directory.
     *
     * @param directory where the file is.
     * @param name      the block's name.
     * @return the block.
     * @throws java.io.UncheckedIOException if there is no such block.
     * @throws SegmentFormatException       if the file is not a jipc shared memory block.
     */
    public static SharedMemory open(final Path directory, final String name)
    {
        return new SharedMemory(Segment.open(directory, name, SegmentKind.SHARED_MEMORY));
    }

    /**
     * The block's name.
     *
     * @return the name.
     */
    public String name()
    {
        return segment.name();
    }

    /**
     * The block's size in bytes.
     *
     * @return the size asked for at creation.
     */
    public long size()
    {
        return memory.byteSize();
    }

    /**
     * The block as a bounds-checked segment; access after {@link #close()} throws {@link IllegalStateException}.
     *
     * @return the block's memory.
     */
    public MemorySegment segment()
    {
        ensureOpen();
        return memory;
    }

    /**
     * The block as an Agrona buffer (the first 2 GiB of it), for atomic and ordered access by offset.
     *
     * @return the block's memory.
     */
    public AtomicBuffer buffer()
    {
        ensureOpen();
        return buffer;
    }

    /** Detaches this process from the block; idempotent. */
    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            segment.close();
        }
    }

    /** Removes the block's name; processes attached keep their mapping until they close it. */
    public void unlink()
    {
        segment.unlink();
    }

    @Override
    public String toString()
    {
        return "SharedMemory{name=" + segment.name() + ", size=" + size() + ", directory=" + segment.directory() + "}";
    }

    private void ensureOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("shared memory is closed: name=" + segment.name());
        }
    }

    @Serial
    private Object writeReplace()
    {
        return new Handle(segment.directory().toString(), segment.name());
    }

    /** The serialised form: enough to re-attach by name. */
    private record Handle(String directory, String name) implements Serializable
    {
        private Handle
        {
            Objects.requireNonNull(directory, "directory");
            Objects.requireNonNull(name, "name");
        }

        @Serial
        private Object readResolve()
        {
            return open(Path.of(directory), name);
        }
    }
}
