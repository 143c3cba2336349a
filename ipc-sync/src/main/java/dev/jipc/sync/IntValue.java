package dev.jipc.sync;

import java.nio.file.Path;
import java.util.function.IntUnaryOperator;

import dev.jipc.core.wait.WaitStrategy;

/**
 * Python's {@code multiprocessing.Value('i')}: an {@code int} in shared memory with an embedded {@link RLock}. See
 * {@link SharedData} for which operations take the lock.
 * <pre>{@code
 * IntValue counter = IntValue.create("hits", 0);
 * counter.getLock().lock();            // in any number of JVMs
 * try { counter.set(counter.get() + 1); } finally { counter.getLock().unlock(); }
 * }</pre>
 */
public final class IntValue extends SharedValue
{
    private final int valueOffset;

    IntValue(final SyncArena arena, final int offset, final WaitStrategy strategy)
    {
        super(arena, offset, SyncKind.INT_VALUE, strategy);
        this.valueOffset = offset + ValueDescriptor.VALUE_OFFSET;
    }

    /**
     * Creates a value in an arena of its own in the default directory.
     *
     * @param name    the arena's name.
     * @param initial the value.
     * @return the value.
     */
    public static IntValue create(final String name, final int initial)
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
    public static IntValue create(final Path directory, final String name, final int initial,
        final WaitStrategy strategy)
    {
        return SyncObject.createDedicated(directory, name, ValueDescriptor.VALUE_LENGTH,
            arena -> new IntValue(arena, arena.allocateValue(SyncKind.INT_VALUE, initial), strategy));
    }

    /**
     * Opens a value made by {@link #create(String, int)}.
     *
     * @param name the arena's name.
     * @return the value.
     */
    public static IntValue open(final String name)
    {
        return open(defaultDirectory(), name, WaitStrategy.SPIN_THEN_PARK);
    }

    /**
     * Opens a value made by {@link #create(Path, String, int, WaitStrategy)}.
     *
     * @param directory where the arena is.
     * @param name      the arena's name.
     * @param strategy  how this process waits for the lock.
     * @return the value.
     */
    public static IntValue open(final Path directory, final String name, final WaitStrategy strategy)
    {
        return (IntValue)SyncObject.openDedicated(directory, name, SyncKind.INT_VALUE, strategy);
    }

    /**
     * Reads the value under the lock.
     *
     * @return the value.
     */
    public int get()
    {
        ensureOpen();
        return getIntLocked(valueOffset);
    }

    /**
     * Writes the value under the lock.
     *
     * @param value the new value.
     */
    public void set(final int value)
    {
        ensureOpen();
        putIntLocked(valueOffset, value);
    }

    /**
     * Replaces the value with a function of it, under the lock.
     *
     * @param op computes the new value from the old; runs with the lock held, so keep it short.
     * @return the new value.
     */
    public int update(final IntUnaryOperator op)
    {
        ensureOpen();
        final boolean entered = enter();
        try
        {
            final int value = op.applyAsInt(buffer.getIntVolatile(valueOffset));
            buffer.putIntRelease(valueOffset, value);
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
    public int getRaw()
    {
        ensureOpen();
        return buffer.getIntVolatile(valueOffset);
    }

    /**
     * Writes the value without the lock (a volatile write).
     *
     * @param value the new value.
     */
    public void setRaw(final int value)
    {
        ensureOpen();
        buffer.putIntVolatile(valueOffset, value);
    }

    /**
     * Adds atomically, without the lock.
     *
     * @param delta what to add.
     * @return the value before.
     */
    public int getAndAdd(final int delta)
    {
        ensureOpen();
        return buffer.getAndAddInt(valueOffset, delta);
    }

    /**
     * Sets the value atomically if it holds the expected value, without the lock.
     *
     * @param expected the value it must hold.
     * @param value    the new value.
     * @return true if set.
     */
    public boolean compareAndSet(final int expected, final int value)
    {
        ensureOpen();
        return buffer.compareAndSetInt(valueOffset, expected, value);
    }
}
