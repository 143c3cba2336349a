package dev.jipc.sync;

import java.nio.file.Path;

/** The array contract over {@link DoubleArray}. Wrong kind: an {@link IntArray}. */
class DoubleArrayContractTest extends SharedArrayContract<DoubleArray>
{
    @Override
    DoubleArray create(final Path directory, final String name, final int length)
    {
        return DoubleArray.create(directory, name, length, SharedValueContract.strategy());
    }

    @Override
    DoubleArray open(final Path directory, final String name)
    {
        return DoubleArray.open(directory, name, SharedValueContract.strategy());
    }

    @Override
    AutoCloseable createOtherKind(final Path directory, final String name)
    {
        final IntArray other = IntArray.create(directory, name, LENGTH, SharedValueContract.strategy());
        return () ->
        {
            other.unlink();
            other.close();
        };
    }

    @Override
    long get(final DoubleArray array, final int index)
    {
        return (long)array.get(index);
    }

    @Override
    void set(final DoubleArray array, final int index, final long value)
    {
        array.set(index, value);
    }

    @Override
    long getRaw(final DoubleArray array, final int index)
    {
        return (long)array.getRaw(index);
    }

    @Override
    void setRaw(final DoubleArray array, final int index, final long value)
    {
        array.setRaw(index, value);
    }

    @Override
    long getAndAdd(final DoubleArray array, final int index, final long delta)
    {
        return (long)array.getAndAdd(index, delta);
    }

    @Override
    boolean compareAndSet(final DoubleArray array, final int index, final long expected, final long value)
    {
        return array.compareAndSet(index, expected, value);
    }

    @Override
    void copyTo(final DoubleArray array, final int index, final long[] dst, final int dstIndex, final int count)
    {
        final double[] copy = new double[dst.length];
        array.copyTo(index, copy, dstIndex, count);
        for (int i = dstIndex; i < dstIndex + count; i++)
        {
            dst[i] = (long)copy[i];
        }
    }

    @Override
    void copyFrom(final DoubleArray array, final long[] src, final int srcIndex, final int index, final int count)
    {
        final double[] copy = new double[src.length];
        for (int i = 0; i < src.length; i++)
        {
            copy[i] = src[i];
        }
        array.copyFrom(copy, srcIndex, index, count);
    }

    @Override
    long[] toArray(final DoubleArray array)
    {
        final double[] values = array.toArray();
        final long[] longs = new long[values.length];
        for (int i = 0; i < values.length; i++)
        {
            longs[i] = (long)values[i];
        }
        return longs;
    }
}
