package dev.jipc.core.pipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.Handles;
import dev.jipc.core.codec.Codecs;
import dev.jipc.core.queue.LongQueue;
import dev.jipc.core.test.BlockingChannelContract;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * The subset of the blocking-channel contract that fits a one-way {@link Pipe} of {@code Long}s: {@link Pipe#second()}
 * sends, {@link Pipe#first()} receives, "shutdown" is the sender's {@link Connection#close()} (the receiver drains and
 * then sees {@link EOFException}), and a timed poll is {@link Connection#poll(long, TimeUnit)} followed by
 * {@link Connection#recv()}.
 * <p>
 * A pipe has no {@code offer}: {@link Connection#send} always waits for room. So the cases that fill the channel to a
 * known point with offers (offer refused when full, timed offer never early, blocked producer woken by a take, by
 * close or by an interrupt) do not run here; {@link PipeBackPressureTest} covers a sender waiting for room.
 * Re-opening by name takes an end's ownership, and closing an owned end closes it for good, so the two cases that
 * open a second handle are replaced by pipe versions below.
 */
class PipeContractTest extends BlockingChannelContract<Pipe<Long>>
{
    @Override
    protected Pipe<Long> create(final Path directory, final String name)
    {
        return Pipe.create(directory, name, CAPACITY, false, Codecs.longs());
    }

    @Override
    protected Pipe<Long> open(final Path directory, final String name)
    {
        return Pipe.open(directory, name, Codecs.longs());
    }

    @Override
    protected AutoCloseable createOtherKind(final Path directory, final String name)
    {
        final LongQueue other = LongQueue.create(directory, name, CAPACITY);
        return () ->
        {
            other.unlink();
            other.close();
        };
    }

    @Override
    protected void put(final Pipe<Long> channel, final long value) throws IOException, InterruptedException
    {
        channel.second().send(value);
    }

    @Override
    protected boolean offer(final Pipe<Long> channel, final long value)
    {
        throw new UnsupportedOperationException("a pipe has no offer");
    }

    @Override
    protected boolean offer(final Pipe<Long> channel, final long value, final long timeout, final TimeUnit unit)
    {
        throw new UnsupportedOperationException("a pipe has no offer");
    }

    @Override
    protected long take(final Pipe<Long> channel) throws IOException, InterruptedException
    {
        return channel.first().recv();
    }

    @Override
    protected Long poll(final Pipe<Long> channel, final long timeout, final TimeUnit unit)
        throws IOException, InterruptedException
    {
        return channel.first().poll(timeout, unit) ? channel.first().recv() : null;
    }

    @Override
    protected void shutdown(final Pipe<Long> channel)
    {
        channel.second().close();
    }

    @Override
    protected Class<? extends Exception> putAfterShutdown()
    {
        return IllegalStateException.class;
    }

    @Override
    protected Class<? extends Exception> endOfStream()
    {
        return EOFException.class;
    }

    @Override
    protected Object producerHandle(final Pipe<Long> channel)
    {
        return channel.second();
    }

    @Override
    protected AutoCloseable openProducer(final Path directory, final String name)
    {
        return Connection.open(directory, name, 1, Codecs.longs());
    }

    @Override
    @SuppressWarnings("unchecked")
    protected void putThrough(final Object producer, final long value) throws IOException, InterruptedException
    {
        ((Connection<Long>)producer).send(value);
    }

    @Override
    protected void unlink(final Pipe<Long> channel)
    {
        channel.unlink();
    }

    @Test
    @Override
    @Disabled("a pipe has no offer: send always waits for room")
    protected void shouldRefuseAnOfferWhenFullAndAcceptOneAfterATake()
    {
    }

    @Test
    @Override
    @Disabled("a pipe has no offer: send always waits for room")
    protected void shouldNeverReturnFromATimedOfferEarly()
    {
    }

    @Test
    @Override
    @Disabled("no offer to fill the pipe to a known point; PipeBackPressureTest covers a sender waiting for room")
    protected void shouldWakeABlockedProducerWhenAValueIsTaken()
    {
    }

    @Test
    @Override
    @Disabled("no offer to fill the pipe to a known point; a second handle would close the ends for good")
    protected void shouldWakeAProducerBlockedOnAHandleWithIllegalStateExceptionWhenTheHandleIsClosed()
    {
    }

    @Test
    @Override
    @Disabled("no offer to fill the pipe to a known point")
    protected void shouldEndABlockedPutWithInterruptedExceptionAndLeaveNothingBehind()
    {
    }

    /** The pipe version: the receiving end is closed under its blocked receiver, and the sender sees a broken pipe. */
    @Test
    @Override
    protected void shouldWakeAConsumerBlockedOnAHandleWithIllegalStateExceptionWhenTheHandleIsClosed() throws Exception
    {
        final Pipe<Long> pipe = channel();
        final CompletableFuture<Long> consumer = supplyAsync(() -> take(pipe));
        assertStillBlocked(consumer, "recv from an empty pipe");
        pipe.first().close();
        assertEndedWith(IllegalStateException.class, consumer);
        assertThrows(IllegalStateException.class, () -> take(pipe), "a closed end stays closed");
        assertThrows(IOException.class, () -> put(pipe, 7), "the sender sees a broken pipe");
    }

    /** The pipe version: the receiving end re-opened by name, the sending end through a deserialised handle. */
    @Test
    @Override
    protected void shouldDeliverThroughAHandleOpenedByNameAndThroughADeserialisedHandle() throws Exception
    {
        final Pipe<Long> pipe = channel();
        put(pipe, 1);
        try (Connection<Long> receiver = Connection.open(directory, name(), 0, Codecs.longs()))
        {
            assertEquals(1L, receiver.recv(), "sent here, received through the end opened by name");
            @SuppressWarnings("unchecked")
            final Connection<Long> sender = (Connection<Long>)Handles.decode(
                Handles.encode(pipe.second()));
            try (sender)
            {
                sender.send(2L);
                assertEquals(2L, receiver.recv(), "sent through a deserialised end");
            }
        }
    }
}
