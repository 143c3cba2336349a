package dev.jipc.sync;

import java.nio.file.Path;

import dev.jipc.core.wait.WaitStrategy;

/**
 * Python's {@code multiprocessing.Lock}: a non-reentrant mutual-exclusion lock shared by threads of any JVM that maps
 * its arena, robust against the death of its holder (see {@link RobustLock}).
 * <pre>{@code
 * try (Lock lock = Lock.create("orders-lock")) {      // one JVM
 *     lock.lock();
 *     try { ... } finally { lock.unlock(); }
 * }
 * Lock lock = Lock.open("orders-lock");                  // another JVM, or receive it serialised
 * }</pre>
 * Like Python's lock, and unlike {@link java.util.concurrent.locks.ReentrantLock}, it is not owned for release: any
 * thread may {@link #unlock()} a held lock (a thread that locks it twice waits for itself). Releasing a lock that is
 * not held throws {@link IllegalMonitorStateException}. Two threads releasing the same hold at once is a race the
 * caller must avoid, as with any binary semaphore.
 * <p>
 * Memory consistency effects: as {@link RobustLock}.
 */
public final class Lock extends RobustLock
{
    Lock(final SyncArena arena, final int offset, final WaitStrategy strategy)
    {
        super(arena, offset, SyncKind.LOCK, strategy);
    }

    /**
     * Creates a lock, free, in an arena of its own in the default directory.
     *
     * @param name the arena's name.
     * @return the lock.
     * @throws java.io.UncheckedIOException if the name exists.
     */
    public static Lock create(final String name)
    {
        return create(defaultDirectory(), name, WaitStrategy.SPIN_THEN_PARK);
    }

    /**
     * Creates a lock, free, in an arena of its own.
     *
     * @param directory where the arena goes.
     * @param name      the arena's name.
     * @param strategy  how this process waits for it.
     * @return the lock.
     * @throws java.io.UncheckedIOException if the name exists.
     */
    public static Lock create(final Path directory, final String name, final WaitStrategy strategy)
    {
        return SyncObject.createDedicated(directory, name, MutexDescriptor.LENGTH,
            arena -> new Lock(arena, arena.allocateMutex(SyncKind.LOCK), strategy));
    }

    /**
     * Opens a lock made by {@link #create(String)}.
     *
     * @param name the arena's name.
     * @return the lock.
     * @throws java.io.UncheckedIOException                    if there is no such arena.
     * @throws dev.jipc.core.SegmentFormatException if the file is not a sync arena.
     * @throws IllegalArgumentException                        if the arena does not hold exactly one lock.
     */
    public static Lock open(final String name)
    {
        return open(defaultDirectory(), name, WaitStrategy.SPIN_THEN_PARK);
    }

    /**
     * Opens a lock made by {@link #create(Path, String, WaitStrategy)}.
     *
     * @param directory where the arena is.
     * @param name      the arena's name.
     * @param strategy  how this process waits for it.
     * @return the lock.
     */
    public static Lock open(final Path directory, final String name, final WaitStrategy strategy)
    {
        return (Lock)SyncObject.openDedicated(directory, name, SyncKind.LOCK, strategy);
    }

    /**
     * Releases the lock, held by this or any other thread, and wakes a waiter if one sleeps.
     *
     * @throws IllegalMonitorStateException if the lock is not held.
     */
    @Override
    public void unlock()
    {
        ensureOpen();
        if (buffer.getLongVolatile(ownerOffset) == currentOwner())
        {
            releaseOwned();
        }
        else
        {
            releaseForeign();
        }
    }

    @Override
    boolean reenter(final long word)
    {
        return false;
    }

    @Override
    int releaseFully()
    {
        final long owner = buffer.getLongVolatile(ownerOffset);
        if (owner != currentOwner())
        {
            throw new IllegalMonitorStateException("lock not held by the calling thread: " + describeOwner(owner) +
                ", lock=" + this);
        }
        releaseOwned();
        return 1;
    }
}
