package dev.jipc.sync;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import dev.jipc.core.wait.WaitStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Semaphore, Condition, Event, Barrier, values and arrays between threads of one JVM: beside the JVM tests. */
class SynchronisersTest
{
    private static final long TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final long LATE_MARGIN_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    @TempDir
    Path dir;
    private SyncArena arena;

    @BeforeEach
    void create()
    {
        arena = SyncArena.create(dir, "arena", 64, 64 * 1024);
    }

    @AfterEach
    void close()
    {
        arena.close();
    }

    @Test
    void shouldTimeOutASemaphoreNeitherEarlyNorMuchLate() throws InterruptedException
    {
        try (Semaphore semaphore = arena.newSemaphore(0))
        {
            final long start = System.nanoTime();
            assertFalse(semaphore.acquire(true, Duration.ofNanos(TIMEOUT_NANOS)));
            final long elapsed = System.nanoTime() - start;
            assertTrue(elapsed >= TIMEOUT_NANOS, "early: elapsedNanos=" + elapsed);
            assertTrue(elapsed < TIMEOUT_NANOS + LATE_MARGIN_NANOS, "late: elapsedNanos=" + elapsed);
            assertFalse(semaphore.acquire(false, null));
            semaphore.release(2);
            assertTrue(semaphore.tryAcquire(0, TimeUnit.SECONDS));
            assertEquals(1, semaphore.value());
        }
    }

