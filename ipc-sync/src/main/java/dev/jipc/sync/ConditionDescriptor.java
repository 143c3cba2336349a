package dev.jipc.sync;

import static org.agrona.BitUtil.CACHE_LINE_LENGTH;

import dev.jipc.core.wait.EventCount;

/**
 * Layout of a {@link Condition}. Its lock is a separate {@link Lock} or {@link RLock} entry of the same arena.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 Lock Offset (an entry of kind LOCK or RLOCK)  |
 *  +---------------------------------------------------------------+
 *  |       Waiters: Epoch (high 16 bits; advanced by every notify  |
 *  |       that finds a waiter) | Count (low 16 bits; threads that  |
 *  |       registered in the Epoch and have not left)              |
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

    /**
     * The Count half of a Waiters word.
     *
     * @param waiters the Waiters word.
     * @return the threads registered in its epoch.
     */
    public static int waiterCount(final int waiters)
    {
        return waiters & 0xFFFF;
    }

    /**
     * The Epoch half of a Waiters word.
     *
     * @param waiters the Waiters word.
     * @return its epoch.
     */
    public static int waiterEpoch(final int waiters)
    {
        return waiters >>> 16;
    }

    /**
     * A Waiters word.
     *
     * @param epoch an epoch; only its low 16 bits are kept.
     * @param count the threads registered in it, below 65,536.
     * @return the word.
     */
    public static int waitersWord(final int epoch, final int count)
    {
        return epoch << 16 | count;
    }
}
