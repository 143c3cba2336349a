package dev.jipc.core;

import static org.agrona.BitUtil.CACHE_LINE_LENGTH;

import java.util.function.IntConsumer;
import java.util.function.IntToLongFunction;

import org.agrona.BitUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The layout of an Agrona ring ({@code ManyToOneRingBuffer}, {@code OneToOneRingBuffer}) as jipc's queues and pipes
 * read it around Agrona: the trailer after the records, the record header, the rule for the room a record takes and
 * the largest message. Queues ({@code dev.jipc.core.queue}) and pipes ({@code dev.jipc.core.pipe}) both lay such
 * rings into their segments, which is why it lives in the base package. The offsets are jipc's own derivation of
 * Agrona's {@code RingBufferDescriptor} and {@code RecordDescriptor}; {@code RingViewTest} pins them to Agrona's
 * constants and reads a record Agrona wrote at the drawn offsets.
 * <pre>
 *  Ring (offsets from the ring's start):
 *  +-------------------------------------------+  0
 *  |  Records: capacity bytes, a power of two, |
 *  |  each record aligned to 8 bytes           |
 *  +-------------------------------------------+  capacity
 *  |  Trailer, 768 bytes: 6 blocks of 2 lines  |
 *  +-------------------------------------------+  capacity + 768
 *
 *  Trailer (offsets from capacity):
 *  +-------------------------------------------+  0
 *  |  Padding, 2 lines                         |
 *  +-------------------------------------------+  128
 *  |  Tail Position (8 bytes; producers CAS)   |
 *  +-------------------------------------------+  256
 *  |  Head Cache Position (8 bytes; producers) |
 *  +-------------------------------------------+  384
 *  |  Head Position (8 bytes; the consumer)    |
 *  +-------------------------------------------+  512
 *  |  Correlation Counter (8 bytes; unused)    |
 *  +-------------------------------------------+  640
 *  |  Consumer Heartbeat (8 bytes; unused)     |
 *  +-------------------------------------------+  768
 *
 *  Record header:
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |R|                         Length                              |
 *  +-+-------------------------------------------------------------+
 *  |                            Type                               |
 *  +---------------------------------------------------------------+
 *  |                       Encoded Message                        ...
 * ...                                                              |
 *  +---------------------------------------------------------------+
 * </pre>
 * Length counts the header and the message; it is negative while the record is claimed and not yet committed, and
 * zero where nothing was claimed yet (records are zeroed as they are consumed). Type {@value #PADDING_TYPE_ID} is
 * padding, skipped by readers. A record takes its length aligned to {@value #RECORD_ALIGNMENT} bytes.
 */
public final class RingView
{
    /** Bytes of the record header: length and type. */
    public static final int RECORD_HEADER_LENGTH;
    /** Every record starts, and so takes room, at a multiple of this. */
    public static final int RECORD_ALIGNMENT;
    /** The record's length field, from the record's start. */
    public static final int RECORD_LENGTH_OFFSET;
    /** The record's type field, from the record's start. */
    public static final int RECORD_TYPE_OFFSET;
    /** The type id of a padding record. */
    public static final int PADDING_TYPE_ID = -1;

    /** Tail position, from the end of the records. */
    public static final int TAIL_POSITION_OFFSET;
    /** Producers' cached head position, from the end of the records. */
    public static final int HEAD_CACHE_POSITION_OFFSET;
    /** Head position, from the end of the records. */
    public static final int HEAD_POSITION_OFFSET;
    /** Correlation counter, from the end of the records. */
    public static final int CORRELATION_COUNTER_OFFSET;
    /** Consumer heartbeat, from the end of the records. */
    public static final int CONSUMER_HEARTBEAT_OFFSET;
    /** Bytes of the trailer after the records. */
    public static final int TRAILER_LENGTH;

    static
    {
        RECORD_LENGTH_OFFSET = 0;
        RECORD_TYPE_OFFSET = RECORD_LENGTH_OFFSET + Integer.BYTES;
        RECORD_HEADER_LENGTH = RECORD_TYPE_OFFSET + Integer.BYTES;
        RECORD_ALIGNMENT = RECORD_HEADER_LENGTH;

        int offset = 0;
        offset += CACHE_LINE_LENGTH * 2;
        TAIL_POSITION_OFFSET = offset;

        offset += CACHE_LINE_LENGTH * 2;
        HEAD_CACHE_POSITION_OFFSET = offset;

        offset += CACHE_LINE_LENGTH * 2;
        HEAD_POSITION_OFFSET = offset;

        offset += CACHE_LINE_LENGTH * 2;
        CORRELATION_COUNTER_OFFSET = offset;

        offset += CACHE_LINE_LENGTH * 2;
        CONSUMER_HEARTBEAT_OFFSET = offset;

        offset += CACHE_LINE_LENGTH * 2;
        TRAILER_LENGTH = offset;
    }

    private RingView()
    {
    }

    /**
     * Bytes a ring of {@code capacity} bytes takes in a segment: the records and the trailer.
     *
     * @param capacity the ring capacity, a power of two.
     * @return capacity plus {@link #TRAILER_LENGTH}.
     */
    public static long ringLength(final int capacity)
    {
        return (long)capacity + TRAILER_LENGTH;
    }

    /**
     * A view of the ring at {@code ringOffset} of a segment's buffer, records and trailer, as Agrona's rings take it.
     *
     * @param segmentBuffer the segment's buffer.
     * @param ringOffset    where the ring starts in it.
     * @param capacity      the ring capacity.
     * @return a new view; allocate once per handle.
     */
    public static UnsafeBuffer wrap(final AtomicBuffer segmentBuffer, final long ringOffset, final int capacity)
    {
        return new UnsafeBuffer(segmentBuffer.addressOffset() + ringOffset, capacity + TRAILER_LENGTH);
    }

    /**
     * Offset of the head position in a ring view.
     *
     * @param capacity the ring capacity.
     * @return {@code capacity + HEAD_POSITION_OFFSET}.
     */
    public static int headPositionOffset(final int capacity)
    {
        return capacity + HEAD_POSITION_OFFSET;
    }

    /**
     * Offset of the tail position in a ring view.
     *
     * @param capacity the ring capacity.
     * @return {@code capacity + TAIL_POSITION_OFFSET}.
     */
    public static int tailPositionOffset(final int capacity)
    {
        return capacity + TAIL_POSITION_OFFSET;
    }

    /**
     * The head position, with a volatile load (it pairs with the consumer's release store of the head).
     *
     * @param ring     a ring view.
     * @param capacity its capacity.
     * @return the head: bytes consumed since the ring was created.
     */
    public static long headPositionVolatile(final AtomicBuffer ring, final int capacity)
    {
        return ring.getLongVolatile(headPositionOffset(capacity));
    }

    /**
     * The tail position, with a volatile load (it pairs with the producers' compare-and-set of the tail).
     *
     * @param ring     a ring view.
     * @param capacity its capacity.
     * @return the tail: bytes claimed since the ring was created.
     */
    public static long tailPositionVolatile(final AtomicBuffer ring, final int capacity)
    {
        return ring.getLongVolatile(tailPositionOffset(capacity));
    }

    /**
     * The largest message a ring of {@code capacity} bytes takes, as Agrona's rings refuse anything longer.
     *
     * @param capacity the ring capacity.
     * @return {@code capacity / 8}.
     */
    public static int maxMessageLength(final int capacity)
    {
        return capacity >> 3;
    }

    /**
     * The room a record of a {@code length}-byte message takes: header and message, aligned.
     *
     * @param length the message length, at most {@link #maxMessageLength}.
     * @return the aligned record length.
     */
    public static int recordLength(final int length)
    {
        return BitUtil.align(length + RECORD_HEADER_LENGTH, RECORD_ALIGNMENT);
    }

    /**
     * Whether a claim of {@code required} bytes (a {@link #recordLength}) would find room between the tail and the
     * head: the free bytes suffice, and the record fits before the end of the ring or, padded over, before the head
     * at the start of the ring. This is Agrona's rule for a many-to-one claim.
     *
     * @param head     a head position.
     * @param tail     a tail position read after it.
     * @param capacity the ring capacity.
     * @param required the record's aligned length.
     * @return true if a claim would find room.
     */
    public static boolean hasRoom(final long head, final long tail, final int capacity, final int required)
    {
        final int available = capacity - (int)(tail - head);
        if (required > available)
        {
            return false;
        }
        final int mask = capacity - 1;
        return required <= capacity - (int)(tail & mask) || required <= (int)(head & mask);
    }

    /**
     * Checks the part of a queue's or pipe's layout they share: the file holds the configuration, the capacity stored
     * at {@code capacityOffset} is one the family accepts, and the file is exactly as long as that capacity needs.
     *
     * @param segment          the mapped segment.
     * @param family           "queue" or "pipe", for messages.
     * @param configurationEnd the offset where the configuration ends: a shorter file is truncated.
     * @param capacityOffset   where the capacity is stored.
     * @param checkCapacity    throws {@link IllegalArgumentException} for a capacity the family refuses.
     * @param bodyLength       the body length a capacity needs.
     * @return the capacity.
     * @throws SegmentFormatException naming the file and the fault.
     */
    public static int checkedCapacity(
        final Segment segment, final String family, final int configurationEnd, final int capacityOffset,
        final IntConsumer checkCapacity, final IntToLongFunction bodyLength)
    {
        final long length = segment.memory().byteSize();
        if (length < configurationEnd)
        {
            throw new SegmentFormatException(segment.path(), "truncated " + family + ": length=" + length +
                ", minimum=" + configurationEnd);
        }
        final int capacity = segment.buffer().getInt(capacityOffset);
        try
        {
            checkCapacity.accept(capacity);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new SegmentFormatException(segment.path(), "corrupt " + family + " configuration: " +
                ex.getMessage());
        }
        final long expected = SegmentDescriptor.HEADER_LENGTH + bodyLength.applyAsLong(capacity);
        if (expected != length)
        {
            throw new SegmentFormatException(segment.path(), family + " length mismatch: capacity=" + capacity +
                " needs length=" + expected + ", fileLength=" + length);
        }
        return capacity;
    }

    /**
     * Offset of a record's length field.
     *
     * @param recordIndex the record's index in the ring.
     * @return the offset.
     */
    public static int lengthOffset(final int recordIndex)
    {
        return recordIndex + RECORD_LENGTH_OFFSET;
    }

    /**
     * Offset of a record's type field.
     *
     * @param recordIndex the record's index in the ring.
     * @return the offset.
     */
    public static int typeOffset(final int recordIndex)
    {
        return recordIndex + RECORD_TYPE_OFFSET;
    }

    /**
     * Index of a record's message.
     *
     * @param recordIndex the record's index in the ring.
     * @return the index of its first message byte.
     */
    public static int messageIndex(final int recordIndex)
    {
        return recordIndex + RECORD_HEADER_LENGTH;
    }

    /**
     * Length of a record's message.
     *
     * @param recordLength the record's length field, committed (positive).
     * @return the message length.
     */
    public static int messageLength(final int recordLength)
    {
        return recordLength - RECORD_HEADER_LENGTH;
    }
}
