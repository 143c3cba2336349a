package dev.jipc.sync.collection;

import static dev.jipc.core.SegmentDescriptor.HEADER_LENGTH;

/**
 * The layouts of a shared collection's files: {@link SharedDict} and {@link SharedList} keep a small root segment, a
 * lock of their own (a {@link dev.jipc.sync.Lock} named {@code <name>.lock}) and one data segment per generation,
 * {@code <name>.g<N>}. Growing writes a new generation and publishes it in the root with one store. A dict of
 * several stripes is that many such collections: the first under the map's name, stripe {@code k} under
 * {@code <name>.s<k>}, each with its own root, lock and generations (see {@link DictStripes}).
 * <pre>
 *   Root (kind DICT or LIST), after the segment header; little-endian
 *   +0    Generation            long   the data segment in use (volatile; every reader reads it: its line holds
 *                                      nothing that writers change on every write)
 *   +16   Key codec id          int
 *   +20   Value codec id        int    (a list's element codec)
 *   +24   Stripes               int    dict: in the map's own root, how many stripes it has (a power of two; 0 in
 *                                      a map made before stripes, which has one); -1 in the root of a stripe
 *                                      other than the first; list: 0
 *   +64   Size                  long   entries of a dict (a list keeps its size in its list word)
 *   +128  Write intent          16 longs, see WriteIntent
 *
 *   Data segment (kind COLLECTION_DATA), after the segment header
 *   +0    Generation            long   must match the file name
 *   +8    Table length          int    dict: slots (a power of two); list: capacity of each index array
 *   +16   Heap start            long
 *   +24   Heap end              long   (the file's length)
 *   +32   Bump                  long   first never-allocated byte of the heap
 *   +40   Used slots            long   dict: slots that are not empty (live and tombstones)
 *   +48   List word             long   list: version (32) | current index array (1) | size (31)
 *   +64   Free list heads       CLASSES longs, one per block size class (0 = empty)
 *   +TABLE_OFFSET               dict: slots, one long each: hash (32) | block offset (32); 0 empty, 1 tombstone
 *                               list: index array A then index array B, one block offset (long) per element
 *   heap start (64-aligned)     blocks
 *
 *   Block (a power of two from 32 bytes, 64-bit aligned)
 *   +0    Sequence              int    even: complete and immutable; odd: free or being written
 *   +4    Hash                  int    of the key's bytes (0 in a list)
 *   +8    Key length            int    (a free block keeps its free-list link, a long, at +8)
 *   +12   Value length          int
 *   +16   key bytes, then value bytes
 * </pre>
 * Offsets in the layouts are from the start of the file (the segment header included).
 */
final class CollectionDescriptor
{
    static final int ROOT_GENERATION_OFFSET = HEADER_LENGTH;
    static final int ROOT_KEY_CODEC_OFFSET = HEADER_LENGTH + 16;
    static final int ROOT_VALUE_CODEC_OFFSET = HEADER_LENGTH + 20;
    static final int ROOT_STRIPES_OFFSET = HEADER_LENGTH + 24;
    static final int ROOT_SIZE_OFFSET = HEADER_LENGTH + 64;
    static final int ROOT_INTENT_OFFSET = HEADER_LENGTH + 128;
    static final int ROOT_BODY_LENGTH = 128 + WriteIntent.LENGTH;

    static final int DATA_GENERATION_OFFSET = HEADER_LENGTH;
    static final int DATA_TABLE_LENGTH_OFFSET = HEADER_LENGTH + 8;
    static final int DATA_HEAP_START_OFFSET = HEADER_LENGTH + 16;
    static final int DATA_HEAP_END_OFFSET = HEADER_LENGTH + 24;
    static final int DATA_BUMP_OFFSET = HEADER_LENGTH + 32;
    static final int DATA_USED_OFFSET = HEADER_LENGTH + 40;
    static final int DATA_LIST_WORD_OFFSET = HEADER_LENGTH + 48;
    static final int DATA_FREE_HEADS_OFFSET = HEADER_LENGTH + 64;
    /** Block sizes 32 bytes to 64 MiB. */
    static final int CLASSES = 22;
    static final int TABLE_OFFSET = DATA_FREE_HEADS_OFFSET + CLASSES * Long.BYTES;

    static final int BLOCK_SEQUENCE_OFFSET = 0;
    static final int BLOCK_HASH_OFFSET = 4;
    static final int BLOCK_KEY_LENGTH_OFFSET = 8;
    static final int BLOCK_LINK_OFFSET = 8;
    static final int BLOCK_VALUE_LENGTH_OFFSET = 12;
    static final int BLOCK_HEADER_LENGTH = 16;
    static final int MIN_BLOCK = 32;
    /** The largest key and value together, header included. */
    static final int MAX_BLOCK = MIN_BLOCK << (CLASSES - 1);

    /** The longest collection name: room is left for the {@code .s<k>}, {@code .lock} and {@code .g<N>} suffixes. */
    static final int MAX_NAME_LENGTH = dev.jipc.core.SegmentDirectory.MAX_NAME_LENGTH - 20;

    private CollectionDescriptor()
    {
    }

    /**
     * The size class of a block that holds {@code length} bytes, header included.
     *
     * @param length at least {@link #BLOCK_HEADER_LENGTH}, at most {@link #MAX_BLOCK}.
     * @return the class, 0 for 32 bytes.
     */
    static int sizeClass(final int length)
    {
        return Math.max(0, 32 - Integer.numberOfLeadingZeros(length - 1) - 5);
    }

    /**
     * The bytes of a block of a class.
     *
     * @param sizeClass from {@link #sizeClass}.
     * @return 32 shifted left by the class.
     */
    static int blockLength(final int sizeClass)
    {
        return MIN_BLOCK << sizeClass;
    }

    /**
     * The offset in a data segment of the free-list head of a class.
     *
     * @param sizeClass the class.
     * @return the head's offset.
     */
    static int freeHeadOffset(final int sizeClass)
    {
        return DATA_FREE_HEADS_OFFSET + sizeClass * Long.BYTES;
    }

    /** The name of a collection's lock. */
    static String lockName(final String name)
    {
        return name + ".lock";
    }

    /** The name of stripe {@code index} (1 or more) of a dict: a collection of its own. */
    static String stripeName(final String name, final int index)
    {
        return name + ".s" + index;
    }

    /** The name of a collection's data segment of a generation. */
    static String dataName(final String name, final long generation)
    {
        return name + ".g" + generation;
    }
}
