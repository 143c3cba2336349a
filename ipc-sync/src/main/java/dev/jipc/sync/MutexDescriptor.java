package dev.jipc.sync;

import static org.agrona.BitUtil.CACHE_LINE_LENGTH;

import dev.jipc.core.EventCount;

/**
 * Layout of a robust mutex: the whole of a {@link Lock} or {@link RLock}, and the first cache line of every value and
 * array (their embedded {@link RLock}).
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |              Owner: pid (0 = free)                            |
 *  +---------------------------------------------------------------+
 *  |              Owner: thread tag                                |
 *  +---------------------------------------------------------------+
 *  |              Owner Record (a copy of the Owner word,          |
 *  |              published once Owner Start Time is written)      |
 *  +---------------------------------------------------------------+
 *  |              Owner Start Time (ProcessIdentity.startTime)     |
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
 * The Owner word is one little-endian long, changed only by compare-and-set (acquire, recovery) or by a release store
 * of 0 from its owner. Its low int is the owner's pid, its high int a tag unique among the live threads of that
 * process (see {@link RobustLock}). Owner Record and Owner Start Time let a waiter tell a live owner from a dead one
 * whose pid the kernel has given to another process.
 */
public final class MutexDescriptor
{
    public static final int OWNER_OFFSET;
    public static final int OWNER_RECORD_OFFSET;
    public static final int OWNER_START_TIME_OFFSET;
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
        OWNER_RECORD_OFFSET = offset;
        offset += Long.BYTES;
        OWNER_START_TIME_OFFSET = offset;
        offset += Long.BYTES;
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

    /**
     * The pid part of an owner word.
     *
     * @param owner an owner word.
     * @return the pid, 0 when free.
     */
    public static long ownerPid(final long owner)
    {
        return owner & 0xFFFF_FFFFL;
    }

    /**
     * The thread tag part of an owner word.
     *
     * @param owner an owner word.
     * @return the tag.
     */
    public static int ownerTag(final long owner)
    {
        return (int)(owner >>> 32);
    }

    /**
     * Packs an owner word.
     *
     * @param pid a process id, not 0.
     * @param tag the thread's tag.
     * @return the word.
     */
    public static long owner(final long pid, final int tag)
    {
        return ((long)tag << 32) | (pid & 0xFFFF_FFFFL);
    }
}
