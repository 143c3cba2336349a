package dev.jipc.core.queue;

import static org.agrona.BitUtil.CACHE_LINE_LENGTH;

import dev.jipc.core.RingView;
import dev.jipc.core.Segment;
import dev.jipc.core.SegmentDescriptor;
import dev.jipc.core.SegmentFormatException;
import dev.jipc.core.codec.StoredCodec;
import dev.jipc.core.wait.EventCount;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Layout of a {@link Queue} or {@link LongQueue} segment: a configuration block, the consumer lock, three event
 * counts, the producer registry, the task holders and an Agrona {@code ManyToOneRingBuffer}. Offsets are from the
 * start of the file.
 * <pre>
 *  File:
 *  +-------------------------------------------+  0
 *  |  Segment header (SegmentDescriptor)       |
 *  +-------------------------------------------+  128
 *  |  Configuration (written once at create;   |
 *  |  Shutdown flips once), 2 cache lines      |
 *  +-------------------------------------------+  256
 *  |  Consumer lock, 2 lines (consumers)       |
 *  +-------------------------------------------+  384
 *  |  Not-empty event count, 2 lines           |
 *  +-------------------------------------------+  512
 *  |  Not-full event count, 2 lines            |
 *  +-------------------------------------------+  640
 *  |  Tasks taken and done + all-done event    |
 *  |  count (JoinableQueue), 2 lines           |
 *  +-------------------------------------------+  768
 *  |  Producer registry: 64 slots of 2 lines   |
 *  +-------------------------------------------+  768 + 8192
 *  |  Task holders (JoinableQueue):            |
 *  |  64 entries of 2 lines                    |
 *  +-------------------------------------------+  768 + 16384
 *  |  Ring: capacity bytes of records          |
 *  |  + Agrona's trailer (see RingView)        |
 *  +-------------------------------------------+
 *
 *  A single-producer LongQueue (flag 2) has the same layout, but its ring is capacity / 16 slots of SlotLongRing,
 *  with the trailer's tail and head positions counting slots; its producer's owner word is producer slot 0's.
 *
 *  Configuration:
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                      Ring Capacity (bytes, power of 2)        |
 *  +---------------------------------------------------------------+
 *  |                      Codec Type Id                            |
 *  +---------------------------------------------------------------+
 *  |                      Flags (1 = joinable, 2 = one producer:   |
 *  |                      slots, 4 = one producer: records)        |
 *  +---------------------------------------------------------------+
 *  |                      Shutdown (0 or 1)                        |
 *  +---------------------------------------------------------------+
 *  |                      Codec Name Length                        |
 *  +---------------------------------------------------------------+
 *  |                      Codec Name (ASCII, at most 44 bytes)    ...
 *  +---------------------------------------------------------------+  64
 *  |                      Producer Fences (1 once a consumer could |
 *  |                      not fence for it: single producer only)  |
 *  +---------------------------------------------------------------+
 *  |                      Padding to 128 bytes                    ...
 *  +---------------------------------------------------------------+
 *
 *  Consumer lock:
 *  +---------------------------------------------------------------+
 *  |                      Owner (ProcessOwner word: token, thread  |
 *  |                      id; 0 = free)                            |
 *  +---------------------------------------------------------------+
 *  |                      Reserved (0)                             |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                      Release Position (head being released)  |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                      Release Length (0 = none in progress)    |
 *  +---------------------------------------------------------------+
 *  |                      Padding                                  |
 *  +---------------------------------------------------------------+
 *  |                      Release Tasks Taken (Tasks Taken once    |
 *  |                      the release is done; JoinableQueue)      |
 *  +---------------------------------------------------------------+
 *  |                      Padding to 128 bytes                    ...
 *  +---------------------------------------------------------------+
 *
 *  Tasks:
 *  +---------------------------------------------------------------+
 *  |                      Tasks Taken (written under the consumer  |
 *  |                      lock only)                               |
 *  +---------------------------------------------------------------+
 *  |                      Tasks Done                               |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                      All-Done Event Count (8 bytes)           |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                      Padding to 128 bytes                    ...
 *  +---------------------------------------------------------------+
 *
 *  Producer slot (one per producing thread):
 *  +---------------------------------------------------------------+
 *  |                      Owner (ProcessOwner word: token, tag 0;  |
 *  |                      0 = free)                                |
 *  +---------------------------------------------------------------+
 *  |                      Reserved (0)                             |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                      Claim (0 idle, -1 claiming,              |
 *  |                      else claimed record index + 1)           |
 *  +---------------------------------------------------------------+
 *  |                      Padding to 128 bytes                    ...
 *  +---------------------------------------------------------------+
 *
 *  Task holder (one per consuming process of a JoinableQueue):
 *  +---------------------------------------------------------------+
 *  |                      Owner (ProcessOwner word: token, tag 0;  |
 *  |                      0 = free, -1 = being set up)             |
 *  +---------------------------------------------------------------+
 *  |                      Reserved (0)                             |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                      Tasks Held (taken by this process minus  |
 *  |                      its taskDone calls)                      |
 *  +---------------------------------------------------------------+
 *  |                      Padding to 128 bytes                    ...
 *  +---------------------------------------------------------------+
 * </pre>
 * The release fields record the records a consumer has read and is zeroing before it moves the head, so that a
 * consumer that takes the lock over from a dead one can finish the zeroing (and the tasks-taken count with it). Each
 * event count is an {@link EventCount}. Every block that different processes write on their hot paths sits on
 * its own pair of cache lines, so adjacent-line prefetch does not make them share.
 */
