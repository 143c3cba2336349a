package dev.jipc.core.pipe;

import static org.agrona.BitUtil.CACHE_LINE_LENGTH;

import dev.jipc.core.RingView;
import dev.jipc.core.Segment;
import dev.jipc.core.SegmentDescriptor;
import dev.jipc.core.SegmentFormatException;
import dev.jipc.core.codec.StoredCodec;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Layout of a {@link Pipe} segment: configuration, the state of its two ends, and one Agrona
 * {@code OneToOneRingBuffer} per direction with its two event counts. Offsets are from the start of the file.
 * <pre>
 *  File:
 *  +-------------------------------------------+  0
 *  |  Segment header (SegmentDescriptor)       |
 *  +-------------------------------------------+  128
 *  |  Configuration, 2 cache lines             |
 *  +-------------------------------------------+  256
 *  |  End 0 state, 2 lines (end 0's owner)     |
 *  +-------------------------------------------+  384
 *  |  End 1 state, 2 lines (end 1's owner)     |
 *  +-------------------------------------------+  512
 *  |  Ring 0 not-empty event count, 2 lines    |
 *  +-------------------------------------------+  640
 *  |  Ring 0 not-full event count, 2 lines     |
 *  +-------------------------------------------+  768
 *  |  Ring 1 not-empty event count, 2 lines    |
 *  +-------------------------------------------+  896
 *  |  Ring 1 not-full event count, 2 lines     |
 *  +-------------------------------------------+  1024
 *  |  Ring 0: end 0 sends, end 1 receives      |
 *  |  capacity + Agrona trailer (RingView)     |
 *  +-------------------------------------------+
 *  |  Ring 1: end 1 sends, end 0 receives      |
 *  |  capacity + Agrona trailer (RingView)     |
 *  +-------------------------------------------+
 *
 *  Configuration:
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 Ring Capacity (bytes per direction, power of 2)|
 *  +---------------------------------------------------------------+
 *  |                 Flags (1 = duplex)                            |
 *  +---------------------------------------------------------------+
 *  |                 Codec Type Id                                 |
 *  +---------------------------------------------------------------+
 *  |                 Codec Name Length                             |
 *  +---------------------------------------------------------------+
 *  |                 Codec Name (ASCII, at most 44 bytes)         ...
 *  +---------------------------------------------------------------+
 *  |                 Padding to 128 bytes                         ...
 *  +---------------------------------------------------------------+
 *
 *  End state:
 *  +---------------------------------------------------------------+
 *  |                 Owner (ProcessOwner word of the process that  |
 *  |                 holds this end: token, tag 0)                 |
 *  +---------------------------------------------------------------+
 *  |                 Reserved (0)                                  |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 Closed (0 or 1)                               |
 *  +---------------------------------------------------------------+
 *  |                 Padding to 128 bytes                         ...
 *  +---------------------------------------------------------------+
 *
 *  Message record (Agrona's record header, then jipc's check, then the message):
 *  +---------------------------------------------------------------+
 *  |                 Record Length (header + check + message)      |
 *  +---------------------------------------------------------------+
 *  |                 Type Id (the codec's, or Agrona's padding -1) |
 *  +---------------------------------------------------------------+
 *  |                 Check: recordCheck(position, record length)   |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 Message                                      ...
 *  +---------------------------------------------------------------+
 * </pre>
 * A one-way pipe ({@code duplex = false}) uses ring 1 only: end 0 receives, end 1 sends, as in Python.
 * <p>
 * The check lets a receiver know that a record is one its sender framed at this position with this length, from the
 * record's own cache line: reading the ring's tail to bound it instead would move the tail's line between the two
 * processes on every message (a quarter of a microsecond of a busy-spin round trip here). A corrupt length reads the
 * check from the wrong place or mixes another length in, a stale record of an earlier lap has another position, and
 * both fail the check; padding, which Agrona frames itself, must reach exactly the end of the ring.
 */
public final class PipeDescriptor
{
    /** Flag bit: both ends send and receive. */
    public static final int FLAG_DUPLEX = 1;

    public static final int CAPACITY_OFFSET;
    public static final int FLAGS_OFFSET;
    public static final int CODEC_TYPE_ID_OFFSET;
    public static final int CODEC_NAME_LENGTH_OFFSET;
    public static final int CODEC_NAME_OFFSET;
    public static final int END_STATE_OFFSET;
    public static final int END_STATE_LENGTH;
    public static final int END_OWNER_OFFSET;
    public static final int END_CLOSED_OFFSET;
    public static final int EVENT_COUNTS_OFFSET;
    public static final int EVENT_COUNT_SPACING;
    public static final int RINGS_OFFSET;
    /** Bytes of the check after the record header of every message record. */
    public static final int RECORD_CHECK_LENGTH = 8;
    /** The codec header in the configuration block: type id, name length and name (at most 44 bytes). */
    public static final StoredCodec CODEC;

    static
    {
        int offset = SegmentDescriptor.HEADER_LENGTH;
        CAPACITY_OFFSET = offset;
        FLAGS_OFFSET = offset + 4;
        CODEC_TYPE_ID_OFFSET = offset + 8;
        CODEC_NAME_LENGTH_OFFSET = offset + 12;
        CODEC_NAME_OFFSET = offset + 16;
        CODEC = new StoredCodec("pipe", CODEC_TYPE_ID_OFFSET, CODEC_NAME_LENGTH_OFFSET, CODEC_NAME_OFFSET);
        offset += CACHE_LINE_LENGTH * 2;

        END_STATE_OFFSET = offset;
        END_STATE_LENGTH = CACHE_LINE_LENGTH * 2;
        END_OWNER_OFFSET = 0;
        END_CLOSED_OFFSET = 16;
        offset += END_STATE_LENGTH * 2;

        EVENT_COUNTS_OFFSET = offset;
        EVENT_COUNT_SPACING = CACHE_LINE_LENGTH * 2;
        offset += EVENT_COUNT_SPACING * 4;

        RINGS_OFFSET = offset;
    }

    private PipeDescriptor()
    {
    }

    /**
     * Offset of an end's state block.
     *
     * @param end 0 or 1.
     * @return the offset of its owner field.
     */
    public static int endOffset(final int end)
    {
        return END_STATE_OFFSET + end * END_STATE_LENGTH;
    }

    /**
     * Offset of a ring's not-empty event count.
     *
     * @param ring 0 or 1.
     * @return the offset.
     */
    public static int notEmptyOffset(final int ring)
    {
        return EVENT_COUNTS_OFFSET + ring * 2 * EVENT_COUNT_SPACING;
    }

    /**
     * Offset of a ring's not-full event count.
     *
     * @param ring 0 or 1.
     * @return the offset.
     */
    public static int notFullOffset(final int ring)
    {
        return notEmptyOffset(ring) + EVENT_COUNT_SPACING;
    }

    /**
     * Offset of a ring.
     *
     * @param ring     0 or 1.
     * @param capacity the ring capacity.
     * @return the offset of the ring's first record.
     */
    public static long ringOffset(final int ring, final int capacity)
    {
        return RINGS_OFFSET + ring * RingView.ringLength(capacity);
    }

    /**
     * Bytes after the segment header for rings of {@code capacity} bytes.
     *
     * @param capacity the ring capacity.
     * @return the segment body length.
     */
    public static long bodyLength(final int capacity)
    {
        return ringOffset(2, capacity) - SegmentDescriptor.HEADER_LENGTH;
    }

    /**
     * Throws unless {@code capacity} is a valid ring capacity for a pipe.
     *
     * @param capacity bytes per direction.
     * @throws IllegalArgumentException naming the value and the rule.
     */
    public static void checkCapacity(final int capacity)
    {
        if (capacity < Pipe.MIN_CAPACITY || Integer.bitCount(capacity) != 1)
        {
            throw new IllegalArgumentException("ring capacity must be a power of two between " + Pipe.MIN_CAPACITY +
                " and " + Pipe.MAX_CAPACITY + ": capacity=" + capacity);
        }
        if (capacity > Pipe.MAX_CAPACITY)
        {
            throw new IllegalArgumentException("pipe capacity too large: capacity=" + capacity + ", max=" +
                Pipe.MAX_CAPACITY);
        }
    }

    /**
     * The longest message a pipe ring of {@code capacity} bytes carries: Agrona's longest record body less the check.
     *
     * @param capacity the ring capacity.
     * @return bytes.
     */
    public static int maxMessageLength(final int capacity)
    {
        return RingView.maxMessageLength(capacity) - RECORD_CHECK_LENGTH;
    }

    /**
     * The check a message record carries: a mix of where the record starts and how long it is, so that a change to
     * either (or a record from another lap) fails it.
     *
     * @param position     the record's position in the ring's stream (the tail before it was claimed).
     * @param recordLength the record's length field: header, check and message.
     * @return the check.
     */
    public static long recordCheck(final long position, final int recordLength)
    {
        // a multiplicative mix (the golden-ratio constant) spreads every bit of both inputs over the whole word
        final long mixed = (position ^ ((long)recordLength << 40) ^ 0x6A69706370697065L) * 0x9E3779B97F4A7C15L;
        return mixed ^ (mixed >>> 29);
    }

    /**
     * Fills the configuration of a new pipe segment; the segment header, written after it, publishes it.
     *
     * @param buffer         the new segment's buffer.
     * @param capacity       bytes per direction, checked by {@link #checkCapacity}.
     * @param flags          {@link #FLAG_DUPLEX} or 0.
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
     * Checks the pipe layout of a mapped segment: long enough for the configuration, a valid capacity, the length
     * that capacity needs, and a codec name that fits.
     *
     * @param segment a segment of kind PIPE.
     * @return the ring capacity.
     * @throws SegmentFormatException if the configuration does not match the file.
     */
    public static int validate(final Segment segment)
    {
        final int capacity = RingView.checkedCapacity(
            segment, "pipe", RINGS_OFFSET, CAPACITY_OFFSET, PipeDescriptor::checkCapacity,
            PipeDescriptor::bodyLength);
        CODEC.checkNameLength(segment);
        return capacity;
    }

    /**
     * A view of one of the pipe's rings, records and trailer.
     *
     * @param buffer   the segment's buffer.
     * @param ring     0 or 1.
     * @param capacity the validated ring capacity.
     * @return a new view.
     */
    public static UnsafeBuffer ringBuffer(final AtomicBuffer buffer, final int ring, final int capacity)
    {
        return RingView.wrap(buffer, ringOffset(ring, capacity), capacity);
    }
}
