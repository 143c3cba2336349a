package dev.jipc.sync;

import java.nio.file.Path;
import java.util.function.LongUnaryOperator;

import dev.jipc.core.wait.WaitStrategy;

/**
 * Python's {@code multiprocessing.Value('q')}: a {@code long} in shared memory with an embedded {@link RLock}. See
 * {@link SharedData} for which operations take the lock.
 * <pre>{@code
 * LongValue counter = LongValue.create("hits", 0);
 * counter.getLock().lock();            // in any number of JVMs
 * try { counter.set(counter.get() + 1); } finally { counter.getLock().unlock(); }
 * }</pre>
 */
public final class LongValue extends SharedValue
{
    private final int valueOffset;

    LongValue(final SyncArena arena, final int offset, final WaitStrategy strategy)
    {
        super(arena, offset, SyncKind.LONG_VALUE, strategy);
        this.valueOffset = offset + ValueDescriptor.VALUE_OFFSET;
    }

    /**
     * Creates a value in an arena of its own in the default directory.
     *
     * @param name    the arena's name.
     * @param initial the value.
     * @return the value.
     */
    public static LongValue create(final String name, final long initial)
    {
        return create(defaultDirectory(), name, initial, WaitStrategy.SPIN_THEN_PARK);
    }

    /**
     * Creates a value in an arena of its own.
     *
     * @param directory where the arena goes.
     * @param name      the arena's name.
     * @param initial   the value.
     * @param strategy  how this process waits for the lock.
     * @return the value.
     */
    public static LongValue create(final Path directory, final String name, final long initial,
        final WaitStrategy strategy)
    {
        return SyncObject.createDedicated(directory, name, ValueDescriptor.VALUE_LENGTH,
            arena -> new LongValue(arena, arena.allocateValue(SyncKind.LONG_VALUE, initial), strategy));
    }

    /**
     * Opens a value made by {@link #create(String, long)}.
     *
     * @param name the arena's name.
     * @return the value.
     */
    public static LongValue open(final String name)
    {
        return open(defaultDirectory(), name, WaitStrategy.SPIN_THEN_PARK);
    }

    /**
     * Opens a value made by {@link #create(Path, String, long, WaitStrategy)}.
     *
     * @param directory where the arena is.
     * @param name      the arena's name.
     * @param strategy  how this process waits for the lock.
     * @return the value.
     */
    public static LongValue open(final Path directory, final String name, final WaitStrategy strategy)
    {
        return (LongValue)SyncObject.openDedicated(directory, name, SyncKind.LONG_VALUE, strategy);
    }

    /**
     * Reads the value under the lock.
     *
     * @return the value.
     */
    public long get()
    {
        ensureOpen();
        return getLongLocked(valueOffset);
    }

    /**
     * Writes the value under the lock.
     *
     * @param value the new value.
     */
    public void set(final long value)
    {
        ensureOpen();
        putLongLocked(valueOffset, value);
    }

    /**
     * Replaces the value with a function of it, under the lock.
     *
     * @param op computes the new value from the old; runs with the lock held, so keep it short.
     * @return the new value.
     */
    public long update(final LongUnaryOperator op)
    {
        ensureOpen();
        final boolean entered = enter();
        try
        {
            final long value = op.applyAsLong(buffer.getLongVolatile(valueOffset));
            buffer.putLongRelease(valueOffset, value);
            return value;
        }
        finally
        {
            exit(entered);
        }
    }

    /**
     * Reads the value without the lock (a volatile read).
     *
     * @return the value.
     */
    public long getRaw()
    {
        ensureOpen();
        return buffer.getLongVolatile(valueOffset);
    }

    /**
     * Writes the value without the lock (a volatile write).
     *
     * @param value the new value.
     */
    public void setRaw(final long value)
    {
        ensureOpen();
        buffer.putLongVolatile(valueOffset, value);
    }

    /**
     * Adds atomically, without the lock.
     *
     * @param delta what to add.
     * @return the value before.
     */
    public long getAndAdd(final long delta)
    {
        ensureOpen();
        return buffer.getAndAddLong(valueOffset, delta);
    }

    /**
     * Sets the value atomically if it holds the expected value, without the lock.
     *
     * @param expected the value it must hold.
     * @param value    the new value.
     * @return true if set.
     */
    public boolean compareAndSet(final long expected, final long value)
    {
        ensureOpen();
        return buffer.compareAndSetLong(valueOffset, expected, value);
    }
}
