package dev.jipc.core.wait;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import dev.jipc.core.SharedMemory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FutexTest
{
    private static final long TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /** A deadline may be late by a scheduling delay on a loaded 2-core machine; never early. */
    private static final long LATE_MARGIN_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    @TempDir
    Path dir;
    private SharedMemory block;

    @BeforeEach
    void map()
    {
        block = SharedMemory.create(dir, "futex", 256);
    }

    @AfterEach
    void unmap()
    {
        block.close();
    }

    @Test
    void shouldUseTheKernelFutexOnLinux()
    {
        assertTrue(Futex.isNative(), "this build machine is Linux x86-64 with futex");
    }

    @Test
    void shouldTimeOutNeitherEarlyNorMuchLate() throws InterruptedException
    {
        final long start = System.nanoTime();
        final boolean woken = Futex.wait(block.segment(), 0, 0, TIMEOUT_NANOS);
        final long elapsed = System.nanoTime() - start;
        assertFalse(woken);
        assertTrue(elapsed >= TIMEOUT_NANOS, "early: elapsedNanos=" + elapsed);
        assertTrue(elapsed < TIMEOUT_NANOS + LATE_MARGIN_NANOS, "late: elapsedNanos=" + elapsed);
    }

    @ParameterizedTest
    @EnumSource(WaitStrategy.class)
    void shouldTimeOutAWaitStrategyNeitherEarlyNorMuchLate(final WaitStrategy strategy) throws InterruptedException
    {
        final EventCount eventCount = new EventCount(block.buffer(), 64);
        final long start = System.nanoTime();
        final boolean satisfied = strategy.await(eventCount, () -> false, TIMEOUT_NANOS);
        final long elapsed = System.nanoTime() - start;
        assertFalse(satisfied);
        assertTrue(elapsed >= TIMEOUT_NANOS, "early: elapsedNanos=" + elapsed);
        assertTrue(elapsed < TIMEOUT_NANOS + LATE_MARGIN_NANOS, "late: elapsedNanos=" + elapsed);
        assertEquals(0, eventCount.waiters(), "a finished wait deregisters");
    }

    @Test
    void shouldReturnAtOnceWhenTheWordDiffers() throws InterruptedException
    {
        block.buffer().putIntVolatile(0, 5);
        final long start = System.nanoTime();
        assertTrue(Futex.wait(block.segment(), 0, 4, TimeUnit.SECONDS.toNanos(10)));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
    }

    @Test
    void shouldWakeAWaitingThread() throws Exception
    {
        final CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return Futex.wait(block.segment(), 0, 0, TimeUnit.SECONDS.toNanos(20));
            }
            catch (final InterruptedException ex)
            {
                throw new IllegalStateException(ex);
            }
        });
        // Keep waking until the waiter has gone to sleep and been woken: the wake count says when.
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int woken = 0;
        while (woken == 0 && System.nanoTime() < deadline)
        {
            woken = Futex.wake(block.segment(), 0, 1);
            Thread.sleep(1);
        }
        assertEquals(1, woken);
        assertTrue(waiter.get(10, TimeUnit.SECONDS));
    }

    @ParameterizedTest
    @EnumSource(WaitStrategy.class)
    void shouldEndAWaitWithInterruptedException(final WaitStrategy strategy) throws Exception
    {
        final EventCount eventCount = new EventCount(block.buffer(), 64);
        final AtomicReference<Thread> thread = new AtomicReference<>();
        final CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() ->
        {
            thread.set(Thread.currentThread());
            try
            {
                strategy.await(eventCount, () -> false, TimeUnit.SECONDS.toNanos(30));
                return null;
            }
            catch (final Throwable ex)
            {
                return ex;
            }
        });
        while (thread.get() == null)
        {
            Thread.sleep(1);
        }
        Thread.sleep(50);
        thread.get().interrupt();
        assertInstanceOf(InterruptedException.class, outcome.get(10, TimeUnit.SECONDS));
    }

    @Test
    void shouldEndARawFutexWaitWithInterruptedException() throws Exception
    {
        final Thread self = Thread.currentThread();
        final Thread interrupter = Thread.ofVirtual().start(() ->
        {
            try
            {
                Thread.sleep(50);
            }
            catch (final InterruptedException ignore)
            {
                return;
            }
            self.interrupt();
        });
        final long start = System.nanoTime();
        assertThrows(InterruptedException.class,
            () -> Futex.wait(block.segment(), 0, 0, TimeUnit.SECONDS.toNanos(30)));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10));
        interrupter.join();
    }

    @Test
    void shouldWakeTheWaitListAtTheWordThatChanged() throws Exception
    {
        final Futex.WaitList list = new Futex.WaitList(3);
        list.add(block.segment(), 0, 0);
        list.add(block.segment(), 64, 0);
        list.add(block.segment(), 128, 0);
        final CompletableFuture<Integer> waiter = CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return list.await(TimeUnit.SECONDS.toNanos(20));
            }
            catch (final InterruptedException ex)
            {
                throw new IllegalStateException(ex);
            }
        });
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int woken = 0;
        while (woken == 0 && System.nanoTime() < deadline)
        {
            woken = Futex.wake(block.segment(), 64, 1);
            Thread.sleep(1);
        }
        assertEquals(1, woken);
        assertEquals(1, waiter.get(10, TimeUnit.SECONDS));
    }

    @Test
    void shouldTimeOutTheWaitList() throws InterruptedException
    {
        final Futex.WaitList list = new Futex.WaitList(2);
        list.add(block.segment(), 0, 0);
        list.add(block.segment(), 64, 0);
        final long start = System.nanoTime();
        assertEquals(-1, list.await(TIMEOUT_NANOS));
        final long elapsed = System.nanoTime() - start;
        assertTrue(elapsed >= TIMEOUT_NANOS, "early: elapsedNanos=" + elapsed);
        assertTrue(elapsed < TIMEOUT_NANOS + LATE_MARGIN_NANOS, "late: elapsedNanos=" + elapsed);
    }

    @Test
    void shouldRejectMisalignedOrOutOfBoundsWords()
    {
        assertThrows(IllegalArgumentException.class, () -> Futex.wake(block.segment(), 2, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> Futex.wake(block.segment(), 256, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> Futex.wake(block.segment(), -4, 1));
        assertThrows(IllegalArgumentException.class, () -> new EventCount(block.buffer(), 6));
        assertThrows(IndexOutOfBoundsException.class, () -> new EventCount(block.buffer(), 252));
    }

    @Test
    void shouldSkipTheSyscallWhenNobodyWaits()
    {
        final EventCount eventCount = new EventCount(block.buffer(), 64);
        assertEquals(0, eventCount.signalAll());
        assertEquals(0, eventCount.sequence(), "no waiter: the sequence word is not even written");
    }

    @Test
    void shouldSeeEveryValueWhileParkingBetweenThreads() throws Exception
    {
        // Producer bumps a counter and signals; consumer parks until it sees each value: 20,000 hand-offs.
        final EventCount eventCount = new EventCount(block.buffer(), 64);
        final int rounds = 20_000;
        final CompletableFuture<Void> consumer = CompletableFuture.runAsync(() ->
        {
            try
            {
                for (int i = 1; i <= rounds; i++)
                {
                    final int expected = i;
                    if (!WaitStrategy.PARK.await(eventCount, () -> block.buffer().getIntVolatile(0) >= expected,
                        TimeUnit.SECONDS.toNanos(20)))
                    {
                        throw new IllegalStateException("lost wake-up at " + i);
                    }
                }
            }
            catch (final InterruptedException ex)
            {
                throw new IllegalStateException(ex);
            }
        });
        for (int i = 1; i <= rounds; i++)
        {
            block.buffer().putIntRelease(0, i);
            eventCount.signalAll();
            if ((i & 255) == 0)
            {
                Thread.yield();
            }
        }
        try
        {
            consumer.get(60, TimeUnit.SECONDS);
        }
        catch (final ExecutionException | TimeoutException ex)
        {
            throw new AssertionError(ex);
        }
    }
}
