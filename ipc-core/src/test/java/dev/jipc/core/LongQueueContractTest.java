package dev.jipc.core;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The blocking-channel contract over {@link LongQueue}. Wrong kind: a {@link DoubleQueue}, whose records differ. */
class LongQueueContractTest extends BlockingChannelContract<LongQueue>
{
    @Override
    LongQueue create(final Path directory, final String name)
    {
        return LongQueue.create(directory, name, CAPACITY);
    }

    @Override
    LongQueue open(final Path directory, final String name)
    {
        return LongQueue.open(directory, name);
    }

    @Override
    AutoCloseable createOtherKind(final Path directory, final String name)
    {
        final DoubleQueue other = DoubleQueue.create(directory, name, CAPACITY);
        return () ->
        {
            other.unlink();
            other.close();
        };
    }

    @Override
    void put(final LongQueue channel, final long value) throws InterruptedException
    {
        channel.put(value);
    }

    @Override
    boolean offer(final LongQueue channel, final long value)
    {
        return channel.offer(value);
    }

    @Override
    boolean offer(final LongQueue channel, final long value, final long timeout, final TimeUnit unit)
        throws InterruptedException
    {
        return channel.offer(value, timeout, unit);
    }

    @Override
    long take(final LongQueue channel) throws InterruptedException
    {
        return channel.take();
    }

    @Override
    Long poll(final LongQueue channel, final long timeout, final TimeUnit unit) throws InterruptedException
    {
        final long[] taken = new long[1];
        return channel.poll(value -> taken[0] = value, timeout, unit) ? taken[0] : null;
    }

    @Override
    void shutdown(final LongQueue channel)
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
    Object producerHandle(final LongQueue channel)
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
        ((LongQueue)producer).put(value);
    }

    @Override
    void unlink(final LongQueue channel)
    {
        channel.unlink();
    }
}
