package dev.jipc.sync.collection;

import static dev.jipc.sync.collection.CollectionDescriptor.BLOCK_HASH_OFFSET;
import static dev.jipc.sync.collection.CollectionDescriptor.BLOCK_HEADER_LENGTH;
import static dev.jipc.sync.collection.CollectionDescriptor.BLOCK_KEY_LENGTH_OFFSET;
import static dev.jipc.sync.collection.CollectionDescriptor.BLOCK_LINK_OFFSET;
import static dev.jipc.sync.collection.CollectionDescriptor.BLOCK_SEQUENCE_OFFSET;
import static dev.jipc.sync.collection.CollectionDescriptor.BLOCK_VALUE_LENGTH_OFFSET;
import static dev.jipc.sync.collection.CollectionDescriptor.CLASSES;
import static dev.jipc.sync.collection.CollectionDescriptor.DATA_BUMP_OFFSET;
import static dev.jipc.sync.collection.CollectionDescriptor.MIN_BLOCK;
import static dev.jipc.sync.collection.CollectionDescriptor.blockLength;
import static dev.jipc.sync.collection.CollectionDescriptor.freeHeadOffset;
import static dev.jipc.sync.collection.CollectionDescriptor.sizeClass;

import java.lang.invoke.VarHandle;

import dev.jipc.core.SegmentFormatException;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AtomicBuffer;

/**
 * The writer's view of a generation's heap: blocks of power-of-two sizes, a free list per size, and a bump pointer
 * over the never-used rest. Only the holder of the collection's lock calls it.
 * <p>
 * A block's sequence is what lets readers copy it without a lock: it is odd while the block is free or being written
 * and even once complete, and only ever grows, so a reader that sees the same even sequence before and after its copy
 * copied one complete entry. Every link and offset read from the heap is checked to lie inside it before use: a
 * corrupt one is a {@link SegmentFormatException}, never a stray write.
 */
final class BlockHeap
{
    private final Generation generation;
    private final AtomicBuffer buffer;
    private final long heapStart;
    private final long heapEnd;

    BlockHeap(final Generation generation)
    {
        this.generation = generation;
        this.buffer = generation.buffer();
        this.heapStart = generation.heapStart();
        this.heapEnd = generation.heapEnd();
    }

    /**
     * Whether a block of a class can be had without growing.
     *
     * @param sizeClass the class.
     * @return true if its free list has one or the bump has room.
     */
    boolean canAllocate(final int sizeClass)
    {
        return head(sizeClass) != 0 || bump() + blockLength(sizeClass) <= heapEnd;
    }

    /**
     * Takes a block: the head of the class's free list if it has one, else fresh bytes from the bump. The rule is
     * deterministic on purpose: {@link WriteIntent} replays it after a crash. The block's sequence is odd on return.
     *
     * @param sizeClass the class.
     * @return the block's offset.
     * @throws IllegalStateException if neither has room (check {@link #canAllocate} first).
     */
    int allocate(final int sizeClass)
    {
        final long head = head(sizeClass);
        if (head != 0)
        {
            final long next = link((int)head, sizeClass);
            buffer.putLong(freeHeadOffset(sizeClass), next);
            return (int)head;
        }
        final long block = bump();
        if (block + blockLength(sizeClass) > heapEnd)
        {
            throw new IllegalStateException("heap full: " + generation);
        }
        buffer.putLong(DATA_BUMP_OFFSET, block + blockLength(sizeClass));
        // odd while it is written; no reader can reach a block above the bump, so a plain store will do
        final int sequence = buffer.getInt((int)block + BLOCK_SEQUENCE_OFFSET);
        if ((sequence & 1) == 0)
        {
            buffer.putInt((int)block + BLOCK_SEQUENCE_OFFSET, sequence + 1);
        }
        return (int)block;
    }

    /**
     * Writes an entry into a block from {@link #allocate} and makes it complete (its sequence even).
     *
     * @param block       the block.
     * @param hash        the key's hash.
     * @param key         the key's bytes.
     * @param keyLength   how many.
     * @param value       the value's bytes.
     * @param valueLength how many.
     */
    void write(
        final int block, final int hash, final DirectBuffer key, final int keyLength, final DirectBuffer value,
        final int valueLength)
    {
        buffer.putInt(block + BLOCK_HASH_OFFSET, hash);
        buffer.putInt(block + BLOCK_KEY_LENGTH_OFFSET, keyLength);
        buffer.putInt(block + BLOCK_VALUE_LENGTH_OFFSET, valueLength);
        if (keyLength > 0)
        {
            Blocks.copy(key, 0, buffer, block + BLOCK_HEADER_LENGTH, keyLength);
        }
        if (valueLength > 0)
        {
            Blocks.copy(value, 0, buffer, block + BLOCK_HEADER_LENGTH + keyLength, valueLength);
        }
        final int sequence = buffer.getInt(block + BLOCK_SEQUENCE_OFFSET);
        buffer.putIntRelease(block + BLOCK_SEQUENCE_OFFSET, (sequence | 1) + 1);
    }

    /**
     * Returns a complete block that nothing publishes any more to its class's free list. Its sequence becomes odd
     * first, so a reader still copying it sees the change.
     *
     * @param block     the block.
     * @param sizeClass its class (from {@link #sizeClassOf} while it was complete).
     */
    void free(final int block, final int sizeClass)
    {
        // the odd sequence is a release store, so the publish that replaced the block is visible first (a crash
        // cannot leave a published block freed), and a store-store fence keeps the link and any later reuse of the
        // block behind it (the seqlock's write order: a reader that copied changed bytes sees the sequence changed)
        markFree(block);
        buffer.putLong(block + BLOCK_LINK_OFFSET, head(sizeClass));
        buffer.putLong(freeHeadOffset(sizeClass), block);
    }

