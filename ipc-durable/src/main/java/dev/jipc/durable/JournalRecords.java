package dev.jipc.durable;

import java.nio.file.Path;

import net.openhft.chronicle.bytes.Bytes;
import org.agrona.ExpandableArrayBuffer;

/**
 * Reads the jipc record of one journal document (see {@link DurableQueueDescriptor}): its append time, and its
 * payload copied out of the mapped cycle file, so that decoding happens after the document is released.
 */
final class JournalRecords
{
    private JournalRecords()
    {
    }

    /**
     * Copies a document's payload into a buffer.
     *
     * @param bytes     the document's bytes, at its start.
     * @param into      where the payload goes.
     * @param at        its offset there.
     * @param directory the queue, for the message of a fault.
     * @param index     the document's index, for the message of a fault.
     * @return the payload's length.
     * @throws IllegalStateException if the document is too short to be a jipc record.
     */
    static int copyPayload(final Bytes<?> bytes, final ExpandableArrayBuffer into, final int at, final Path directory,
        final long index)
    {
        final long remaining = bytes.readRemaining() - DurableQueueDescriptor.RECORD_HEADER_LENGTH;
        if (remaining < 0 || remaining > Integer.MAX_VALUE - at)
        {
            throw new IllegalStateException("corrupt record in durable queue " + directory + " at index 0x" +
                Long.toHexString(index) + ": length " + bytes.readRemaining() + " is not a jipc record's");
        }
        final int length = (int)remaining;
        into.checkLimit(at + length);
        bytes.readSkip(DurableQueueDescriptor.RECORD_HEADER_LENGTH);
        bytes.read(into.byteArray(), at, length);
        return length;
    }

    /** The append time of a document, read before {@link #copyPayload} moves past it. */
    static long time(final Bytes<?> bytes)
    {
        return bytes.readLong(bytes.readPosition());
    }
}
