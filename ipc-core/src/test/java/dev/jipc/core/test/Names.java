package dev.jipc.core.test;

import java.util.concurrent.atomic.AtomicInteger;

/** Segment names no other test, nor an earlier run of this one, uses. */
public final class Names
{
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private Names()
    {
    }

    /**
     * A fresh segment name.
     *
     * @param prefix what the segment is for.
     * @return {@code prefix-<pid>-<n>-<nanos>}.
     */
    public static String unique(final String prefix)
    {
        return prefix + "-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet() + "-" +
            Long.toHexString(System.nanoTime());
    }
}
