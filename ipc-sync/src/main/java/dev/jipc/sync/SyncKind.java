package dev.jipc.sync;

/**
 * What an object in a {@link SyncArena} is, recorded in the arena's entry table so that attaching to an offset as the
 * wrong kind fails clearly. The ids are part of the file format: never renumber one.
 */
public enum SyncKind
{
    /** {@link Lock}. */
    LOCK(1),
    /** {@link RLock}. */
    RLOCK(2),
    /** {@link Semaphore}. */
    SEMAPHORE(3),
    /** {@link BoundedSemaphore}. */
    BOUNDED_SEMAPHORE(4),
    /** {@link Condition}. */
    CONDITION(5),
    /** {@link Event}. */
    EVENT(6),
    /** {@link Barrier}. */
    BARRIER(7),
    /** {@link IntValue}. */
    INT_VALUE(8),
    /** {@link LongValue}. */
    LONG_VALUE(9),
    /** {@link DoubleValue}. */
    DOUBLE_VALUE(10),
    /** {@link IntArray}. */
    INT_ARRAY(11),
    /** {@link LongArray}. */
    LONG_ARRAY(12),
    /** {@link DoubleArray}. */
    DOUBLE_ARRAY(13),
    /** {@link ByteArray}. */
    BYTE_ARRAY(14);

    private final int id;

    SyncKind(final int id)
    {
        this.id = id;
    }

    /**
     * The id stored in the arena's entry table.
     *
     * @return the stable id of this kind.
     */
    public int id()
    {
        return id;
    }

    /**
     * Whether an object of this kind starts with an {@link RLock}'s mutex, which {@link RLock} can attach to on its
     * own ({@code getLock()} of a value or an array).
     *
     * @return true for values and arrays.
     */
    public boolean embedsRLock()
    {
        return id >= INT_VALUE.id;
    }

    /**
     * The width of one element of a value or array kind.
     *
     * @return bytes per element, or 0 for kinds that are not values or arrays.
     */
    int elementSize()
    {
        return switch (this)
        {
            case INT_VALUE, INT_ARRAY -> Integer.BYTES;
            case LONG_VALUE, LONG_ARRAY, DOUBLE_VALUE, DOUBLE_ARRAY -> Long.BYTES;
            case BYTE_ARRAY -> Byte.BYTES;
            default -> 0;
        };
    }

    /**
     * The kind with the given id.
     *
     * @param id as stored in an entry.
     * @return the kind, or null for an id this version does not know (0 is an entry not yet published).
     */
    public static SyncKind ofId(final int id)
    {
        for (final SyncKind kind : values())
        {
            if (kind.id == id)
            {
                return kind;
            }
        }
        return null;
    }
}
