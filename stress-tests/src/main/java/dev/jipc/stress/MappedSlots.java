package dev.jipc.stress;

import java.util.concurrent.atomic.AtomicLong;

import dev.jipc.core.SharedMemory;
import org.agrona.concurrent.AtomicBuffer;

/**
 * Cache-line slots in one real mapped segment, handed out round-robin to jcstress state objects, so that every test
 * runs jipc's classes on {@code MAP_SHARED} memory rather than on the heap. jcstress creates many short-lived
 * states; a slot is reused only after {@value #SLOTS} newer states, far more than jcstress keeps alive at once.
 */
final class MappedSlots
{
    /** Bytes per slot: two cache lines, so that neighbouring states never share a line. */
    static final int SLOT_LENGTH = 128;
    static final int SLOTS = 1 << 16;

    private static final SharedMemory BLOCK = createBlock();
    private static final AtomicLong NEXT = new AtomicLong();

    private MappedSlots()
    {
    }

    /** The mapped buffer all slots live in. */
    static AtomicBuffer buffer()
    {
        return BLOCK.buffer();
    }

    /**
     * Claims a slot and zeroes it.
     *
     * @return the slot's offset in {@link #buffer()}.
     */
    static int claim()
    {
        final int offset = (int)(NEXT.getAndIncrement() & (SLOTS - 1)) * SLOT_LENGTH;
        BLOCK.buffer().setMemory(offset, SLOT_LENGTH, (byte)0);
        return offset;
    }

    private static SharedMemory createBlock()
    {
        // Unlinked at once: the mapping lives as long as this JVM and leaves nothing behind in /dev/shm.
        final SharedMemory block = SharedMemory.create((long)SLOTS * SLOT_LENGTH);
        block.unlink();
        return block;
    }
}
