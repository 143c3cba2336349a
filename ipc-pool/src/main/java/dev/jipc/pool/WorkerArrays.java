package dev.jipc.pool;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import java.util.function.LongUnaryOperator;

import dev.jipc.sync.DoubleArray;
import dev.jipc.sync.LongArray;
import dev.jipc.sync.SharedArray;

/**
 * The shared arrays of primitive maps that a worker JVM keeps mapped, and how it applies a function to a range of
 * them: through one block of this JVM's memory, reused, so that a range allocates nothing and its block stays in the
 * CPU's cache between the copy in, the function and the copy out.
 */
final class WorkerArrays implements AutoCloseable
{
    /** Arrays kept mapped, least recently used closed first: a pool's calls reuse a few pairs (its scratch). */
    private static final int OPEN_ARRAYS = 4;
    /** Elements per block: 8 KiB, well inside a core's L1 cache. */
    private static final int BLOCK = 1024;

    private final Map<String, SharedArray> open = new LinkedHashMap<>(16, 0.75f, true);
    private final long[] longBlock = new long[BLOCK];
    private final double[] doubleBlock = new double[BLOCK];

    /** {@code out[i] = fn(in[i])} for {@code i} in {@code [from, to)}. */
    void applyLongs(final LongUnaryOperator fn, final String inName, final String outName, final int from,
        final int to)
    {
        final LongArray in = (LongArray)open(inName, true);
        final LongArray out = (LongArray)open(outName, true);
        final long[] block = longBlock;
        for (int at = from; at < to; at += BLOCK)
        {
            final int count = Math.min(BLOCK, to - at);
            in.copyTo(at, block, 0, count);
            JobRunner.applyLongs(fn, block, count);
            out.copyFrom(block, 0, at, count);
        }
    }

    /** {@code out[i] = fn(in[i])} for {@code i} in {@code [from, to)}. */
    void applyDoubles(final DoubleUnaryOperator fn, final String inName, final String outName, final int from,
        final int to)
    {
        final DoubleArray in = (DoubleArray)open(inName, false);
        final DoubleArray out = (DoubleArray)open(outName, false);
        final double[] block = doubleBlock;
        for (int at = from; at < to; at += BLOCK)
        {
            final int count = Math.min(BLOCK, to - at);
            in.copyTo(at, block, 0, count);
            JobRunner.applyDoubles(fn, block, count);
            out.copyFrom(block, 0, at, count);
        }
    }

    private SharedArray open(final String name, final boolean longs)
    {
        SharedArray array = open.get(name);
        if (array == null)
        {
            array = longs ? LongArray.open(name) : DoubleArray.open(name);
            open.put(name, array);
            if (open.size() > OPEN_ARRAYS)
            {
                final Iterator<SharedArray> eldest = open.values().iterator();
                eldest.next().close();
                eldest.remove();
            }
        }
        return array;
    }

    @Override
    public void close()
    {
        open.values().forEach(SharedArray::close);
        open.clear();
    }
}
