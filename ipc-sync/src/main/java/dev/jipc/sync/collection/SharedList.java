package dev.jipc.sync.collection;

import static dev.jipc.sync.collection.CollectionDescriptor.BLOCK_HEADER_LENGTH;
import static dev.jipc.sync.collection.CollectionDescriptor.BLOCK_VALUE_LENGTH_OFFSET;
import static dev.jipc.sync.collection.CollectionDescriptor.DATA_LIST_WORD_OFFSET;
import static dev.jipc.sync.collection.CollectionDescriptor.MAX_BLOCK;
import static dev.jipc.sync.collection.CollectionDescriptor.TABLE_OFFSET;
import static dev.jipc.sync.collection.CollectionDescriptor.blockLength;
import static dev.jipc.sync.collection.CollectionDescriptor.sizeClass;

import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.Iterator;
import java.util.ListIterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.RandomAccess;

import dev.jipc.core.SegmentDirectory;
import dev.jipc.core.SegmentKind;
import dev.jipc.core.codec.Codec;
import org.agrona.concurrent.AtomicBuffer;

/**
 * A {@link java.util.List} in shared memory that every attached JVM reads and writes directly: Python's
 * {@code Manager().list()} without the server.
 * <pre>{@code
 * try (SharedList<String> log = SharedList.create("events", Codecs.strings())) {
 *     log.add("started");                     // appends, atomically across processes
 * }
 * }</pre>
 * Elements are immutable blocks in a heap; the list's order is an index array of their offsets. Two index arrays
 * take turns: an insert or removal at an index writes the new order into the array not in use and publishes it,
 * with the new size and a version, in one store of the list word; {@code set} and appending publish with one store
 * as well. A writer killed at any moment leaves the list as it was before or after its operation (see
 * {@link WriteIntent}). Reads take no lock: a read validates the element's block and that the list word did not
 * change while it read. Writers from every process are serialised by one robust lock.
 * <p>
 * Index operations are atomic one by one; what spans several ({@link #subList} views, iteration, {@code sort}) sees
 * other processes' changes between its steps, as a {@link java.util.concurrent.CopyOnWriteArrayList}'s users do not
 * expect but a {@link java.util.Collections#synchronizedList} user does: iteration is weakly consistent and never
 * throws {@link java.util.ConcurrentModificationException}. Null elements are refused.
 * <p>
 * Files: the root {@code <name>}, the lock {@code <name>.lock} and the current generation {@code <name>.g<N>}.
 *
 * @param <E> the element type.
 */
public final class SharedList<E> extends AbstractList<E> implements RandomAccess, AutoCloseable, Serializable
{
    @Serial
    private static final long serialVersionUID = 1L;

    static final int MIN_CAPACITY = 16;
    private static final long MIN_HEAP = 16 * 1024;
    private static final int OPTIMISTIC_ATTEMPTS = 64;
    private static final long SIZE_MASK = 0x7FFF_FFFFL;
    private static final long WHICH_BIT = 1L << 31;

    private final transient CollectionStore store;
    private final Codec<E> codec;

    private SharedList(final CollectionStore store, final Codec<E> codec)
    {
        this.store = store;
        this.codec = codec;
    }

    /**
     * Creates an empty list in the default directory.
     *
     * @param name  its name.
     * @param codec the element codec.
     * @param <E>   the element type.
     * @return the list.
     */
    public static <E> SharedList<E> create(final String name, final Codec<E> codec)
    {
        return create(SegmentDirectory.defaultDirectory(), name, codec);
    }

    /**
     * Creates an empty list.
     *
     * @param directory the segment directory.
     * @param name      its name.
     * @param codec     the element codec.
     * @param <E>       the element type.
     * @return the list.
     * @throws java.io.UncheckedIOException if the name exists.
     */
    public static <E> SharedList<E> create(final Path directory, final String name, final Codec<E> codec)
    {
        Objects.requireNonNull(codec, "codec");
        return new SharedList<>(CollectionStore.create(
            directory, name, SegmentKind.LIST, 2, null, codec, MIN_CAPACITY, MIN_HEAP, 0), codec);
    }

