package dev.jipc.sync;

import static org.agrona.BitUtil.CACHE_LINE_LENGTH;

import dev.jipc.core.wait.EventCount;

/**
 * Layout of a {@link Barrier}.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-----------------------------------------------------------+-+-+
 *  |      State: Arrived (parties arrived in this generation)  |T|B|
 *  +-----------------------------------------------------------+-+-+
 *  |      State: Generation                                        |
 *  +---------------------------------------------------------------+
 *  |      Parties                                                  |
 *  +---------------------------------------------------------------+
 *  |      Reserved (zero)                                          |
 *  +---------------------------------------------------------------+
 *  |      Event Count: Sequence (futex word)                       |
 *  +---------------------------------------------------------------+
 *  |      Event Count: Waiters                                     |
 *  +---------------------------------------------------------------+
 *  |      Outcome history: 4 entries of 8 bytes                   ...
 *  +-------------------------------------------------------------+-+-+
 *  |      Entry: Generation (62 bits)                            |V|T|
 *  +-------------------------------------------------------------+-+-+
 *  |      Reserved (zero) to 64 bytes                             ...
 *  +---------------------------------------------------------------+
 * </pre>
 * State is one little-endian long, changed only by compare-and-set. B: the current generation is broken. T: the
 * previous generation tripped (rather than being reset), so that a party woken by a change of generation learns how
 * its own generation ended. Arrived equal to Parties means the last party is running the barrier action.
 * <p>
 * The history keeps how the last few generations ended, for a party that wakes only after a later generation has
 * ended too (more threads than parties): entry {@code g % 4} holds generation g, V (the entry is valid) and T (it
 * tripped). Whoever ends generation g + 1 writes the entry of g, from the state's T, before its compare-and-set, so
 * the entry of g is there before any state shows generation g + 2. Entries only move forward in generation.
 */
public final class BarrierDescriptor
{
    public static final int STATE_OFFSET;
    public static final int PARTIES_OFFSET;
    public static final int EVENT_COUNT_OFFSET;
    public static final int HISTORY_OFFSET;
    /** Generations the history remembers. */
    public static final int HISTORY_ENTRIES = 4;
    /** Most parties a barrier may have: what Arrived can count. */
    public static final int MAX_PARTIES = (1 << 29) - 1;
    /** Bytes a barrier takes: one cache line. */
    public static final int LENGTH = CACHE_LINE_LENGTH;

    static
    {
        int offset = 0;
        STATE_OFFSET = offset;
        offset += Long.BYTES;
        PARTIES_OFFSET = offset;
        offset += Integer.BYTES * 2;
        EVENT_COUNT_OFFSET = offset;
        offset += EventCount.LENGTH;
        HISTORY_OFFSET = offset;
        offset += HISTORY_ENTRIES * Long.BYTES;
        if (offset > LENGTH)
        {
            throw new IllegalStateException("barrier layout longer than a cache line: " + offset);
        }
    }

    private BarrierDescriptor()
    {
    }

    /**
     * Packs a state word.
     *
     * @param generation       the generation.
     * @param arrived          parties arrived in it.
     * @param previousTripped  whether the previous generation tripped.
     * @param broken           whether this generation is broken.
     * @return the word.
     */
    public static long state(
        final int generation, final int arrived, final boolean previousTripped, final boolean broken)
    {
        return ((long)generation << 32) | ((long)arrived << 2) | (previousTripped ? 2 : 0) | (broken ? 1 : 0);
    }

    /**
     * @param state a state word.
     * @return its generation.
     */
    public static int generation(final long state)
    {
        return (int)(state >>> 32);
    }

    /**
     * @param state a state word.
     * @return parties arrived in its generation.
     */
    public static int arrived(final long state)
    {
        return (int)((state & 0xFFFF_FFFFL) >>> 2);
    }

    /**
     * @param state a state word.
     * @return whether the previous generation tripped.
     */
    public static boolean previousTripped(final long state)
    {
        return (state & 2) != 0;
    }

    /**
     * Packs a history entry.
     *
     * @param generation the generation that ended.
     * @param tripped    whether it tripped (rather than being reset).
     * @return the entry.
     */
    public static long historyEntry(final int generation, final boolean tripped)
    {
        return ((long)generation << 2) | 2 | (tripped ? 1 : 0);
    }

    /**
     * @param entry a history entry.
     * @return whether the entry was ever written.
     */
    public static boolean isValidEntry(final long entry)
    {
        return (entry & 2) != 0;
    }

    /**
     * @param entry a valid history entry.
     * @return the generation it records.
     */
    public static int entryGeneration(final long entry)
    {
        return (int)(entry >> 2);
    }

    /**
     * @param entry a valid history entry.
     * @return whether that generation tripped.
     */
    public static boolean entryTripped(final long entry)
    {
        return (entry & 1) != 0;
    }

    /**
     * @param state a state word.
     * @return whether its generation is broken.
     */
    public static boolean isBroken(final long state)
    {
        return (state & 1) != 0;
    }
}
