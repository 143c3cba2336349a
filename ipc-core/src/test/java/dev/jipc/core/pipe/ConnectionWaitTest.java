package dev.jipc.core.pipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.codec.Codecs;
import dev.jipc.core.wait.Waitable;
import dev.jipc.core.wait.Waitables;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Connection#wait} over connections mixed with other {@link Waitable}s ({@link Waitables#whenDone}, what a
 * process sentinel is made of), in one JVM. Every wait is bounded; a timed wait is never early and may be late by a
 * scheduling delay on a loaded 2-core machine.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ConnectionWaitTest
{
    private static final long LONG_SECONDS = 60;
    private static final long LATE_MARGIN_NANOS = TimeUnit.SECONDS.toNanos(2);

    @TempDir
    Path directory;
    private Pipe<String> pipe;

    @BeforeEach
    void createPipe()
    {
        pipe = Pipe.create(directory, "wait", Pipe.MIN_CAPACITY, true, Codecs.strings());
    }

    @AfterEach
    void closePipe()
    {
        pipe.unlink();
        pipe.close();
    }

    @Test
    void shouldReturnTheFutureThatCompletedAndNotTheOthers() throws Exception
    {
        final CompletableFuture<Integer> never = new CompletableFuture<>();
        final CompletableFuture<Integer> later = new CompletableFuture<>();
        final Waitable neverDone = Waitables.whenDone(never, "never");
        final Waitable laterDone = Waitables.whenDone(later, "later");
        CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS).execute(() -> later.complete(1));
        final long start = System.nanoTime();
        final List<Waitable> ready = Connection.wait(List.of(neverDone, laterDone), LONG_SECONDS, TimeUnit.SECONDS);
        assertEquals(List.of(laterDone), ready);
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(LONG_SECONDS) / 2, "woken, not timed out");
    }

    @Test
    void shouldReturnTheConnectionWhenDataArrivesWhileTheFutureIsPending() throws Exception
    {
        final CompletableFuture<Integer> pending = new CompletableFuture<>();
        final Waitable done = Waitables.whenDone(pending, "pending");
        final Connection<String> mine = pipe.first();
        final CompletableFuture<Void> sent = CompletableFuture.runAsync(() ->
        {
            try
            {
                Thread.sleep(100);
                pipe.second().send("hello");
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException(ex);
            }
        });
        assertEquals(List.of(mine), Connection.wait(List.of(mine, done), LONG_SECONDS, TimeUnit.SECONDS));
        sent.get(LONG_SECONDS, TimeUnit.SECONDS);
        pending.complete(0);
        assertEquals(List.of(mine, done), Connection.wait(List.of(mine, done), 0, TimeUnit.SECONDS),
            "both ready, in the given order");
        assertEquals("hello", mine.recv());
        assertEquals(List.of(done), Connection.wait(List.of(mine, done), 0, TimeUnit.SECONDS));
    }

    @Test
    void shouldTimeOutEmptyAndNeverEarly() throws Exception
    {
        final Waitable pending = Waitables.whenDone(new CompletableFuture<>(), "pending");
        final long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(300);
        final long start = System.nanoTime();
        final List<Waitable> ready = Connection.wait(List.of(pipe.first(), pending), timeoutNanos,
            TimeUnit.NANOSECONDS);
        final long elapsed = System.nanoTime() - start;
        assertTrue(ready.isEmpty(), "ready=" + ready);
        assertTrue(elapsed >= timeoutNanos, "early: elapsedNanos=" + elapsed);
        assertTrue(elapsed < timeoutNanos + LATE_MARGIN_NANOS, "late: elapsedNanos=" + elapsed);
    }

    @Test
    void shouldBeReadyAtOnceForAFutureThatHasCompleted() throws Exception
    {
        final Waitable done = Waitables.whenDone(CompletableFuture.failedFuture(new IllegalStateException()),
            "failed");
        assertTrue(done.isReady());
        assertEquals(List.of(done), Connection.wait(List.of(pipe.first(), done), 0, TimeUnit.SECONDS));
        final long start = System.nanoTime();
        assertEquals(List.of(done), Connection.wait(List.of(pipe.first(), done), LONG_SECONDS, TimeUnit.SECONDS));
        assertTrue(System.nanoTime() - start < LATE_MARGIN_NANOS);
    }

    @Test
    void shouldEndAWaitWithIllegalStateExceptionWhenAnotherThreadClosesTheConnection() throws Exception
    {
        final Waitable pending = Waitables.whenDone(new CompletableFuture<>(), "pending");
        final Connection<String> mine = pipe.first();
        final CompletableFuture<List<Waitable>> waiting = CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return Connection.wait(List.of(pending, mine), LONG_SECONDS, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                throw new IllegalStateException(ex);
            }
        });
        Thread.sleep(100);
        mine.close();
        final ExecutionException ex = assertThrows(ExecutionException.class,
            () -> waiting.get(LONG_SECONDS, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, ex.getCause());
        assertTrue(ex.getCause().getMessage().contains("closed"), ex.getCause().getMessage());
        assertThrows(IllegalStateException.class, () -> Connection.wait(List.of(mine), 0, TimeUnit.SECONDS));
    }

    @Test
    void shouldEndAWaitWithInterruptedExceptionWhenInterrupted() throws Exception
    {
        final Waitable pending = Waitables.whenDone(new CompletableFuture<>(), "pending");
        final Thread waiter = Thread.currentThread();
        CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS).execute(waiter::interrupt);
        assertThrows(InterruptedException.class,
            () -> Connection.wait(List.of(pipe.first(), pending), LONG_SECONDS, TimeUnit.SECONDS));
    }

    @Test
    void shouldRefuseNoObjectsAndAWriteOnlyEnd()
    {
        assertThrows(IllegalArgumentException.class, () -> Connection.wait(List.of(), 0, TimeUnit.SECONDS));
        try (Pipe<String> oneWay = Pipe.create(directory, "oneway", Pipe.MIN_CAPACITY, false, Codecs.strings()))
        {
            final IllegalStateException ex = assertThrows(IllegalStateException.class,
                () -> Connection.wait(List.of(oneWay.first(), oneWay.second()), 0, TimeUnit.SECONDS));
            assertTrue(ex.getMessage().contains("write-only"), ex.getMessage());
            oneWay.unlink();
        }
    }
}
