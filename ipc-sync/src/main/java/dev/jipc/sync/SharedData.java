package dev.jipc.sync;

import dev.jipc.core.wait.WaitStrategy;

/**
 * What the typed values and arrays share: typed data in shared memory behind an embedded {@link RLock}, as Python's
 * {@code multiprocessing.Value} and {@code Array} with their default {@code lock=True}. The values extend
 * {@link SharedValue} (one slot) and the arrays {@link SharedArray} (a fixed number of slots); the layout is in
 * {@link ValueDescriptor}.
 * <p>
 * Three kinds of access, with different guarantees:
 * <ul>
 *   <li>{@code get}, {@code set}, {@code update} and the bulk copies take the lock for each call, as Python's
 *   {@code .value} does (when the caller holds it already, they just read or write). A read-modify-write made of
 *   two calls ({@code v.set(v.get() + 1)}) can lose updates; hold {@link #getLock()} around it, or use
 *   {@code update}.</li>
 *   <li>The lock-free atomics ({@code getAndAdd}, {@code compareAndSet}) are atomic on their own and do not take the
 *   lock: a concurrent {@code update} under the lock may overwrite their effect. Do not mix them with locked
 *   read-modify-writes on the same slot.</li>
 *   <li>The raw accessors ({@code getRaw}, {@code setRaw}, Python's {@code RawValue}) take no lock and are single
 *   volatile reads and writes.</li>
 * </ul>
 * Memory consistency effects: the locked operations have those of the lock; a raw or atomic write happens-before a
 * raw, atomic or locked read in any process that sees the value written.
 */
public abstract class SharedData extends SyncObject
{
    final RLock lock;

    SharedData(final SyncArena arena, final int offset, final SyncKind kind, final WaitStrategy strategy)
    {
        super(arena, offset, kind, strategy);
        this.lock = new RLock(arena, offset, strategy);
    }

    /**
     * The embedded lock, to hold around compound operations (Python's {@code get_lock()}); closed with this object.
     *
     * @return the lock.
     */
    public RLock getLock()
    {
        ensureOpen();
        return lock;
    }

    /**
     * Takes the lock for one locked operation, unless the calling thread holds it already (then a reentrant
     * acquire and release would change nothing but the hold count, twice).
     *
     * @return whether the lock was taken, to pass to {@link #exit(boolean)}.
     */
    final boolean enter()
    {
        if (lock.heldByCaller())
        {
            return false;
        }
        lock.lock();
        return true;
    }

    /**
     * Ends a locked operation begun with {@link #enter()}.
     *
     * @param entered what {@link #enter()} returned.
     */
    final void exit(final boolean entered)
    {
        if (entered)
        {
            lock.unlock();
        }
    }

    /**
     * A locked read of an {@code int} word: an acquire load between {@link #enter()} and {@link #exit(boolean)}.
     *
     * @param at the word's offset in the arena.
     * @return its value.
     */
    final int getIntLocked(final int at)
    {
        final boolean entered = enter();
        try
        {
            return buffer.getIntVolatile(at);
        }
        finally
        {
            exit(entered);
        }
    }

    /**
     * A locked write of an {@code int} word: a release store between {@link #enter()} and {@link #exit(boolean)}.
     *
     * @param at    the word's offset in the arena.
     * @param value its new value.
     */
    final void putIntLocked(final int at, final int value)
    {
        final boolean entered = enter();
        try
        {
            buffer.putIntRelease(at, value);
        }
        finally
        {
            exit(entered);
        }
    }

    /**
     * A locked read of a {@code long} word: an acquire load between {@link #enter()} and {@link #exit(boolean)}.
     *
     * @param at the word's offset in the arena.
     * @return its value.
     */
    final long getLongLocked(final int at)
    {
        final boolean entered = enter();
        try
        {
            return buffer.getLongVolatile(at);
        }
        finally
        {
            exit(entered);
        }
    }

    /**
     * A locked write of a {@code long} word: a release store between {@link #enter()} and {@link #exit(boolean)}.
     *
     * @param at    the word's offset in the arena.
     * @param value its new value.
     */
    final void putLongLocked(final int at, final long value)
    {
        final boolean entered = enter();
        try
        {
            buffer.putLongRelease(at, value);
        }
        finally
        {
            exit(entered);
        }
    }

    /**
     * A locked read of a byte: a volatile load between {@link #enter()} and {@link #exit(boolean)}.
     *
     * @param at the byte's offset in the arena.
     * @return its value.
     */
    final byte getByteLocked(final int at)
    {
        final boolean entered = enter();
        try
        {
            return buffer.getByteVolatile(at);
        }
        finally
        {
            exit(entered);
        }
    }

    /**
     * A locked write of a byte: a volatile store between {@link #enter()} and {@link #exit(boolean)}.
     *
     * @param at    the byte's offset in the arena.
     * @param value its new value.
     */
    final void putByteLocked(final int at, final byte value)
    {
        final boolean entered = enter();
        try
        {
            buffer.putByteVolatile(at, value);
        }
        finally
        {
            exit(entered);
        }
    }

    @Override
    void onClose()
    {
        if (lock != null)
        {
            lock.close();
        }
    }
}
