package dev.jipc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.Test;

/**
 * Pins {@link RingView}'s drawing to Agrona: its offsets equal Agrona's descriptor constants, and a record written by
 * Agrona's rings is read at the drawn offsets, with the positions where the trailer drawing puts them.
 */
class RingViewTest
{
    private static final int CAPACITY = 1024;

    @Test
    void shouldDrawTheTrailerAtAgronasOffsets()
    {
        assertEquals(RingBufferDescriptor.TAIL_POSITION_OFFSET, RingView.TAIL_POSITION_OFFSET);
        assertEquals(RingBufferDescriptor.HEAD_CACHE_POSITION_OFFSET, RingView.HEAD_CACHE_POSITION_OFFSET);
        assertEquals(RingBufferDescriptor.HEAD_POSITION_OFFSET, RingView.HEAD_POSITION_OFFSET);
        assertEquals(RingBufferDescriptor.CORRELATION_COUNTER_OFFSET, RingView.CORRELATION_COUNTER_OFFSET);
        assertEquals(RingBufferDescriptor.CONSUMER_HEARTBEAT_OFFSET, RingView.CONSUMER_HEARTBEAT_OFFSET);
        assertEquals(RingBufferDescriptor.TRAILER_LENGTH, RingView.TRAILER_LENGTH);
        assertEquals(768, RingView.TRAILER_LENGTH);
    }

    @Test
    void shouldDrawTheRecordHeaderAtAgronasOffsets()
    {
        assertEquals(RecordDescriptor.HEADER_LENGTH, RingView.RECORD_HEADER_LENGTH);
        assertEquals(RecordDescriptor.ALIGNMENT, RingView.RECORD_ALIGNMENT);
        assertEquals(RecordDescriptor.lengthOffset(0), RingView.RECORD_LENGTH_OFFSET);
        assertEquals(RecordDescriptor.typeOffset(0), RingView.RECORD_TYPE_OFFSET);
        assertEquals(RingBuffer.PADDING_MSG_TYPE_ID, RingView.PADDING_TYPE_ID);
        for (int recordIndex = 0; recordIndex < CAPACITY; recordIndex += RingView.RECORD_ALIGNMENT)
        {
            assertEquals(RecordDescriptor.lengthOffset(recordIndex), RingView.lengthOffset(recordIndex));
            assertEquals(RecordDescriptor.typeOffset(recordIndex), RingView.typeOffset(recordIndex));
            assertEquals(RecordDescriptor.encodedMsgOffset(recordIndex), RingView.messageIndex(recordIndex));
        }
        for (int length = 0; length <= RingView.maxMessageLength(CAPACITY); length++)
        {
            assertEquals(org.agrona.BitUtil.align(length + RecordDescriptor.HEADER_LENGTH, RecordDescriptor.ALIGNMENT),
                RingView.recordLength(length));
        }
    }

    @Test
    void shouldTakeAgronasLargestMessage()
    {
        for (int capacity = CAPACITY; capacity <= 1 << 20; capacity <<= 1)
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(capacity + RingView.TRAILER_LENGTH));
            assertEquals(new ManyToOneRingBuffer(buffer).maxMsgLength(), RingView.maxMessageLength(capacity));
            assertEquals(new OneToOneRingBuffer(buffer).maxMsgLength(), RingView.maxMessageLength(capacity));
        }
    }

    @Test
    void shouldReadARecordAgronaWroteAtTheDrawnOffsets()
    {
        final ByteBuffer raw = ByteBuffer.allocateDirect((int)RingView.ringLength(CAPACITY))
            .order(ByteOrder.LITTLE_ENDIAN);
        final UnsafeBuffer buffer = new UnsafeBuffer(raw);
        final ManyToOneRingBuffer ring = new ManyToOneRingBuffer(buffer);
        final UnsafeBuffer message = new UnsafeBuffer(new byte[13]);
        for (int i = 0; i < 13; i++)
        {
            message.putByte(i, (byte)(i + 1));
        }
        assertTrue(ring.write(42, message, 0, 13));

        // read the raw bytes as a stranger to Agrona would: little-endian at the drawn offsets
        assertEquals(RingView.RECORD_HEADER_LENGTH + 13, raw.getInt(RingView.RECORD_LENGTH_OFFSET));
        assertEquals(42, raw.getInt(RingView.RECORD_TYPE_OFFSET));
        for (int i = 0; i < 13; i++)
        {
            assertEquals(i + 1, raw.get(RingView.messageIndex(0) + i));
        }
        assertEquals(13, RingView.messageLength(raw.getInt(RingView.RECORD_LENGTH_OFFSET)));
        assertEquals(RingView.recordLength(13), raw.getLong(CAPACITY + RingView.TAIL_POSITION_OFFSET));
        assertEquals(0, raw.getLong(CAPACITY + RingView.HEAD_POSITION_OFFSET));
        assertEquals(RingView.recordLength(13), RingView.tailPositionVolatile(buffer, CAPACITY));
        assertEquals(ring.producerPosition(), RingView.tailPositionVolatile(buffer, CAPACITY));

        assertEquals(1, ring.read((typeId, source, index, length) ->
        {
            assertEquals(42, typeId);
            assertEquals(RingView.messageIndex(0), index);
            assertEquals(13, length);
        }));
        assertEquals(RingView.recordLength(13), raw.getLong(CAPACITY + RingView.HEAD_POSITION_OFFSET));
        assertEquals(ring.consumerPosition(), RingView.headPositionVolatile(buffer, CAPACITY));
    }

    @Test
    void shouldSeeRoomWhereAgronasClaimFindsIt()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect((int)RingView.ringLength(CAPACITY)));
        final ManyToOneRingBuffer ring = new ManyToOneRingBuffer(buffer);
        final UnsafeBuffer message = new UnsafeBuffer(new byte[RingView.maxMessageLength(CAPACITY)]);
        // fill, then drain part, so the free room wraps: every length the rule admits, Agrona's claim admits too
        for (int round = 0; round < 200; round++)
        {
            final int length = (round * 37) % (RingView.maxMessageLength(CAPACITY) + 1);
            final boolean room = RingView.hasRoom(
                ring.consumerPosition(), ring.producerPosition(), CAPACITY, RingView.recordLength(length));
            final boolean written = ring.write(1, message, 0, length);
            if (room)
            {
                assertTrue(written, "rule saw room Agrona did not: round=" + round + ", length=" + length);
            }
            if (!written || round % 3 == 0)
            {
                ring.read((typeId, source, index, messageLength) -> {}, 2);
            }
        }
        assertFalse(RingView.hasRoom(0, CAPACITY, CAPACITY, RingView.recordLength(0)));
    }
}