    /**
     * Opens a list in the default directory.
     *
     * @param name  its name.
     * @param codec the element codec it was made with.
     * @param <E>   the element type.
     * @return the list.
     */
    public static <E> SharedList<E> open(final String name, final Codec<E> codec)
    {
        return open(SegmentDirectory.defaultDirectory(), name, codec);
    }

    /**
     * Opens a list.
     *
     * @param directory the segment directory.
     * @param name      its name.
     * @param codec     the element codec it was made with.
     * @param <E>       the element type.
     * @return the list.
     * @throws dev.jipc.core.SegmentFormatException if a file is not a valid list.
     * @throws IllegalArgumentException               if the codec is not the one it was made with.
     */
    public static <E> SharedList<E> open(final Path directory, final String name, final Codec<E> codec)
    {
        Objects.requireNonNull(codec, "codec");
        return new SharedList<>(CollectionStore.open(directory, name, SegmentKind.LIST, 2, null, codec), codec);
    }

    /**
     * The list's name.
     *
     * @return the name of its root segment.
     */
    public String name()
    {
        return store.name();
    }

    @Override
    public int size()
    {
        final Generation generation = store.enter();
        try
        {
            return sizeOf(generation, generation.buffer().getLongVolatile(DATA_LIST_WORD_OFFSET));
        }
        finally
        {
            store.exit(generation);
        }
    }

    @Override
    public E get(final int index)
    {
        final E element = elementAt(index);
        if (element == null)
        {
            throw new IndexOutOfBoundsException("index " + index + " out of bounds for length " + size() + " of " +
                store.root().path());
        }
        return element;
    }

    @Override
    public boolean add(final E element)
    {
        insert(-1, element);
        return true;
    }

    @Override
    public void add(final int index, final E element)
    {
        if (index < 0)
        {
            throw new IndexOutOfBoundsException("index " + index);
        }
        insert(index, element);
    }

    @Override
    public E set(final int index, final E element)
    {
        Objects.requireNonNull(element, "element");
        final Scratch scratch = Scratch.acquire();
        try
        {
            final int length = encode(element, scratch);
            store.lockAndLease(scratch);
            try
            {
                final int sizeClass = sizeClass(BLOCK_HEADER_LENGTH + length);
                Generation generation = scratch.leased;
                final int size = checkedSize(generation, index, false);
                if (!generation.heap().canAllocate(sizeClass))
                {
                    generation = grow(scratch, sizeClass);
                }
                final AtomicBuffer buffer = generation.buffer();
                final BlockHeap heap = generation.heap();
                final int slotOffset = indexOffset(generation, currentArray(buffer), index);
                final int old = checkedBlock(generation, buffer.getLong(slotOffset), size);
                final E previous = decodeLocked(generation, old);
                store.intent().beginMutation(generation, heap, slotOffset, sizeClass, old, heap.sizeClassOf(old),
                    0, 0);
                final int block = heap.allocate(sizeClass);
                heap.write(block, 0, scratch.key, 0, scratch.value, length);
                store.intent().ready(block);
                buffer.putLongRelease(slotOffset, block);
                // a new version, so that a reader of any index that raced this set() reads again: the freed block
                // may be reused for another index, and then for this one, before such a reader checks the slot
                final long word = buffer.getLongVolatile(DATA_LIST_WORD_OFFSET);
                buffer.putLongRelease(DATA_LIST_WORD_OFFSET, listWord(nextVersion(word), which(word), size));
                store.intent().complete(generation, heap);
                return previous;
            }
            finally
            {
                store.unlockAndExit(scratch);
            }
        }
        finally
        {
            scratch.release();
        }
    }

    @Override
    public E remove(final int index)
    {
        final Scratch scratch = Scratch.acquire();
        try
        {
            store.lockAndLease(scratch);
            try
            {
                checkedSize(scratch.leased, index, false);
                return removeLocked(scratch.leased, index);
            }
            finally
            {
                store.unlockAndExit(scratch);
            }
        }
        finally
        {
            scratch.release();
        }
    }

