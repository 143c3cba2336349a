package dev.jipc.sync.collection;

import static dev.jipc.sync.collection.CollectionDescriptor.DATA_BUMP_OFFSET;
import static dev.jipc.sync.collection.CollectionDescriptor.DATA_LIST_WORD_OFFSET;
import static dev.jipc.sync.collection.CollectionDescriptor.DATA_USED_OFFSET;
import static dev.jipc.sync.collection.CollectionDescriptor.ROOT_INTENT_OFFSET;
import static dev.jipc.sync.collection.CollectionDescriptor.ROOT_SIZE_OFFSET;
import static dev.jipc.sync.collection.CollectionDescriptor.TABLE_OFFSET;
import static dev.jipc.sync.collection.CollectionDescriptor.blockLength;

import dev.jipc.core.SegmentFormatException;
import org.agrona.concurrent.AtomicBuffer;

/**
 * The one-record log in a collection's root that makes every write all-or-nothing when its writer is killed.
 * <pre>
 *   Write intent: 16 little-endian longs in the root
 *   +0    State                NONE 0, MUTATE 1 (a write in a generation), REPLACE 2 (a new generation)
 *   +8    Generation           MUTATE: the generation written; REPLACE: the one being made
 *   +16   Publish offset       the word of the data segment whose one store makes the write visible
 *   +24   (reserved)
 *   +32   Publish new          its value after: 0 until the entry is complete
 *   +40   Bump                 the heap's bump before
 *   +48   Alloc class          the class allocated from, -1 for none
 *   +56   Alloc head           that class's free-list head before (0: the block came from the bump)
 *   +64   Alloc next           the head's link before
 *   +72   Free block           the block the write frees once published, 0 for none
 *   +80   Free class           its class
 *   +88   Free head            that class's free-list head before
 *   +96   Size                 the root's size before (REPLACE: after)
 *   +104  Size delta
 *   +112  Used                 the data segment's used slots before
 *   +120  Used delta
 * </pre>
 * A writer, holding the collection's lock: (1) records the intent with a snapshot of the allocator state it will
 * touch, then the state (a release store); (2) allocates and writes its entry; (3) records the published word's new
 * value; (4) publishes with one release store; (5) frees what the write replaced and updates the counts; (6) clears
 * the state. A writer that takes the lock from a dead owner ({@link dev.jipc.sync.Lock#previousOwnerDied()}) finds
 * the state and {@link #recoverMutation recovers}: it restores the snapshot, and if the publishing store had happened
 * it replays the allocation and the free exactly as the rule of {@link BlockHeap#allocate} made them, else it
 * returns the unpublished block. Both are idempotent (recovery can itself be killed and rerun), and only the dead
 * writer's own allocation is touched: no rebuild.
 */
final class WriteIntent
{
    static final int LENGTH = 16 * Long.BYTES;
    static final long NONE = 0;
    static final long MUTATE = 1;
    static final long REPLACE = 2;

    private static final int STATE = ROOT_INTENT_OFFSET;
    private static final int GENERATION = ROOT_INTENT_OFFSET + 8;
    private static final int PUBLISH_OFFSET = ROOT_INTENT_OFFSET + 16;
    private static final int PUBLISH_NEW = ROOT_INTENT_OFFSET + 32;
    private static final int BUMP = ROOT_INTENT_OFFSET + 40;
    private static final int ALLOC_CLASS = ROOT_INTENT_OFFSET + 48;
    private static final int ALLOC_HEAD = ROOT_INTENT_OFFSET + 56;
    private static final int ALLOC_NEXT = ROOT_INTENT_OFFSET + 64;
    private static final int FREE_BLOCK = ROOT_INTENT_OFFSET + 72;
    private static final int FREE_CLASS = ROOT_INTENT_OFFSET + 80;
    private static final int FREE_HEAD = ROOT_INTENT_OFFSET + 88;
    private static final int SIZE = ROOT_INTENT_OFFSET + 96;
    private static final int SIZE_DELTA = ROOT_INTENT_OFFSET + 104;
    private static final int USED = ROOT_INTENT_OFFSET + 112;
    private static final int USED_DELTA = ROOT_INTENT_OFFSET + 120;

