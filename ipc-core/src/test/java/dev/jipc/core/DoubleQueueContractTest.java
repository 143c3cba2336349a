package dev.jipc.core;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The blocking-channel contract over {@link DoubleQueue}: value {@code n} travels as {@code n + 0.25}, so that the
 * fraction must survive. Wrong kind: a {@link LongQueue}, whose records differ.
 */
class DoubleQueueContractTest extends BlockingChannelContract<DoubleQueue>
{
    private static final double FRACTION = 0.25;

    @Override
    DoubleQueue create(final Path directory, final String name)
    {
        return DoubleQueue.create(directory, name, CAPACITY);
    }

    @Override
    DoubleQueue open(final Path directory, final String name)
    {
        return DoubleQueue.open(directory, name);
    }

    @Override
    AutoCloseable createOtherKind(final Path directory, final String name)
    {
        final LongQueue other = LongQueue.create(directory, name, CAPACITY);
        return () ->
        {
            other.unlink();
            other.close();
        };
    }

    @Override
    void put(final DoubleQueue channel, final long value) throws InterruptedException
    {
        channel.put(value + FRACTION);
    }

    @Override
    boolean offer(final DoubleQueue channel, final long value)
    {
        return channel.offer(value + FRACTION);
    }

    @Override
    boolean offer(final DoubleQueue channel, final long value, final long timeout, final TimeUnit unit)
        throws InterruptedException
    {
        return channel.offer(value + FRACTION, timeout, unit);
    }

    @Override
    long take(final DoubleQueue channel) throws InterruptedException
    {
        return value(channel.take());
    }

    @Override
    Long poll(final DoubleQueue channel, final long timeout, final TimeUnit unit) throws InterruptedException
    {
        final double[] taken = new double[1];
        return channel.poll(value -> taken[0] = value, timeout, unit) ? value(taken[0]) : null;
    }

    @Override
    void shutdown(final DoubleQueue channel)
    {
        channel.shutdown();
    }

    @Override
    Class<? extends Exception> putAfterShutdown()
    {
        return QueueShutdownException.class;
    }

    @Override
    Class<? extends Exception> endOfStream()
    {
        return QueueShutdownException.class;
    }

    @Override
    Object producerHandle(final DoubleQueue channel)
    {
        return channel;
    }

    @Override
    AutoCloseable openProducer(final Path directory, final String name)
    {
        return open(directory, name);
    }

    @Override
    void putThrough(final Object producer, final long value) throws InterruptedException
    {
        ((DoubleQueue)producer).put(value + FRACTION);
    }

    @Override
    void unlink(final DoubleQueue channel)
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