    /**
     * Removes the first element equal to {@code o}, atomically: no other process's insert can move another element
     * under the index it found.
     *
     * @param o the element to remove.
     * @return whether there was one.
     */
    @Override
    public boolean remove(final Object o)
    {
        if (o == null)
        {
            return false;
        }
        final Scratch scratch = Scratch.acquire();
        try
        {
            store.lockAndLease(scratch);
            try
            {
                final Generation generation = scratch.leased;
                final AtomicBuffer buffer = generation.buffer();
                final long word = buffer.getLongVolatile(DATA_LIST_WORD_OFFSET);
                final int size = checkedSize(generation, 0, true);
                for (int index = 0; index < size; index++)
                {
                    final int block = checkedBlock(generation,
                        buffer.getLong(indexOffset(generation, which(word), index)), size);
                    if (o.equals(decodeLocked(generation, block)))
                    {
                        removeLocked(generation, index);
                        return true;
                    }
                }
                return false;
            }
            finally
            {
                store.unlockAndExit(scratch);
            }
        }
        finally
        {
            scratch.release();
        }
    }

    private E removeLocked(final Generation generation, final int index)
    {
        final AtomicBuffer buffer = generation.buffer();
        final long word = buffer.getLongVolatile(DATA_LIST_WORD_OFFSET);
        final int size = (int)(word & SIZE_MASK);
        final int from = which(word);
        final int to = 1 - from;
        final int old = checkedBlock(generation, buffer.getLong(indexOffset(generation, from, index)), size);
        final E previous = decodeLocked(generation, old);
        final BlockHeap heap = generation.heap();
        store.intent().beginMutation(generation, heap, DATA_LIST_WORD_OFFSET, -1, old, heap.sizeClassOf(old), 0, 0);
        copyIndexes(generation, from, 0, to, 0, index);
        copyIndexes(generation, from, index + 1, to, index, size - index - 1);
        final long next = listWord(nextVersion(word), to, size - 1);
        store.intent().ready(next);
        buffer.putLongRelease(DATA_LIST_WORD_OFFSET, next);
        store.intent().complete(generation, heap);
        return previous;
    }

    /** Removes every element at once: a new, empty generation replaces the current one. */
    @Override
    public void clear()
    {
        store.clear(MIN_CAPACITY, MIN_HEAP);
    }

    @Override
    public int indexOf(final Object o)
    {
        if (o == null)
        {
            return -1;
        }
        for (int index = 0; ; index++)
        {
            final E element = elementAt(index);
            if (element == null)
            {
                return -1;
            }
            if (o.equals(element))
            {
                return index;
            }
        }
    }

    @Override
    public int lastIndexOf(final Object o)
    {
        if (o == null)
        {
            return -1;
        }
        for (int index = size() - 1; index >= 0; index--)
        {
            final E element = elementAt(index);
            if (element != null && o.equals(element))
            {
                return index;
            }
        }
        return -1;
    }

    @Override
    public boolean contains(final Object o)
    {
        return indexOf(o) >= 0;
    }

    /** Weakly consistent: each step reads the element at the next index, until there is none. */
    @Override
    public Iterator<E> iterator()
    {
        return new Iterator<>()
        {
            private int index;
            private E next = elementAt(0);
            private int last = -1;

            @Override
            public boolean hasNext()
            {
                return next != null;
            }

            @Override
            public E next()
            {
                if (next == null)
                {
                    throw new NoSuchElementException();
                }
                final E element = next;
                last = index;
                next = elementAt(++index);
                return element;
            }

            @Override
            public void remove()
            {
                if (last < 0)
                {
                    throw new IllegalStateException("next() has not returned an element since the last remove()");
                }
                SharedList.this.remove(last);
                index = last;
                last = -1;
                next = elementAt(index);
            }
        };
    }

