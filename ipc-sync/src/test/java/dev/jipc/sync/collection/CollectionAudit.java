package dev.jipc.sync.collection;

import static dev.jipc.sync.collection.CollectionDescriptor.BLOCK_HASH_OFFSET;
import static dev.jipc.sync.collection.CollectionDescriptor.BLOCK_HEADER_LENGTH;
import static dev.jipc.sync.collection.CollectionDescriptor.BLOCK_KEY_LENGTH_OFFSET;
import static dev.jipc.sync.collection.CollectionDescriptor.CLASSES;
import static dev.jipc.sync.collection.CollectionDescriptor.DATA_USED_OFFSET;
import static dev.jipc.sync.collection.CollectionDescriptor.blockLength;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Checks every invariant of a collection's current generation, under its lock (so any dead writer's work is
 * recovered first): the write intent is clear; every slot (dict) or index (list) names a complete block inside the
 * heap, a dict's with its key's hash; free blocks are free; no block is named twice and no two overlap; every
 * allocated byte is live or free (nothing leaked); the counts match; one generation file exists.
 */
final class CollectionAudit
{
    private CollectionAudit()
    {
    }

    /**
     * Audits a dict: every stripe, and that each key is in the stripe its hash names.
     *
     * @param dict the dict.
     * @return the violations found, empty when it is consistent.
     */
    static List<String> audit(final SharedDict<?, ?> dict) throws IOException
    {
        final CollectionStore[] stripes = dict.stripeStores();
        final List<String> faults = new ArrayList<>();
        for (int stripe = 0; stripe < stripes.length; stripe++)
        {
            for (final String fault : audit(stripes[stripe], true, stripe, stripes.length))
            {
                faults.add(stripes.length == 1 ? fault : stripes[stripe].name() + ": " + fault);
            }
        }
        return faults;
    }

    /**
     * Audits a list.
     *
     * @param list the list.
     * @return the violations found, empty when it is consistent.
     */
    static List<String> audit(final SharedList<?> list) throws IOException
    {
        return audit(list.store(), false, 0, 1);
    }

    private static List<String> audit(final CollectionStore store, final boolean dict, final int stripe,
        final int stripes) throws IOException
    {
        final List<String> faults = new ArrayList<>();
        store.lock();
        final Generation generation = store.enter();
        try
        {
            if (store.intent().state() != WriteIntent.NONE)
            {
                faults.add("write intent not clear: state=" + store.intent().state());
            }
            final AtomicBuffer buffer = generation.buffer();
            final BlockHeap heap = generation.heap();
            final long bump = heap.bump();
            final TreeMap<Long, Integer> blocks = new TreeMap<>();
            if (dict)
            {
                auditSlots(store, generation, blocks, faults, stripe, stripes);
            }
            else
            {
                auditIndexes(generation, blocks, faults);
            }
            for (int sizeClass = 0; sizeClass < CLASSES; sizeClass++)
            {
                long block = heap.head(sizeClass);
                for (int walked = 0; block != 0 && walked < 10_000_000; walked++)
                {
                    if (blocks.put(block, blockLength(sizeClass)) != null)
                    {
                        faults.add("free block also live or free twice: " + block);
                        break;
                    }
                    if (block + blockLength(sizeClass) > bump)
                    {
                        faults.add("free block beyond the bump: " + block);
                    }
                    block = heap.link((int)block, sizeClass);
                }
            }
            long end = 0;
            long accounted = 0;
            for (final var entry : blocks.entrySet())
            {
                if (entry.getKey() < end)
                {
                    faults.add("blocks overlap at " + entry.getKey());
                }
                end = entry.getKey() + entry.getValue();
                accounted += entry.getValue();
            }
            if (accounted != bump - generation.heapStart())
            {
                faults.add("leaked " + (bump - generation.heapStart() - accounted) +
                    " heap bytes: neither live nor free");
            }
            final Path directory = store.directory();
            try (Stream<Path> files = Files.list(directory))
            {
                final List<String> generations = files.map(f -> f.getFileName().toString())
                    .filter(f -> f.startsWith(store.name() + ".g")).toList();
                if (!generations.equals(List.of(CollectionDescriptor.dataName(store.name(), generation.number()))))
                {
                    faults.add("generation files " + generations + ", current " + generation.number());
                }
            }
        }
        finally
        {
            store.exit(generation);
            store.unlock();
        }
        return faults;
    }

