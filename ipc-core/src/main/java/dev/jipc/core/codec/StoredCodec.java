package dev.jipc.core.codec;

import java.nio.charset.StandardCharsets;

import dev.jipc.core.Segment;
import dev.jipc.core.SegmentFormatException;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The codec header that a queue and a pipe both keep in their configuration block, so that a handle opened with
 * another codec is refused: the record type id of the codec and its name, written once by the creator before the
 * segment is published, read by every attacher. Each structure places the three fields where its descriptor says
 * ({@code QueueDescriptor.CODEC}, {@code PipeDescriptor.CODEC}); this class writes, reads, checks and compares them.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                      Codec Type Id           (typeIdOffset)   |
 *  +---------------------------------------------------------------+
 *  |                      Codec Name Length       (nameLengthOffset)|
 *  +---------------------------------------------------------------+
 *  |                      Codec Name (ASCII, at most 44 bytes)  ...  (nameOffset)
 *  +---------------------------------------------------------------+
 * </pre>
 * The fields are plain stores and loads: the creator writes them in the segment's initialiser, before the magic is
 * stored with {@code putLongRelease} and the file is linked under its name, so an attacher, which can only open the
 * file by that name, reads them after they were written (see {@code Segment.create}). They never change afterwards.
 */
public final class StoredCodec
{
    /** The longest codec name a queue or pipe holds, in ASCII bytes. */
    public static final int MAX_NAME_LENGTH = 44;

    private final String structure;
    private final int typeIdOffset;
    private final int nameLengthOffset;
    private final int nameOffset;

    /**
     * @param structure        what holds the header ({@code "queue"}, {@code "pipe"}), for messages.
     * @param typeIdOffset     offset of the 32-bit type id.
     * @param nameLengthOffset offset of the 32-bit name length.
     * @param nameOffset       offset of the name, {@link #MAX_NAME_LENGTH} bytes long.
     */
    public StoredCodec(final String structure, final int typeIdOffset, final int nameLengthOffset,
        final int nameOffset)
    {
        this.structure = structure;
        this.typeIdOffset = typeIdOffset;
        this.nameLengthOffset = nameLengthOffset;
        this.nameOffset = nameOffset;
    }

    /**
     * The ASCII bytes of a codec name, checked to fit the header. Call it before creating the segment so that a
     * name too long fails before any file exists.
     *
     * @param name the codec's name.
     * @return the bytes to pass to {@link #write}.
     * @throws IllegalArgumentException if the name is longer than {@link #MAX_NAME_LENGTH} bytes.
     */
    public static byte[] nameBytes(final String name)
    {
        final byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length > MAX_NAME_LENGTH)
        {
            throw new IllegalArgumentException("codec name too long: name=" + name + ", maxLength=" + MAX_NAME_LENGTH);
        }
        return bytes;
    }

    /**
     * Whether a structure that stores a codec's id and name may be opened with another codec: the ids must be equal
     * and, for {@link Codecs#MARSHALLABLE_TYPE_ID}, whose id is shared by every class, the names too.
     *
     * @param storedTypeId the stored type id.
     * @param storedName   the stored name.
     * @param typeId       the type id of the caller's codec.
     * @param name         the name of the caller's codec.
     * @return true if the caller's codec reads what the stored one wrote.
     */
    public static boolean sameCodec(final int storedTypeId, final String storedName, final int typeId,
        final String name)
    {
        return storedTypeId == typeId && (typeId != Codecs.MARSHALLABLE_TYPE_ID || storedName.equals(name));
    }

    /**
     * Writes the header into a segment being created (in its initialiser, before it is published).
     *
     * @param buffer    the segment's buffer.
     * @param typeId    the codec's record type id.
     * @param nameBytes the codec's name from {@link #nameBytes}.
     */
    public void write(final MutableDirectBuffer buffer, final int typeId, final byte[] nameBytes)
    {
        buffer.putInt(typeIdOffset, typeId);
        buffer.putInt(nameLengthOffset, nameBytes.length);
        buffer.putBytes(nameOffset, nameBytes);
    }

    /**
     * The stored record type id.
     *
     * @param buffer the segment's buffer.
     * @return the type id as stored.
     */
    public int typeId(final DirectBuffer buffer)
    {
        return buffer.getInt(typeIdOffset);
    }

    /**
     * The stored codec name; a corrupt length is clamped to {@code [0, MAX_NAME_LENGTH]}, so that a tool can show
     * what is there (use {@link #checkNameLength} to refuse it).
     *
     * @param buffer the segment's buffer.
     * @return the name.
     */
    public String name(final DirectBuffer buffer)
    {
        final int length = Math.clamp(buffer.getInt(nameLengthOffset), 0, MAX_NAME_LENGTH);
        return buffer.getStringWithoutLengthAscii(nameOffset, length);
    }

    /**
     * The stored codec as a tool shows it: {@code name (typeId=id)}.
     *
     * @param buffer the segment's buffer.
     * @return the description.
     */
    public String describe(final DirectBuffer buffer)
    {
        return name(buffer) + " (typeId=" + typeId(buffer) + ")";
    }

    /**
     * Checks that the stored name length lies within the header.
     *
     * @param segment the attached segment.
     * @throws SegmentFormatException if it does not.
     */
    public void checkNameLength(final Segment segment)
    {
        final int length = segment.buffer().getInt(nameLengthOffset);
        if (length < 0 || length > MAX_NAME_LENGTH)
        {
            throw new SegmentFormatException(segment.path(), "corrupt codec name length: length=" + length +
                ", max=" + MAX_NAME_LENGTH);
        }
    }

    /**
     * Checks that the caller's codec reads what the stored codec wrote (see {@link #sameCodec}).
     *
     * @param segment the attached segment.
     * @param typeId  the type id of the caller's codec.
     * @param name    the name of the caller's codec.
     * @throws SegmentFormatException with {@code codec mismatch} if it does not.
     */
    public void checkSame(final Segment segment, final int typeId, final String name)
    {
        final DirectBuffer buffer = segment.buffer();
        final int storedTypeId = typeId(buffer);
        final String storedName = name(buffer);
        if (!sameCodec(storedTypeId, storedName, typeId, name))
        {
            throw new SegmentFormatException(segment.path(), "codec mismatch: " + structure + " codec=" + storedName +
                "(typeId=" + storedTypeId + "), given codec=" + name + "(typeId=" + typeId + ")");
        }
    }
}
