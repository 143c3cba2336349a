package dev.jipc.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.concurrent.atomic.AtomicInteger;

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
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.ZZ_Result;

/**
 * What {@link Lock#tryLock()}, {@link RLock} re-entry and a {@link Semaphore}'s permits allow, on objects in a mapped
 * sync arena.
 * <p>
 * Run: {@code ./jipc stress -t LockOutcomesTest}.
 */
public final class LockOutcomesTest
{
    private static final SyncPool<Lock> LOCKS = new SyncPool<>(SyncKind.LOCK, 64, 1, a -> a.newLock());
    private static final SyncPool<RLock> RLOCKS = new SyncPool<>(SyncKind.RLOCK, 64, 1, a -> a.newRLock());
    private static final SyncPool<Semaphore> SEMAPHORES =
        new SyncPool<>(SyncKind.SEMAPHORE, 64, 1, a -> a.newSemaphore(1));

    private LockOutcomesTest()
    {
    }

    /**
     * Both actors {@code tryLock} a free lock and keep it: exactly one gets it. The arbiter releases it (a
     * {@link Lock}, like Python's, may be released by any thread).
     * <p>
     * r1, r2: whether each actor got the lock.
     */
    @JCStressTest
    @Outcome(id = "true, false", expect = ACCEPTABLE, desc = "Actor 1 got the lock, actor 2 was refused.")
    @Outcome(id = "false, true", expect = ACCEPTABLE, desc = "Actor 2 got the lock, actor 1 was refused.")
    @Outcome(id = "true, true", expect = FORBIDDEN, desc = "Both hold the lock at once.")
    @Outcome(id = "false, false", expect = FORBIDDEN, desc = "A free lock refused both.")
    @Outcome(expect = FORBIDDEN, desc = "No other outcome exists.")
    @State
    public static class TryLock
    {
        private final Lock lock = LOCKS.take(WaitStrategy.SPIN_THEN_PARK);

        @Actor
        public void actor1(final ZZ_Result r)
        {
            r.r1 = lock.tryLock();
        }

        @Actor
        public void actor2(final ZZ_Result r)
        {
            r.r2 = lock.tryLock();
        }

        @Arbiter
        public void arbiter(final ZZ_Result r)
        {
            if (r.r1 || r.r2)
            {
                lock.unlock();
            }
        }
    }

    /**
     * Actor 1 takes an {@link RLock} twice with {@code tryLock} and reports its hold count, then releases twice;
     * actor 2 tries once and releases if it got it. Re-entry never fails for the holder, and a free lock is never
     * refused to both.
     * <p>
     * r1: actor 1's hold count after two tries (0 if refused at once); r2: 1 if actor 2 got it.
     */
    @JCStressTest
    @Outcome(id = "2, 0", expect = ACCEPTABLE, desc = "Actor 1 held it twice; actor 2 tried while it was held.")
    @Outcome(id = "2, 1", expect = ACCEPTABLE, desc = "Actor 1 held it twice and released; actor 2 took it after.")
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "Actor 2 held it when actor 1 tried.")
    @Outcome(id = "1, .*", expect = FORBIDDEN, desc = "Re-entry refused to the thread that holds the lock.")
    @Outcome(id = "0, 0", expect = FORBIDDEN, desc = "A free lock refused both.")
    @Outcome(expect = FORBIDDEN, desc = "No other outcome exists.")
    @State
    public static class RLockReentry
    {
        private final RLock lock = RLOCKS.take(WaitStrategy.SPIN_THEN_PARK);

        @Actor
        public void actor1(final II_Result r)
        {
            if (lock.tryLock())
            {
                final boolean again = lock.tryLock();
                r.r1 = lock.holdCount();
                if (again)
                {
                    lock.unlock();
                }
                lock.unlock();
            }
        }

        @Actor
        public void actor2(final II_Result r)
        {
            if (lock.tryLock())
            {
                r.r2 = 1;
                lock.unlock();
            }
        }
    }

    /**
     * A {@link Semaphore} of one permit: each actor acquires, counts the holders inside, leaves and releases. Never
     * more holders than permits.
     * <p>
     * r1, r2: the holders each actor saw inside, itself included.
     */
    @JCStressTest
    @Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "Each was alone inside.")
    @Outcome(id = "2, .*", expect = FORBIDDEN, desc = "Two holders of one permit.")
    @Outcome(id = ".*, 2", expect = FORBIDDEN, desc = "Two holders of one permit.")
    @Outcome(expect = FORBIDDEN, desc = "No other outcome exists.")
    @State
    public static class SemaphoreHolders
    {
        private final Semaphore semaphore = SEMAPHORES.take(WaitStrategy.SPIN_THEN_PARK);
        private final AtomicInteger inside = new AtomicInteger();

        @Actor
        public void actor1(final II_Result r)
        {
            r.r1 = enter();
        }

        @Actor
        public void actor2(final II_Result r)
        {
            r.r2 = enter();
        }

        private int enter()
        {
            semaphore.acquireUninterruptibly();
            try
            {
                final int holders = inside.incrementAndGet();
                Thread.onSpinWait();
                inside.decrementAndGet();
                return holders;
            }
            finally
            {
                semaphore.release();
            }
        }
    }
}
