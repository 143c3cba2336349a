package dev.jipc.sync;

import java.nio.file.Path;

import dev.jipc.core.wait.WaitStrategy;

/**
 * Python's {@code multiprocessing.RLock}: a reentrant lock owned by one thread of one process at a time, shared by
 * any JVM that maps its arena and robust against the death of its holder (see {@link RobustLock}). The owner may
 * acquire it again; it is free once released as many times as acquired. Only the owner may release it: anyone else
 * gets {@link IllegalMonitorStateException}. Every value and array embeds one ({@code getLock()}).
 * <p>
 * Memory consistency effects: as {@link RobustLock}.
 */
public final class RLock extends RobustLock
{
    RLock(final SyncArena arena, final int offset, final WaitStrategy strategy)
    {
        super(arena, offset, SyncKind.RLOCK, strategy);
    }

    /**
     * Creates a lock, free, in an arena of its own in the default directory.
     *
     * @param name the arena's name.
     * @return the lock.
     * @throws java.io.UncheckedIOException if the name exists.
     */
    public static RLock create(final String name)
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
    public static RLock create(final Path directory, final String name, final WaitStrategy strategy)
    {
        return SyncObject.createDedicated(directory, name, MutexDescriptor.LENGTH,
            arena -> new RLock(arena, arena.allocateMutex(SyncKind.RLOCK), strategy));
    }

    /**
     * Opens a lock made by {@link #create(String)}.
     *
     * @param name the arena's name.
     * @return the lock.
     * @throws IllegalArgumentException if the arena does not hold exactly one RLock.
     */
    public static RLock open(final String name)
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
    public static RLock open(final Path directory, final String name, final WaitStrategy strategy)
    {
        return (RLock)SyncObject.openDedicated(directory, name, SyncKind.RLOCK, strategy);
    }

    /**
     * Releases one hold; the last release frees the lock and wakes a waiter if one sleeps.
     *
     * @throws IllegalMonitorStateException if the calling thread does not own the lock.
     */
    @Override
    public void unlock()
    {
        ensureOpen();
        final long owner = buffer.getLongVolatile(ownerOffset);
        if (owner != currentOwner())
        {
            throw notOwner(owner);
        }
        final int holds = buffer.getInt(holdCountOffset);
        if (holds > 1)
        {
            buffer.putInt(holdCountOffset, holds - 1);
            return;
        }
        buffer.putInt(holdCountOffset, 0);
        releaseOwned();
    }

    /**
     * How many times the owner holds the lock.
     *
     * @return the hold count of the calling thread, 0 if it does not own the lock.
     */
    public int holdCount()
    {
        ensureOpen();
        return buffer.getLongVolatile(ownerOffset) == currentOwner() ? buffer.getInt(holdCountOffset) : 0;
    }

    /**
     * Whether the calling thread owns the lock, without the closed check: for the values' fast path.
     *
     * @return true if owned by the caller.
     */
    boolean heldByCaller()
    {
        return buffer.getLongVolatile(ownerOffset) == currentOwner();
    }

    @Override
    boolean reenter(final long word)
    {
        if (buffer.getLongVolatile(ownerOffset) != word)
        {
            return false;
        }
        final int holds = buffer.getInt(holdCountOffset);
        if (holds == Integer.MAX_VALUE)
        {
            throw new IllegalStateException("maximum hold count exceeded: holds=" + holds + ", lock=" + this);
        }
        buffer.putInt(holdCountOffset, holds + 1);
        return true;
    }

    @Override
    int releaseFully()
    {
        final long owner = buffer.getLongVolatile(ownerOffset);
        if (owner != currentOwner())
        {
            throw notOwner(owner);
        }
        final int holds = buffer.getInt(holdCountOffset);
        buffer.putInt(holdCountOffset, 0);
        releaseOwned();
        return holds;
    }

    private IllegalMonitorStateException notOwner(final long owner)
    {
        return new IllegalMonitorStateException(
            (owner == 0 ? "RLock is not held: " : "RLock is owned by another thread: ") + describeOwner(owner) +
            ", lock=" + this);
    }
}
