package dev.jipc.sync;

import static org.agrona.BitUtil.CACHE_LINE_LENGTH;

import dev.jipc.core.wait.EventCount;

/**
 * Layout of an {@link Event}.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 Flag (0 clear, 1 set)                         |
 *  +---------------------------------------------------------------+
 *  |                 Reserved (zero)                               |
 *  +---------------------------------------------------------------+
 *  |                 Event Count: Sequence (futex word)            |
 *  +---------------------------------------------------------------+
 *  |                 Event Count: Waiters                          |
 *  +---------------------------------------------------------------+
 *  |                 Reserved (zero) to 64 bytes                  ...
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class EventDescriptor
{
    public static final int FLAG_OFFSET;
    public static final int EVENT_COUNT_OFFSET;
    /** Bytes an event takes: one cache line. */
    public static final int LENGTH = CACHE_LINE_LENGTH;

    static
    {
        int offset = 0;
        FLAG_OFFSET = offset;
        offset += Integer.BYTES * 2;
        EVENT_COUNT_OFFSET = offset;
        offset += EventCount.LENGTH;
    }

    private EventDescriptor()
    {
    }
}
