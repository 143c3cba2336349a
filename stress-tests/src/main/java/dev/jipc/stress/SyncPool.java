package dev.jipc.stress;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import dev.jipc.core.wait.WaitStrategy;
import dev.jipc.sync.SyncArena;
import dev.jipc.sync.SyncKind;
import dev.jipc.sync.SyncObject;

/**
 * Objects of one kind from ipc-sync, allocated once in a real mapped sync arena and handed out round-robin to
 * jcstress state objects, as {@link MappedSlots} hands out raw cache lines. A pool object is reused only after
 * {@value #SLOTS} newer states, more than jcstress keeps alive at once (one stride of at most a few thousand), so two
 * live states never share one. Suites leave every object as they found it (unlocked, permits back, event clear,
 * value reset in the state's constructor), which makes the reuse safe.
 *
 * @param <T> the object type.
 */
final class SyncPool<T extends SyncObject>
{
    static final int SLOTS = 1 << 13;

    private final SyncArena arena;
    private final SyncKind kind;
    private final int[] offsets = new int[SLOTS];
    private final AtomicLong next = new AtomicLong();

    /**
     * @param kind            what the pool holds.
     * @param bytesPerObject  arena bytes one {@code factory} call takes (a lock 64, a value 128, a condition with
     *                        its own lock 128, ...).
     * @param entriesPerObject arena entries one {@code factory} call takes.
     * @param factory         allocates one object in the arena.
     */
    SyncPool(final SyncKind kind, final int bytesPerObject, final int entriesPerObject,
        final Function<SyncArena, ? extends SyncObject> factory)
    {
        this.kind = kind;
        // Unlinked at once: the mapping lives as long as this JVM and leaves nothing behind in /dev/shm.
        this.arena = SyncArena.create("jcstress-" + kind.name().toLowerCase() + "-" + ProcessHandle.current().pid() +
            "-" + System.nanoTime(), entriesPerObject * SLOTS, bytesPerObject * SLOTS);
        arena.unlink();
        for (int i = 0; i < SLOTS; i++)
        {
            try (SyncObject object = factory.apply(arena))
            {
                offsets[i] = object.offset();
            }
        }
    }

    /**
     * The next object, as a view of its own (never closed: states are short-lived and the arena stays mapped).
     *
     * @param strategy how the state's actors wait on it.
     * @return an object no live state uses.
     */
    @SuppressWarnings("unchecked")
    T take(final WaitStrategy strategy)
    {
        return (T)arena.attach(offsets[(int)(next.getAndIncrement() & (SLOTS - 1))], kind, strategy);
    }
}