    /**
     * Weakly consistent, as {@link #iterator()}: each step reads the element at its index then, so another process's
     * change between steps is seen or not, and {@code next()} after {@code hasNext()} never fails.
     */
    @Override
    public ListIterator<E> listIterator(final int start)
    {
        if (start < 0 || start > size())
        {
            throw new IndexOutOfBoundsException("index " + start + " out of bounds for length " + size());
        }
        return new ListIterator<>()
        {
            private int cursor = start;
            private int last = -1;
            private E ahead;

            @Override
            public boolean hasNext()
            {
                if (ahead == null)
                {
                    ahead = elementAt(cursor);
                }
                return ahead != null;
            }

            @Override
            public E next()
            {
                if (!hasNext())
                {
                    throw new NoSuchElementException();
                }
                final E element = ahead;
                ahead = null;
                last = cursor++;
                return element;
            }

            @Override
            public boolean hasPrevious()
            {
                return cursor > 0;
            }

            @Override
            public E previous()
            {
                ahead = null;
                final E element = cursor > 0 ? elementAt(cursor - 1) : null;
                if (element == null)
                {
                    throw new NoSuchElementException();
                }
                last = --cursor;
                return element;
            }

            @Override
            public int nextIndex()
            {
                return cursor;
            }

            @Override
            public int previousIndex()
            {
                return cursor - 1;
            }

            @Override
            public void remove()
            {
                if (last < 0)
                {
                    throw new IllegalStateException("no element to remove");
                }
                SharedList.this.remove(last);
                cursor = last;
                last = -1;
                ahead = null;
            }

            @Override
            public void set(final E element)
            {
                if (last < 0)
                {
                    throw new IllegalStateException("no element to set");
                }
                SharedList.this.set(last, element);
            }

            @Override
            public void add(final E element)
            {
                SharedList.this.add(cursor++, element);
                last = -1;
                ahead = null;
            }
        };
    }

    /** Detaches this handle (the list stays for others); idempotent. */
    @Override
    public void close()
    {
        store.close();
    }

    /** Removes the list's files; handles attached already keep working until they close. */
    public void unlink()
    {
        store.unlink();
    }

    @Override
    public String toString()
    {
        return store.isClosed() ? "SharedList{" + store.name() + ", closed}" : super.toString();
    }

    /** The element at an index, or null when the list is shorter: read without the lock, bounded retries. */
    private E elementAt(final int index)
    {
        if (index < 0)
        {
            return null;
        }
        final Scratch scratch = Scratch.acquire();
        try
        {
            for (int attempt = 0; attempt < OPTIMISTIC_ATTEMPTS; attempt++)
            {
                final Generation generation = store.enter();
                try
                {
                    final AtomicBuffer buffer = generation.buffer();
                    final long word = buffer.getLongVolatile(DATA_LIST_WORD_OFFSET);
                    if (index >= sizeOf(generation, word))
                    {
                        return null;
                    }
                    final int indexOffset = indexOffset(generation, which(word), index);
                    final long block = buffer.getLongVolatile(indexOffset);
                    final long lengths = inHeap(generation, block) ? Blocks.readEntry(generation, (int)block, 0,
                        scratch.read, false) : -1;
                    // a set() of this index (which does not change the list word) may have freed the block and
                    // another set() reused it for another index: the copy counts only if the index still names it
                    if (buffer.getLongVolatile(DATA_LIST_WORD_OFFSET) == word &&
                        buffer.getLongVolatile(indexOffset) == block)
                    {
                        if (lengths >= 0)
                        {
                            return store.decode(codec, scratch.read, 0, (int)lengths);
                        }
                        if (!inHeap(generation, block))
                        {
                            throw generation.corrupt("an index names a block outside the heap: index=" + index +
                                ", block=" + block);
                        }
                    }
                }
                finally
                {
                    store.exit(generation);
                }
                Thread.onSpinWait();
            }
            store.lockAndLease(scratch);
            try
            {
                final Generation generation = scratch.leased;
                final AtomicBuffer buffer = generation.buffer();
                final long word = buffer.getLongVolatile(DATA_LIST_WORD_OFFSET);
                final int size = (int)(word & SIZE_MASK);
                if (index >= size)
                {
                    return null;
                }
                return decodeLocked(generation, checkedBlock(generation,
                    buffer.getLong(indexOffset(generation, which(word), index)), size));
            }
            finally
            {
                store.unlockAndExit(scratch);
            }
        }
        finally
        {
            scratch.release();
        }
    }

