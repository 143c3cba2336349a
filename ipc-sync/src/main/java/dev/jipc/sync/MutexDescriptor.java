package dev.jipc.sync;

import static org.agrona.BitUtil.CACHE_LINE_LENGTH;

import dev.jipc.core.wait.EventCount;

/**
 * Layout of a robust mutex: the whole of a {@link Lock} or {@link RLock}, and the first cache line of every value and
 * array (their embedded {@link RLock}).
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |              Owner: process token (ProcessRegistry; 0 = free) |
 *  +---------------------------------------------------------------+
 *  |              Owner: thread id                                 |
 *  +---------------------------------------------------------------+
 *  |              Reserved (0)                                     |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |              Reserved (0)                                     |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |              Hold Count (RLock; written by the owner only)    |
 *  +---------------------------------------------------------------+
 *  |              Owner Deaths (locks recovered from dead owners)  |
 *  +---------------------------------------------------------------+
 *  |              Event Count: Sequence (futex word)               |
 *  +---------------------------------------------------------------+
 *  |              Event Count: Waiters                             |
 *  +---------------------------------------------------------------+
 *  |              Reserved (zero) to 64 bytes                     ...
 *  +---------------------------------------------------------------+
 * </pre>
 * The Owner word is a {@link ProcessOwner} word, changed only by compare-and-set (acquire, recovery) or by a release
 * store of 0 from its owner: its low int is the owner process's token, its high int the owning thread's id.
 */
public final class MutexDescriptor
{
    public static final int OWNER_OFFSET;
    public static final int HOLD_COUNT_OFFSET;
    public static final int OWNER_DEATHS_OFFSET;
    public static final int EVENT_COUNT_OFFSET;
    /** Bytes a mutex takes: one cache line. */
    public static final int LENGTH;

    static
    {
        int offset = 0;
        OWNER_OFFSET = offset;
        offset += Long.BYTES;
        offset += Long.BYTES * 2; // reserved
        HOLD_COUNT_OFFSET = offset;
        offset += Integer.BYTES;
        OWNER_DEATHS_OFFSET = offset;
        offset += Integer.BYTES;
        EVENT_COUNT_OFFSET = offset;
        offset += EventCount.LENGTH;
        LENGTH = CACHE_LINE_LENGTH;
        if (offset > LENGTH)
        {
            throw new AssertionError("mutex overflows its cache line: offset=" + offset);
        }
    }

    private MutexDescriptor()
    {
    }
}
