package dev.jipc.sync;

import static org.agrona.BitUtil.CACHE_LINE_LENGTH;

import dev.jipc.core.SegmentDescriptor;
import org.agrona.BitUtil;

/**
 * Layout of a sync arena: a segment of kind {@code SYNC_ARENA} holding many small synchronisation objects, each on
 * cache lines of its own, found through an entry table.
 * <pre>
 *  File:
 *  +------------------------------------+  0
 *  |  Segment header (128 bytes)        |     see SegmentDescriptor
 *  +------------------------------------+  128
 *  |  Arena header (64 bytes)           |
 *  +------------------------------------+  192
 *  |  Entry table                       |     Entry Capacity entries of 16 bytes,
 *  |  (padded to a cache line)          |     in allocation order
 *  +------------------------------------+  objectsOffset(capacity)
 *  |  Object 0 (64-byte aligned,        |     layout by kind: MutexDescriptor,
 *  |   a multiple of 64 bytes long)     |     SemaphoreDescriptor, ...
 *  +------------------------------------+
 *  |  Object 1 ...                      |
 *  +------------------------------------+
 *  |  Free space                        |
 *  +------------------------------------+  Total Length
 *
 *  Arena header:
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                       Entry Capacity                          |
 *  +---------------------------------------------------------------+
 *  |                       Reserved (zero)                         |
 *  +---------------------------------------------------------------+
 *  |               Allocation: Next Free Offset                    |
 *  +---------------------------------------------------------------+
 *  |               Allocation: Entry Count                         |
 *  +---------------------------------------------------------------+
 *  |                       Reserved (zero) to 64 bytes            ...
 *  +---------------------------------------------------------------+
 *
 *  Entry:
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 Kind (SyncKind id; 0 = not yet published)     |
 *  +---------------------------------------------------------------+
 *  |                 Object Offset (from the start of the file)    |
 *  +---------------------------------------------------------------+
 *  |                 Object Length (bytes)                         |
 *  +---------------------------------------------------------------+
 *  |                 Reserved (zero)                               |
 *  +---------------------------------------------------------------+
 * </pre>
 * The two allocation ints form one little-endian long that an allocator advances with a single compare-and-set, so
 * processes may allocate from one arena at once. The allocator then writes its entry's offset and length, lays out
 * the object, and publishes the entry by storing its Kind last with release semantics; readers load Kind with
 * acquire semantics and ignore an entry whose Kind is 0. Every offset and length read from an entry is checked
 * against the entry table and the file length before use.
 */
public final class SyncArenaDescriptor
{
    /** Objects start on, and fill, whole cache lines. */
    public static final int ALIGNMENT = CACHE_LINE_LENGTH;
    /** Bytes per entry in the table. */
    public static final int ENTRY_LENGTH = 16;
    /** The most entries one arena may have. */
    public static final int MAX_ENTRIES = 1 << 16;

    public static final int ARENA_HEADER_OFFSET;
    public static final int ENTRY_CAPACITY_OFFSET;
    public static final int ALLOCATION_OFFSET;
    public static final int ARENA_HEADER_LENGTH;
    public static final int ENTRY_TABLE_OFFSET;

    public static final int ENTRY_KIND_OFFSET = 0;
    public static final int ENTRY_OBJECT_OFFSET_OFFSET = 4;
    public static final int ENTRY_OBJECT_LENGTH_OFFSET = 8;

    static
    {
        int offset = SegmentDescriptor.HEADER_LENGTH;
        ARENA_HEADER_OFFSET = offset;
        ENTRY_CAPACITY_OFFSET = offset;
        offset += Integer.BYTES * 2;
        ALLOCATION_OFFSET = offset;
        offset += Long.BYTES;
        ARENA_HEADER_LENGTH = CACHE_LINE_LENGTH;
        ENTRY_TABLE_OFFSET = ARENA_HEADER_OFFSET + ARENA_HEADER_LENGTH;
    }

    private SyncArenaDescriptor()
    {
    }

    /**
     * Where an entry starts.
     *
     * @param index the entry's index.
     * @return its offset in the file.
     */
    public static int entryOffset(final int index)
    {
        return ENTRY_TABLE_OFFSET + index * ENTRY_LENGTH;
    }

    /**
     * Where the first object starts.
     *
     * @param capacity the entry capacity.
     * @return its offset in the file.
     */
    public static int objectsOffset(final int capacity)
    {
        return BitUtil.align(ENTRY_TABLE_OFFSET + capacity * ENTRY_LENGTH, ALIGNMENT);
    }

    /**
     * The bytes an arena needs after the segment header.
     *
     * @param capacity    the entry capacity.
     * @param objectBytes room for objects.
     * @return the segment body length.
     */
    public static long bodyLength(final int capacity, final long objectBytes)
    {
        return objectsOffset(capacity) - SegmentDescriptor.HEADER_LENGTH + objectBytes;
    }

    /**
     * Rounds an object length up to whole cache lines.
     *
     * @param length bytes the object needs.
     * @return bytes it takes in the arena.
     */
    public static long alignedLength(final long length)
    {
        return (length + ALIGNMENT - 1) & -ALIGNMENT;
    }

    /**
     * The next free offset in an allocation word.
     *
     * @param allocation the allocation word.
     * @return the offset in the file.
     */
    public static int nextFreeOffset(final long allocation)
    {
        return (int)allocation;
    }

    /**
     * The entry count in an allocation word.
     *
     * @param allocation the allocation word.
     * @return the number of entries claimed.
     */
    public static int entryCount(final long allocation)
    {
        return (int)(allocation >>> 32);
    }

    /**
     * Packs an allocation word.
     *
     * @param nextFreeOffset where the next object goes.
     * @param entryCount     entries claimed.
     * @return the word.
     */
    public static long allocation(final int nextFreeOffset, final int entryCount)
    {
        return ((long)entryCount << 32) | (nextFreeOffset & 0xFFFF_FFFFL);
    }
}
