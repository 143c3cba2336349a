package dev.jipc.sync;

import java.nio.file.Path;

/** The array contract over {@link IntArray}. Wrong kind: a {@link LongArray}. */
class IntArrayContractTest extends SharedArrayContract<IntArray>
{
    @Override
    IntArray create(final Path directory, final String name, final int length)
    {
        return IntArray.create(directory, name, length, SharedValueContract.strategy());
    }

    @Override
    IntArray open(final Path directory, final String name)
    {
        return IntArray.open(directory, name, SharedValueContract.strategy());
    }

    @Override
    AutoCloseable createOtherKind(final Path directory, final String name)
    {
        final LongArray other = LongArray.create(directory, name, LENGTH, SharedValueContract.strategy());
        return () ->
        {
            other.unlink();
            other.close();
        };
    }

    @Override
    long get(final IntArray array, final int index)
    {
        return array.get(index);
    }

    @Override
    void set(final IntArray array, final int index, final long value)
    {
        array.set(index, (int)value);
    }

    @Override
    long getRaw(final IntArray array, final int index)
    {
        return array.getRaw(index);
    }

    @Override
    void setRaw(final IntArray array, final int index, final long value)
    {
        array.setRaw(index, (int)value);
    }

    @Override
    long getAndAdd(final IntArray array, final int index, final long delta)
    {
        return array.getAndAdd(index, (int)delta);
    }

    @Override
    boolean compareAndSet(final IntArray array, final int index, final long expected, final long value)
    {
        return array.compareAndSet(index, (int)expected, (int)value);
    }

    @Override
    void copyTo(final IntArray array, final int index, final long[] dst, final int dstIndex, final int count)
    {
        final int[] copy = new int[dst.length];
        array.copyTo(index, copy, dstIndex, count);
        for (int i = dstIndex; i < dstIndex + count; i++)
        {
            dst[i] = copy[i];
        }
    }

    @Override
    void copyFrom(final IntArray array, final long[] src, final int srcIndex, final int index, final int count)
    {
        final int[] copy = new int[src.length];
        for (int i = 0; i < src.length; i++)
        {
            copy[i] = (int)src[i];
        }
        array.copyFrom(copy, srcIndex, index, count);
    }

    @Override
    long[] toArray(final IntArray array)
    {
        final int[] values = array.toArray();
        final long[] longs = new long[values.length];
        for (int i = 0; i < values.length; i++)
        {
            longs[i] = values[i];
        }
        return longs;
    }
}