public final class QueueDescriptor
{
    /** The most producing threads that can be registered at once. */
    public static final int PRODUCER_SLOTS = 64;
    /** The most consuming processes of a joinable queue whose held tasks are accounted at once. */
    public static final int HOLDER_SLOTS = 64;
    /** Flag bit: the queue counts unfinished tasks ({@link JoinableQueue}). */
    public static final int FLAG_JOINABLE = 1;
    /** Flag bit: one producing thread, a ring of 16-byte slots ({@link Producers#ONE}). */
    public static final int FLAG_SINGLE_PRODUCER = 2;
    /**
     * Flag bit: one producing thread, claiming records without a compare-and-set ({@link Queue} of
     * {@link Producers#ONE}); the ring and its records are laid out as without it.
     */
    public static final int FLAG_SINGLE_PRODUCER_RECORDS = 4;
    /** Smallest ring capacity in bytes. */
    public static final int MIN_CAPACITY = 1024;
    /** Largest ring capacity in bytes. */
    public static final int MAX_CAPACITY = 1 << 30;

    /** Claim value of an idle producer slot. */
    public static final int CLAIM_IDLE = 0;
    /** Claim value while the producer is inside {@code tryClaim} and does not yet know its record index. */
    public static final int CLAIM_CLAIMING = -1;

    public static final int CAPACITY_OFFSET;
    public static final int CODEC_TYPE_ID_OFFSET;
    public static final int FLAGS_OFFSET;
    public static final int SHUTDOWN_OFFSET;
    public static final int CODEC_NAME_LENGTH_OFFSET;
    public static final int CODEC_NAME_OFFSET;
    public static final int PRODUCER_FENCES_OFFSET;
    public static final int CONSUMER_LOCK_OFFSET;
    public static final int RELEASE_POSITION_OFFSET;
    public static final int RELEASE_LENGTH_OFFSET;
    public static final int RELEASE_TASKS_TAKEN_OFFSET;
    public static final int NOT_EMPTY_OFFSET;
    public static final int NOT_FULL_OFFSET;
    public static final int TASKS_TAKEN_OFFSET;
    public static final int TASKS_DONE_OFFSET;
    public static final int ALL_DONE_OFFSET;
    public static final int REGISTRY_OFFSET;
    public static final int SLOT_LENGTH;
    public static final int SLOT_OWNER_OFFSET;
    public static final int SLOT_CLAIM_OFFSET;
    public static final int HOLDERS_OFFSET;
    public static final int HOLDER_LENGTH;
    public static final int HOLDER_OWNER_OFFSET;
    public static final int HOLDER_TASKS_OFFSET;
    public static final int RING_OFFSET;
    /** The codec header in the configuration block: type id, name length and name (at most 44 bytes). */
    public static final StoredCodec CODEC;

    static
    {
        int offset = SegmentDescriptor.HEADER_LENGTH;
        CAPACITY_OFFSET = offset;
        CODEC_TYPE_ID_OFFSET = offset + 4;
        FLAGS_OFFSET = offset + 8;
        SHUTDOWN_OFFSET = offset + 12;
        CODEC_NAME_LENGTH_OFFSET = offset + 16;
        CODEC_NAME_OFFSET = offset + 20;
        PRODUCER_FENCES_OFFSET = offset + CACHE_LINE_LENGTH;
        CODEC = new StoredCodec("queue", CODEC_TYPE_ID_OFFSET, CODEC_NAME_LENGTH_OFFSET, CODEC_NAME_OFFSET);
        offset += CACHE_LINE_LENGTH * 2;

        CONSUMER_LOCK_OFFSET = offset;
        RELEASE_POSITION_OFFSET = offset + 16;
        RELEASE_LENGTH_OFFSET = offset + 24;
        RELEASE_TASKS_TAKEN_OFFSET = offset + 32;
        offset += CACHE_LINE_LENGTH * 2;

        NOT_EMPTY_OFFSET = offset;
        offset += CACHE_LINE_LENGTH * 2;

        NOT_FULL_OFFSET = offset;
        offset += CACHE_LINE_LENGTH * 2;

        TASKS_TAKEN_OFFSET = offset;
        TASKS_DONE_OFFSET = offset + 8;
        ALL_DONE_OFFSET = offset + 16;
        offset += CACHE_LINE_LENGTH * 2;

        REGISTRY_OFFSET = offset;
        SLOT_LENGTH = CACHE_LINE_LENGTH * 2;
        SLOT_OWNER_OFFSET = 0;
        SLOT_CLAIM_OFFSET = 16;
        offset += PRODUCER_SLOTS * SLOT_LENGTH;

        HOLDERS_OFFSET = offset;
        HOLDER_LENGTH = CACHE_LINE_LENGTH * 2;
        HOLDER_OWNER_OFFSET = 0;
        HOLDER_TASKS_OFFSET = 16;
        offset += HOLDER_SLOTS * HOLDER_LENGTH;

        RING_OFFSET = offset;
    }

