package dev.jipc.sync;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

import dev.jipc.core.wait.WaitStrategy;

/**
 * Python's {@code multiprocessing.Array('d', n)}: {@code double}s (as raw long bits) in shared memory with an
 * embedded {@link RLock}. See
 * {@link SharedData} for which operations take the lock. Indexes out of range throw
 * {@link IndexOutOfBoundsException}.
 */
public final class DoubleArray extends SharedArray
{
    private static final int SIZE = Double.BYTES;

    DoubleArray(final SyncArena arena, final int offset, final WaitStrategy strategy)
    {
        super(arena, offset, SyncKind.DOUBLE_ARRAY, strategy);
    }

    /**
     * Creates an array of zeros in an arena of its own in the default directory.
     *
     * @param name   the arena's name.
     * @param length elements, at least 0.
     * @return the array.
     */
    public static DoubleArray create(final String name, final int length)
    {
        return create(defaultDirectory(), name, length, WaitStrategy.SPIN_THEN_PARK);
    }

    /**
     * Creates an array of zeros in an arena of its own.
     *
     * @param directory where the arena goes.
     * @param name      the arena's name.
     * @param length    elements, at least 0.
     * @param strategy  how this process waits for the lock.
     * @return the array.
     */
    public static DoubleArray create(final Path directory, final String name, final int length,
        final WaitStrategy strategy)
    {
        return SyncObject.createDedicated(directory, name, ValueDescriptor.arrayLength(SIZE, Math.max(length, 0)),
            arena -> new DoubleArray(arena, arena.allocateArray(SyncKind.DOUBLE_ARRAY, length), strategy));
    }

    /**
     * Opens an array made by {@link #create(String, int)}.
     *
     * @param name the arena's name.
     * @return the array.
     */
    public static DoubleArray open(final String name)
    {
        return open(defaultDirectory(), name, WaitStrategy.SPIN_THEN_PARK);
    }

    /**
     * Opens an array made by {@link #create(Path, String, int, WaitStrategy)}.
     *
     * @param directory where the arena is.
     * @param name      the arena's name.
     * @param strategy  how this process waits for the lock.
     * @return the array.
     */
    public static DoubleArray open(final Path directory, final String name, final WaitStrategy strategy)
    {
        return (DoubleArray)SyncObject.openDedicated(directory, name, SyncKind.DOUBLE_ARRAY, strategy);
    }

    /**
     * Reads an element under the lock.
     *
     * @param index the element.
     * @return its value.
     */
    public double get(final int index)
    {
        final int at = elementOffset(index, SIZE);
        return Double.longBitsToDouble(getLongLocked(at));
    }

    /**
     * Writes an element under the lock.
     *
     * @param index the element.
     * @param value its new value.
     */
    public void set(final int index, final double value)
    {
        final int at = elementOffset(index, SIZE);
        putLongLocked(at, Double.doubleToRawLongBits(value));
    }

    /**
     * Reads an element without the lock (a volatile read).
     *
     * @param index the element.
     * @return its value.
     */
    public double getRaw(final int index)
    {
        return Double.longBitsToDouble(buffer.getLongVolatile(elementOffset(index, SIZE)));
    }

    /**
     * Writes an element without the lock (a volatile write).
     *
     * @param index the element.
     * @param value its new value.
     */
    public void setRaw(final int index, final double value)
    {
        buffer.putLongVolatile(elementOffset(index, SIZE), Double.doubleToRawLongBits(value));
    }

    /**
     * Adds to an element atomically, without the lock (a compare-and-set loop).
     *
     * @param index the element.
     * @param delta what to add.
     * @return the value before.
     */
    public double getAndAdd(final int index, final double delta)
    {
        final int at = elementOffset(index, SIZE);
        while (true)
        {
            final long bits = buffer.getLongVolatile(at);
            final double value = Double.longBitsToDouble(bits);
            if (buffer.compareAndSetLong(at, bits, Double.doubleToRawLongBits(value + delta)))
            {
                return value;
            }
        }
    }

    /**
     * Sets an element atomically if its bits equal those of the expected value, without the lock.
     *
     * @param index    the element.
     * @param expected the value it must hold.
     * @param value    the new value.
     * @return true if set.
     */
    public boolean compareAndSet(final int index, final double expected, final double value)
    {
        return buffer.compareAndSetLong(
            elementOffset(index, SIZE), Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(value));
    }

    /**
     * Copies elements into a Java array, under the lock (a consistent snapshot against locked writers).
     *
     * @param index      first element to copy.
     * @param dst        where to.
     * @param dstIndex   first index written in {@code dst}.
     * @param count      how many.
     */
    public void copyTo(final int index, final double[] dst, final int dstIndex, final int count)
    {
        checkRange(index, dst.length, dstIndex, count);
        final boolean entered = enter();
        try
        {
            MemorySegment.copy(
                memory, JAVA_DOUBLE_UNALIGNED, elementsOffset + (long)index * SIZE, dst, dstIndex, count);
        }
        finally
        {
            exit(entered);
        }
    }

    /**
     * Copies elements from a Java array, under the lock.
     *
     * @param src      where from.
     * @param srcIndex first index read in {@code src}.
     * @param index    first element written.
     * @param count    how many.
     */
    public void copyFrom(final double[] src, final int srcIndex, final int index, final int count)
    {
        checkRange(index, src.length, srcIndex, count);
        final boolean entered = enter();
        try
        {
            MemorySegment.copy(
                src, srcIndex, memory, JAVA_DOUBLE_UNALIGNED, elementsOffset + (long)index * SIZE, count);
        }
        finally
        {
            exit(entered);
        }
    }

    /**
     * All elements, copied under the lock.
     *
     * @return a new array.
     */
    public double[] toArray()
    {
        final double[] copy = new double[length];
        copyTo(0, copy, 0, length);
        return copy;
    }
}
