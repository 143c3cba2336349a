package dev.jipc.core.queue;

import static dev.jipc.core.RingView.PADDING_TYPE_ID;
import static dev.jipc.core.RingView.RECORD_ALIGNMENT;
import static dev.jipc.core.RingView.RECORD_HEADER_LENGTH;
import static dev.jipc.core.RingView.RECORD_LENGTH_OFFSET;
import static dev.jipc.core.RingView.RECORD_TYPE_OFFSET;

import java.nio.file.Path;

import dev.jipc.core.CorruptRingException;
import dev.jipc.core.RingView;
import org.agrona.BitUtil;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.AtomicBuffer;

/**
 * The claims of the one producer of a {@link Queue} of {@link Producers#ONE}, on the record layout of Agrona's
 * rings ({@link RingView}), in an order that lets consumers leave consumed records as they are instead of zeroing
 * them, so that a ring line crosses between the cores once per lap, not twice.
 *
 * <pre>
 *  A claim of a record at the tail (the ring before it, then after it):
 *
 *   head            tail
 *    |               |
 *   [ records ...   ][0   | stale bytes of an earlier lap ...                          ]
 *
 *   [ records ...   ][-len, type | payload ... | 0   | stale ...                       ]
 *                     ^ 1. header               ^ 2. next header zeroed   3. tail moved past the record
 *
 *  Invariant: the header word at the tail is 0, or the (negative) header of the claim under way. A wrapping claim
 *  claims its record at index 0 first, then the padding at the old tail, zeroes the header after the record, moves
 *  the tail past both, and only then commits the padding: no committed record ever lies beyond the tail.
 * </pre>
 *
 * Consumers trust a header because of where it is: a record start below the tail was written by this producer
 * before it moved the tail, and the header at the tail is 0 until the producer claims there (Agrona's one-to-one
 * ring zeroes the next header for the same reason, but moves the tail first and so still needs consumers to zero).
 * A producer killed at any instruction leaves either nothing (its header beyond the tail is overwritten by the next
 * claim there) or a claimed record below the tail that consumers turn into padding once they see the claimer is
 * dead: there is never a zeroed gap between the head and the tail. Room is Agrona's one-to-one rule: the record and
 * the next header must fit between the tail and the head ({@link #hasRoom}).
 */
final class SingleProducerClaims
{
    /** What {@link #tryClaim} returns when there is no room. */
    static final int NO_ROOM = -2;

    private final Path file;
    private final int capacity;
    private final int mask;
    private final long ringAddress;
    private final long tailAddress;
    private final long headCacheAddress;
    private final long headAddress;

    SingleProducerClaims(final Path file, final AtomicBuffer ringBuffer, final int capacity)
    {
        this.file = file;
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.ringAddress = ringBuffer.addressOffset();
        this.tailAddress = ringAddress + RingView.tailPositionOffset(capacity);
        this.headCacheAddress = ringAddress + capacity + RingView.HEAD_CACHE_POSITION_OFFSET;
        this.headAddress = ringAddress + RingView.headPositionOffset(capacity);
    }

    /**
     * Claims a record for a message of {@code length} bytes at the tail, if there is room.
     *
     * @param typeId the record's type id.
     * @param length the message length, at most the ring's maximum (the caller checked).
     * @return the payload index, as Agrona's {@code tryClaim} returns it; {@link #NO_ROOM} if the ring is full.
     * @throws CorruptRingException if the head and the tail are further apart than the ring.
     */
    int tryClaim(final int typeId, final int length)
    {
        // headers are claimed negative, before the tail moves: a consumer reads a claim in progress, never a record
        final int recordLength = length + RECORD_HEADER_LENGTH;
        final int alignedLength = BitUtil.align(recordLength, RECORD_ALIGNMENT);
        final int required = alignedLength + RECORD_HEADER_LENGTH;
        final long tail = UnsafeApi.getLong(null, tailAddress);
        long head = UnsafeApi.getLong(null, headCacheAddress);
        if (required > capacity - (int)(tail - head))
        {
            head = readHead(tail);
            if (required > capacity - (int)(tail - head))
            {
                return NO_ROOM;
            }
        }
        final int tailIndex = (int)(tail & mask);
        final int toEnd = capacity - tailIndex;
        if (required <= toEnd || alignedLength == toEnd)
        {
            // the next header is in line after the record, or at index 0 when the record ends the ring
            writeHeader(tailIndex, typeId, -recordLength);
            UnsafeApi.putLong(null, ringAddress + ((tailIndex + alignedLength) & mask), 0L);
            UnsafeApi.putLongRelease(null, tailAddress, tail + alignedLength);
            return tailIndex + RECORD_HEADER_LENGTH;
        }
        if (required > (int)(head & mask))
        {
            head = readHead(tail);
            if (required > (int)(head & mask))
            {
                return NO_ROOM;
            }
        }
        // wraps: the record at index 0 is claimed before the padding that leads the consumer there, and the padding
        // is committed only once the tail is past it (a committed record beyond the tail would read as corrupt)
        writeHeader(0, typeId, -recordLength);
        writeHeader(tailIndex, PADDING_TYPE_ID, -toEnd);
        UnsafeApi.putLong(null, ringAddress + alignedLength, 0L);
        UnsafeApi.putLongRelease(null, tailAddress, tail + toEnd + alignedLength);
        UnsafeApi.putIntRelease(null, ringAddress + tailIndex + RECORD_LENGTH_OFFSET, toEnd);
        return RECORD_HEADER_LENGTH;
    }

    /**
     * Whether {@link #tryClaim} of a message of {@code length} bytes would find room, for a producer waiting for it.
     *
     * @param head   a head position.
     * @param tail   the tail.
     * @param length the message length.
     * @return true if the record and the next header fit.
     */
    boolean hasRoom(final long head, final long tail, final int length)
    {
        final int alignedLength = BitUtil.align(length + RECORD_HEADER_LENGTH, RECORD_ALIGNMENT);
        final int required = alignedLength + RECORD_HEADER_LENGTH;
        final int toEnd = capacity - (int)(tail & mask);
        return required <= capacity - (int)(tail - head) &&
            (required <= toEnd || alignedLength == toEnd || required <= (int)(head & mask));
    }

    private void writeHeader(final int index, final int typeId, final int length)
    {
        UnsafeApi.putInt(null, ringAddress + index + RECORD_TYPE_OFFSET, typeId);
        UnsafeApi.putIntRelease(null, ringAddress + index + RECORD_LENGTH_OFFSET, length);
    }

    private long readHead(final long tail)
    {
        final long head = UnsafeApi.getLongVolatile(null, headAddress);
        if (tail - head < 0 || tail - head > capacity)
        {
            throw new CorruptRingException(file, "head and tail further apart than the ring: head=" + head +
                ", tail=" + tail + ", capacity=" + capacity);
        }
        UnsafeApi.putLong(null, headCacheAddress, head);
        return head;
    }
}