    /**
     * The size class of a complete block, from its lengths.
     *
     * @param block a block whose header was checked by {@link #checkEntry}.
     * @return its class.
     */
    int sizeClassOf(final int block)
    {
        checkEntry(block);
        return sizeClass(entryLength(block));
    }

    /**
     * Checks a block of the table under the lock: inside the heap, aligned, complete, its lengths inside it.
     *
     * @param block the offset a slot or index names.
     * @throws SegmentFormatException naming the file and the fault.
     */
    void checkEntry(final long block)
    {
        checkBlockBounds(block, MIN_BLOCK);
        final int sequence = buffer.getIntVolatile((int)block + BLOCK_SEQUENCE_OFFSET);
        final int keyLength = buffer.getInt((int)block + BLOCK_KEY_LENGTH_OFFSET);
        final int valueLength = buffer.getInt((int)block + BLOCK_VALUE_LENGTH_OFFSET);
        final long length = BLOCK_HEADER_LENGTH + (long)keyLength + valueLength;
        if ((sequence & 1) != 0 || keyLength < 0 || valueLength < 0 || length > CollectionDescriptor.MAX_BLOCK ||
            block + blockLength(sizeClass((int)length)) > heapEnd)
        {
            throw generation.corrupt("corrupt entry header: block=" + block + ", sequence=" + sequence +
                ", keyLength=" + keyLength + ", valueLength=" + valueLength);
        }
    }

    int entryLength(final int block)
    {
        return BLOCK_HEADER_LENGTH + buffer.getInt(block + BLOCK_KEY_LENGTH_OFFSET) +
            buffer.getInt(block + BLOCK_VALUE_LENGTH_OFFSET);
    }

    long bump()
    {
        final long bump = buffer.getLong(DATA_BUMP_OFFSET);
        if (bump < heapStart || bump > heapEnd || (bump & (MIN_BLOCK - 1)) != 0)
        {
            throw generation.corrupt("bump outside the heap: bump=" + bump + ", heap=[" + heapStart + ", " + heapEnd +
                ")");
        }
        return bump;
    }

    void bump(final long bump)
    {
        buffer.putLong(DATA_BUMP_OFFSET, bump);
    }

    long head(final int sizeClass)
    {
        final long head = buffer.getLong(freeHeadOffset(sizeClass));
        if (head != 0)
        {
            checkBlockBounds(head, blockLength(sizeClass));
        }
        return head;
    }

    void head(final int sizeClass, final long head)
    {
        buffer.putLong(freeHeadOffset(sizeClass), head);
    }

    /**
     * The free-list link of a free block.
     *
     * @param block     a free block.
     * @param sizeClass its class.
     * @return the next free block of the class, or 0.
     */
    long link(final int block, final int sizeClass)
    {
        if ((buffer.getIntVolatile(block + BLOCK_SEQUENCE_OFFSET) & 1) == 0)
        {
            throw generation.corrupt("a block on a free list is not free: block=" + block + ", class=" + sizeClass);
        }
        final long next = buffer.getLong(block + BLOCK_LINK_OFFSET);
        if (next != 0)
        {
            checkBlockBounds(next, blockLength(sizeClass));
        }
        return next;
    }

    /**
     * Undoes an allocation from a free list that was never published: the block is free again, linked as before.
     *
     * @param block the block.
     * @param next  its link before the allocation.
     */
    void unallocate(final int block, final long next)
    {
        markFree(block);
        buffer.putLong(block + BLOCK_LINK_OFFSET, next);
    }

    private void markFree(final int block)
    {
        final int sequence = buffer.getIntVolatile(block + BLOCK_SEQUENCE_OFFSET);
        if ((sequence & 1) == 0)
        {
            buffer.putIntRelease(block + BLOCK_SEQUENCE_OFFSET, sequence + 1);
        }
        VarHandle.storeStoreFence();
    }

    /**
     * Checks an offset that recovery is about to write through: a block of the class inside the heap, or 0 where
     * {@code zeroAllowed}.
     *
     * @param what        what the offset is, for the error.
     * @param block       the offset.
     * @param sizeClass   the class it must hold.
     * @param zeroAllowed whether 0 (no block) is valid.
     */
    void checkRecorded(final String what, final long block, final int sizeClass, final boolean zeroAllowed)
    {
        if (block == 0 && zeroAllowed)
        {
            return;
        }
        if (block < heapStart || block + blockLength(sizeClass) > heapEnd || (block & (MIN_BLOCK - 1)) != 0)
        {
            throw generation.corrupt("corrupt write intent: " + what + "=" + block + " is not a block of class " +
                sizeClass + " in the heap [" + heapStart + ", " + heapEnd + ")");
        }
    }

    /**
     * Bytes on the free lists, for {@code jipc stat}; walks each list at most as far as the heap could hold.
     *
     * @return the free bytes below the bump.
     */
    long freeBytes()
    {
        long free = 0;
        for (int sizeClass = 0; sizeClass < CLASSES; sizeClass++)
        {
            final long limit = (heapEnd - heapStart) / blockLength(sizeClass);
            long block = head(sizeClass);
            for (long walked = 0; block != 0; walked++)
            {
                if (walked > limit)
                {
                    throw generation.corrupt("free list longer than the heap: class=" + sizeClass);
                }
                free += blockLength(sizeClass);
                block = link((int)block, sizeClass);
            }
        }
        return free;
    }

    private void checkBlockBounds(final long block, final int length)
    {
        if (block < heapStart || block + length > heapEnd || (block & (MIN_BLOCK - 1)) != 0)
        {
            throw generation.corrupt("block outside the heap: block=" + block + ", length=" + length + ", heap=[" +
                heapStart + ", " + heapEnd + ")");
        }
    }
}
