package dev.jipc.core.codec;

import java.io.Serializable;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Turns elements into the bytes of one ring record and back: how a {@code Queue} or a {@code Connection} carries
 * objects between processes.
 * <p>
 * Every record carries the {@link #typeId()} of the codec that wrote it, and a queue records its codec's id in its
 * segment, so a reader with another codec gets a clear error instead of garbage. Ids 1 to 999 are jipc's (see
 * {@link Codecs}); give your own codecs ids from 1000 up. A codec is stateless or thread-safe, and
 * {@link Serializable} so that a queue handed to another JVM brings its codec along.
 *
 * @param <E> the element type.
 */
public interface Codec<E> extends Serializable
{
    /**
     * The id written into every record this codec encodes; at least 1.
     *
     * @return the record type id.
     */
    int typeId();

    /**
     * A short name for error messages and {@code jipc stat}.
     *
     * @return the codec's name, such as {@code "string-utf8"}.
     */
    String name();

    /**
     * The exact number of bytes {@link #encode} will write for this element, if it is cheap to know: then the element
     * is encoded straight into the ring, with no intermediate copy.
     *
     * @param element the element, not null.
     * @return the encoded length, or -1 when it is only known by encoding.
     */
    default int encodedLength(final E element)
    {
        return -1;
    }

    /**
     * Writes an element.
     *
     * @param element the element, not null.
     * @param buffer  an expandable buffer to write into.
     * @param offset  where to start.
     * @return how many bytes were written.
     */
    int encode(E element, MutableDirectBuffer buffer, int offset);

    /**
     * Reads an element written by {@link #encode}. The bytes are only valid during the call.
     *
     * @param buffer the record's buffer.
     * @param offset where the encoded element starts.
     * @param length its length in bytes.
     * @return the element.
     * @throws IllegalArgumentException if the bytes are not a valid encoding.
     */
    E decode(DirectBuffer buffer, int offset, int length);
}
