package dev.jipc.durable;

import org.agrona.concurrent.AtomicBuffer;

/**
 * A redo log of a few stores, so that a change of several words in shared memory happens whole even if the process
 * making it is killed half way: the change is written to the log and committed with one store of its length, then
 * applied; a process that finds a committed log (the next holder of the lock after a holder died) applies it again.
 * Every entry is an absolute store ({@code offset <- value}), so applying twice is applying once.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                  Committed Entries (0: none)                  |
 *  +---------------------------------------------------------------+
 *  |                  Entry 0 Offset                               |
 *  +---------------------------------------------------------------+
 *  |                  Entry 0 Value                                |
 *  +---------------------------------------------------------------+
 *  |                  ... up to {@value #CAPACITY} entries         |
 * </pre>
 * Each field is a little-endian long. Only the holder of the structure's lock writes the log; offsets are checked
 * against the buffer when the log is replayed, so a hostile log cannot make a store land outside the segment.
 */
final class RedoLog
{
    /** The most stores one change may make. */
    static final int CAPACITY = 6;
    /** Bytes the log occupies. */
    static final int LENGTH = Long.BYTES * (1 + 2 * CAPACITY);

    private final AtomicBuffer buffer;
    private final int offset;
    private final int firstStore;
    private final int endOfStores;
    private final long[] offsets = new long[CAPACITY];
    private final long[] values = new long[CAPACITY];
    private int size;

    /**
     * @param buffer      the segment's buffer.
     * @param offset      where the log lives, 8-byte aligned.
     * @param firstStore  the lowest offset an entry may store to.
     * @param endOfStores the end of the region entries may store to (the log itself excepted).
     */
    RedoLog(final AtomicBuffer buffer, final int offset, final int firstStore, final int endOfStores)
    {
        buffer.boundsCheck(offset, LENGTH);
        this.buffer = buffer;
        this.offset = offset;
        this.firstStore = firstStore;
        this.endOfStores = endOfStores;
    }

    /** Adds a store to the change being built; nothing is written until {@link #commit()}. */
    RedoLog put(final int storeOffset, final long value)
    {
        offsets[size] = storeOffset;
        values[size] = value;
        size++;
        return this;
    }

    /** Writes the change to the log, commits it, applies it and clears the log. */
    void commit()
    {
        publish();
        apply(size);
        clear();
    }

    /** Writes the change's stores to the log and commits them with one store of their count. */
    void publish()
    {
        for (int i = 0; i < size; i++)
        {
            buffer.putLong(offset + Long.BYTES * (1 + 2 * i), offsets[i]);
            buffer.putLong(offset + Long.BYTES * (2 + 2 * i), values[i]);
        }
        buffer.putLongRelease(offset, size);
    }

    /** Makes the first {@code stores} stores of the published change (all of them, in {@link #commit()}). */
    void apply(final int stores)
    {
        for (int i = 0; i < stores; i++)
        {
            buffer.putLongRelease((int)offsets[i], values[i]);
        }
    }

    /** How many stores the change being built has. */
    int size()
    {
        return size;
    }

    private void clear()
    {
        buffer.putLongRelease(offset, 0);
        size = 0;
    }

    /**
     * Applies a change that a process killed after committing it did not finish. Call it holding the lock, after the
     * lock reported that its previous owner died.
     *
     * @return the number of stores applied again (0 when the log was clear).
     * @throws IllegalStateException when the log is not one this class wrote (a corrupt or hostile segment).
     */
    int recover()
    {
        final long committed = buffer.getLongVolatile(offset);
        if (committed == 0)
        {
            return 0;
        }
        if (committed < 0 || committed > CAPACITY)
        {
            throw new IllegalStateException("corrupt redo log: entries=" + committed + ", capacity=" + CAPACITY);
        }
        for (int i = 0; i < committed; i++)
        {
            final long storeOffset = buffer.getLong(offset + Long.BYTES * (1 + 2 * i));
            if (storeOffset < firstStore || storeOffset > endOfStores - Long.BYTES || (storeOffset & 7) != 0 ||
                storeOffset >= offset && storeOffset < offset + LENGTH)
            {
                throw new IllegalStateException("corrupt redo log: entry " + i + " stores to offset " + storeOffset +
                    ", outside " + firstStore + ".." + endOfStores);
            }
        }
        for (int i = 0; i < committed; i++)
        {
            buffer.putLongRelease((int)buffer.getLong(offset + Long.BYTES * (1 + 2 * i)),
                buffer.getLong(offset + Long.BYTES * (2 + 2 * i)));
        }
        buffer.putLongRelease(offset, 0);
        return (int)committed;
    }
}
