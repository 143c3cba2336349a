package dev.jipc.sync;

import static org.agrona.BitUtil.CACHE_LINE_LENGTH;

import dev.jipc.core.wait.EventCount;

/**
 * Layout of a {@link Semaphore} or {@link BoundedSemaphore}.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 Value (permits available, >= 0)               |
 *  +---------------------------------------------------------------+
 *  |                 Bound (BoundedSemaphore: most permits;        |
 *  |                 Semaphore: Integer.MAX_VALUE)                 |
 *  +---------------------------------------------------------------+
 *  |                 Event Count: Sequence (futex word)            |
 *  +---------------------------------------------------------------+
 *  |                 Event Count: Waiters                          |
 *  +---------------------------------------------------------------+
 *  |                 Reserved (zero) to 64 bytes                  ...
 *  +---------------------------------------------------------------+
 * </pre>
 * Value changes only by compare-and-set (acquire, bounded release) or atomic add (release).
 */
public final class SemaphoreDescriptor
{
    public static final int VALUE_OFFSET;
    public static final int BOUND_OFFSET;
    public static final int EVENT_COUNT_OFFSET;
    /** Bytes a semaphore takes: one cache line. */
    public static final int LENGTH = CACHE_LINE_LENGTH;

    static
    {
        int offset = 0;
        VALUE_OFFSET = offset;
        offset += Integer.BYTES;
        BOUND_OFFSET = offset;
        offset += Integer.BYTES;
        EVENT_COUNT_OFFSET = offset;
        offset += EventCount.LENGTH;
    }

    private SemaphoreDescriptor()
    {
    }
}
