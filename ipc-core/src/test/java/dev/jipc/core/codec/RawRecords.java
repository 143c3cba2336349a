package dev.jipc.core.codec;

import java.io.Serial;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Any bytes as records under another codec's identity (its type id and name), as a hostile or broken producer that
 * opened the segment can write them: {@link Codecs#bytes()} with a borrowed name.
 */
final class RawRecords implements Codec<byte[]>
{
    @Serial
    private static final long serialVersionUID = 1L;

    private final int typeId;
    private final String name;

    private RawRecords(final int typeId, final String name)
    {
        this.typeId = typeId;
        this.name = name;
    }

    /**
     * Raw records that a queue or pipe of {@code identity} accepts as its own.
     *
     * @param identity the codec whose type id and name the records carry.
     * @return the raw codec.
     */
    static RawRecords under(final Codec<?> identity)
    {
        return new RawRecords(identity.typeId(), identity.name());
    }

    @Override
    public int typeId()
    {
        return typeId;
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public int encodedLength(final byte[] element)
    {
        return Codecs.bytes().encodedLength(element);
    }

    @Override
    public int encode(final byte[] element, final MutableDirectBuffer buffer, final int offset)
    {
        return Codecs.bytes().encode(element, buffer, offset);
    }

    @Override
    public byte[] decode(final DirectBuffer buffer, final int offset, final int length)
    {
        return Codecs.bytes().decode(buffer, offset, length);
    }
}
