package dev.jipc.durable;

import java.nio.file.Path;
import java.util.zip.CRC32C;

import net.openhft.chronicle.bytes.Bytes;
import org.agrona.ExpandableArrayBuffer;

/**
 * Writes and reads the jipc record of one journal document (see {@link DurableQueueDescriptor}): its append time, the
 * payload's length and CRC-32C, and the payload, copied out of the mapped cycle file so that decoding happens after
 * the document is released. The check catches what Chronicle cannot: a cycle file cut short and grown again with
 * zeros (Chronicle's header still says how long the document was).
 */
final class JournalRecords
{
    /** The length a reader returns for a document that is not a whole jipc record. */
    static final int NOT_A_RECORD = -1;

    private JournalRecords()
    {
    }

    /**
     * Writes a record whose payload is in a heap buffer after room for the header: fills the header in and copies
     * the whole record with one write, one bounds check of the mapped file instead of one per field. Native byte
     * order, as Chronicle's {@code readInt} reads it.
     *
     * @param bytes  the document's bytes.
     * @param record the payload at {@link DurableQueueDescriptor#RECORD_HEADER_LENGTH}; the header is written here.
     * @param length the payload's length.
     * @param crc    a checksum to reuse.
     */
    static void write(final Bytes<?> bytes, final ExpandableArrayBuffer record, final int length, final CRC32C crc)
    {
        crc.reset();
        crc.update(record.byteArray(), DurableQueueDescriptor.RECORD_HEADER_LENGTH, length);
        record.putLong(DurableQueueDescriptor.RECORD_TIME_OFFSET, System.currentTimeMillis());
        record.putInt(DurableQueueDescriptor.RECORD_CRC_OFFSET, (int)crc.getValue());
        record.putInt(DurableQueueDescriptor.RECORD_LENGTH_OFFSET, length);
        bytes.write(record.byteArray(), 0, DurableQueueDescriptor.RECORD_HEADER_LENGTH + length);
    }

    /**
     * Copies a document's payload into a buffer, checking its length and CRC.
     *
     * @param bytes the document's bytes, at its start.
     * @param into  where the payload goes.
     * @param at    its offset there.
     * @param crc   a checksum to reuse.
     * @return the payload's length, or {@link #NOT_A_RECORD} when the document is not a whole jipc record.
     */
    static int copyPayload(final Bytes<?> bytes, final ExpandableArrayBuffer into, final int at, final CRC32C crc)
    {
        final long remaining = bytes.readRemaining() - DurableQueueDescriptor.RECORD_HEADER_LENGTH;
        if (remaining < 0 || remaining > Integer.MAX_VALUE - at)
        {
            return NOT_A_RECORD;
        }
        final long start = bytes.readPosition();
        final int storedCrc = bytes.readInt(start + DurableQueueDescriptor.RECORD_CRC_OFFSET);
        final int storedLength = bytes.readInt(start + DurableQueueDescriptor.RECORD_LENGTH_OFFSET);
        if (storedLength != remaining)
        {
            return NOT_A_RECORD;
        }
        final int length = (int)remaining;
        into.checkLimit(at + length);
        bytes.readSkip(DurableQueueDescriptor.RECORD_HEADER_LENGTH);
        bytes.read(into.byteArray(), at, length);
        crc.reset();
        crc.update(into.byteArray(), at, length);
        return (int)crc.getValue() == storedCrc ? length : NOT_A_RECORD;
    }

    /** The append time of a document, read before {@link #copyPayload} moves past it. */
    static long time(final Bytes<?> bytes)
    {
        return bytes.readRemaining() < Long.BYTES ? 0 : bytes.readLong(bytes.readPosition());
    }

    /**
     * The error a reader throws when the codec cannot decode a whole record.
     *
     * @param whatNow what the refusal means for the reader that got it, in parentheses, or an empty string.
     */
    static IllegalStateException undecodable(final Path directory, final long index, final String codec,
        final String whatNow, final RuntimeException cause)
    {
        return new IllegalStateException("cannot decode the message at index 0x" + Long.toHexString(index) +
            " of durable queue " + directory + " with codec " + codec + whatNow + ": " + cause.getMessage(), cause);
    }

    /** The error a reader throws for a document that {@link #copyPayload} refused. */
    static IllegalStateException notARecord(final Path directory, final long index)
    {
        return new IllegalStateException("the message at index 0x" + Long.toHexString(index) + " of durable queue " +
            directory + " is not a whole jipc record (wrong length or CRC: a cycle file cut short?); " +
            "it counts as read: a consumer acknowledges it to go on");
    }
}
