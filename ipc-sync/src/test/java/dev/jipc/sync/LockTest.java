package dev.jipc.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import dev.jipc.core.wait.WaitStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Lock and RLock between threads of one JVM: the same code paths as between processes. */
class LockTest
{
    private static final long TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /** A deadline may be late by a scheduling delay on a loaded 2-core machine; never early. */
    private static final long LATE_MARGIN_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    @TempDir
    Path dir;

    @Test
    void shouldLockAndUnlockWithoutContention()
    {
        try (Lock lock = Lock.create(dir, "lock", WaitStrategy.SPIN_THEN_PARK))
        {
            assertFalse(lock.isLocked());
            lock.lock();
            assertTrue(lock.isLocked());
            assertTrue(lock.isHeldByCurrentThread());
            assertEquals(ProcessHandle.current().pid(), lock.ownerPid());
            assertFalse(lock.previousOwnerDied());
            lock.unlock();
            assertFalse(lock.isLocked());
            assertEquals(0, lock.ownerPid());
        }
    }

    @Test
    void shouldNotReenterALock() throws InterruptedException
    {
        try (Lock lock = Lock.create(dir, "lock", WaitStrategy.SPIN_THEN_PARK))
        {
            assertTrue(lock.acquire(false, null));
            assertFalse(lock.acquire(false, null), "a Lock is not reentrant");
            assertFalse(lock.tryLock(10, TimeUnit.MILLISECONDS));
            lock.release();
        }
    }

    @Test
    void shouldLetAnotherThreadReleaseALockAsPythonDoes() throws Exception
    {
        try (Lock lock = Lock.create(dir, "lock", WaitStrategy.SPIN_THEN_PARK))
        {
            lock.lock();
            CompletableFuture.runAsync(lock::unlock, SyncTestSupport.THREADS).get(10, TimeUnit.SECONDS);
            assertFalse(lock.isLocked());
        }
    }

    @Test
    void shouldRejectReleaseOfAnUnheldLock()
    {
        try (Lock lock = Lock.create(dir, "lock", WaitStrategy.SPIN_THEN_PARK))
        {
            final IllegalMonitorStateException ex = assertThrows(IllegalMonitorStateException.class, lock::release);
            assertTrue(ex.getMessage().contains("not held"), ex.getMessage());
        }
    }

