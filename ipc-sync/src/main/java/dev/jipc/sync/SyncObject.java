package dev.jipc.sync;

import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;

import dev.jipc.core.SegmentDirectory;
import dev.jipc.core.wait.ClosableMapping;
import dev.jipc.core.wait.EventCount;
import dev.jipc.core.wait.WaitCondition;
import dev.jipc.core.wait.WaitStrategy;
import org.agrona.concurrent.AtomicBuffer;

/**
 * What every synchronisation object shares: it lives at an offset of a {@link SyncArena}, keeps the arena mapped
 * until {@link #close()}, waits with its own {@link WaitStrategy}, and serialises as a small handle (directory, arena
 * name, offset, kind, wait strategy) that re-attaches in the receiving JVM, as Python pickles its synchronisation
 * objects for a child process.
 * <p>
 * Using an object after {@link #close()} throws {@link IllegalStateException}. Closing it while another thread of
 * this process is blocked on it ends that wait with an {@link IllegalStateException} ("closed while waiting"),
 * within about {@value dev.jipc.core.wait.Futex#SLICE_MILLIS} ms, and the arena stays mapped until the last such
 * waiter has left (see {@link ClosableMapping}); closing it while another thread is inside a non-blocking operation
 * on it is a caller error (the mapping may go). Closing one object affects no other, not even another handle of the
 * same object.
 */
public abstract class SyncObject implements AutoCloseable, Serializable
{
    @Serial
    private static final long serialVersionUID = 1L;

    private final transient SyncArena arena;
    final transient AtomicBuffer buffer;
    final transient int offset;
    private final transient SyncKind kind;
    final transient WaitStrategy strategy;
    /** This handle's reference to the arena: every blocking slow path holds a lease of it while it waits. */
    final transient ClosableMapping mapping;

    SyncObject(final SyncArena arena, final int offset, final SyncKind kind, final WaitStrategy strategy)
    {
        this.arena = arena;
        this.buffer = arena.buffer();
        this.offset = offset;
        this.kind = kind;
        this.strategy = Objects.requireNonNull(strategy, "strategy");
        this.mapping = new ClosableMapping(
            arena::release, "closed: kind=" + kind + ", name=" + arena.name() + ", offset=" + offset);
        arena.retain();
    }

    /**
     * Makes an arena for one object and allocates the object in it before the arena's name appears (a process that
     * opens the name finds the object, never an empty arena), and keeps only the object's reference to the arena. If
     * the allocation fails no file is left.
     */
    static <T extends SyncObject> T createDedicated(
        final Path directory, final String name, final long objectBytes, final Function<SyncArena, T> allocator)
    {
        final T object = SyncArena.create(directory, name, SyncArena.DEDICATED_ENTRIES,
            (int)Math.min(Integer.MAX_VALUE, objectBytes + SyncArena.DEDICATED_SPARE_BYTES), allocator);
        object.arena().close();
        return object;
    }

    /** Opens an arena made by {@link #createDedicated} and attaches to its only object of the kind. */
    static SyncObject openDedicated(
        final Path directory, final String name, final SyncKind kind, final WaitStrategy strategy)
    {
        try (SyncArena arena = SyncArena.open(directory, name))
        {
            return arena.attach(arena.only(kind), kind, strategy);
        }
    }

    /** The default directory, for the classes' {@code create(name)} and {@code open(name)}. */
    static Path defaultDirectory()
    {
        return SegmentDirectory.defaultDirectory();
    }

    /**
     * The name of the arena this object lives in.
     *
     * @return the arena's name.
     */
    public String name()
    {
        return arena.name();
    }

    /**
     * The directory of the arena this object lives in.
     *
     * @return the directory.
     */
    public Path directory()
    {
        return arena.directory();
    }

    /**
     * Where this object starts in its arena's file: with the arena's name, what a handle records.
     *
     * @return the offset.
     */
    public int offset()
    {
        return offset;
    }

    /**
     * What this object is.
     *
     * @return its kind.
     */
    public SyncKind kind()
    {
        return kind;
    }

    /**
     * How this process waits on this object.
     *
     * @return the wait strategy.
     */
    public WaitStrategy waitStrategy()
    {
        return strategy;
    }

    /**
     * Detaches this object from its arena; idempotent. Threads of this process blocked on this object end with
     * {@link IllegalStateException}; the arena stays mapped while they leave and while other objects use it.
     */
    @Override
    public void close()
    {
        if (!mapping.markClosed())
        {
            return;
        }
        onClose();
        mapping.close();
    }

    /**
     * Removes the file of the arena holding this object: this object's name and that of every other object in the
     * arena. Attached processes keep working until they close.
     */
    public void unlink()
    {
        arena.unlink();
    }

    @Override
    public String toString()
    {
        return getClass().getSimpleName() + "{name=" + arena.name() + ", offset=" + offset + ", directory=" +
            arena.directory() + "}";
    }

    /** Releases objects this one holds (such as a value's lock); runs once, on close. */
    void onClose()
    {
    }

    SyncArena arena()
    {
        return arena;
    }

    /**
     * Throws if the object is closed. Every public operation calls this first.
     *
     * @throws IllegalStateException naming the object.
     */
    final void ensureOpen()
    {
        mapping.ensureOpen();
    }

    /**
     * Waits with this object's strategy, holding a lease of the arena, until the condition holds or the timeout
     * passes.
     *
     * @return true if the condition holds, false if the timeout passed first.
     * @throws IllegalStateException if this object is closed before or while waiting.
     * @throws InterruptedException  if interrupted while waiting.
     */
    final boolean waitUntil(final EventCount eventCount, final WaitCondition condition, final long timeoutNanos)
        throws InterruptedException
    {
        return mapping.await(eventCount, condition, timeoutNanos, strategy);
    }

    @Serial
    final Object writeReplace()
    {
        return new Handle(arena.directory().toString(), arena.name(), offset, kind, strategy);
    }

    /**
     * The serialised form of every synchronisation object: enough to re-attach by name. Deserialising checks that an
     * object of the kind starts at the offset, so a forged or stale handle fails with a clear exception.
     *
     * @param directory the arena's directory.
     * @param name      the arena's name.
     * @param offset    the object's offset.
     * @param kind      the object's kind.
     * @param strategy  the wait strategy to use in the receiving process.
     */
    record Handle(String directory, String name, int offset, SyncKind kind, WaitStrategy strategy)
        implements Serializable
    {
        Handle
        {
            Objects.requireNonNull(directory, "directory");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(strategy, "strategy");
        }

        @Serial
        private Object readResolve()
        {
            try (SyncArena arena = SyncArena.open(Path.of(directory), name))
            {
                return arena.attach(offset, kind, strategy);
            }
        }
    }
}
