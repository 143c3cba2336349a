package dev.jipc.sync;

import java.nio.file.Path;

import dev.jipc.core.wait.WaitStrategy;

/**
 * Python's {@code multiprocessing.BoundedSemaphore}: a {@link Semaphore} whose value may never exceed its initial
 * value; a {@link #release()} that would raise it higher throws {@link IllegalStateException} and changes nothing.
 * Permits of a process that dies holding them are not returned (see {@link Semaphore}).
 * <p>
 * Memory consistency effects: as {@link Semaphore}.
 */
public final class BoundedSemaphore extends Semaphore
{
    BoundedSemaphore(final SyncArena arena, final int offset, final WaitStrategy strategy)
    {
        super(arena, offset, SyncKind.BOUNDED_SEMAPHORE, strategy);
    }

    /**
     * Creates a bounded semaphore in an arena of its own in the default directory.
     *
     * @param name  the arena's name.
     * @param value the initial and largest number of permits, at least 0.
     * @return the semaphore.
     */
    public static BoundedSemaphore create(final String name, final int value)
    {
        return create(defaultDirectory(), name, value, WaitStrategy.SPIN_THEN_PARK);
    }

    /**
     * Creates a bounded semaphore in an arena of its own.
     *
     * @param directory where the arena goes.
     * @param name      the arena's name.
     * @param value     the initial and largest number of permits, at least 0.
     * @param strategy  how this process waits on it.
     * @return the semaphore.
     */
    public static BoundedSemaphore create(
        final Path directory, final String name, final int value, final WaitStrategy strategy)
    {
        return SyncObject.createDedicated(directory, name, SemaphoreDescriptor.LENGTH,
            arena -> new BoundedSemaphore(arena, arena.allocateSemaphore(SyncKind.BOUNDED_SEMAPHORE, value), strategy));
    }

    /**
     * Opens a bounded semaphore made by {@link #create(String, int)}.
     *
     * @param name the arena's name.
     * @return the semaphore.
     */
    public static BoundedSemaphore open(final String name)
    {
        return open(defaultDirectory(), name, WaitStrategy.SPIN_THEN_PARK);
    }

    /**
     * Opens a bounded semaphore made by {@link #create(Path, String, int, WaitStrategy)}.
     *
     * @param directory where the arena is.
     * @param name      the arena's name.
     * @param strategy  how this process waits on it.
     * @return the semaphore.
     */
    public static BoundedSemaphore open(final Path directory, final String name, final WaitStrategy strategy)
    {
        return (BoundedSemaphore)SyncObject.openDedicated(directory, name, SyncKind.BOUNDED_SEMAPHORE, strategy);
    }

    /**
     * The largest value this semaphore may have.
     *
     * @return the bound, its initial value.
     */
    public int bound()
    {
        ensureOpen();
        return buffer.getInt(offset + SemaphoreDescriptor.BOUND_OFFSET);
    }
}
