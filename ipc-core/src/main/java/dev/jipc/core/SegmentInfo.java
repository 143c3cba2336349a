package dev.jipc.core;

import static dev.jipc.core.SegmentDescriptor.CREATION_TIME_OFFSET;
import static dev.jipc.core.SegmentDescriptor.CREATOR_PID_OFFSET;
import static dev.jipc.core.SegmentDescriptor.CREATOR_START_TIME_OFFSET;
import static dev.jipc.core.SegmentDescriptor.HEADER_LENGTH;
import static dev.jipc.core.SegmentDescriptor.KIND_OFFSET;
import static dev.jipc.core.SegmentDescriptor.LAYOUT_VERSION;
import static dev.jipc.core.SegmentDescriptor.LAYOUT_VERSION_OFFSET;
import static dev.jipc.core.SegmentDescriptor.MAGIC;
import static dev.jipc.core.SegmentDescriptor.MAGIC_OFFSET;
import static dev.jipc.core.SegmentDescriptor.TOTAL_LENGTH_OFFSET;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A segment's header as read from its file, without mapping it: what {@code jipc ls} shows and what
 * {@link Segment#open} validates before it maps.
 *
 * @param path         the file.
 * @param fileSize     the file's size in bytes.
 * @param magic        the magic field.
 * @param version      the layout version field.
 * @param kindId       the kind field.
 * @param length       the total length field.
 * @param creator      the creating process.
 * @param creationTime the creation time, epoch milliseconds.
 */
public record SegmentInfo(
    Path path, long fileSize, long magic, int version, int kindId, long length, ProcessIdentity creator,
    long creationTime)
{
    /**
     * Reads the header of a file, once it is known to be a regular file of the current user (a fifo is never opened:
     * that would block). Never throws for bad content; {@link #fault()} reports it.
     *
     * @param path the file.
     * @return its header fields (zero where the file is too short).
     * @throws UncheckedIOException   when the file cannot be read, with {@link NoSuchFileException} as the cause when
     *                                it does not exist.
     * @throws SegmentFormatException when it is not a regular file or not the current user's.
     */
    public static SegmentInfo read(final Path path)
    {
        SegmentDirectory.requireSegmentFile(path);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))
        {
            final ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            while (header.hasRemaining() && channel.read(header) >= 0)
            {
                // read until full or end of file
            }
            final long fileSize = channel.size();
            return new SegmentInfo(
                path,
                fileSize,
                header.getLong(MAGIC_OFFSET),
                header.getInt(LAYOUT_VERSION_OFFSET),
                header.getInt(KIND_OFFSET),
                header.getLong(TOTAL_LENGTH_OFFSET),
                new ProcessIdentity(header.getLong(CREATOR_PID_OFFSET), header.getLong(CREATOR_START_TIME_OFFSET)),
                header.getLong(CREATION_TIME_OFFSET));
        }
        catch (final NoSuchFileException ex)
        {
            throw new UncheckedIOException("no such segment: " + path, ex);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read segment: " + path + ": " + ex, ex);
        }
    }

    /**
     * The segment's kind.
     *
     * @return the kind, or null when the id is not one this version knows.
     */
    public SegmentKind kind()
    {
        return SegmentKind.ofId(kindId);
    }

    /**
     * Whether the file starts with jipc's magic: a segment, if perhaps a damaged one, and no file of anyone else's.
     *
     * @return true when the magic is jipc's.
     */
    public boolean hasJipcMagic()
    {
        return magic == MAGIC;
    }

    /**
     * What is wrong with this header, if anything.
     *
     * @return a description naming the fault with {@code name=value} facts, or null when the header is valid.
     */
    public String fault()
    {
        // the magic first: a short file of someone else's is foreign, not a truncated segment
        if (magic != 0 && magicDiffersInFile())
        {
            return "not a jipc segment: magic=0x" + Long.toHexString(magic) + ", expected=0x" + Long.toHexString(MAGIC);
        }
        if (fileSize < HEADER_LENGTH)
        {
            return "truncated: fileSize=" + fileSize + " is shorter than the header, headerLength=" + HEADER_LENGTH;
        }
        if (magic == 0)
        {
            return "not initialised: magic=0 (the creator may have died while creating it)";
        }
        if (version != LAYOUT_VERSION)
        {
            return "unsupported layout version: version=" + version + ", supported=" + LAYOUT_VERSION;
        }
        if (kind() == null)
        {
            return "unknown kind: kind=" + kindId;
        }
        if (length != fileSize)
        {
            return "length mismatch: header totalLength=" + length + ", fileSize=" + fileSize;
        }
        return null;
    }

    /** Whether the magic's bytes that the file holds (all 8, or fewer in a shorter file) differ from jipc's. */
    private boolean magicDiffersInFile()
    {
        final long present = fileSize >= Long.BYTES ? -1L : (1L << (Byte.SIZE * fileSize)) - 1;
        return (magic & present) != (MAGIC & present);
    }

    /**
     * Throws unless this header is valid and of the expected kind.
     *
     * @param expected the kind the caller wants to open.
     * @throws SegmentFormatException naming the file and the fault.
     */
    public void validate(final SegmentKind expected)
    {
        final String fault = fault();
        if (fault != null)
        {
            throw new SegmentFormatException(path, fault);
        }
        if (kind() != expected)
        {
            throw new SegmentFormatException(path, "wrong kind: kind=" + kind() + ", expected=" + expected);
        }
    }
}
