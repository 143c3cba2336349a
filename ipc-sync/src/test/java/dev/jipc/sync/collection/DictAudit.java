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
 * Checks every invariant of a dict's current generation, under its lock (so any dead writer's work is recovered
 * first): the write intent is clear; every slot names a complete block inside the heap whose hash is its key's;
 * free blocks are free; no two blocks overlap; the counts match; one generation file exists.
 */
final class DictAudit
{
    private DictAudit()
    {
    }

    /**
     * Audits a dict.
     *
     * @param dict the dict.
     * @return the violations found, empty when it is consistent.
     */
    static List<String> audit(final SharedDict<?, ?> dict) throws IOException
    {
        final List<String> faults = new ArrayList<>();
        final CollectionStore store = dict.store();
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
            for (final var entry : blocks.entrySet())
            {
                if (entry.getKey() < end)
                {
                    faults.add("blocks overlap at " + entry.getKey());
                }
                end = entry.getKey() + entry.getValue();
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
}