    private final AtomicBuffer root;

    WriteIntent(final AtomicBuffer root)
    {
        this.root = root;
    }

    /**
     * Step 1 of a write: what it will publish and which allocator state it will touch.
     *
     * @param generation    the generation written.
     * @param heap          its heap.
     * @param publishOffset the word whose store publishes.
     * @param allocClass    the class the write allocates from, or -1.
     * @param freeBlock     the block freed after publishing, or 0.
     * @param freeClass     its class.
     * @param sizeDelta     the change of the root's size.
     * @param usedDelta     the change of the used slots.
     */
    void beginMutation(
        final Generation generation, final BlockHeap heap, final int publishOffset, final int allocClass,
        final int freeBlock, final int freeClass, final long sizeDelta, final long usedDelta)
    {
        final AtomicBuffer data = generation.buffer();
        final long allocHead = allocClass >= 0 ? heap.head(allocClass) : 0;
        root.putLong(GENERATION, generation.number());
        root.putLong(PUBLISH_OFFSET, publishOffset);
        root.putLong(PUBLISH_NEW, 0);
        root.putLong(BUMP, heap.bump());
        root.putLong(ALLOC_CLASS, allocClass);
        root.putLong(ALLOC_HEAD, allocHead);
        root.putLong(ALLOC_NEXT, allocHead != 0 ? heap.link((int)allocHead, allocClass) : 0);
        root.putLong(FREE_BLOCK, freeBlock);
        root.putLong(FREE_CLASS, freeClass);
        root.putLong(FREE_HEAD, freeBlock != 0 ? heap.head(freeClass) : 0);
        root.putLong(SIZE, root.getLongVolatile(ROOT_SIZE_OFFSET));
        root.putLong(SIZE_DELTA, sizeDelta);
        root.putLong(USED, data.getLong(DATA_USED_OFFSET));
        root.putLong(USED_DELTA, usedDelta);
        root.putLongRelease(STATE, MUTATE);
    }

    /**
     * Step 3: the entry is complete; this is the value the publishing store will write.
     *
     * @param publishNew the new value of the published word, not 0.
     */
    void ready(final long publishNew)
    {
        root.putLongRelease(PUBLISH_NEW, publishNew);
    }

    /**
     * Step 5 of a write, done by the writer itself: frees what it replaced and sets the counts.
     *
     * @param generation the generation written.
     * @param heap       its heap.
     */
    void complete(final Generation generation, final BlockHeap heap)
    {
        final long freeBlock = root.getLong(FREE_BLOCK);
        if (freeBlock != 0)
        {
            heap.free((int)freeBlock, (int)root.getLong(FREE_CLASS));
        }
        // an overwrite changes neither count: its writer leaves their lines alone (another process reads them)
        if (root.getLong(USED_DELTA) != 0)
        {
            generation.buffer().putLong(DATA_USED_OFFSET, root.getLong(USED) + root.getLong(USED_DELTA));
        }
        if (root.getLong(SIZE_DELTA) != 0)
        {
            root.putLongRelease(ROOT_SIZE_OFFSET, root.getLong(SIZE) + root.getLong(SIZE_DELTA));
        }
        root.putLongRelease(STATE, NONE);
    }

    /**
     * Records that a new generation is being made.
     *
     * @param target    its number.
     * @param sizeAfter the root's size once it is published.
     */
    void beginReplace(final long target, final long sizeAfter)
    {
        root.putLong(GENERATION, target);
        root.putLong(SIZE, sizeAfter);
        root.putLongRelease(STATE, REPLACE);
    }

    /** The last step of every write. */
    void clear()
    {
        root.putLongRelease(STATE, NONE);
    }

