package dev.jipc.sync.collection;

import static dev.jipc.sync.collection.CollectionDescriptor.DATA_BUMP_OFFSET;
import static dev.jipc.sync.collection.CollectionDescriptor.DATA_GENERATION_OFFSET;
import static dev.jipc.sync.collection.CollectionDescriptor.DATA_HEAP_END_OFFSET;
import static dev.jipc.sync.collection.CollectionDescriptor.DATA_HEAP_START_OFFSET;
import static dev.jipc.sync.collection.CollectionDescriptor.DATA_TABLE_LENGTH_OFFSET;
import static dev.jipc.sync.collection.CollectionDescriptor.TABLE_OFFSET;

import java.nio.file.Path;
import java.util.function.Consumer;

import dev.jipc.core.Segment;
import dev.jipc.core.SegmentFormatException;
import dev.jipc.core.SegmentKind;
import dev.jipc.core.wait.ClosableMapping;
import org.agrona.concurrent.AtomicBuffer;

/**
 * One mapped data segment of a collection, as this process sees it. Its bounds are read and checked once, when it is
 * mapped; a generation that has been replaced is never written again, so a reader that started on it may finish on
 * it. Threads hold a lease ({@link #mapping()}) while they read it: a replaced generation is unmapped when the last
 * one has left.
 */
final class Generation
{
    private final long number;
    private final Segment segment;
    private final AtomicBuffer buffer;
    private final int tableLength;
    private final long heapStart;
    private final long heapEnd;
    private final ClosableMapping mapping;
    private final BlockHeap heap;

    private Generation(final Segment segment, final long number, final int tableArrays)
    {
        this.segment = segment;
        this.buffer = segment.buffer();
        this.number = number;
        final long stored = buffer.getLongVolatile(DATA_GENERATION_OFFSET);
        this.tableLength = buffer.getInt(DATA_TABLE_LENGTH_OFFSET);
        this.heapStart = buffer.getLong(DATA_HEAP_START_OFFSET);
        this.heapEnd = buffer.getLong(DATA_HEAP_END_OFFSET);
        final long bump = buffer.getLongVolatile(DATA_BUMP_OFFSET);
        final long tableEnd = TABLE_OFFSET + (long)tableArrays * tableLength * Long.BYTES;
        if (stored != number)
        {
            throw corrupt("generation does not match the file: stored=" + stored + ", expected=" + number);
        }
        if (tableLength <= 0 || heapStart < tableEnd || (heapStart & 63) != 0 || heapEnd < heapStart ||
            heapEnd != segment.memory().byteSize() || heapEnd > buffer.capacity() || bump < heapStart || bump > heapEnd)
        {
            throw corrupt("corrupt data header: tableLength=" + tableLength + ", heapStart=" + heapStart +
                ", heapEnd=" + heapEnd + ", bump=" + bump + ", fileLength=" + segment.memory().byteSize());
        }
        if (tableArrays == 1 && Integer.bitCount(tableLength) != 1)
        {
            throw corrupt("a dict's table length is not a power of two: tableLength=" + tableLength);
        }
        this.mapping = new ClosableMapping(segment::close, "generation replaced: " + segment.path());
        this.heap = new BlockHeap(this);
    }

    /**
     * Maps an existing generation.
     *
     * @param directory   the segment directory.
     * @param name        the collection's name.
     * @param number      the generation.
     * @param tableArrays tables of {@code tableLength} longs before the heap: 1 for a dict, 2 for a list.
     * @return the generation, with this process's reference to its segment.
     */
    static Generation open(final Path directory, final String name, final long number, final int tableArrays)
    {
        final Segment segment = Segment.open(
            directory, CollectionDescriptor.dataName(name, number), SegmentKind.COLLECTION_DATA);
        try
        {
            return new Generation(segment, number, tableArrays);
        }
        catch (final RuntimeException ex)
        {
            segment.close();
            throw ex;
        }
    }

    /**
     * Creates a generation and fills it before its file appears under its name.
     *
     * @param directory   the segment directory.
     * @param name        the collection's name.
     * @param number      the generation.
     * @param tableLength slots of a dict, or capacity of each of a list's index arrays.
     * @param tableArrays 1 for a dict, 2 for a list.
     * @param heapBytes   bytes of the heap.
     * @param filler      writes the entries, given the new generation (not yet leased to anyone).
     * @return the generation, mapped.
     * @throws IllegalStateException if the generation would not fit in 2 GiB.
     */
    static Generation create(
        final Path directory, final String name, final long number, final int tableLength, final int tableArrays,
        final long heapBytes, final Consumer<Generation> filler)
    {
        final long heapStart = (TABLE_OFFSET + (long)tableArrays * tableLength * Long.BYTES + 63) & ~63L;
        final long heapEnd = heapStart + heapBytes;
        if (heapEnd > Integer.MAX_VALUE - 4096)
        {
            throw new IllegalStateException("collection too large for one segment (2 GiB): name=" + name +
                ", tableLength=" + tableLength + ", heapBytes=" + heapBytes);
        }
        final Segment segment = Segment.create(
            directory, CollectionDescriptor.dataName(name, number), SegmentKind.COLLECTION_DATA,
            heapEnd - dev.jipc.core.SegmentDescriptor.HEADER_LENGTH,
            created ->
            {
                final AtomicBuffer buffer = created.buffer();
                buffer.putLong(DATA_GENERATION_OFFSET, number);
                buffer.putInt(DATA_TABLE_LENGTH_OFFSET, tableLength);
                buffer.putLong(DATA_HEAP_START_OFFSET, heapStart);
                buffer.putLong(DATA_HEAP_END_OFFSET, heapEnd);
                buffer.putLong(DATA_BUMP_OFFSET, heapStart);
                filler.accept(new Generation(created, number, tableArrays));
            });
        return new Generation(segment, number, tableArrays);
    }

    /**
     * The filler of a generation without entries.
     *
     * @param generation the new generation, left as created.
     */
    static void leaveEmpty(final Generation generation)
    {
        // a new generation is empty: its table is zero-filled and its bump is at the heap's start
    }

    long number()
    {
        return number;
    }

    AtomicBuffer buffer()
    {
        return buffer;
    }

    Segment segment()
    {
        return segment;
    }

    int tableLength()
    {
        return tableLength;
    }

    long heapStart()
    {
        return heapStart;
    }

    long heapEnd()
    {
        return heapEnd;
    }

    /**
     * The writer's view of the heap; only the holder of the collection's lock may use it.
     *
     * @return the heap.
     */
    BlockHeap heap()
    {
        return heap;
    }

    ClosableMapping mapping()
    {
        return mapping;
    }

    /**
     * The error for a fault found in this generation's bytes.
     *
     * @param fault what is wrong, with the offsets and values.
     * @return the exception naming the file.
     */
    SegmentFormatException corrupt(final String fault)
    {
        return new SegmentFormatException(segment.path(), fault);
    }

    @Override
    public String toString()
    {
        return "Generation{" + segment.path() + ", tableLength=" + tableLength + ", heap=[" + heapStart + ", " +
            heapEnd + ")}";
    }
}
