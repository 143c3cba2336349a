package dev.jipc.sync;

import java.nio.file.Path;
import java.util.function.DoubleUnaryOperator;

import dev.jipc.core.wait.WaitStrategy;

/**
 * Python's {@code multiprocessing.Value('d')}: a {@code double} in shared memory (as its raw long bits) with an
 * embedded {@link RLock}. See {@link SharedData} for which operations take the lock. {@link #compareAndSet} compares
 * bit patterns, as {@link java.lang.invoke.VarHandle} does for doubles.
 */
public final class DoubleValue extends SharedValue
{
    private final int valueOffset;

    DoubleValue(final SyncArena arena, final int offset, final WaitStrategy strategy)
    {
        super(arena, offset, SyncKind.DOUBLE_VALUE, strategy);
        this.valueOffset = offset + ValueDescriptor.VALUE_OFFSET;
    }

    /**
     * Creates a value in an arena of its own in the default directory.
     *
     * @param name    the arena's name.
     * @param initial the value.
     * @return the value.
     */
    public static DoubleValue create(final String name, final double initial)
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
    public static DoubleValue create(final Path directory, final String name, final double initial,
        final WaitStrategy strategy)
    {
        return SyncObject.createDedicated(directory, name, ValueDescriptor.VALUE_LENGTH, arena -> new DoubleValue(
            arena, arena.allocateValue(SyncKind.DOUBLE_VALUE, Double.doubleToRawLongBits(initial)), strategy));
    }

    /**
     * Opens a value made by {@link #create(String, double)}.
     *
     * @param name the arena's name.
     * @return the value.
     */
    public static DoubleValue open(final String name)
    {
        return open(defaultDirectory(), name, WaitStrategy.SPIN_THEN_PARK);
    }

    /**
     * Opens a value made by {@link #create(Path, String, double, WaitStrategy)}.
     *
     * @param directory where the arena is.
     * @param name      the arena's name.
     * @param strategy  how this process waits for the lock.
     * @return the value.
     */
    public static DoubleValue open(final Path directory, final String name, final WaitStrategy strategy)
    {
        return (DoubleValue)SyncObject.openDedicated(directory, name, SyncKind.DOUBLE_VALUE, strategy);
    }

    /**
     * Reads the value under the lock.
     *
     * @return the value.
     */
    public double get()
    {
        ensureOpen();
        return Double.longBitsToDouble(getLongLocked(valueOffset));
    }

    /**
     * Writes the value under the lock.
     *
     * @param value the new value.
     */
    public void set(final double value)
    {
        ensureOpen();
        putLongLocked(valueOffset, Double.doubleToRawLongBits(value));
    }

    /**
     * Replaces the value with a function of it, under the lock.
     *
     * @param op computes the new value from the old; runs with the lock held.
     * @return the new value.
     */
    public double update(final DoubleUnaryOperator op)
    {
        ensureOpen();
        final boolean entered = enter();
        try
        {
            final double value = op.applyAsDouble(Double.longBitsToDouble(buffer.getLongVolatile(valueOffset)));
            buffer.putLongRelease(valueOffset, Double.doubleToRawLongBits(value));
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
    public double getRaw()
    {
        ensureOpen();
        return Double.longBitsToDouble(buffer.getLongVolatile(valueOffset));
    }

    /**
     * Writes the value without the lock (a volatile write).
     *
     * @param value the new value.
     */
    public void setRaw(final double value)
    {
        ensureOpen();
        buffer.putLongVolatile(valueOffset, Double.doubleToRawLongBits(value));
    }

    /**
     * Adds atomically, without the lock (a compare-and-set loop).
     *
     * @param delta what to add.
     * @return the value before.
     */
    public double getAndAdd(final double delta)
    {
        ensureOpen();
        while (true)
        {
            final long bits = buffer.getLongVolatile(valueOffset);
            final double value = Double.longBitsToDouble(bits);
            if (buffer.compareAndSetLong(valueOffset, bits, Double.doubleToRawLongBits(value + delta)))
            {
                return value;
            }
        }
    }

    /**
     * Sets the value atomically if its bits equal those of the expected value, without the lock.
     *
     * @param expected the value it must hold.
     * @param value    the new value.
     * @return true if set.
     */
    public boolean compareAndSet(final double expected, final double value)
    {
        ensureOpen();
        return buffer.compareAndSetLong(
            valueOffset, Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(value));
    }
}