    long state()
    {
        return root.getLongVolatile(STATE);
    }

    long generation()
    {
        return root.getLong(GENERATION);
    }

    long size()
    {
        return root.getLong(SIZE);
    }

    /**
     * Finishes or undoes the write of a writer that died in it (state {@link #MUTATE}).
     *
     * @param generation the current generation, which the write must be in.
     * @param heap       its heap.
     * @return whether the dead write had been published (and is now complete).
     * @throws SegmentFormatException if the intent does not describe a write of this generation.
     */
    boolean recoverMutation(final Generation generation, final BlockHeap heap)
    {
        final long publishOffset = root.getLong(PUBLISH_OFFSET);
        final long allocClass = root.getLong(ALLOC_CLASS);
        final long freeBlock = root.getLong(FREE_BLOCK);
        final long freeClass = root.getLong(FREE_CLASS);
        final long bump = root.getLong(BUMP);
        final boolean inTable = publishOffset >= TABLE_OFFSET && publishOffset + Long.BYTES <= generation.heapStart();
        if (root.getLong(GENERATION) != generation.number() || !(inTable || publishOffset == DATA_LIST_WORD_OFFSET) ||
            (publishOffset & 7) != 0 || allocClass < -1 || allocClass >= CollectionDescriptor.CLASSES ||
            freeClass < 0 || freeClass >= CollectionDescriptor.CLASSES || bump < generation.heapStart() ||
            bump > generation.heapEnd())
        {
            throw generation.corrupt("corrupt write intent: generation=" + root.getLong(GENERATION) +
                ", publishOffset=" + publishOffset + ", allocClass=" + allocClass + ", freeClass=" + freeClass +
                ", bump=" + bump);
        }
        final long publishNew = root.getLong(PUBLISH_NEW);
        final boolean published = publishNew != 0 &&
            generation.buffer().getLongVolatile((int)publishOffset) == publishNew;
        final long allocHead = root.getLong(ALLOC_HEAD);
        final long allocNext = root.getLong(ALLOC_NEXT);
        if (allocClass >= 0)
        {
            heap.checkRecorded("allocHead", allocHead, (int)allocClass, true);
            heap.checkRecorded("allocNext", allocNext, (int)allocClass, true);
        }
        if (freeBlock != 0)
        {
            heap.checkRecorded("freeBlock", freeBlock, (int)freeClass, false);
            heap.checkRecorded("freeHead", root.getLong(FREE_HEAD), (int)freeClass, true);
        }
        final long used = root.getLong(USED) + (published ? root.getLong(USED_DELTA) : 0);
        final long size = root.getLong(SIZE) + (published ? root.getLong(SIZE_DELTA) : 0);
        if (size < 0 || used < 0 || used > generation.tableLength())
        {
            throw generation.corrupt("corrupt write intent: size=" + size + ", used=" + used);
        }
        generation.buffer().putLong(DATA_BUMP_OFFSET, bump);
        if (allocClass >= 0)
        {
            heap.head((int)allocClass, allocHead);
        }
        if (freeBlock != 0)
        {
            heap.head((int)freeClass, root.getLong(FREE_HEAD));
        }
        if (published)
        {
            if (allocClass >= 0)
            {
                if (allocHead != 0)
                {
                    heap.head((int)allocClass, allocNext);
                }
                else
                {
                    heap.bump(bump + blockLength((int)allocClass));
                }
            }
            complete(generation, heap);
        }
        else
        {
            if (allocClass >= 0 && allocHead != 0)
            {
                heap.head((int)allocClass, allocHead);
                heap.unallocate((int)allocHead, allocNext);
            }
            generation.buffer().putLong(DATA_USED_OFFSET, root.getLong(USED));
            root.putLongVolatile(ROOT_SIZE_OFFSET, root.getLong(SIZE));
            clear();
        }
        return published;
    }
}
