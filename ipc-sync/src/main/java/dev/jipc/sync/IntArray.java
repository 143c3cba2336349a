package dev.jipc.sync;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

import dev.jipc.core.wait.WaitStrategy;

/**
 * Python's {@code multiprocessing.Array('i', n)}: {@code int}s in shared memory with an embedded {@link RLock}. See
 * {@link SharedData} for which operations take the lock. Indexes out of range throw
 * {@link IndexOutOfBoundsException}.
 */
public final class IntArray extends SharedArray
{
    private static final int SIZE = Integer.BYTES;

    IntArray(final SyncArena arena, final int offset, final WaitStrategy strategy)
    {
        super(arena, offset, SyncKind.INT_ARRAY, strategy);
    }

    /**
     * Creates an array of zeros in an arena of its own in the default directory.
     *
     * @param name   the arena's name.
     * @param length elements, at least 0.
     * @return the array.
     */
    public static IntArray create(final String name, final int length)
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
    public static IntArray create(final Path directory, final String name, final int length,
        final WaitStrategy strategy)
    {
        return SyncObject.createDedicated(directory, name, ValueDescriptor.arrayLength(SIZE, Math.max(length, 0)),
            arena -> new IntArray(arena, arena.allocateArray(SyncKind.INT_ARRAY, length), strategy));
    }

    /**
     * Opens an array made by {@link #create(String, int)}.
     *
     * @param name the arena's name.
     * @return the array.
     */
    public static IntArray open(final String name)
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
    public static IntArray open(final Path directory, final String name, final WaitStrategy strategy)
    {
        return (IntArray)SyncObject.openDedicated(directory, name, SyncKind.INT_ARRAY, strategy);
    }

    /**
     * Reads an element under the lock.
     *
     * @param index the element.
     * @return its value.
     */
    public int get(final int index)
    {
        final int at = elementOffset(index, SIZE);
        return getIntLocked(at);
    }

    /**
     * Writes an element under the lock.
     *
     * @param index the element.
     * @param value its new value.
     */
    public void set(final int index, final int value)
    {
        final int at = elementOffset(index, SIZE);
        putIntLocked(at, value);
    }

    /**
     * Reads an element without the lock (a volatile read).
     *
     * @param index the element.
     * @return its value.
     */
    public int getRaw(final int index)
    {
        return buffer.getIntVolatile(elementOffset(index, SIZE));
    }

    /**
     * Writes an element without the lock (a volatile write).
     *
     * @param index the element.
     * @param value its new value.
     */
    public void setRaw(final int index, final int value)
    {
        buffer.putIntVolatile(elementOffset(index, SIZE), value);
    }

    /**
     * Adds to an element atomically, without the lock.
     *
     * @param index the element.
     * @param delta what to add.
     * @return the value before.
     */
    public int getAndAdd(final int index, final int delta)
    {
        return buffer.getAndAddInt(elementOffset(index, SIZE), delta);
    }

    /**
     * Sets an element atomically if it holds the expected value, without the lock.
     *
     * @param index    the element.
     * @param expected the value it must hold.
     * @param value    the new value.
     * @return true if set.
     */
    public boolean compareAndSet(final int index, final int expected, final int value)
    {
        return buffer.compareAndSetInt(elementOffset(index, SIZE), expected, value);
    }

    /**
     * Copies elements into a Java array, under the lock (a consistent snapshot against locked writers).
     *
     * @param index      first element to copy.
     * @param dst        where to.
     * @param dstIndex   first index written in {@code dst}.
     * @param count      how many.
     */
    public void copyTo(final int index, final int[] dst, final int dstIndex, final int count)
    {
        checkRange(index, dst.length, dstIndex, count);
        final boolean entered = enter();
        try
        {
            MemorySegment.copy(memory, JAVA_INT_UNALIGNED, elementsOffset + (long)index * SIZE, dst, dstIndex, count);
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
    public void copyFrom(final int[] src, final int srcIndex, final int index, final int count)
    {
        checkRange(index, src.length, srcIndex, count);
        final boolean entered = enter();
        try
        {
            MemorySegment.copy(src, srcIndex, memory, JAVA_INT_UNALIGNED, elementsOffset + (long)index * SIZE, count);
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
    public int[] toArray()
    {
        final int[] copy = new int[length];
        copyTo(0, copy, 0, length);
        return copy;
    }
}