    @Test
    void shouldWakeASemaphoreWaiterOnRelease() throws Exception
    {
        try (Semaphore semaphore = arena.newSemaphore(0))
        {
            final CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> interruptibly(() ->
                semaphore.tryAcquire(30, TimeUnit.SECONDS)), SyncTestSupport.THREADS);
            SyncTestSupport.awaitTrue(() -> semaphore.waiters() == 1, 10, TimeUnit.SECONDS, "a sleeping waiter");
            semaphore.release();
            assertTrue(waiter.get(10, TimeUnit.SECONDS));
            assertEquals(0, semaphore.value());
        }
    }

    @Test
    void shouldAcquireUninterruptiblyThroughAnInterrupt() throws Exception
    {
        try (Semaphore semaphore = arena.newSemaphore(0))
        {
            final AtomicInteger outcome = new AtomicInteger();
            final Thread waiter = new Thread(() ->
            {
                semaphore.acquireUninterruptibly();
                outcome.set(Thread.currentThread().isInterrupted() ? 1 : 2);
            });
            waiter.start();
            SyncTestSupport.awaitTrue(() -> semaphore.waiters() == 1, 10, TimeUnit.SECONDS, "a sleeping waiter");
            waiter.interrupt();
            Thread.sleep(50);
            assertTrue(waiter.isAlive(), "the interrupt did not end the wait");
            semaphore.release();
            waiter.join(TimeUnit.SECONDS.toMillis(10));
            assertEquals(1, outcome.get(), "acquired, with the interrupt status kept");
            assertEquals(0, semaphore.value());
        }
    }

    @Test
    void shouldEndASemaphoreWaitOnInterrupt() throws Exception
    {
        try (Semaphore semaphore = arena.newSemaphore(0))
        {
            final AtomicInteger outcome = new AtomicInteger();
            final Thread waiter = new Thread(() ->
            {
                try
                {
                    semaphore.acquire();
                    outcome.set(1);
                }
                catch (final InterruptedException ex)
                {
                    outcome.set(2);
                }
            });
            waiter.start();
            SyncTestSupport.awaitTrue(() -> semaphore.waiters() == 1, 10, TimeUnit.SECONDS, "a sleeping waiter");
            waiter.interrupt();
            waiter.join(TimeUnit.SECONDS.toMillis(10));
            assertEquals(2, outcome.get());
        }
    }

    @Test
    void shouldTimeOutAConditionWaitAndHoldTheLockAgain() throws InterruptedException
    {
        try (Condition condition = arena.newCondition())
        {
            final RLock lock = (RLock)condition.getLock();
            lock.lock();
            lock.lock();
            final long start = System.nanoTime();
            assertFalse(condition.await(TIMEOUT_NANOS, TimeUnit.NANOSECONDS));
            final long elapsed = System.nanoTime() - start;
            assertTrue(elapsed >= TIMEOUT_NANOS, "early: elapsedNanos=" + elapsed);
            assertTrue(elapsed < TIMEOUT_NANOS + LATE_MARGIN_NANOS, "late: elapsedNanos=" + elapsed);
            assertEquals(2, lock.holdCount(), "every hold is restored");
            assertFalse(condition.waitFor(() -> false, Duration.ofMillis(20)));
            assertTrue(condition.waitFor(() -> true, Duration.ZERO));
            lock.unlock();
            lock.unlock();
            assertEquals(0, condition.waiters());
        }
    }

    @Test
    void shouldReleaseTheConditionsLockWhileWaitingAndWakeOnNotify() throws Exception
    {
        try (Condition condition = arena.newCondition(arena.newLock());
            IntValue ready = arena.newIntValue(0))
        {
            final CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> interruptibly(() ->
            {
                condition.getLock().lock();
                try
                {
                    return condition.waitFor(() -> ready.getRaw() == 1, Duration.ofSeconds(30));
                }
                finally
                {
                    condition.getLock().unlock();
                }
            }), SyncTestSupport.THREADS);
            SyncTestSupport.awaitTrue(() -> condition.waiters() == 1, 10, TimeUnit.SECONDS, "a waiter");
            assertTrue(condition.acquire(true, Duration.ofSeconds(10)), "the waiter released the lock");
            ready.setRaw(1);
            condition.signalAll();
            condition.release();
            assertTrue(waiter.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldEndAConditionWaitOnInterruptHoldingTheLock() throws Exception
    {
        try (Condition condition = arena.newCondition())
        {
            final AtomicInteger outcome = new AtomicInteger();
            final Thread waiter = new Thread(() ->
            {
                condition.getLock().lock();
                try
                {
                    condition.await();
                    outcome.set(1);
                }
                catch (final InterruptedException ex)
                {
                    outcome.set(condition.getLock().isHeldByCurrentThread() ? 2 : 3);
                }
                finally
                {
                    condition.getLock().unlock();
                }
            });
            waiter.start();
            SyncTestSupport.awaitTrue(() -> condition.waiters() == 1, 10, TimeUnit.SECONDS, "a waiter");
            waiter.interrupt();
            waiter.join(TimeUnit.SECONDS.toMillis(10));
            assertEquals(2, outcome.get(), "interrupted, with the lock held again");
        }
    }

    @Test
    void shouldWaitUninterruptiblyUntilNotifiedAndKeepTheInterruptStatus() throws Exception
    {
        try (Condition condition = arena.newCondition())
        {
            final AtomicInteger outcome = new AtomicInteger();
            final Thread waiter = new Thread(() ->
            {
                Thread.currentThread().interrupt();
                condition.getLock().lock();
                try
                {
                    condition.awaitUninterruptibly();
                    outcome.set(Thread.currentThread().isInterrupted() ? 1 : 2);
                }
                finally
                {
                    condition.getLock().unlock();
                }
            });
            waiter.start();
            SyncTestSupport.awaitTrue(() -> condition.waiters() == 1, 10, TimeUnit.SECONDS,
                "a waiter, although interrupted before it began");
            condition.getLock().lock();
            condition.signal();
            condition.getLock().unlock();
            waiter.join(TimeUnit.SECONDS.toMillis(10));
            assertEquals(1, outcome.get(), "notified, with the interrupt status kept");
        }
    }

    @Test
    void shouldLetEventWaitersPassOnlyOnceSet() throws Exception
    {
        try (Event event = arena.newEvent())
        {
            assertFalse(event.await(Duration.ofMillis(20)));
            final CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> interruptibly(() ->
                event.await(30, TimeUnit.SECONDS)), SyncTestSupport.THREADS);
            SyncTestSupport.awaitTrue(() -> event.waiters() == 1, 10, TimeUnit.SECONDS, "a sleeping waiter");
            event.set();
            assertTrue(waiter.get(10, TimeUnit.SECONDS));
            assertTrue(event.await(Duration.ZERO));
            event.clear();
            assertFalse(event.isSet());
            assertFalse(event.await(0, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldRunTheActionOnceARoundAndGiveDistinctIndexes() throws Exception
    {
        final AtomicInteger actions = new AtomicInteger();
        try (Barrier shared = arena.newBarrier(3);
            Barrier barrier = shared.withAction(actions::incrementAndGet))
        {
            assertThrows(IllegalStateException.class, shared::parties, "withAction closed the old view");
            final CompletableFuture<Integer> a = CompletableFuture.supplyAsync(() -> awaitBarrier(barrier),
                SyncTestSupport.THREADS);
            final CompletableFuture<Integer> b = CompletableFuture.supplyAsync(() -> awaitBarrier(barrier),
                SyncTestSupport.THREADS);
            final int c = barrier.await(30, TimeUnit.SECONDS);
            final int sum = a.get(10, TimeUnit.SECONDS) + b.get(10, TimeUnit.SECONDS) + c;
            assertEquals(0 + 1 + 2, sum, "indexes 0, 1 and 2");
            assertEquals(1, actions.get());
            assertEquals(0, barrier.numberWaiting());
        }
    }

    @Test
    void shouldBreakTheBarrierOnTimeoutAndRecoverOnReset() throws Exception
    {
        try (Barrier barrier = arena.newBarrier(2))
        {
            final long start = System.nanoTime();
            assertThrows(TimeoutException.class, () -> barrier.await(TIMEOUT_NANOS, TimeUnit.NANOSECONDS));
            final long elapsed = System.nanoTime() - start;
            assertTrue(elapsed >= TIMEOUT_NANOS, "early: elapsedNanos=" + elapsed);
            assertTrue(barrier.isBroken());
            assertThrows(BrokenBarrierException.class, () -> barrier.await(1, TimeUnit.SECONDS));
            barrier.reset();
            assertFalse(barrier.isBroken());
            final CompletableFuture<Integer> other = CompletableFuture.supplyAsync(() -> awaitBarrier(barrier),
                SyncTestSupport.THREADS);
            barrier.await(30, TimeUnit.SECONDS);
            other.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldBreakWaitingPartiesOnResetAndAbort() throws Exception
    {
        try (Barrier barrier = arena.newBarrier(3))
        {
            final CompletableFuture<Integer> waiter = CompletableFuture.supplyAsync(() -> awaitBarrier(barrier),
                SyncTestSupport.THREADS);
            SyncTestSupport.awaitTrue(() -> barrier.numberWaiting() == 1, 10, TimeUnit.SECONDS, "a waiting party");
            barrier.reset();
            final ExecutionException reset = assertThrows(ExecutionException.class,
                () -> waiter.get(10, TimeUnit.SECONDS));
            assertTrue(reset.getCause().getCause() instanceof BrokenBarrierException, String.valueOf(reset));
            assertFalse(barrier.isBroken(), "reset leaves it usable");

            final CompletableFuture<Integer> second = CompletableFuture.supplyAsync(() -> awaitBarrier(barrier),
                SyncTestSupport.THREADS);
            SyncTestSupport.awaitTrue(() -> barrier.numberWaiting() == 1, 10, TimeUnit.SECONDS, "a waiting party");
            barrier.abort();
            final ExecutionException aborted = assertThrows(ExecutionException.class,
                () -> second.get(10, TimeUnit.SECONDS));
            assertTrue(aborted.getCause().getCause() instanceof BrokenBarrierException, String.valueOf(aborted));
            assertTrue(barrier.isBroken());
        }
    }

    /**
     * With more threads than parties, a party can sleep through its generation's end and a whole later generation.
     * Waking then, it must still learn how its own generation ended: here, by a reset.
     */
    @Test
    void shouldTellAPartyThatSleptThroughALaterGenerationHowItsOwnEnded() throws Exception
    {
        try (Barrier barrier = arena.newBarrier(2))
        {
            final CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> awaitBarrier(barrier),
                SyncTestSupport.THREADS);
            SyncTestSupport.awaitTrue(() -> barrier.numberWaiting() == 1, 10, TimeUnit.SECONDS, "a waiting party");
            barrier.reset();
            assertThrows(ExecutionException.class, () -> first.get(10, TimeUnit.SECONDS));
            tripOnce(barrier);

            // generation 2 is current: what a party of generation 0 or 1 waking only now is told
            assertFalse(barrier.tripped(0), "generation 0 was reset");
            assertTrue(barrier.tripped(1), "generation 1 tripped");
            assertFalse(barrier.tripped(2), "generation 2 has not ended");
        }
    }

    private static void tripOnce(final Barrier barrier) throws Exception
    {
        final CompletableFuture<Integer> a = CompletableFuture.supplyAsync(() -> awaitBarrier(barrier),
            SyncTestSupport.THREADS);
        final CompletableFuture<Integer> b = CompletableFuture.supplyAsync(() -> awaitBarrier(barrier),
            SyncTestSupport.THREADS);
        assertEquals(1, a.get(30, TimeUnit.SECONDS) + b.get(30, TimeUnit.SECONDS), "arrival indexes 0 and 1");
    }

    @Test
    void shouldBreakTheBarrierWhenTheActionThrows() throws Exception
    {
        try (Barrier barrier = arena.newBarrier(1).withAction(() ->
        {
            throw new IllegalStateException("action failed");
        }))
        {
            assertEquals("action failed", assertThrows(IllegalStateException.class, barrier::await).getMessage());
            assertTrue(barrier.isBroken());
        }
    }

    @Test
    void shouldUpdateValuesUnderTheLockAndAtomically()
    {
        try (IntValue i = arena.newIntValue(5);
            LongValue l = arena.newLongValue(Long.MAX_VALUE - 1);
            DoubleValue d = arena.newDoubleValue(1.25))
        {
            assertEquals(5, i.get());
            assertEquals(15, i.update(v -> v * 3));
            assertEquals(15, i.getAndAdd(2));
            assertTrue(i.compareAndSet(17, 1));
            assertFalse(i.compareAndSet(17, 2));
            i.setRaw(9);
            assertEquals(9, i.getRaw());
            assertEquals(Long.MAX_VALUE, l.update(v -> v + 1));
            l.set(-3);
            assertEquals(-3, l.getAndAdd(3));
            assertEquals(0, l.get());
            assertEquals(1.25, d.getAndAdd(0.5));
            assertEquals(1.75, d.get());
            assertTrue(d.compareAndSet(1.75, -0.0));
            assertEquals(-0.0, d.getRaw());
            assertEquals(2.5, d.update(v -> v + 2.5));
            assertFalse(i.getLock().isLocked(), "every locked operation released the lock");
            i.getLock().lock();
            i.set(i.get() + 1);
            assertEquals(1, i.getLock().holdCount(), "inside the caller's hold, get and set leave the count alone");
            i.getLock().unlock();
            assertFalse(i.getLock().isLocked());
            assertEquals(10, i.getRaw());
        }
    }

    @Test
    void shouldCopyArraysInBulkAndElementWise()
    {
        try (IntArray ints = arena.newIntArray(4);
            LongArray longs = arena.newLongArray(4);
            DoubleArray doubles = arena.newDoubleArray(4);
            ByteArray bytes = arena.newByteArray(100))
        {
            ints.copyFrom(new int[]{1, 2, 3, 4, 5}, 1, 0, 4);
            assertArrayEquals(new int[]{2, 3, 4, 5}, ints.toArray());
            ints.set(0, 7);
            assertEquals(7, ints.getAndAdd(0, 1));
            assertTrue(ints.compareAndSet(0, 8, 9));
            final int[] part = new int[3];
            ints.copyTo(1, part, 1, 2);
            assertArrayEquals(new int[]{0, 3, 4}, part);
            longs.set(3, Long.MIN_VALUE);
            assertEquals(Long.MIN_VALUE, longs.getAndAdd(3, 1));
            assertArrayEquals(new long[]{0, 0, 0, Long.MIN_VALUE + 1}, longs.toArray());
            doubles.copyFrom(new double[]{0.5, 1.5}, 0, 2, 2);
            assertEquals(1.5, doubles.getAndAdd(3, 1.0));
            assertArrayEquals(new double[]{0, 0, 0.5, 2.5}, doubles.toArray());
            bytes.copyFrom("jipc".getBytes(), 0, 96, 4);
            bytes.set(0, (byte)-1);
            assertEquals((byte)-1, bytes.getRaw(0));
            assertEquals('j', bytes.get(96));
            assertEquals(100, bytes.length());
            assertEquals(0, arena.newIntArray(0).length());
        }
    }

    @Test
    void shouldOpenObjectsByNameInTheirOwnArenas()
    {
        try (IntArray created = IntArray.create(dir, "ints", 3, WaitStrategy.PARK);
            IntArray opened = IntArray.open(dir, "ints", WaitStrategy.PARK);
            Barrier barrier = Barrier.create(dir, "barrier", 2, null, WaitStrategy.PARK);
            Barrier barrierOpened = Barrier.open(dir, "barrier", WaitStrategy.PARK);
            Condition condition = Condition.create(dir, "condition", WaitStrategy.PARK);
            Condition conditionOpened = Condition.open(dir, "condition", WaitStrategy.PARK);
            BoundedSemaphore bounded = BoundedSemaphore.create(dir, "bounded", 4, WaitStrategy.PARK);
            BoundedSemaphore boundedOpened = BoundedSemaphore.open(dir, "bounded", WaitStrategy.PARK);
            Lock lock = Lock.create(dir, "lock", WaitStrategy.PARK))
        {
            created.set(2, 42);
            assertEquals(42, opened.get(2));
            assertEquals(2, barrierOpened.parties());
            assertEquals(RLock.class, conditionOpened.getLock().getClass(), "Python's default: an RLock");
            assertEquals(4, boundedOpened.bound());
            final Condition second = lock.newCondition();
            assertEquals(lock.offset(), second.getLock().offset(), "newCondition allocates beside its lock");
            second.close();
            assertTrue(condition.getLock().tryLock());
            assertFalse(CompletableFuture.supplyAsync(() -> conditionOpened.getLock().tryLock(),
                SyncTestSupport.THREADS).join());
            condition.getLock().unlock();
        }
    }

    private static int awaitBarrier(final Barrier barrier)
    {
        try
        {
            return barrier.await(30, TimeUnit.SECONDS);
        }
        catch (final Exception ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private interface Interruptible<T>
    {
        T call() throws InterruptedException;
    }

    private static <T> T interruptibly(final Interruptible<T> call)
    {
        try
        {
            return call.call();
        }
        catch (final InterruptedException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
