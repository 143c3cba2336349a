package dev.jipc.pool;

import java.util.function.IntFunction;

import dev.jipc.sync.SharedArray;

/**
 * The pair of shared arrays a pool's primitive map passes its arguments and results through, kept between calls:
 * making two segments per call cost more than the map itself (2 to 4 ms each for 100,000 longs here), and a worker
 * keeps the arrays it has mapped open by name, so a reused pair is not mapped again either. One call at a time
 * borrows the pair; a concurrent call gets a pair of its own, released after it.
 *
 * @param <A> the array type.
 */
final class ScratchArrays<A extends SharedArray>
{
    private final Context context;
    private final IntFunction<A> create;
    private A in;
    private A out;
    private boolean lent;

    ScratchArrays(final Context context, final IntFunction<A> create)
    {
        this.context = context;
        this.create = create;
    }

    /**
     * Borrows a pair of at least {@code length} elements.
     *
     * @param length the elements needed.
     * @return the pair: {@code [in, out]}.
     */
    synchronized SharedArray[] borrow(final int length)
    {
        if (lent)
        {
            return new SharedArray[] {create.apply(length), create.apply(length)};
        }
        if (in == null || in.length() < length)
        {
            releaseKept();
            in = create.apply(length);
            out = create.apply(length);
        }
        lent = true;
        return new SharedArray[] {in, out};
    }

    /**
     * Gives a pair back.
     *
     * @param pair what {@link #borrow} returned.
     */
    synchronized void giveBack(final SharedArray[] pair)
    {
        if (pair[0] == in)
        {
            lent = false;
            return;
        }
        context.release(pair[0]);
        context.release(pair[1]);
    }

    /** Releases the kept pair, when the pool ends. */
    synchronized void releaseKept()
    {
        if (in != null)
        {
            context.release(in);
            context.release(out);
            in = null;
            out = null;
        }
    }
}
