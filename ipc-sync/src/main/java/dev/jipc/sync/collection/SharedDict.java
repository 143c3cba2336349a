package dev.jipc.sync.collection;

import static dev.jipc.sync.collection.CollectionDescriptor.BLOCK_HEADER_LENGTH;
import static dev.jipc.sync.collection.CollectionDescriptor.BLOCK_KEY_LENGTH_OFFSET;
import static dev.jipc.sync.collection.CollectionDescriptor.BLOCK_VALUE_LENGTH_OFFSET;
import static dev.jipc.sync.collection.CollectionDescriptor.DATA_USED_OFFSET;
import static dev.jipc.sync.collection.CollectionDescriptor.MAX_BLOCK;
import static dev.jipc.sync.collection.CollectionDescriptor.TABLE_OFFSET;
import static dev.jipc.sync.collection.CollectionDescriptor.blockLength;
import static dev.jipc.sync.collection.CollectionDescriptor.sizeClass;

import java.io.Serial;
import java.io.Serializable;
import java.lang.ref.Cleaner;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.Function;

import dev.jipc.core.SegmentDirectory;
import dev.jipc.core.codec.Codec;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.AtomicBuffer;

/**
 * A {@link ConcurrentMap} in shared memory that every attached JVM reads and writes directly: Python's
 * {@code Manager().dict()} without the manager's server process and its socket round trip per operation.
 * <pre>{@code
 * try (SharedDict<String, Long> counts = SharedDict.create("word-counts", Codecs.strings(), Codecs.longs())) {
 *     counts.merge("jipc", 1L, Long::sum);              // atomic across processes
 * }
 * SharedDict<String, Long> counts = SharedDict.open("word-counts", Codecs.strings(), Codecs.longs());
 * }</pre>
 * Keys and values go through jipc's {@link Codec}s; two keys are the same key when their encodings are the same
 * bytes (so use a codec whose encoding of equal keys is equal: the built-in ones are). Null keys and values are
 * refused, as in {@link java.util.concurrent.ConcurrentHashMap}.
 *
 * <h2>Concurrency</h2>
 * Reads take no lock and never wait for a writer: a read copies the entry a slot names and checks the entry's
 * sequence before and after (see {@link Blocks}), retrying when a writer replaced it meanwhile (after 64 failed
 * attempts it reads under the lock, so it always ends). The map is divided into stripes by the keys' hashes (see
 * {@link DictStripes}); writes of a key from every process are serialised by its stripe's robust
 * {@link dev.jipc.sync.Lock}, and writes of keys in different stripes go on side by side; {@code compute},
 * {@code merge}, {@code putIfAbsent} and the conditional {@code remove} / {@code replace} are atomic across
 * processes, and their functions run once, under that lock (a function must not write to the same map: that is an
 * {@link IllegalStateException}). Iteration is weakly
 * consistent, as {@link java.util.concurrent.ConcurrentHashMap}'s: never a torn entry, never a
 * {@link java.util.ConcurrentModificationException}.
 *
 * <h2>Growth and crashes</h2>
 * The map has no fixed capacity: when its table or heap fills, a writer copies the live entries into a new, larger
 * generation and publishes it with one store; other processes follow it on their next operation. Space of removed
 * and overwritten entries is reused. A writer killed at any instruction leaves the map consistent: its write
 * happened wholly or not at all, and the next writer, told by the lock that the owner died, finishes or undoes it
 * (see {@link WriteIntent}).
 * <p>
 * Files: the root {@code <name>}, the lock {@code <name>.lock} and the current generation {@code <name>.g<N>}.
 *
 * @param <K> the key type.
 * @param <V> the value type.
 */
