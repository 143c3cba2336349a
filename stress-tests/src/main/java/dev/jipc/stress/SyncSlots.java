package dev.jipc.stress;

import java.util.concurrent.atomic.AtomicLong;

import dev.jipc.core.WaitStrategy;
import dev.jipc.sync.Lock;
import dev.jipc.sync.RLock;
import dev.jipc.sync.Semaphore;
import dev.jipc.sync.SyncArena;
import dev.jipc.sync.SyncKind;

/**
 * Locks and semaphores of ipc-sync in one real mapped sync arena, handed out round-robin to jcstress state objects,
 * as {@link MappedSlots} hands out raw cache lines. Every object is free again (unlocked, one permit) when the state
 * that used it is done, so reuse after {@value #SLOTS} newer states is safe.
 */
final class SyncSlots
{
    static final int SLOTS = 1 << 13;

    private static final SyncArena ARENA = createArena();
    private static final int[] LOCKS = new int[SLOTS];
    private static final int[] RLOCKS = new int[SLOTS];
    private static final int[] SEMAPHORES = new int[SLOTS];
    private static final AtomicLong NEXT = new AtomicLong();

    static
    {
        for (int i = 0; i < SLOTS; i++)
        {
            try (Lock lock = ARENA.newLock();
                RLock rlock = ARENA.newRLock();
                Semaphore semaphore = ARENA.newSemaphore(1))
            {
                LOCKS[i] = lock.offset();
                RLOCKS[i] = rlock.offset();
                SEMAPHORES[i] = semaphore.offset();
            }
        }
    }

    private SyncSlots()
    {
    }

    /** A free {@link Lock} that no live state uses; a view of its own, never closed (states are short-lived). */
    static Lock lock(final WaitStrategy strategy)
    {
        return (Lock)ARENA.attach(LOCKS[next()], SyncKind.LOCK, strategy);
    }

    /** A free {@link RLock} that no live state uses. */
    static RLock rlock(final WaitStrategy strategy)
    {
        return (RLock)ARENA.attach(RLOCKS[next()], SyncKind.RLOCK, strategy);
    }

    /** A {@link Semaphore} with one permit that no live state uses. */
    static Semaphore semaphore(final WaitStrategy strategy)
    {
        return (Semaphore)ARENA.attach(SEMAPHORES[next()], SyncKind.SEMAPHORE, strategy);
    }

    private static int next()
    {
        return (int)(NEXT.getAndIncrement() & (SLOTS - 1));
    }

    private static SyncArena createArena()
    {
        // Unlinked at once: the mapping lives as long as this JVM and leaves nothing behind in /dev/shm.
        final SyncArena arena = SyncArena.create(
            "jcstress-sync-" + ProcessHandle.current().pid(), 3 * SLOTS, 3 * SLOTS * 64);
        arena.unlink();
        return arena;
    }
}
