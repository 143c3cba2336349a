package dev.jipc.sync;

import static org.agrona.BitUtil.CACHE_LINE_LENGTH;

import dev.jipc.core.EventCount;

/**
 * Layout of a {@link Condition}. Its lock is a separate {@link Lock} or {@link RLock} entry of the same arena.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 Lock Offset (an entry of kind LOCK or RLOCK)  |
 *  +---------------------------------------------------------------+
 *  |                 Waiters (registered before the lock is        |
 *  |                 released, deregistered after the wait)        |
 *  +---------------------------------------------------------------+
 *  |                 Event Count: Sequence (futex word;            |
 *  |                 advanced by every notify that finds a waiter) |
 *  +---------------------------------------------------------------+
 *  |                 Event Count: Waiters (the sleeping ones)      |
 *  +---------------------------------------------------------------+
 *  |                 Reserved (zero) to 64 bytes                  ...
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class ConditionDescriptor
{
    public static final int LOCK_OFFSET_OFFSET;
    public static final int WAITERS_OFFSET;
    public static final int EVENT_COUNT_OFFSET;
    /** Bytes a condition takes: one cache line. */
    public static final int LENGTH = CACHE_LINE_LENGTH;

    static
    {
        int offset = 0;
        LOCK_OFFSET_OFFSET = offset;
        offset += Integer.BYTES;
        WAITERS_OFFSET = offset;
        offset += Integer.BYTES;
        EVENT_COUNT_OFFSET = offset;
        offset += EventCount.LENGTH;
    }

    private ConditionDescriptor()
    {
    }
}
