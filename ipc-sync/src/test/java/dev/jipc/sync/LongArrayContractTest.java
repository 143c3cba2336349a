package dev.jipc.sync;

import java.nio.file.Path;

/** The array contract over {@link LongArray}. Wrong kind: a {@link DoubleArray}. */
class LongArrayContractTest extends SharedArrayContract<LongArray>
{
    @Override
    LongArray create(final Path directory, final String name, final int length)
    {
        return LongArray.create(directory, name, length, SharedValueContract.strategy());
    }

    @Override
    LongArray open(final Path directory, final String name)
    {
        return LongArray.open(directory, name, SharedValueContract.strategy());
    }

    @Override
    AutoCloseable createOtherKind(final Path directory, final String name)
    {
        final DoubleArray other = DoubleArray.create(directory, name, LENGTH, SharedValueContract.strategy());
        return () ->
        {
            other.unlink();
            other.close();
        };
    }

    @Override
    long get(final LongArray array, final int index)
    {
        return array.get(index);
    }

    @Override
    void set(final LongArray array, final int index, final long value)
    {
        array.set(index, value);
    }

    @Override
    long getRaw(final LongArray array, final int index)
    {
        return array.getRaw(index);
    }

    @Override
    void setRaw(final LongArray array, final int index, final long value)
    {
        array.setRaw(index, value);
    }

    @Override
    long getAndAdd(final LongArray array, final int index, final long delta)
    {
        return array.getAndAdd(index, delta);
    }

    @Override
    boolean compareAndSet(final LongArray array, final int index, final long expected, final long value)
    {
        return array.compareAndSet(index, expected, value);
    }

    @Override
    void copyTo(final LongArray array, final int index, final long[] dst, final int dstIndex, final int count)
    {
        final long[] copy = new long[dst.length];
        array.copyTo(index, copy, dstIndex, count);
        for (int i = dstIndex; i < dstIndex + count; i++)
        {
            dst[i] = copy[i];
        }
    }

    @Override
    void copyFrom(final LongArray array, final long[] src, final int srcIndex, final int index, final int count)
    {
        final long[] copy = new long[src.length];
        for (int i = 0; i < src.length; i++)
        {
            copy[i] = src[i];
        }
        array.copyFrom(copy, srcIndex, index, count);
    }

    @Override
    long[] toArray(final LongArray array)
    {
        final long[] values = array.toArray();
        final long[] longs = new long[values.length];
        for (int i = 0; i < values.length; i++)
        {
            longs[i] = values[i];
        }
        return longs;
    }
}