public final class SharedDict<K, V> extends AbstractMap<K, V>
    implements ConcurrentMap<K, V>, AutoCloseable, Serializable
{
    @Serial
    private static final long serialVersionUID = 1L;

    /** Stripes of a map made without a count: several times the writers of a small host. */
    public static final int DEFAULT_STRIPES = 8;
    static final int MIN_TABLE = 64;
    static final long MIN_HEAP = 64 * 1024;
    static final long EMPTY = 0;
    static final long TOMBSTONE = 1;
    private static final int ABSENT = -3;
    private static final int OPTIMISTIC_ATTEMPTS = 64;
    private static final Cleaner CLEANER = Cleaner.create();

    /** Stripe 0, whose root is the map's: its name, its directory and the path errors name. */
    private final transient CollectionStore store;
    private final transient CollectionStore[] stripes;
    private final Codec<K> keys;
    private final Codec<V> values;
    private transient Set<Map.Entry<K, V>> entrySet;

    private SharedDict(final CollectionStore[] stripes, final Codec<K> keys, final Codec<V> values)
    {
        this.store = stripes[0];
        this.stripes = stripes;
        this.keys = keys;
        this.values = values;
    }

    /**
     * Creates an empty map in the default directory.
     *
     * @param name   its name (files {@code name}, {@code name.lock}, {@code name.g<N>}).
     * @param keys   the key codec.
     * @param values the value codec.
     * @param <K>    the key type.
     * @param <V>    the value type.
     * @return the map.
     * @throws java.io.UncheckedIOException if the name exists.
     */
    public static <K, V> SharedDict<K, V> create(final String name, final Codec<K> keys, final Codec<V> values)
    {
        return create(SegmentDirectory.defaultDirectory(), name, keys, values);
    }

    /**
     * Creates an empty map.
     *
     * @param directory the segment directory.
     * @param name      its name.
     * @param keys      the key codec.
     * @param values    the value codec.
     * @param <K>       the key type.
     * @param <V>       the value type.
     * @return the map.
     * @throws java.io.UncheckedIOException if the name exists.
     * @throws IllegalArgumentException     if the name is not valid.
     */
    public static <K, V> SharedDict<K, V> create(
        final Path directory, final String name, final Codec<K> keys, final Codec<V> values)
    {
        return create(directory, name, keys, values, DEFAULT_STRIPES);
    }

    /**
     * Creates an empty map of a given number of stripes, as {@code ConcurrentHashMap}'s constructor takes a
     * concurrency level: each stripe has its own lock, so writers of keys in different stripes go on side by side.
     * One stripe is the least space (a root, a lock and a generation of at least 64 KiB per stripe); writes from
     * several processes want several times as many stripes as processes.
     *
     * @param directory the segment directory.
     * @param name      its name (stripe {@code k > 0} takes the names {@code name.s<k>}).
     * @param keys      the key codec.
     * @param values    the value codec.
     * @param stripes   a power of two from 1 to 16.
     * @param <K>       the key type.
     * @param <V>       the value type.
     * @return the map.
     * @throws java.io.UncheckedIOException if the name exists.
     * @throws IllegalArgumentException     if the name or the stripe count is not valid.
     */
    public static <K, V> SharedDict<K, V> create(
        final Path directory, final String name, final Codec<K> keys, final Codec<V> values, final int stripes)
    {
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(values, "values");
        return new SharedDict<>(DictStripes.create(directory, name, keys, values, stripes, MIN_TABLE, MIN_HEAP),
            keys, values);
    }

    /**
     * Opens a map in the default directory.
     *
     * @param name   its name.
     * @param keys   the key codec it was made with.
     * @param values the value codec it was made with.
     * @param <K>    the key type.
     * @param <V>    the value type.
     * @return the map.
     */
    public static <K, V> SharedDict<K, V> open(final String name, final Codec<K> keys, final Codec<V> values)
    {
        return open(SegmentDirectory.defaultDirectory(), name, keys, values);
    }

    /**
     * Opens a map.
     *
     * @param directory the segment directory.
     * @param name      its name.
     * @param keys      the key codec it was made with.
     * @param values    the value codec it was made with.
     * @param <K>       the key type.
     * @param <V>       the value type.
     * @return the map.
     * @throws java.io.UncheckedIOException           if there is no such map.
     * @throws dev.jipc.core.SegmentFormatException if a file is not a valid map (or not one of this kind).
     * @throws IllegalArgumentException               if a codec is not the one the map was made with.
     */
    public static <K, V> SharedDict<K, V> open(
        final Path directory, final String name, final Codec<K> keys, final Codec<V> values)
    {
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(values, "values");
        return new SharedDict<>(DictStripes.open(directory, name, keys, values), keys, values);
    }

    /**
     * The map's name.
     *
     * @return the name of its root segment.
     */
    public String name()
    {
        return store.name();
    }

    /**
     * The map's directory.
     *
     * @return the segment directory.
     */
    public Path directory()
    {
        return store.directory();
    }

    /**
     * How many stripes the map has.
     *
     * @return a power of two, as it was made.
     */
    public int stripes()
    {
        return stripes.length;
    }

    /** The entries: the sum of the stripes' sizes, each read at its own moment, as ConcurrentHashMap's. */
    @Override
    public int size()
    {
        return (int)Math.min(Integer.MAX_VALUE, longSize());
    }

    @Override
    public boolean isEmpty()
    {
        for (final CollectionStore stripe : stripes)
        {
            if (stripe.size() != 0)
            {
                return false;
            }
        }
        return true;
    }

    private long longSize()
    {
        long size = 0;
        for (final CollectionStore stripe : stripes)
        {
            size += stripe.size();
        }
        return size;
    }

    @Override
    public V get(final Object key)
    {
        Objects.requireNonNull(key, "key");
        final Scratch scratch = Scratch.acquire();
        try
        {
            final int keyLength = encodeKey(key, scratch);
            if (keyLength < 0)
            {
                return null;
            }
            final int valueLength = read(scratch, keyLength, Blocks.hash(scratch.key, keyLength));
            return valueLength < 0 ? null : decode(scratch.read, 0, valueLength);
        }
        finally
        {
            scratch.release();
        }
    }

    @Override
    public boolean containsKey(final Object key)
    {
        Objects.requireNonNull(key, "key");
        final Scratch scratch = Scratch.acquire();
        try
        {
            final int keyLength = encodeKey(key, scratch);
            return keyLength >= 0 && read(scratch, keyLength, Blocks.hash(scratch.key, keyLength)) >= 0;
        }
        finally
        {
            scratch.release();
        }
    }

    /**
     * Python's {@code d[key] = value}: a {@link #put} that does not decode the value it replaces.
     *
     * @param key   the key.
     * @param value the value.
     * @throws IllegalArgumentException if the encoded key and value together exceed 64 MiB.
     */
    public void set(final K key, final V value)
    {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        final Scratch scratch = Scratch.acquire();
        try
        {
            final int keyLength = keys.encode(key, scratch.key, 0);
            final int valueLength = encodeValue(value, scratch, keyLength);
            final int hash = Blocks.hash(scratch.key, keyLength);
            final CollectionStore stripe = lockAndLease(scratch, hash);
            try
            {
                write(stripe, scratch, keyLength, hash, valueLength);
            }
            finally
            {
                unlockAndExit(stripe, scratch);
            }
        }
        finally
        {
            scratch.release();
        }
    }

    @Override
    public V put(final K key, final V value)
    {
        Objects.requireNonNull(value, "value");
        return update(key, previous -> value).previous;
    }

    @Override
    public V remove(final Object key)
    {
        return encodable(key) ? update(key, previous -> null).previous : null;
    }

    @Override
    public V putIfAbsent(final K key, final V value)
    {
        Objects.requireNonNull(value, "value");
        return update(key, previous -> previous == null ? value : previous).previous;
    }

    @Override
    public boolean remove(final Object key, final Object value)
    {
        Objects.requireNonNull(value, "value");
        if (!encodable(key))
        {
            return false;
        }
        final Outcome<V> outcome = update(key, previous -> value.equals(previous) ? null : previous);
        return outcome.previous != null && outcome.next == null;
    }

    @Override
    public boolean replace(final K key, final V oldValue, final V newValue)
    {
        Objects.requireNonNull(oldValue, "oldValue");
        Objects.requireNonNull(newValue, "newValue");
        final boolean[] replaced = new boolean[1];
        update(key, previous ->
        {
            replaced[0] = oldValue.equals(previous);
            return replaced[0] ? newValue : previous;
        });
        return replaced[0];
    }

    @Override
    public V replace(final K key, final V value)
    {
        Objects.requireNonNull(value, "value");
        return update(key, previous -> previous == null ? null : value).previous;
    }

    @Override
    public V computeIfAbsent(final K key, final Function<? super K, ? extends V> mappingFunction)
    {
        Objects.requireNonNull(mappingFunction, "mappingFunction");
        final V present = get(key);
        if (present != null)
        {
            return present;
        }
        return update(key, previous -> previous != null ? previous : mappingFunction.apply(key)).next;
    }

    @Override
    public V computeIfPresent(final K key, final BiFunction<? super K, ? super V, ? extends V> remappingFunction)
    {
        Objects.requireNonNull(remappingFunction, "remappingFunction");
        return update(key, previous -> previous == null ? null : remappingFunction.apply(key, previous)).next;
    }

    @Override
    public V compute(final K key, final BiFunction<? super K, ? super V, ? extends V> remappingFunction)
    {
        Objects.requireNonNull(remappingFunction, "remappingFunction");
        return update(key, previous -> remappingFunction.apply(key, previous)).next;
    }

    @Override
    public V merge(final K key, final V value, final BiFunction<? super V, ? super V, ? extends V> remappingFunction)
    {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(remappingFunction, "remappingFunction");
        return update(key, previous -> previous == null ? value : remappingFunction.apply(previous, value)).next;
    }

    /**
     * Removes every entry: in each stripe at once (a new, empty generation replaces the current one), stripe after
     * stripe, so a write to another stripe meanwhile may stay, as with ConcurrentHashMap's {@code clear}.
     */
    @Override
    public void clear()
    {
        for (final CollectionStore stripe : stripes)
        {
            stripe.clear(MIN_TABLE, MIN_HEAP);
        }
    }

    @Override
    public Set<Map.Entry<K, V>> entrySet()
    {
        if (entrySet == null)
        {
            entrySet = new EntrySet();
        }
        return entrySet;
    }

    /** Detaches this handle (the map stays for other handles and processes); idempotent. */
    @Override
    public void close()
    {
        for (final CollectionStore stripe : stripes)
        {
            stripe.close();
        }
    }

    /** Removes the map's files, every stripe's; handles attached already keep working until they close. */
    public void unlink()
    {
        for (int i = stripes.length - 1; i >= 0; i--)
        {
            stripes[i].unlink();
        }
    }

    @Override
    public String toString()
    {
        return store.isClosed() ? "SharedDict{" + store.name() + ", closed}" : super.toString();
    }

    /** The value a key maps to, read without the lock; a bounded number of retries, then under the lock. */
    private int read(final Scratch scratch, final int keyLength, final int hash)
    {
        final CollectionStore stripe = stripeOf(hash);
        for (int attempt = 0; attempt < OPTIMISTIC_ATTEMPTS; attempt++)
        {
            final Generation generation = stripe.enter();
            final int result;
            try
            {
                result = probe(generation, scratch.key, keyLength, hash, scratch.read, false);
            }
            finally
            {
                stripe.exit(generation);
            }
            if (result != Blocks.RETRY)
            {
                return result;
            }
            Thread.onSpinWait();
        }
        lockAndLease(scratch, hash);
        try
        {
            return probe(scratch.leased, scratch.key, keyLength, hash, scratch.read, true);
        }
        finally
        {
            unlockAndExit(stripe, scratch);
        }
    }

    private static int probe(
        final Generation generation, final DirectBuffer key, final int keyLength, final int hash,
        final ExpandableArrayBuffer into, final boolean locked)
    {
        final AtomicBuffer buffer = generation.buffer();
        final int mask = generation.tableLength() - 1;
        int index = hash & mask;
        for (int probes = 0; probes <= mask; probes++)
        {
            final long word = buffer.getLongVolatile(slotOffset(index));
            if (word == EMPTY)
            {
                return ABSENT;
            }
            if (word != TOMBSTONE && (int)(word >>> 32) == hash)
            {
                final int result = Blocks.readValueIfKey(generation, (int)word, hash, key, keyLength, into,
                    locked);
                // the block is judged only if the slot still names it: a block freed and reused for another key
                // while this thread read it would otherwise hide the key this slot holds now
                if (buffer.getLongVolatile(slotOffset(index)) != word)
                {
                    return Blocks.RETRY;
                }
                if (result != Blocks.MISMATCH)
                {
                    return result;
                }
            }
            index = (index + 1) & mask;
        }
        return ABSENT;
    }

    /**
     * Under the lock: where a key is, or where it would go.
     *
     * @return the slot index of the key, or {@code -(insertion index) - 1}: the first tombstone of its probe, or the
     * empty slot that ends it.
     */
    static int locate(final Generation generation, final DirectBuffer key, final int keyLength, final int hash)
    {
        final AtomicBuffer buffer = generation.buffer();
        final int mask = generation.tableLength() - 1;
        int index = hash & mask;
        int tombstone = -1;
        for (int probes = 0; probes <= mask; probes++)
        {
            final long word = buffer.getLong(slotOffset(index));
            if (word == EMPTY)
            {
                return -(tombstone >= 0 ? tombstone : index) - 1;
            }
            if (word == TOMBSTONE)
            {
                if (tombstone < 0)
                {
                    tombstone = index;
                }
            }
            else if ((int)(word >>> 32) == hash)
            {
                final int block = (int)word;
                generation.heap().checkEntry(block);
                if (buffer.getInt(block + BLOCK_KEY_LENGTH_OFFSET) == keyLength &&
                    Blocks.equalBytes(buffer, block + BLOCK_HEADER_LENGTH, key, keyLength))
                {
                    return index;
                }
            }
            index = (index + 1) & mask;
        }
        if (tombstone >= 0)
        {
            return -tombstone - 1;
        }
        throw generation.corrupt("a dict's table has no empty slot: tableLength=" + generation.tableLength());
    }

    /** Under the lock: the whole of every compound operation, its function called once. */
    private Outcome<V> update(final Object key, final Function<V, V> next)
    {
        Objects.requireNonNull(key, "key");
        final Scratch scratch = Scratch.acquire();
        try
        {
            final int keyLength = encodeKey(key, scratch);
            if (keyLength < 0)
            {
                throw new ClassCastException("not a key of " + store.root().path() + ": " + key.getClass());
            }
            final int hash = Blocks.hash(scratch.key, keyLength);
            final CollectionStore stripe = lockAndLease(scratch, hash);
            try
            {
                final Generation generation = scratch.leased;
                final int index = locate(generation, scratch.key, keyLength, hash);
                final V previous = index >= 0 ? decodeLocked(generation, index) : null;
                final V updated = next.apply(previous);
                if (updated != previous)
                {
                    if (updated != null)
                    {
                        write(stripe, scratch, keyLength, hash, encodeValue(updated, scratch, keyLength), index);
                    }
                    else if (index >= 0)
                    {
                        removeAt(stripe, generation, index);
                    }
                }
                return new Outcome<>(previous, updated);
            }
            finally
            {
                unlockAndExit(stripe, scratch);
            }
        }
        finally
        {
            scratch.release();
        }
    }

    /** Under the lock: makes the key in the scratch map to the value in the scratch, growing first if needed. */
    private void write(
        final CollectionStore stripe, final Scratch scratch, final int keyLength, final int hash, final int valueLength)
    {
        write(stripe, scratch, keyLength, hash, valueLength, locate(scratch.leased, scratch.key, keyLength, hash));
    }

    /** As the write above, with where {@link #locate} found the key in the leased generation. */
    private void write(final CollectionStore stripe, final Scratch scratch, final int keyLength, final int hash,
        final int valueLength, final int located)
    {
        final int sizeClass = sizeClass(BLOCK_HEADER_LENGTH + keyLength + valueLength);
        Generation generation = scratch.leased;
        int index = located;
        if (!generation.heap().canAllocate(sizeClass) || (index < 0 && insertFills(generation, -index - 1)))
        {
            generation = grow(stripe, scratch, sizeClass);
            index = locate(generation, scratch.key, keyLength, hash);
        }
        final AtomicBuffer buffer = generation.buffer();
        final BlockHeap heap = generation.heap();
        final int slot = index >= 0 ? index : -index - 1;
        final int slotOffset = slotOffset(slot);
        final int freeBlock = index >= 0 ? (int)buffer.getLong(slotOffset) : 0;
        final int freeClass = index >= 0 ? heap.sizeClassOf(freeBlock) : 0;
        final long usedDelta = index < 0 && buffer.getLong(slotOffset) == EMPTY ? 1 : 0;
        final WriteIntent intent = stripe.intent();
        intent.beginMutation(generation, heap, slotOffset, sizeClass, freeBlock, freeClass, index >= 0 ? 0 : 1,
            usedDelta);
        final int block = heap.allocate(sizeClass);
        heap.write(block, hash, scratch.key, keyLength, scratch.value, valueLength);
        final long word = ((long)hash << 32) | block;
        intent.ready(word);
        buffer.putLongRelease(slotOffset, word);
        intent.complete(generation, heap);
    }

    private static void removeAt(final CollectionStore stripe, final Generation generation, final int index)
    {
        final int slotOffset = slotOffset(index);
        final BlockHeap heap = generation.heap();
        final int block = (int)generation.buffer().getLong(slotOffset);
        final WriteIntent intent = stripe.intent();
        intent.beginMutation(generation, heap, slotOffset, -1, block, heap.sizeClassOf(block), -1, 0);
        intent.ready(TOMBSTONE);
        generation.buffer().putLongRelease(slotOffset, TOMBSTONE);
        intent.complete(generation, heap);
    }

    /** Whether taking an empty slot would load the table past three quarters. */
    private static boolean insertFills(final Generation generation, final int slot)
    {
        return generation.buffer().getLong(slotOffset(slot)) == EMPTY &&
            (generation.buffer().getLong(DATA_USED_OFFSET) + 1) * 4 > generation.tableLength() * 3L;
    }

    /**
     * Under the lock: copies the live entries into a new generation with a table at most half full and a heap twice
     * what they use, publishes it, and leases it in the scratch instead of the one it replaced.
     */
    private static Generation grow(final CollectionStore stripe, final Scratch scratch, final int sizeClass)
    {
        final Generation replaced = scratch.leased;
        final AtomicBuffer buffer = replaced.buffer();
        long live = 0;
        long liveBytes = 0;
        for (int index = 0; index < replaced.tableLength(); index++)
        {
            final long word = buffer.getLong(slotOffset(index));
            if (word != EMPTY && word != TOMBSTONE)
            {
                live++;
                liveBytes += blockLength(replaced.heap().sizeClassOf((int)word));
            }
        }
        long tableLength = MIN_TABLE;
        while (tableLength < (live + 1) * 2)
        {
            tableLength <<= 1;
        }
        if (tableLength > 1 << 28)
        {
            throw new IllegalStateException("dict too large: entries=" + live + ", " + replaced);
        }
        final long heapBytes = Math.max(MIN_HEAP, (2 * (liveBytes + blockLength(sizeClass)) + 4095) & ~4095L);
        final Generation next = stripe.replace(replaced, (int)tableLength, heapBytes, live,
            fresh -> copyEntries(replaced, fresh));
        scratch.leased = next;
        stripe.exit(replaced);
        return next;
    }

    static void copyEntries(final Generation from, final Generation to)
    {
        final AtomicBuffer source = from.buffer();
        final AtomicBuffer target = to.buffer();
        final int mask = to.tableLength() - 1;
        long used = 0;
        for (int index = 0; index < from.tableLength(); index++)
        {
            final long word = source.getLong(slotOffset(index));
            if (word == EMPTY || word == TOMBSTONE)
            {
                continue;
            }
            final int block = (int)word;
            final int length = BLOCK_HEADER_LENGTH + source.getInt(block + BLOCK_KEY_LENGTH_OFFSET) +
                source.getInt(block + BLOCK_VALUE_LENGTH_OFFSET);
            final int copy = to.heap().allocate(from.heap().sizeClassOf(block));
            target.putBytes(copy, source, block, length);
            int slot = (int)(word >>> 32) & mask;
            while (target.getLong(slotOffset(slot)) != EMPTY)
            {
                slot = (slot + 1) & mask;
            }
            target.putLong(slotOffset(slot), (word & 0xFFFF_FFFF_0000_0000L) | copy);
            used++;
        }
        target.putLong(DATA_USED_OFFSET, used);
    }

    private V decodeLocked(final Generation generation, final int index)
    {
        final int block = (int)generation.buffer().getLong(slotOffset(index));
        final AtomicBuffer buffer = generation.buffer();
        final int keyLength = buffer.getInt(block + BLOCK_KEY_LENGTH_OFFSET);
        return decode(buffer, block + BLOCK_HEADER_LENGTH + keyLength, buffer.getInt(block +
            BLOCK_VALUE_LENGTH_OFFSET));
    }

    private V decode(final DirectBuffer buffer, final int offset, final int length)
    {
        return store.decode(values, buffer, offset, length);
    }

    private K decodeKey(final DirectBuffer buffer, final int offset, final int length)
    {
        return store.decode(keys, buffer, offset, length);
    }

    /** Encodes a key into the scratch; -1 when it is not of the key type (a get of a foreign key finds nothing). */
    @SuppressWarnings("unchecked")
    private int encodeKey(final Object key, final Scratch scratch)
    {
        try
        {
            return keys.encode((K)key, scratch.key, 0);
        }
        catch (final ClassCastException notAKey)
        {
            return -1;
        }
    }

    private boolean encodable(final Object key)
    {
        Objects.requireNonNull(key, "key");
        final Scratch scratch = Scratch.acquire();
        try
        {
            return encodeKey(key, scratch) >= 0;
        }
        finally
        {
            scratch.release();
        }
    }

    private int encodeValue(final V value, final Scratch scratch, final int keyLength)
    {
        final int valueLength = values.encode(value, scratch.value, 0);
        if ((long)BLOCK_HEADER_LENGTH + keyLength + valueLength > MAX_BLOCK)
        {
            throw new IllegalArgumentException("entry too large for " + store.root().path() + ": keyBytes=" +
                keyLength + ", valueBytes=" + valueLength + ", max=" + (MAX_BLOCK - BLOCK_HEADER_LENGTH));
        }
        return valueLength;
    }

    /** Stripe 0 (the whole map when it has one stripe), for the audits of the tests. */
    CollectionStore store()
    {
        return store;
    }

    /** Every stripe, in order. */
    CollectionStore[] stripeStores()
    {
        return stripes.clone();
    }

    private CollectionStore stripeOf(final int hash)
    {
        return stripes[DictStripes.index(hash, stripes.length)];
    }

    /**
     * Takes the lock of a key's stripe and leases its generation. A thread that holds a lock of this map already (a
     * function given to {@code compute} or {@code merge} that writes to the map) gets an error: taking a second
     * stripe's lock there could deadlock with a process that holds that one and waits for the first.
     */
    private CollectionStore lockAndLease(final Scratch scratch, final int hash)
    {
        if (scratch.writing == this)
        {
            throw new IllegalStateException("recursive update of " + store.root().path() +
                ": a function given to compute or merge wrote to the same collection");
        }
        final CollectionStore stripe = stripeOf(hash);
        stripe.lockAndLease(scratch);
        scratch.writing = this;
        return stripe;
    }

    private static void unlockAndExit(final CollectionStore stripe, final Scratch scratch)
    {
        scratch.writing = null;
        stripe.unlockAndExit(scratch);
    }

    static int slotOffset(final int index)
    {
        return TABLE_OFFSET + index * Long.BYTES;
    }

    @Serial
    private Object writeReplace()
    {
        return new Handle<>(store.directory().toString(), store.name(), keys, values);
    }

    private record Outcome<V>(V previous, V next)
    {
    }

    private record Handle<K, V>(String directory, String name, Codec<K> keys, Codec<V> values)
        implements Serializable
    {
        @Serial
        private Object readResolve()
        {
            return SharedDict.open(Path.of(directory), name, keys, values);
        }
    }

    /** The entries, weakly consistent: see {@link EntryIterator}. */
    private final class EntrySet extends AbstractSet<Map.Entry<K, V>>
    {
        @Override
        public Iterator<Map.Entry<K, V>> iterator()
        {
            return new StripesIterator();
        }

        @Override
        public int size()
        {
            return SharedDict.this.size();
        }

        @Override
        public boolean contains(final Object o)
        {
            if (!(o instanceof Map.Entry<?, ?> entry) || entry.getKey() == null || entry.getValue() == null)
            {
                return false;
            }
            return entry.getValue().equals(get(entry.getKey()));
        }

        @Override
        public boolean remove(final Object o)
        {
            return o instanceof Map.Entry<?, ?> entry && entry.getKey() != null && entry.getValue() != null &&
                SharedDict.this.remove(entry.getKey(), entry.getValue());
        }

        @Override
        public void clear()
        {
            SharedDict.this.clear();
        }
    }

    /**
     * The stripes' walks one after the other. Each leases its stripe's generation when the iterator is made, so an
     * iterator made before its map's handle was closed finishes its walk.
     */
    private final class StripesIterator implements Iterator<Map.Entry<K, V>>
    {
        private final List<EntryIterator> walks = new ArrayList<>(stripes.length);
        private int stripe;
        private EntryIterator last;

        StripesIterator()
        {
            for (final CollectionStore each : stripes)
            {
                walks.add(new EntryIterator(each));
            }
        }

        @Override
        public boolean hasNext()
        {
            while (!walks.get(stripe).hasNext() && stripe + 1 < walks.size())
            {
                stripe++;
            }
            return walks.get(stripe).hasNext();
        }

        @Override
        public Map.Entry<K, V> next()
        {
            if (!hasNext())
            {
                throw new NoSuchElementException();
            }
            last = walks.get(stripe);
            return last.next();
        }

        @Override
        public void remove()
        {
            if (last == null)
            {
                throw new IllegalStateException("next() has not returned an entry since the last remove()");
            }
            last.remove();
            last = null;
        }
    }

    /**
     * Walks the slots of the generation current when it was made, which it leases until it is exhausted (or
     * collected): an entry present throughout is returned exactly once, with its value at some moment of the walk;
     * one added or removed meanwhile may or may not be. After a writer replaces the generation, the walk goes on
     * over the old one, which no longer changes.
     */
    private final class EntryIterator implements Iterator<Map.Entry<K, V>>
    {
        private final CollectionStore store;
        private final Generation generation;
        private final Runnable release;
        private final ExpandableArrayBuffer copy = new ExpandableArrayBuffer(64);
        private int index;
        private Map.Entry<K, V> next;
        private K last;

        EntryIterator(final CollectionStore store)
        {
            this.store = store;
            this.generation = store.enter();
            final AtomicBoolean released = new AtomicBoolean();
            final CollectionStore leasedFrom = store;
            final Generation leased = generation;
            this.release = () ->
            {
                if (released.compareAndSet(false, true))
                {
                    leasedFrom.exit(leased);
                }
            };
            CLEANER.register(this, release);
            advance();
        }

        @Override
        public boolean hasNext()
        {
            return next != null;
        }

        @Override
        public Map.Entry<K, V> next()
        {
            if (next == null)
            {
                throw new NoSuchElementException();
            }
            final Map.Entry<K, V> entry = next;
            last = entry.getKey();
            advance();
            return entry;
        }

        @Override
        public void remove()
        {
            if (last == null)
            {
                throw new IllegalStateException("next() has not returned an entry since the last remove()");
            }
            SharedDict.this.remove(last);
            last = null;
        }

        private void advance()
        {
            next = null;
            final AtomicBuffer buffer = generation.buffer();
            while (next == null && index < generation.tableLength())
            {
                final int slotOffset = slotOffset(index++);
                long lengths = -1;
                for (int attempt = 0; attempt < OPTIMISTIC_ATTEMPTS && lengths < 0; attempt++)
                {
                    final long word = buffer.getLongVolatile(slotOffset);
                    if (word == EMPTY || word == TOMBSTONE)
                    {
                        break;
                    }
                    lengths = Blocks.readEntry(generation, (int)word, (int)(word >>> 32), copy, false);
                    if (buffer.getLongVolatile(slotOffset) != word)
                    {
                        // the block was freed and perhaps reused by another key meanwhile: read the slot again
                        lengths = -1;
                    }
                }
                if (lengths < 0 && isLive(buffer.getLongVolatile(slotOffset)))
                {
                    lengths = readLocked(slotOffset);
                }
                if (lengths >= 0)
                {
                    final int keyLength = (int)(lengths >>> 32);
                    next = new WriteThroughEntry(decodeKey(copy, 0, keyLength),
                        decode(copy, keyLength, (int)lengths));
                }
            }
            if (next == null)
            {
                release.run();
            }
        }

        private long readLocked(final int slotOffset)
        {
            store.lock();
            try
            {
                final long word = generation.buffer().getLongVolatile(slotOffset);
                return isLive(word) ? Blocks.readEntry(generation, (int)word, (int)(word >>> 32), copy, true) : -1;
            }
            finally
            {
                store.unlock();
            }
        }

        private boolean isLive(final long word)
        {
            return word != EMPTY && word != TOMBSTONE;
        }
    }

    /** An entry whose {@code setValue} writes through to the map, as ConcurrentHashMap's does. */
    private final class WriteThroughEntry extends AbstractMap.SimpleEntry<K, V>
    {
        @Serial
        private static final long serialVersionUID = 1L;

        WriteThroughEntry(final K key, final V value)
        {
            super(key, value);
        }

        @Override
        public V setValue(final V value)
        {
            Objects.requireNonNull(value, "value");
            final V previous = super.setValue(value);
            put(getKey(), value);
            return previous;
        }
    }
}