    private static void auditSlots(
        final CollectionStore store, final Generation generation, final TreeMap<Long, Integer> blocks,
        final List<String> faults, final int stripe, final int stripes)
    {
        final AtomicBuffer buffer = generation.buffer();
        final BlockHeap heap = generation.heap();
        final long bump = heap.bump();
        long live = 0;
        long tombstones = 0;
        for (int index = 0; index < generation.tableLength(); index++)
        {
            final long word = buffer.getLongVolatile(SharedDict.slotOffset(index));
            if (word == SharedDict.EMPTY)
            {
                continue;
            }
            if (word == SharedDict.TOMBSTONE)
            {
                tombstones++;
                continue;
            }
            live++;
            final int block = (int)word;
            try
            {
                heap.checkEntry(block);
            }
            catch (final RuntimeException ex)
            {
                faults.add("slot " + index + ": " + ex.getMessage());
                continue;
            }
            final int keyLength = buffer.getInt(block + BLOCK_KEY_LENGTH_OFFSET);
            final byte[] key = new byte[keyLength];
            buffer.getBytes(block + BLOCK_HEADER_LENGTH, key);
            final int hash = Blocks.hash(new UnsafeBuffer(key), keyLength);
            if (hash != (int)(word >>> 32) || hash != buffer.getInt(block + BLOCK_HASH_OFFSET))
            {
                faults.add("slot " + index + ": hash does not match the key");
            }
            if (DictStripes.index(hash, stripes) != stripe)
            {
                faults.add("slot " + index + ": a key of stripe " + DictStripes.index(hash, stripes));
            }
            final int length = blockLength(heap.sizeClassOf(block));
            if (block + length > bump)
            {
                faults.add("slot " + index + ": block beyond the bump: block=" + block + ", bump=" + bump);
            }
            if (blocks.put((long)block, length) != null)
            {
                faults.add("block named twice: " + block);
            }
        }
        if (live != store.size())
        {
            faults.add("size " + store.size() + " but " + live + " live slots");
        }
        if (live + tombstones != buffer.getLong(DATA_USED_OFFSET))
        {
            faults.add("used " + buffer.getLong(DATA_USED_OFFSET) + " but " + (live + tombstones) +
                " slots not empty");
        }
    }

    private static void auditIndexes(
        final Generation generation, final TreeMap<Long, Integer> blocks, final List<String> faults)
    {
        final AtomicBuffer buffer = generation.buffer();
        final BlockHeap heap = generation.heap();
        final long word = buffer.getLongVolatile(CollectionDescriptor.DATA_LIST_WORD_OFFSET);
        final int size = (int)(word & 0x7FFF_FFFFL);
        final int which = (word & (1L << 31)) != 0 ? 1 : 0;
        if (size > generation.tableLength())
        {
            faults.add("size " + size + " beyond capacity " + generation.tableLength());
            return;
        }
        for (int index = 0; index < size; index++)
        {
            final long block = buffer.getLong(SharedList.indexOffset(generation, which, index));
            try
            {
                heap.checkEntry(block);
            }
            catch (final RuntimeException ex)
            {
                faults.add("index " + index + ": " + ex.getMessage());
                continue;
            }
            final int length = blockLength(heap.sizeClassOf((int)block));
            if (block + length > heap.bump())
            {
                faults.add("index " + index + ": block beyond the bump: block=" + block);
            }
            if (blocks.put(block, length) != null)
            {
                faults.add("block named twice: " + block);
            }
        }
    }
}
