package dev.jipc.core.test;

import static dev.jipc.core.ChildProcesses.awaitSuccess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.ChildProcesses;
import dev.jipc.core.Handles;
import dev.jipc.core.SegmentFormatException;
import dev.jipc.core.queue.QueueDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every blocking channel of jipc promises, whatever it carries: one abstract test and a thin subclass per
 * implementation, as JCTools' {@code QueueSanityTest}. A subclass adapts its channel to {@code long} messages through
 * the channel's real API; a case that does not fit an implementation is overridden there with {@code @Disabled} and
 * the reason.
 * <p>
 * Every wait is bounded; channels live in a fresh directory and are unlinked, and child JVMs killed, even on failure.
 * Timing: a timeout is never early, and late by at most {@link #LATE_MARGIN_NANOS} (CI shares two cores).
 *
 * @param <C> the channel: what {@link #create} returns and the test closes.
 */
public abstract class BlockingChannelContract<C extends AutoCloseable>
{
    /** Ring capacity of every channel under test: small, so that a few dozen messages fill it. */
    protected static final int CAPACITY = QueueDescriptor.MIN_CAPACITY;
    protected static final long TIMEOUT_MILLIS = 200;
    protected static final long LATE_MARGIN_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** How long a thread that should be blocked is watched before the test wakes it. */
    protected static final long STILL_BLOCKED_MILLIS = 100;
    /** The longest a woken thread may take to return. */
    protected static final long WAKE_SECONDS = 10;
    protected static final long CHILD_TIMEOUT_SECONDS = 120;
    protected static final int CHILD_MESSAGES = 500;

    @TempDir
    protected Path directory;

    private final ChildProcesses children = ChildLogs.group();
    private C channel;
    private String name;

    /**
     * Creates a channel of {@link #CAPACITY} bytes.
     *
     * @param directory where its segment goes.
     * @param name      its name.
     * @return the channel, holding whatever ends the test uses.
     */
    protected abstract C create(Path directory, String name);

    /**
     * Attaches to an existing channel by name, as another process would.
     *
     * @param directory where its segment is.
     * @param name      its name.
     * @return a second handle of the channel.
     */
    protected abstract C open(Path directory, String name);

    /**
     * Creates a segment of another kind, or of this kind with a different element type, that {@link #open} must
     * refuse.
     *
     * @param directory where it goes.
     * @param name      its name.
     * @return closing it unlinks and closes the other channel.
     */
    protected abstract AutoCloseable createOtherKind(Path directory, String name);

    /** Puts a value, waiting as long as it takes. */
    protected abstract void put(C channel, long value) throws Exception;

    /**
     * Puts a value if there is room now.
     *
     * @return false if the channel is full.
     */
    protected abstract boolean offer(C channel, long value) throws Exception;

    /**
     * Puts a value, waiting up to the timeout for room.
     *
     * @return false if the timeout passed.
     */
    protected abstract boolean offer(C channel, long value, long timeout, TimeUnit unit) throws Exception;

    /** Takes a value, waiting as long as it takes. */
    protected abstract long take(C channel) throws Exception;

    /**
     * Takes a value, waiting up to the timeout for one.
     *
     * @return the value, or null if the timeout passed.
     */
    protected abstract Long poll(C channel, long timeout, TimeUnit unit) throws Exception;

    /** Ends the stream for every handle: producers are refused, consumers drain and then see the end. */
    protected abstract void shutdown(C channel) throws Exception;

    /** What a put throws once the stream has ended. */
    protected abstract Class<? extends Exception> putAfterShutdown();

    /** What a take throws once the stream has ended and is drained. */
    protected abstract Class<? extends Exception> endOfStream();

    /**
     * The producing side of the channel, to serialise for a child JVM.
     *
     * @param channel the channel.
     * @return a serialisable handle.
     */
    protected abstract Object producerHandle(C channel);

    /**
     * Attaches the producing side by name, as a child JVM does.
     *
     * @return the producing side, closed by the caller.
     */
    protected abstract AutoCloseable openProducer(Path directory, String name);

    /** Puts a value through the producing side a child JVM attached or deserialised. */
    protected abstract void putThrough(Object producer, long value) throws Exception;

    /** Unlinks the channel's segment. */
    protected abstract void unlink(C channel);

    @AfterEach
    void cleanUp()
    {
        children.close();
        if (channel != null)
        {
            unlink(channel);
            try
            {
                channel.close();
            }
            catch (final Exception ex)
            {
                throw new AssertionError("close failed: " + ex, ex);
            }
        }
    }

    /** The channel of this test, unlinked and closed after it. */
    protected final C channel()
    {
        if (channel == null)
        {
            name = Names.unique("contract");
            channel = create(directory, name);
        }
        return channel;
    }

    protected final String name()
    {
        channel();
        return name;
    }

    @Test
    protected void shouldTakeValuesInTheOrderTheyWerePut() throws Exception
    {
        final C channel = channel();
        for (long i = 0; i < 10; i++)
        {
            put(channel, i);
        }
        for (long i = 0; i < 10; i++)
        {
            assertEquals(i, take(channel));
        }
    }

    @Test
    protected void shouldKeepOrderAcrossManyWrapsOfTheRingWithAConcurrentProducer() throws Exception
    {
        final C channel = channel();
        final int count = 20 * CAPACITY / 16;
        final CompletableFuture<Void> producer = runAsync(() ->
        {
            for (long i = 0; i < count; i++)
            {
                put(channel, i);
            }
        });
        for (long i = 0; i < count; i++)
        {
            final Long value = poll(channel, WAKE_SECONDS, TimeUnit.SECONDS);
            assertEquals(Long.valueOf(i), value, "out of order or missing at " + i);
        }
        producer.get(WAKE_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    protected void shouldRefuseAnOfferWhenFullAndAcceptOneAfterATake() throws Exception
    {
        final C channel = channel();
        final int filled = fill(channel);
        assertFalse(offer(channel, -1), "full after " + filled);
        assertEquals(0, take(channel));
        assertTrue(offer(channel, filled), "room after one take");
        assertFalse(offer(channel, -1), "full again");
        for (long i = 1; i <= filled; i++)
        {
            assertEquals(i, take(channel));
        }
        assertNull(poll(channel, 0, TimeUnit.MILLISECONDS));
    }

    @Test
    protected void shouldNeverReturnFromATimedPollEarly() throws Exception
    {
        final C channel = channel();
        final long start = System.nanoTime();
        assertNull(poll(channel, TIMEOUT_MILLIS, TimeUnit.MILLISECONDS));
        assertOnTime(System.nanoTime() - start);
    }

    @Test
    protected void shouldNeverReturnFromATimedOfferEarly() throws Exception
    {
        final C channel = channel();
        fill(channel);
        final long start = System.nanoTime();
        assertFalse(offer(channel, -1, TIMEOUT_MILLIS, TimeUnit.MILLISECONDS));
        assertOnTime(System.nanoTime() - start);
    }

    @Test
    protected void shouldWakeABlockedProducerWhenAValueIsTaken() throws Exception
    {
        final C channel = channel();
        final int filled = fill(channel);
        final CompletableFuture<Void> producer = runAsync(() -> put(channel, filled));
        assertStillBlocked(producer, "put into a full channel");
        assertEquals(0, take(channel));
        producer.get(WAKE_SECONDS, TimeUnit.SECONDS);
        for (long i = 1; i <= filled; i++)
        {
            assertEquals(i, take(channel));
        }
    }

    @Test
    protected void shouldWakeABlockedConsumerWhenAValueIsPut() throws Exception
    {
        final C channel = channel();
        final CompletableFuture<Long> consumer = supplyAsync(() -> take(channel));
        assertStillBlocked(consumer, "take from an empty channel");
        put(channel, 8);
        assertEquals(Long.valueOf(8), consumer.get(WAKE_SECONDS, TimeUnit.SECONDS));
    }

    @Test
    protected void shouldDrainWhatWasPutBeforeShutdownAndThenEnd() throws Exception
    {
        final C channel = channel();
        for (long i = 0; i < 3; i++)
        {
            put(channel, i);
        }
        shutdown(channel);
        assertThrows(putAfterShutdown(), () -> put(channel, 99));
        for (long i = 0; i < 3; i++)
        {
            assertEquals(i, take(channel));
        }
        assertThrows(endOfStream(), () -> take(channel));
        assertThrows(endOfStream(), () -> poll(channel, TIMEOUT_MILLIS, TimeUnit.MILLISECONDS));
    }

    @Test
    protected void shouldWakeABlockedConsumerAtShutdown() throws Exception
    {
        final C channel = channel();
        final CompletableFuture<Long> consumer = supplyAsync(() -> take(channel));
        assertStillBlocked(consumer, "take from an empty channel");
        shutdown(channel);
        assertEndedWith(endOfStream(), consumer);
    }

    @Test
    protected void shouldWakeAConsumerBlockedOnAHandleWithIllegalStateExceptionWhenTheHandleIsClosed() throws Exception
    {
        final C channel = channel();
        final C other = open(directory, name());
        final CompletableFuture<Long> consumer = supplyAsync(() -> take(other));
        assertStillBlocked(consumer, "take from an empty channel");
        other.close();
        assertEndedWith(IllegalStateException.class, consumer);
        assertThrows(IllegalStateException.class, () -> take(other), "a closed handle stays closed");
        assertTrue(offer(channel, 7, WAKE_SECONDS, TimeUnit.SECONDS), "the creator's handle carries on");
        assertEquals(7, take(channel));
    }

    @Test
    protected void shouldWakeAProducerBlockedOnAHandleWithIllegalStateExceptionWhenTheHandleIsClosed() throws Exception
    {
        final C channel = channel();
        final int filled = fill(channel);
        final C other = open(directory, name());
        final CompletableFuture<Void> producer = runAsync(() -> put(other, filled));
        assertStillBlocked(producer, "put into a full channel");
        other.close();
        assertEndedWith(IllegalStateException.class, producer);
        for (long i = 0; i < filled; i++)
        {
            assertEquals(i, take(channel));
        }
        assertNull(poll(channel, 0, TimeUnit.MILLISECONDS), "the woken put left nothing behind");
    }

    @Test
    protected void shouldEndABlockedTakeWithInterruptedExceptionAndStayUsable() throws Exception
    {
        final C channel = channel();
        final CountDownLatch started = new CountDownLatch(1);
        final Thread[] consumerThread = new Thread[1];
        final CompletableFuture<Long> consumer = supplyAsync(() ->
        {
            consumerThread[0] = Thread.currentThread();
            started.countDown();
            return take(channel);
        });
        assertTrue(started.await(WAKE_SECONDS, TimeUnit.SECONDS));
        assertStillBlocked(consumer, "take from an empty channel");
        consumerThread[0].interrupt();
        assertEndedWith(InterruptedException.class, consumer);
        put(channel, 5);
        assertEquals(5, take(channel));
    }

    @Test
    protected void shouldEndABlockedPutWithInterruptedExceptionAndLeaveNothingBehind() throws Exception
    {
        final C channel = channel();
        final int filled = fill(channel);
        final CountDownLatch started = new CountDownLatch(1);
        final Thread[] producerThread = new Thread[1];
        final CompletableFuture<Void> producer = runAsync(() ->
        {
            producerThread[0] = Thread.currentThread();
            started.countDown();
            put(channel, -1);
        });
        assertTrue(started.await(WAKE_SECONDS, TimeUnit.SECONDS));
        assertStillBlocked(producer, "put into a full channel");
        producerThread[0].interrupt();
        assertEndedWith(InterruptedException.class, producer);
        for (long i = 0; i < filled; i++)
        {
            assertEquals(i, take(channel));
        }
        assertNull(poll(channel, 0, TimeUnit.MILLISECONDS), "the interrupted put left nothing behind");
    }

    @Test
    protected void shouldDeliverThroughAHandleOpenedByNameAndThroughADeserialisedHandle() throws Exception
    {
        final C channel = channel();
        try (C byName = open(directory, name()))
        {
            put(channel, 1);
            assertEquals(1, take(byName), "put here, taken through the handle opened by name");
            put(byName, 2);
            assertEquals(2, take(channel), "put through the handle opened by name, taken here");
        }
        final Object producer = Handles.decode(Handles.encode((Serializable)producerHandle(channel)));
        try
        {
            putThrough(producer, 3);
            assertEquals(3, take(channel), "put through a deserialised handle");
        }
        finally
        {
            ((AutoCloseable)producer).close();
        }
    }

    @Test
    protected void shouldRefuseToOpenASegmentOfAnotherKind() throws Exception
    {
        final String other = Names.unique("contract-other");
        try (AutoCloseable wrong = createOtherKind(directory, other))
        {
            final C opened;
            try
            {
                opened = open(directory, other);
            }
            catch (final SegmentFormatException expected)
            {
                assertTrue(expected.getMessage().contains(other), "names the file: " + expected.getMessage());
                return;
            }
            opened.close();
            fail("opened " + wrong + " as " + opened);
        }
    }

    @Test
    protected void shouldDeliverInOrderWhatAChildJvmPutsThroughASerialisedHandle() throws Exception
    {
        shouldDeliverInOrderWhatAChildJvmPuts("handle", Handles.encode((Serializable)producerHandle(channel())));
    }

    @Test
    protected void shouldDeliverInOrderWhatAChildJvmPutsThroughAHandleOpenedByName() throws Exception
    {
        shouldDeliverInOrderWhatAChildJvmPuts("name", directory + "|" + name());
    }

    private void shouldDeliverInOrderWhatAChildJvmPuts(final String mode, final String handle) throws Exception
    {
        final C channel = channel();
        final ChildProcesses.Child child = children.start(ChildJvm.of(ChildProducer.class)
            .args(getClass().getName(), mode, handle, CHILD_MESSAGES));
        for (long i = 0; i < CHILD_MESSAGES; i++)
        {
            final Long value = poll(channel, CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (value == null)
            {
                fail("nothing from the child at " + i + "; output:\n" + child.output());
            }
            assertEquals(i, value.longValue(), "out of order from the child; output:\n" + child.output());
        }
        awaitSuccess(child, CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /** Puts {@code count} values through a handle: {@code <contract class> handle|name <handle> <count>}. */
    protected static final class ChildProducer
    {
        public static void main(final String[] args) throws Exception
        {
            final var constructor = Class.forName(args[0]).getDeclaredConstructor();
            constructor.setAccessible(true);
            final BlockingChannelContract<?> contract = (BlockingChannelContract<?>)constructor.newInstance();
            final AutoCloseable producer;
            if ("handle".equals(args[1]))
            {
                producer = Handles.decode(args[2]);
            }
            else
            {
                final int bar = args[2].lastIndexOf('|');
                producer = contract.openProducer(Path.of(args[2].substring(0, bar)), args[2].substring(bar + 1));
            }
            try (producer)
            {
                final int count = Integer.parseInt(args[3]);
                for (long i = 0; i < count; i++)
                {
                    contract.putThrough(producer, i);
                }
            }
        }
    }

    /**
     * Offers 0, 1, 2, ... until the channel is full.
     *
     * @return how many went in.
     */
    protected int fill(final C channel) throws Exception
    {
        int filled = 0;
        while (offer(channel, filled))
        {
            filled++;
            if (filled > CAPACITY)
            {
                fail("a " + CAPACITY + "-byte channel took " + filled + " values");
            }
        }
        assertTrue(filled > 0, "an empty channel refused an offer");
        return filled;
    }

    protected static void assertOnTime(final long elapsedNanos)
    {
        final long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS);
        assertTrue(elapsedNanos >= timeoutNanos, "returned early: elapsedNanos=" + elapsedNanos + ", timeoutNanos=" +
            timeoutNanos);
        assertTrue(elapsedNanos < timeoutNanos + LATE_MARGIN_NANOS, "returned late: elapsedNanos=" + elapsedNanos +
            ", timeoutNanos=" + timeoutNanos);
    }

    protected static void assertStillBlocked(final CompletableFuture<?> future, final String what) throws Exception
    {
        try
        {
            final Object result = future.get(STILL_BLOCKED_MILLIS, TimeUnit.MILLISECONDS);
            fail(what + " did not block: returned " + result);
        }
        catch (final TimeoutException expected)
        {
            // still blocked, as it should be
        }
    }

    protected static void assertEndedWith(final Class<? extends Throwable> type, final CompletableFuture<?> future)
        throws Exception
    {
        try
        {
            final Object result = future.get(WAKE_SECONDS, TimeUnit.SECONDS);
            fail("expected " + type.getSimpleName() + " but returned " + result);
        }
        catch (final ExecutionException ex)
        {
            assertInstanceOf(type, ex.getCause());
        }
        catch (final TimeoutException ex)
        {
            fail("still blocked " + WAKE_SECONDS + " s after it should have woken with " + type.getSimpleName());
        }
    }

    /** A task that may throw, run on a thread of its own (the common pool may have one thread on two cores). */
    protected interface Task<T>
    {
        T call() throws Exception;
    }

    protected interface VoidTask
    {
        void run() throws Exception;
    }

    protected static <T> CompletableFuture<T> supplyAsync(final Task<T> task)
    {
        final CompletableFuture<T> future = new CompletableFuture<>();
        final Thread thread = new Thread(() ->
        {
            try
            {
                future.complete(task.call());
            }
            catch (final Throwable ex)
            {
                future.completeExceptionally(ex);
            }
        }, "contract");
        thread.setDaemon(true);
        thread.start();
        return future;
    }

    protected static CompletableFuture<Void> runAsync(final VoidTask task)
    {
        return supplyAsync(() ->
        {
            task.run();
            return null;
        });
    }
}
