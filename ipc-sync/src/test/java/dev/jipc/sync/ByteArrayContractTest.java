package dev.jipc.sync;

import java.nio.file.Path;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * The array contract over {@link ByteArray}. Wrong kind: an {@link IntArray}. A {@code ByteArray} has no
 * {@code getAndAdd} or {@code compareAndSet}, so the atomics case does not run.
 */
class ByteArrayContractTest extends SharedArrayContract<ByteArray>
{
    @Override
    ByteArray create(final Path directory, final String name, final int length)
    {
        return ByteArray.create(directory, name, length, SharedValueContract.strategy());
    }

    @Override
    ByteArray open(final Path directory, final String name)
    {
        return ByteArray.open(directory, name, SharedValueContract.strategy());
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
    long get(final ByteArray array, final int index)
    {
        return array.get(index);
    }

    @Override
    void set(final ByteArray array, final int index, final long value)
    {
        array.set(index, (byte)value);
    }

    @Override
    long getRaw(final ByteArray array, final int index)
    {
        return array.getRaw(index);
    }

    @Override
    void setRaw(final ByteArray array, final int index, final long value)
    {
        array.setRaw(index, (byte)value);
    }


    @Override
    long getAndAdd(final ByteArray array, final int index, final long delta)
    {
        throw new UnsupportedOperationException("ByteArray has no atomics");
    }

    @Override
    boolean compareAndSet(final ByteArray array, final int index, final long expected, final long value)
    {
        throw new UnsupportedOperationException("ByteArray has no atomics");
    }

    @Test
    @Override
    @Disabled("ByteArray has no getAndAdd or compareAndSet")
    void shouldAddAndCompareAndSetElementsAtomically()
    {
    }

    @Override
    void copyTo(final ByteArray array, final int index, final long[] dst, final int dstIndex, final int count)
    {
        final byte[] copy = new byte[dst.length];
        array.copyTo(index, copy, dstIndex, count);
        for (int i = dstIndex; i < dstIndex + count; i++)
        {
            dst[i] = copy[i];
        }
    }

    @Override
    void copyFrom(final ByteArray array, final long[] src, final int srcIndex, final int index, final int count)
    {
        final byte[] copy = new byte[src.length];
        for (int i = 0; i < src.length; i++)
        {
            copy[i] = (byte)src[i];
        }
        array.copyFrom(copy, srcIndex, index, count);
    }

    @Override
    long[] toArray(final ByteArray array)
    {
        final byte[] values = array.toArray();
        final long[] longs = new long[values.length];
        for (int i = 0; i < values.length; i++)
        {
            longs[i] = values[i];
        }
        return longs;
    }
}