    @Test
    void shouldReenterAnRLockAndFreeItAfterAsManyUnlocks() throws Exception
    {
        try (RLock lock = RLock.create(dir, "rlock", WaitStrategy.SPIN_THEN_PARK))
        {
            lock.lock();
            lock.lock();
            assertTrue(lock.tryLock());
            assertEquals(3, lock.holdCount());
            lock.unlock();
            lock.unlock();
            assertTrue(lock.isLocked());
            assertFalse(CompletableFuture.supplyAsync(lock::tryLock,
                SyncTestSupport.THREADS).get(10, TimeUnit.SECONDS));
            lock.unlock();
            assertFalse(lock.isLocked());
            assertTrue(CompletableFuture.supplyAsync(() ->
            {
                final boolean locked = lock.tryLock();
                lock.unlock();
                return locked;
            }, SyncTestSupport.THREADS).get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldRejectUnlockOfAnRLockByANonOwner() throws Exception
    {
        try (RLock lock = RLock.create(dir, "rlock", WaitStrategy.SPIN_THEN_PARK))
        {
            lock.lock();
            final ExecutionException ex = assertThrows(ExecutionException.class,
                () -> CompletableFuture.runAsync(lock::unlock, SyncTestSupport.THREADS).get(10, TimeUnit.SECONDS));
            assertTrue(ex.getCause() instanceof IllegalMonitorStateException, String.valueOf(ex.getCause()));
            assertTrue(ex.getCause().getMessage().contains("owned by another thread"), ex.getCause().getMessage());
            assertEquals(1, lock.holdCount(), "the failed unlock changed nothing");
            lock.unlock();
            assertThrows(IllegalMonitorStateException.class, lock::unlock);
        }
    }

    @ParameterizedTest
    @EnumSource(WaitStrategy.class)
    void shouldTimeOutNeitherEarlyNorMuchLate(final WaitStrategy strategy) throws Exception
    {
        try (Lock lock = Lock.create(dir, "lock", strategy))
        {
            lock.lock();
            final AtomicReference<Long> elapsed = new AtomicReference<>();
            final boolean acquired = CompletableFuture.supplyAsync(() ->
            {
                try
                {
                    final long start = System.nanoTime();
                    final boolean result = lock.tryLock(TIMEOUT_NANOS, TimeUnit.NANOSECONDS);
                    elapsed.set(System.nanoTime() - start);
                    return result;
                }
                catch (final InterruptedException ex)
                {
                    throw new IllegalStateException(ex);
                }
            }, SyncTestSupport.THREADS).get(10, TimeUnit.SECONDS);
            assertFalse(acquired);
            assertTrue(elapsed.get() >= TIMEOUT_NANOS, "early: elapsedNanos=" + elapsed.get());
            assertTrue(elapsed.get() < TIMEOUT_NANOS + LATE_MARGIN_NANOS, "late: elapsedNanos=" + elapsed.get());
            lock.unlock();
        }
    }

    @Test
    void shouldHonourPythonAcquireTimeout() throws Exception
    {
        try (RLock lock = RLock.create(dir, "rlock", WaitStrategy.SPIN_THEN_PARK))
        {
            lock.lock();
            final long start = System.nanoTime();
            final boolean acquired = CompletableFuture.supplyAsync(() ->
            {
                try
                {
                    return lock.acquire(true, Duration.ofNanos(TIMEOUT_NANOS));
                }
                catch (final InterruptedException ex)
                {
                    throw new IllegalStateException(ex);
                }
            }, SyncTestSupport.THREADS).get(10, TimeUnit.SECONDS);
            final long elapsed = System.nanoTime() - start;
            assertFalse(acquired);
            assertTrue(elapsed >= TIMEOUT_NANOS, "early: elapsedNanos=" + elapsed);
            lock.unlock();
        }
    }

    @ParameterizedTest
    @EnumSource(WaitStrategy.class)
    void shouldEndAWaitOnInterrupt(final WaitStrategy strategy) throws Exception
    {
        try (Lock lock = Lock.create(dir, "lock", strategy))
        {
            lock.lock();
            final CountDownLatch started = new CountDownLatch(1);
            final AtomicReference<Throwable> outcome = new AtomicReference<>();
            final Thread waiter = new Thread(() ->
            {
                started.countDown();
                try
                {
                    lock.lockInterruptibly();
                    outcome.set(new AssertionError("acquired a held lock"));
                }
                catch (final Throwable ex)
                {
                    outcome.set(ex);
                }
            });
            waiter.start();
            started.await();
            Thread.sleep(50);
            waiter.interrupt();
            waiter.join(TimeUnit.SECONDS.toMillis(10));
            assertFalse(waiter.isAlive(), "the interrupt ended the wait");
            assertTrue(outcome.get() instanceof InterruptedException, String.valueOf(outcome.get()));
            lock.unlock();
        }
    }

    @Test
    void shouldKeepWaitingThroughAnInterruptInLockAndKeepTheInterruptStatus() throws Exception
    {
        try (Lock lock = Lock.create(dir, "lock", WaitStrategy.PARK))
        {
            lock.lock();
            final AtomicReference<Boolean> interruptedAfter = new AtomicReference<>();
            final Thread waiter = new Thread(() ->
            {
                lock.lock();
                interruptedAfter.set(Thread.currentThread().isInterrupted());
                lock.unlock();
            });
            waiter.start();
            Thread.sleep(50);
            waiter.interrupt();
            Thread.sleep(50);
            assertTrue(waiter.isAlive(), "lock() is not interruptible");
            lock.unlock();
            waiter.join(TimeUnit.SECONDS.toMillis(10));
            assertEquals(Boolean.TRUE, interruptedAfter.get());
        }
    }

    @Test
    void shouldExcludeThreadsFromACounter() throws Exception
    {
        try (Lock lock = Lock.create(dir, "lock", WaitStrategy.SPIN_THEN_PARK))
        {
            final int threads = 4;
            final int increments = 50_000;
            final long[] counter = new long[1];
            final CompletableFuture<?>[] futures = new CompletableFuture<?>[threads];
            for (int t = 0; t < threads; t++)
            {
                futures[t] = CompletableFuture.runAsync(() ->
                {
                    for (int i = 0; i < increments; i++)
                    {
                        lock.lock();
                        try
                        {
                            counter[0]++;
                        }
                        finally
                        {
                            lock.unlock();
                        }
                    }
                }, SyncTestSupport.THREADS);
            }
            CompletableFuture.allOf(futures).get(60, TimeUnit.SECONDS);
            lock.lock();
            assertEquals((long)threads * increments, counter[0]);
            lock.unlock();
        }
    }

    @Test
    void shouldAllocateNothingOnTheUncontendedPaths()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        try (SyncArena arena = SyncArena.create(dir, "arena", 8, 4096);
            Lock lock = arena.newLock();
            RLock rlock = arena.newRLock();
            Semaphore semaphore = arena.newSemaphore(1);
            LongValue value = arena.newLongValue(0))
        {
            for (int round = 0; round < 2; round++)
            {
                // the first round warms up (class loading, JIT); the second is measured
                final long before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < 100_000; i++)
                {
                    lock.lock();
                    lock.unlock();
                    rlock.lock();
                    rlock.lock();
                    rlock.unlock();
                    rlock.unlock();
                    semaphore.tryAcquire();
                    semaphore.release();
                    value.set(value.get() + 1);
                    value.getAndAdd(1);
                }
                final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
                if (round == 1)
                {
                    assertTrue(allocated < 1024, "allocated bytes=" + allocated);
                }
            }
            assertEquals(400_000, value.getRaw());
        }
    }

    @Test
    void shouldRefuseUseAfterClose()
    {
        final Lock lock = Lock.create(dir, "lock", WaitStrategy.SPIN_THEN_PARK);
        lock.close();
        lock.close();
        final IllegalStateException ex = assertThrows(IllegalStateException.class, lock::lock);
        assertTrue(ex.getMessage().contains("closed: kind=LOCK, name=lock"), ex.getMessage());
    }

    @Test
    void shouldNotAcquireALockHeldByALiveProcessWithTryLock() throws TimeoutException
    {
        try (Lock lock = Lock.create(dir, "lock", WaitStrategy.SPIN_THEN_PARK))
        {
            lock.lock();
            try (Lock other = Lock.open(dir, "lock", WaitStrategy.SPIN_THEN_PARK))
            {
                assertFalse(CompletableFuture.supplyAsync(other::tryLock, SyncTestSupport.THREADS).join());
                assertEquals(0, other.ownerDeaths());
            }
            lock.unlock();
        }
    }
}
