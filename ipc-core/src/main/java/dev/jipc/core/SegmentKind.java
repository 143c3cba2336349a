package dev.jipc.core;

/**
 * What a segment holds, recorded in its header so that opening a file as the wrong kind fails clearly.
 * The ids are part of the file format: never renumber one.
 */
public enum SegmentKind
{
    /** A raw block, {@link SharedMemory}. */
    SHARED_MEMORY(1),
    /**
     * A multi-producer, multi-consumer queue of objects ({@code Queue}, {@code SimpleQueue}, {@code JoinableQueue}):
     * a ring of variable-length records, each one element as its codec encoded it.
     */
    QUEUE(2),
    /**
     * A multi-producer, multi-consumer queue of {@code long}s or {@code double}s ({@code LongQueue},
     * {@code DoubleQueue}): the same ring of variable-length records as {@link #QUEUE}, each element an 8-byte record
     * (16 bytes of ring with its header); the stored codec tells a long queue from a double queue.
     */
    PRIMITIVE_QUEUE(3),
    /** A pair of one-to-one rings. */
    PIPE(4),
    /** An arena of locks, semaphores, conditions, values and arrays. */
    SYNC_ARENA(5),
    /**
     * The root of a shared map ({@code SharedDict}): its current data generation, size, codecs and the write intent
     * of its last writer. The entries live in {@link #COLLECTION_DATA} segments.
     */
    DICT(6),
    /** The root of a shared list ({@code SharedList}), laid out as {@link #DICT}. */
    LIST(7),
    /** One generation of a shared map's or list's entries: a table and a heap of blocks. */
    COLLECTION_DATA(8),
    /**
     * The jipc half of a {@code DurableQueue}, beside its Chronicle Queue journal on disk: the codec and the event
     * count that appenders signal. Durable: {@code jipc gc} never removes it.
     */
    DURABLE_QUEUE(9),
    /**
     * One named consumer of a {@code DurableQueue}: its cursor, its members and what each took and acknowledged.
     * Durable: {@code jipc gc} never removes it.
     */
    DURABLE_CONSUMER(10);

    private final int id;

    SegmentKind(final int id)
    {
        this.id = id;
    }

    /**
     * The id stored in the segment header.
     *
     * @return the stable id of this kind.
     */
    public int id()
    {
        return id;
    }

    /**
     * The kind with the given header id.
     *
     * @param id as stored in a header.
     * @return the kind, or null for an id this version does not know.
     */
    public static SegmentKind ofId(final int id)
    {
        for (final SegmentKind kind : values())
        {
            if (kind.id == id)
            {
                return kind;
            }
        }
        return null;
    }
}
