package dev.jipc.durable;

/**
 * The layout of a named consumer's segment ({@code consumer.<name>} beside the journal), which records what the
 * consumer's processes took and acknowledged. Offsets are from the start of the segment's body.
 * <pre>
 *   Body
 *  +---------------------------------------------------------------+
 *  |  Cursor: index of the last message claimed (-1: none yet)     |  +0
 *  +---------------------------------------------------------------+
 *  |  Redo log (RedoLog, 104 bytes)                                |  +64
 *  +---------------------------------------------------------------+
 *  |  Member slot 0                                                |  +256
 *  |  ...                                                          |
 *  |  Member slot 31                                               |
 *  +---------------------------------------------------------------+
 *
 *   Member slot (one per consumer handle that shares the name)
 *  +---------------------------------------------------------------+
 *  |  Owner (ProcessOwner word; 0: free)                           |  +0
 *  +---------------------------------------------------------------+
 *  |  Acked: how many of the messages it took are acknowledged     |  +8
 *  +---------------------------------------------------------------+
 *  |  Head: ring position of the oldest range not all acknowledged |  +16
 *  +---------------------------------------------------------------+
 *  |  Tail: ring position after the newest range                   |  +24
 *  +---------------------------------------------------------------+
 *  |  Range ring: 1024 ranges of 32 bytes, position p at p % 1024  |  +64
 *  +---------------------------------------------------------------+
 *
 *   Range: messages From..To (journal indexes of one cycle, both inclusive), taken in this order
 *  +---------------------------------------------------------------+
 *  |  From                                                         |  +0
 *  +---------------------------------------------------------------+
 *  |  To                                                           |  +8
 *  +---------------------------------------------------------------+
 *  |  End Count: messages the slot took up to the end of the range |  +16
 *  +---------------------------------------------------------------+
 *  |  Reserved                                                     |  +24
 *  +---------------------------------------------------------------+
 * </pre>
 * A member's messages, in the order it took them, are its ranges from Head to Tail; the first Acked of them are
 * acknowledged. An acknowledgement is therefore one store (of Acked), which a kill cannot tear. The Cursor, the ranges
 * and Tail change only under the consumer's lock and through the redo log, so a claim (which moves the Cursor and
 * records the range) and an adoption (which moves a dead member's unacknowledged ranges to a live one) happen whole.
 * Every field is a little-endian long. Positions and counts are below {@value #MAX_VALUE} and indexes below
 * {@link Long#MAX_VALUE} (checked when a process joins the name), so no sum that the code makes overflows.
 */
final class ConsumerDescriptor
{
    /**
     * Cursor value of a consumer that has not claimed anything: it starts at the journal's first message. The cursor
     * names the last message claimed, which exists, rather than the next, which may not yet: a Chronicle tailer
     * moved to an index nobody has appended yet may stand somewhere else than that index says.
     */
    static final long START = -1;

    static final int CURSOR_OFFSET = 0;
    static final int REDO_LOG_OFFSET = 64;
    static final int SLOTS_OFFSET = 256;
    static final int SLOTS = 32;
    static final int RANGES = 1024;
    static final int RANGE_LENGTH = 32;
    static final int SLOT_OWNER_OFFSET = 0;
    static final int SLOT_ACKED_OFFSET = 8;
    static final int SLOT_HEAD_OFFSET = 16;
    static final int SLOT_TAIL_OFFSET = 24;
    static final int SLOT_RANGES_OFFSET = 64;
    static final int SLOT_LENGTH = SLOT_RANGES_OFFSET + RANGES * RANGE_LENGTH;
    static final int RANGE_FROM_OFFSET = 0;
    static final int RANGE_TO_OFFSET = 8;
    static final int RANGE_END_COUNT_OFFSET = 16;
    static final int BODY_LENGTH = SLOTS_OFFSET + SLOTS * SLOT_LENGTH;

    /** The bound of every ring position and message count in the segment. */
    static final long MAX_VALUE = 1L << 62;
    /** The prefix of a consumer segment's name. */
    static final String SEGMENT_PREFIX = "consumer.";
    /** The prefix of a consumer's lock (not {@link #SEGMENT_PREFIX}: no consumer name can collide with a lock). */
    static final String LOCK_PREFIX = "lock.consumer.";

    private ConsumerDescriptor()
    {
    }

    static int slotOffset(final int slot)
    {
        return SLOTS_OFFSET + slot * SLOT_LENGTH;
    }

    static int rangeOffset(final int slot, final long position)
    {
        return slotOffset(slot) + SLOT_RANGES_OFFSET + (int)(position & (RANGES - 1)) * RANGE_LENGTH;
    }
}
