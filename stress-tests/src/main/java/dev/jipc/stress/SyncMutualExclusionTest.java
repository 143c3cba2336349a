package dev.jipc.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.jipc.core.wait.WaitStrategy;
import dev.jipc.sync.Lock;
import dev.jipc.sync.RLock;
import dev.jipc.sync.Semaphore;
import dev.jipc.sync.SyncKind;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * Mutual exclusion and happens-before of ipc-sync's {@link Lock}, {@link RLock} (taken twice) and a
 * {@link Semaphore} of one permit, on a real mapped sync arena: two actors each increment a plain, non-volatile
 * field under the lock; the arbiter sees 2. A 1 means both were inside at once, or one did not see the other's write
 * made under the lock. The same code guards processes: only the owner word's pid half differs.
 * <p>
 * Run: {@code ./jipc stress -t SyncMutualExclusionTest}.
 * <p>
 * r1: the field after both actors.
 */
public final class SyncMutualExclusionTest
{
    private SyncMutualExclusionTest()
    {
    }

    /** {@link Lock#lock()} / {@link Lock#unlock()}, contended waits spinning then parking. */
    @JCStressTest
    @Outcome(id = "2", expect = ACCEPTABLE, desc = "Each increment saw the other's: the lock excluded and ordered.")
    @Outcome(id = "1", expect = FORBIDDEN, desc = "An increment was lost: both were inside, or a write was unseen.")
    @Outcome(expect = FORBIDDEN, desc = "No other outcome exists.")
    @State
    public static class LockTest
    {
        private static final SyncPool<Lock> LOCKS = new SyncPool<>(SyncKind.LOCK, 64, 1, a -> a.newLock());

        private final Lock lock = LOCKS.take(WaitStrategy.SPIN_THEN_PARK);
        private int counter;

        @Actor
        public void actor1()
        {
            increment();
        }

        @Actor
        public void actor2()
        {
            increment();
        }

        @Arbiter
        public void arbiter(final I_Result r)
        {
            r.r1 = counter;
        }

        private void increment()
        {
            lock.lock();
            try
            {
                counter++;
            }
            finally
            {
                lock.unlock();
            }
        }
    }

    /** {@link RLock} taken twice by each actor, released twice; waits park at once. */
    @JCStressTest
    @Outcome(id = "2", expect = ACCEPTABLE, desc = "Each increment saw the other's: the lock excluded and ordered.")
    @Outcome(id = "1", expect = FORBIDDEN, desc = "An increment was lost: both were inside, or a write was unseen.")
    @Outcome(expect = FORBIDDEN, desc = "No other outcome exists.")
    @State
    public static class RLockTest
    {
        private static final SyncPool<RLock> RLOCKS = new SyncPool<>(SyncKind.RLOCK, 64, 1, a -> a.newRLock());

        private final RLock lock = RLOCKS.take(WaitStrategy.PARK);
        private int counter;

        @Actor
        public void actor1()
        {
            increment();
        }

        @Actor
        public void actor2()
        {
            increment();
        }

        @Arbiter
        public void arbiter(final I_Result r)
        {
            r.r1 = counter;
        }

        private void increment()
        {
            lock.lock();
            lock.lock();
            try
            {
                counter++;
            }
            finally
            {
                lock.unlock();
                lock.unlock();
            }
        }
    }

    /** A {@link Semaphore} of one permit as a mutex. */
    @JCStressTest
    @Outcome(id = "2", expect = ACCEPTABLE, desc = "Each increment saw the other's: the permit excluded and ordered.")
    @Outcome(id = "1", expect = FORBIDDEN, desc = "An increment was lost: both held the permit, or a write was unseen.")
    @Outcome(expect = FORBIDDEN, desc = "No other outcome exists.")
    @State
    public static class SemaphoreTest
    {
        private static final SyncPool<Semaphore> SEMAPHORES =
            new SyncPool<>(SyncKind.SEMAPHORE, 64, 1, a -> a.newSemaphore(1));

        private final Semaphore semaphore = SEMAPHORES.take(WaitStrategy.SPIN_THEN_PARK);
        private int counter;

        @Actor
        public void actor1()
        {
            increment();
        }

        @Actor
        public void actor2()
        {
            increment();
        }

        @Arbiter
        public void arbiter(final I_Result r)
        {
            r.r1 = counter;
        }

        private void increment()
        {
            semaphore.acquireUninterruptibly();
            try
            {
                counter++;
            }
            finally
            {
                semaphore.release();
            }
        }
    }
}
