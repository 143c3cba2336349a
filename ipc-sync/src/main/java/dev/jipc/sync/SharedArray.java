package dev.jipc.sync;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

import dev.jipc.core.SegmentFormatException;
import dev.jipc.core.wait.WaitStrategy;

/**
 * What the typed arrays share: a length fixed at creation, bounds-checked indexes, bulk copies to and from Java arrays,
 * as Python's {@code multiprocessing.Array}. See {@link SharedData} for which operations take the lock; the single
 * values are the sibling {@link SharedValue}.
 */
public abstract class SharedArray extends SharedData
{
    final int length;
    final int elementsOffset;
    final MemorySegment memory;

    SharedArray(final SyncArena arena, final int offset, final SyncKind kind, final WaitStrategy strategy)
    {
        super(arena, offset, kind, strategy);
        this.length = buffer.getInt(offset + ValueDescriptor.LENGTH_OFFSET);
        this.elementsOffset = offset + ValueDescriptor.ELEMENTS_OFFSET;
        this.memory = arena.segment().memory();
        try
        {
            if (length < 0)
            {
                throw new SegmentFormatException(arena.path(), "corrupt array length: offset=" + offset +
                    ", length=" + length);
            }
            arena.checkFits(offset, ValueDescriptor.arrayLength(kind.elementSize(), length), "length", length);
        }
        catch (final RuntimeException ex)
        {
            close();
            throw ex;
        }
    }

    /**
     * The number of elements.
     *
     * @return the length, fixed at creation.
     */
    public int length()
    {
        ensureOpen();
        return length;
    }

    /**
     * The buffer offset of an element, after checking the index and that the array is open.
     *
     * @param index   the element's index.
     * @param size    bytes per element.
     * @return its offset in the file.
     */
    final int elementOffset(final int index, final int size)
    {
        ensureOpen();
        return elementsOffset + Objects.checkIndex(index, length) * size;
    }

    /**
     * Checks a bulk copy's ranges.
     *
     * @param index       first element of this array.
     * @param arrayLength length of the Java array.
     * @param arrayIndex  first element of the Java array.
     * @param count       elements to copy.
     */
    final void checkRange(final int index, final int arrayLength, final int arrayIndex, final int count)
    {
        ensureOpen();
        Objects.checkFromIndexSize(index, count, length);
        Objects.checkFromIndexSize(arrayIndex, count, arrayLength);
    }
}