    /** Under the lock: inserts at an index, or appends for -1. */
    private void insert(final int at, final E element)
    {
        Objects.requireNonNull(element, "element");
        final Scratch scratch = Scratch.acquire();
        try
        {
            final int length = encode(element, scratch);
            final int sizeClass = sizeClass(BLOCK_HEADER_LENGTH + length);
            store.lockAndLease(scratch);
            try
            {
                Generation generation = scratch.leased;
                final int size = checkedSize(generation, at, true);
                final int index = at < 0 ? size : at;
                if (size == generation.tableLength() || !generation.heap().canAllocate(sizeClass))
                {
                    generation = grow(scratch, sizeClass);
                }
                final AtomicBuffer buffer = generation.buffer();
                final BlockHeap heap = generation.heap();
                final long word = buffer.getLongVolatile(DATA_LIST_WORD_OFFSET);
                final int from = which(word);
                final int to = index == size ? from : 1 - from;
                store.intent().beginMutation(generation, heap, DATA_LIST_WORD_OFFSET, sizeClass, 0, 0, 0, 0);
                final int block = heap.allocate(sizeClass);
                heap.write(block, 0, scratch.key, 0, scratch.value, length);
                if (to != from)
                {
                    copyIndexes(generation, from, 0, to, 0, index);
                    copyIndexes(generation, from, index, to, index + 1, size - index);
                }
                buffer.putLong(indexOffset(generation, to, index), block);
                final long next = listWord(nextVersion(word), to, size + 1);
                store.intent().ready(next);
                buffer.putLongRelease(DATA_LIST_WORD_OFFSET, next);
                store.intent().complete(generation, heap);
            }
            finally
            {
                store.unlockAndExit(scratch);
            }
        }
        finally
        {
            scratch.release();
        }
    }

    /**
     * Under the lock: copies the elements in order into a new generation with twice the capacity and a heap twice
     * what they use, publishes it, and leases it in the scratch instead of the one it replaced.
     */
    private Generation grow(final Scratch scratch, final int sizeClass)
    {
        final Generation replaced = scratch.leased;
        final AtomicBuffer buffer = replaced.buffer();
        final long word = buffer.getLongVolatile(DATA_LIST_WORD_OFFSET);
        final int size = (int)(word & SIZE_MASK);
        final int from = which(word);
        long liveBytes = 0;
        for (int index = 0; index < size; index++)
        {
            final int block = checkedBlock(replaced, buffer.getLong(indexOffset(replaced, from, index)), size);
            liveBytes += blockLength(replaced.heap().sizeClassOf(block));
        }
        long capacity = MIN_CAPACITY;
        while (capacity < (size + 1L) * 2)
        {
            capacity <<= 1;
        }
        if (capacity > 1 << 27)
        {
            throw new IllegalStateException("list too large: size=" + size + ", " + replaced);
        }
        final long heapBytes = Math.max(MIN_HEAP, (2 * (liveBytes + blockLength(sizeClass)) + 4095) & ~4095L);
        final Generation next = store.replace(replaced, (int)capacity, heapBytes, 0, fresh ->
        {
            final AtomicBuffer target = fresh.buffer();
            for (int index = 0; index < size; index++)
            {
                final int block = (int)buffer.getLong(indexOffset(replaced, from, index));
                final int length = replaced.heap().entryLength(block);
                final int copy = fresh.heap().allocate(sizeClass(length));
                target.putBytes(copy, buffer, block, length);
                target.putLong(indexOffset(fresh, 0, index), copy);
            }
            target.putLong(DATA_LIST_WORD_OFFSET, listWord(0, 0, size));
        });
        scratch.leased = next;
        store.exit(replaced);
        return next;
    }

