package dev.jipc.tools.bench;

import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.AtomicBuffer;

/**
 * The reference ring of {@code jipc bench queue}'s 64-byte rows: fixed records of a sequence word and the message,
 * one producer (Lamport), one consumer, no claim, no blocking, no recovery, no zeroing: what moving the messages
 * between two cores costs with nothing else.
 *
 * <pre>
 *   0                            config               config + 128
 *   +------+---------+------+----+----------------+---+------+---
 *   | seq  | message | seq  | ...| message length |   | head |
 *   +------+---------+------+----+----------------+---+------+---
 *   record (8 + message, aligned to 8): seq = position + 1 once published
 * </pre>
 */
final class SequencedRecords
{
    private static final int CONFIG_LENGTH = 256;
    private static final int HEAD_OFFSET = 128;

    private final long base;
    private final int messageLength;
    private final int recordLength;
    private final int slots;
    private final long headAddress;

    SequencedRecords(final AtomicBuffer buffer)
    {
        this.base = buffer.addressOffset();
        final int records = buffer.capacity() - CONFIG_LENGTH;
        this.messageLength = buffer.getIntVolatile(records);
        this.recordLength = recordLength(messageLength);
        this.slots = records / recordLength;
        this.headAddress = base + records + HEAD_OFFSET;
    }

    /**
     * Bytes of a ring whose records take at least {@code ringBytes}.
     *
     * @param ringBytes the room for records.
     * @return the segment length to create.
     */
    static int length(final int ringBytes)
    {
        return ringBytes + CONFIG_LENGTH;
    }

    /**
     * Writes the message length into a new ring.
     *
     * @param buffer        the new ring's buffer, {@link #length} bytes.
     * @param messageLength every message's length.
     */
    static void format(final AtomicBuffer buffer, final int messageLength)
    {
        buffer.putIntVolatile(buffer.capacity() - CONFIG_LENGTH, messageLength);
    }

    private static int recordLength(final int messageLength)
    {
        return BitUtil.align(Long.BYTES + messageLength, Long.BYTES);
    }

    int slots()
    {
        return slots;
    }

    int messageLength()
    {
        return messageLength;
    }

    long head()
    {
        return UnsafeApi.getLongVolatile(null, headAddress);
    }

    void head(final long position)
    {
        UnsafeApi.putLongRelease(null, headAddress, position);
    }

    void put(final long position, final byte[] message)
    {
        final long record = record(position);
        UnsafeApi.copyMemory(message, BufferUtil.ARRAY_BASE_OFFSET, null, record + Long.BYTES, messageLength);
        UnsafeApi.putLongRelease(null, record, position + 1);
    }

    boolean isPublished(final long position)
    {
        return UnsafeApi.getLongVolatile(null, record(position)) == position + 1;
    }

    byte firstByte(final long position)
    {
        return UnsafeApi.getByte(null, record(position) + Long.BYTES);
    }

    private long record(final long position)
    {
        return base + (position % slots) * recordLength;
    }
}
