package dev.jipc.core;

/**
 * Layout of the header at the start of every segment file.
 * <pre>
 *  File:
 *  +----------------------------+
 *  |   Header (128 bytes)       |
 *  +----------------------------+
 *  |   Kind-specific layout     |
 *  |   (see each kind's         |
 *  |    *Descriptor)            |
 *  +----------------------------+
 *
 *  Header:
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                      Magic "JIPCSEG1"                         |
 *  |                      (written last)                           |
 *  +---------------------------------------------------------------+
 *  |                      Layout Version                           |
 *  +---------------------------------------------------------------+
 *  |                      Kind                                     |
 *  +---------------------------------------------------------------+
 *  |                      Total Length                             |
 *  |                      (bytes, = file size)                     |
 *  +---------------------------------------------------------------+
 *  |                      Creator Pid                              |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                      Creator Start Time                       |
 *  |                      (see ProcessIdentity)                    |
 *  +---------------------------------------------------------------+
 *  |                      Creation Time (epoch ms)                 |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                      Reserved (zero) to 128 bytes            ...
 *  +---------------------------------------------------------------+
 * </pre>
 * A creator writes the whole file under a temporary name, stores the magic last with release semantics, then links
 * it under its real name; an opener therefore never sees a half-written header, and a zero magic means the creator
 * died mid-create.
 */
public final class SegmentDescriptor
{
    /** "JIPCSEG1" in ASCII, read as a little-endian long. */
    public static final long MAGIC = 0x314745534350494AL;
    /** Bumped whenever any layout changes incompatibly. */
    public static final int LAYOUT_VERSION = 3;

    public static final int MAGIC_OFFSET = 0;
    public static final int LAYOUT_VERSION_OFFSET = 8;
    public static final int KIND_OFFSET = 12;
    public static final int TOTAL_LENGTH_OFFSET = 16;
    public static final int CREATOR_PID_OFFSET = 24;
    public static final int CREATOR_START_TIME_OFFSET = 32;
    public static final int CREATION_TIME_OFFSET = 40;
    /** Two cache lines, so the first kind-specific field starts on a fresh line. */
    public static final int HEADER_LENGTH = 128;

    private SegmentDescriptor()
    {
    }
}