    private static void copyIndexes(
        final Generation generation, final int from, final int fromIndex, final int to, final int toIndex,
        final int count)
    {
        if (count > 0)
        {
            generation.buffer().putBytes(indexOffset(generation, to, toIndex), generation.buffer(),
                indexOffset(generation, from, fromIndex), count * Long.BYTES);
        }
    }

    /** The size, with an index checked against it (an insert may be at the size; -1 appends). */
    private static int checkedSize(final Generation generation, final int index, final boolean insert)
    {
        final int size = (int)(generation.buffer().getLongVolatile(DATA_LIST_WORD_OFFSET) & SIZE_MASK);
        if (size > generation.tableLength())
        {
            throw generation.corrupt("list size beyond its capacity: size=" + size + ", capacity=" +
                generation.tableLength());
        }
        if (insert ? index > size : index >= size || index < 0)
        {
            throw new IndexOutOfBoundsException("index " + index + " out of bounds for length " + size);
        }
        return size;
    }

    /** The size in a published list word, which is never beyond the capacity unless the bytes are corrupt. */
    private static int sizeOf(final Generation generation, final long word)
    {
        final int size = (int)(word & SIZE_MASK);
        if (size > generation.tableLength())
        {
            throw generation.corrupt("list size beyond its capacity: size=" + size + ", capacity=" +
                generation.tableLength());
        }
        return size;
    }

    private static int checkedBlock(final Generation generation, final long block, final int size)
    {
        if (!inHeap(generation, block))
        {
            throw generation.corrupt("an index names a block outside the heap: block=" + block + ", size=" + size);
        }
        generation.heap().checkEntry(block);
        return (int)block;
    }

    private static boolean inHeap(final Generation generation, final long block)
    {
        return block >= generation.heapStart() && block + BLOCK_HEADER_LENGTH <= generation.heapEnd() &&
            (block & 7) == 0;
    }

    private E decodeLocked(final Generation generation, final int block)
    {
        return store.decode(codec, generation.buffer(), block + BLOCK_HEADER_LENGTH,
            generation.buffer().getInt(block + BLOCK_VALUE_LENGTH_OFFSET));
    }

    private int encode(final E element, final Scratch scratch)
    {
        final int length = codec.encode(element, scratch.value, 0);
        if ((long)BLOCK_HEADER_LENGTH + length > MAX_BLOCK)
        {
            throw new IllegalArgumentException("element too large for " + store.root().path() + ": bytes=" + length +
                ", max=" + (MAX_BLOCK - BLOCK_HEADER_LENGTH));
        }
        return length;
    }

    private static int currentArray(final AtomicBuffer buffer)
    {
        return which(buffer.getLongVolatile(DATA_LIST_WORD_OFFSET));
    }

    private static int which(final long word)
    {
        return (word & WHICH_BIT) != 0 ? 1 : 0;
    }

    /** The version after a word's: never 0, so that a published list word is never 0 (see WriteIntent#ready). */
    private static long nextVersion(final long word)
    {
        final long next = ((word >>> 32) + 1) & 0xFFFF_FFFFL;
        return next == 0 ? 1 : next;
    }

    static long listWord(final long version, final int which, final int size)
    {
        return (version << 32) | (which == 1 ? WHICH_BIT : 0) | size;
    }

    static int indexOffset(final Generation generation, final int array, final int index)
    {
        return TABLE_OFFSET + (array * generation.tableLength() + index) * Long.BYTES;
    }

    /** The list's files and lock, for the audits of the tests. */
    CollectionStore store()
    {
        return store;
    }

    @Serial
    private Object writeReplace()
    {
        return new Handle<>(store.directory().toString(), store.name(), codec);
    }

    private record Handle<E>(String directory, String name, Codec<E> codec) implements Serializable
    {
        @Serial
        private Object readResolve()
        {
            return SharedList.open(Path.of(directory), name, codec);
        }
    }
}