    private QueueDescriptor()
    {
    }

    /**
     * Offset of a producer slot.
     *
     * @param slot the slot number, 0 to {@link #PRODUCER_SLOTS} - 1.
     * @return the offset of the slot's first field.
     */
    public static int slotOffset(final int slot)
    {
        return REGISTRY_OFFSET + slot * SLOT_LENGTH;
    }

    /**
     * Offset of a task holder.
     *
     * @param holder the holder number, 0 to {@link #HOLDER_SLOTS} - 1.
     * @return the offset of the holder's first field.
     */
    public static int holderOffset(final int holder)
    {
        return HOLDERS_OFFSET + holder * HOLDER_LENGTH;
    }

    /**
     * Bytes after the segment header for a ring of {@code capacity} bytes.
     *
     * @param capacity the ring capacity.
     * @return the segment body length.
     */
    public static long bodyLength(final int capacity)
    {
        return RING_OFFSET - SegmentDescriptor.HEADER_LENGTH + RingView.ringLength(capacity);
    }

    /**
     * Fills the configuration of a new queue segment; the segment header, written after it, publishes it.
     *
     * @param buffer         the new segment's buffer.
     * @param capacity       the ring capacity, checked by {@link #checkCapacity}.
     * @param flags          {@link #FLAG_JOINABLE} or 0.
     * @param typeId         the codec's record type id.
     * @param codecNameBytes the codec's name, from {@link StoredCodec#nameBytes}.
     */
    public static void fill(
        final AtomicBuffer buffer, final int capacity, final int flags, final int typeId, final byte[] codecNameBytes)
    {
        buffer.putInt(CAPACITY_OFFSET, capacity);
        buffer.putInt(FLAGS_OFFSET, flags);
        CODEC.write(buffer, typeId, codecNameBytes);
    }

    /**
     * Checks the queue layout of a mapped segment: long enough for the configuration, a valid capacity, the length
     * that capacity needs, and a codec name that fits.
     *
     * @param segment a segment of kind QUEUE or PRIMITIVE_QUEUE.
     * @return the ring capacity.
     * @throws SegmentFormatException if the configuration does not match the file.
     */
    public static int validate(final Segment segment)
    {
        final int capacity = RingView.checkedCapacity(
            segment, "queue", RING_OFFSET, CAPACITY_OFFSET, QueueDescriptor::checkCapacity,
            QueueDescriptor::bodyLength);
        CODEC.checkNameLength(segment);
        return capacity;
    }

    /**
     * Throws unless the queue has every one of {@code flags}.
     *
     * @param segment a validated queue segment.
     * @param flags   the flags the caller needs.
     * @throws SegmentFormatException if one is missing.
     */
    public static void checkFlags(final Segment segment, final int flags)
    {
        final int storedFlags = segment.buffer().getInt(FLAGS_OFFSET);
        if ((storedFlags & flags) != flags)
        {
            throw new SegmentFormatException(segment.path(), "missing queue flags: flags=" + storedFlags +
                ", required=" + flags + " (1 = joinable, 2 = one producer, slots, 4 = one producer, records)");
        }
    }

    /**
     * A view of the queue's ring, records and trailer, for Agrona's ring or a reader of its positions.
     *
     * @param buffer   the segment's buffer.
     * @param capacity the validated ring capacity.
     * @return a new view.
     */
    public static UnsafeBuffer ringBuffer(final AtomicBuffer buffer, final int capacity)
    {
        return RingView.wrap(buffer, RING_OFFSET, capacity);
    }

    /**
     * Throws unless {@code capacity} is a valid ring capacity.
     *
     * @param capacity the ring capacity in bytes.
     * @throws IllegalArgumentException naming the value and the rule.
     */
    public static void checkCapacity(final int capacity)
    {
        if (capacity < MIN_CAPACITY || capacity > MAX_CAPACITY || Integer.bitCount(capacity) != 1)
        {
            throw new IllegalArgumentException("ring capacity must be a power of two between " + MIN_CAPACITY +
                " and " + MAX_CAPACITY + ": capacity=" + capacity);
        }
    }
}
