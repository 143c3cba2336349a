package dev.jipc.durable;

import dev.jipc.core.codec.StoredCodec;

/**
 * The layout of {@value #SEGMENT_NAME}, the segment jipc keeps beside a queue's Chronicle journal. Offsets are from
 * the start of the segment's body.
 * <pre>
 *   Body
 *  +---------------------------------------------------------------+
 *  |  Codec Type Id, Codec Name Length, Codec Name (StoredCodec)   |  +0
 *  +---------------------------------------------------------------+
 *  |  Appended: an event count that appenders signal after each    |  +64
 *  |  message; consumers at the end of the journal sleep on it     |
 *  +---------------------------------------------------------------+
 *  |  Reserved                                                     |  +72 .. +128
 *  +---------------------------------------------------------------+
 * </pre>
 * The codec is written once by the queue's creator before the segment appears under its name. The event count has
 * a cache line of its own: every append signals it, every waiting consumer reads it.
 *
 *   Journal record (one Chronicle document per message)
 *  +---------------------------------------------------------------+
 *  |  Append Time (epoch milliseconds, little-endian long)         |  +0
 *  +-------------------------------+-------------------------------+
 *  |  Payload CRC-32C              |  Payload Length               |  +8
 *  +-------------------------------+-------------------------------+
 *  |  Payload (the codec's encoding)                          ...  |  +16
 *  +---------------------------------------------------------------+
 */
final class DurableQueueDescriptor
{
    /** The name of the jipc segment in a queue's directory. */
    static final String SEGMENT_NAME = "queue.jipc";
    static final int CODEC_TYPE_ID_OFFSET = 0;
    static final int CODEC_NAME_LENGTH_OFFSET = 4;
    static final int CODEC_NAME_OFFSET = 8;
    static final int APPENDED_OFFSET = 64;
    static final int BODY_LENGTH = 128;
    static final int RECORD_TIME_OFFSET = 0;
    static final int RECORD_CRC_OFFSET = 8;
    static final int RECORD_LENGTH_OFFSET = 12;
    /** Bytes before a record's payload. */
    static final int RECORD_HEADER_LENGTH = 16;

    private DurableQueueDescriptor()
    {
    }

    static StoredCodec storedCodec(final int bodyOffset)
    {
        return new StoredCodec("durable queue", bodyOffset + CODEC_TYPE_ID_OFFSET,
            bodyOffset + CODEC_NAME_LENGTH_OFFSET, bodyOffset + CODEC_NAME_OFFSET);
    }
}
