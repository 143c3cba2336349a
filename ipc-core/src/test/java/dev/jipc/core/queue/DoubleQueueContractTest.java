package dev.jipc.core.queue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.test.BlockingChannelContract;

/**
 * The blocking-channel contract over {@link DoubleQueue}: value {@code n} travels as {@code n + 0.25}, so that the
 * fraction must survive. Wrong kind: a {@link LongQueue}, whose records differ.
 */
class DoubleQueueContractTest extends BlockingChannelContract<DoubleQueue>
{
    private static final double FRACTION = 0.25;

    @Override
    protected DoubleQueue create(final Path directory, final String name)
    {
        return DoubleQueue.create(directory, name, CAPACITY);
    }

    @Override
    protected DoubleQueue open(final Path directory, final String name)
    {
        return DoubleQueue.open(directory, name);
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
    protected void put(final DoubleQueue channel, final long value) throws InterruptedException
    {
        channel.put(value + FRACTION);
    }

    @Override
    protected boolean offer(final DoubleQueue channel, final long value)
    {
        return channel.offer(value + FRACTION);
    }

    @Override
    protected boolean offer(final DoubleQueue channel, final long value, final long timeout, final TimeUnit unit)
        throws InterruptedException
    {
        return channel.offer(value + FRACTION, timeout, unit);
    }

    @Override
    protected long take(final DoubleQueue channel) throws InterruptedException
    {
        return value(channel.take());
    }

    @Override
    protected Long poll(final DoubleQueue channel, final long timeout, final TimeUnit unit) throws InterruptedException
    {
        final double[] taken = new double[1];
        return channel.poll(value -> taken[0] = value, timeout, unit) ? value(taken[0]) : null;
    }

    @Override
    protected void shutdown(final DoubleQueue channel)
    {
        channel.shutdown();
    }

    @Override
    protected Class<? extends Exception> putAfterShutdown()
    {
        return QueueShutdownException.class;
    }

    @Override
    protected Class<? extends Exception> endOfStream()
    {
        return QueueShutdownException.class;
    }

    @Override
    protected Object producerHandle(final DoubleQueue channel)
    {
        return channel;
    }

    @Override
    protected AutoCloseable openProducer(final Path directory, final String name)
    {
        return open(directory, name);
    }

    @Override
    protected void putThrough(final Object producer, final long value) throws InterruptedException
    {
        ((DoubleQueue)producer).put(value + FRACTION);
    }

    @Override
    protected void unlink(final DoubleQueue channel)
    {
        channel.unlink();
    }

    private static long value(final double value)
    {
        final long whole = (long)Math.floor(value);
        if (value - whole != FRACTION)
        {
            throw new AssertionError("lost the fraction: value=" + value);
        }
        return whole;
    }
}
