package dev.jipc.core;

import static dev.jipc.core.RingView.RECORD_ALIGNMENT;
import static dev.jipc.core.RingView.RECORD_HEADER_LENGTH;

import java.nio.file.Path;

import org.agrona.BitUtil;

/**
 * A ring in a segment holds what no producer can have written: a record that does not lie between the head and the
 * tail, or a head and tail further apart than the ring is long. Nothing past the fault is delivered or skipped: the
 * head stays where it is, so every later read of the ring throws this again until the segment is recreated.
 * <p>
 * Queues ({@code dev.jipc.core.queue}) and pipes ({@code dev.jipc.core.pipe}) both walk Agrona rings and both throw
 * it, which is why it lives in the base package with {@link #checkedRecordLength}, the one bound on a walk's step.
 */
public final class CorruptRingException extends SegmentFormatException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param file  the segment file.
     * @param fault what is wrong, as {@code name=value} facts.
     */
    public CorruptRingException(final Path file, final String fault)
    {
        super(file, "corrupt ring: " + fault);
    }

    /**
     * The aligned length of the committed record at {@code position}, once it is known to lie where a record can:
     * at least a header long and ending within {@code room} bytes of its start, the nearer of the end of the ring and
     * the tail. Every walk over a ring steps by this, so a walk of a ring of {@code capacity} bytes ends within
     * {@code capacity / RECORD_HEADER_LENGTH} steps whatever the ring holds.
     *
     * @param file     the segment file, for the message.
     * @param position the record's position.
     * @param length   the record's length as read, positive.
     * @param room     bytes from {@code position} to the end of the ring or the tail, whichever is nearer.
     * @return the length aligned to {@link RingView#RECORD_ALIGNMENT}.
     * @throws CorruptRingException if the record does not fit.
     */
    public static int checkedRecordLength(final Path file, final long position, final int length, final long room)
    {
        // the length is checked before it is aligned: aligning a length near Integer.MAX_VALUE overflows
        if (length < RECORD_HEADER_LENGTH || length > room || BitUtil.align(length, RECORD_ALIGNMENT) > room)
        {
            throw new CorruptRingException(file, "record does not lie between head and tail: position=" + position +
                ", length=" + length + ", room=" + room);
        }
        return BitUtil.align(length, RECORD_ALIGNMENT);
    }
}
