package dev.jipc.core.queue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.test.BlockingChannelContract;

/** The blocking-channel contract over {@link LongQueue}. Wrong kind: a {@link DoubleQueue}, whose records differ. */
class LongQueueContractTest extends BlockingChannelContract<LongQueue>
{
    @Override
    protected LongQueue create(final Path directory, final String name)
    {
        return LongQueue.create(directory, name, CAPACITY);
    }

    @Override
    protected LongQueue open(final Path directory, final String name)
    {
        return LongQueue.open(directory, name);
    }

    @Override
    protected AutoCloseable createOtherKind(final Path directory, final String name)
    {
        final DoubleQueue other = DoubleQueue.create(directory, name, CAPACITY);
        return () ->
        {
            other.unlink();
            other.close();
        };
    }

    @Override
    protected void put(final LongQueue channel, final long value) throws InterruptedException
    {
        channel.put(value);
    }

    @Override
    protected boolean offer(final LongQueue channel, final long value)
    {
        return channel.offer(value);
    }

    @Override
    protected boolean offer(final LongQueue channel, final long value, final long timeout, final TimeUnit unit)
        throws InterruptedException
    {
        return channel.offer(value, timeout, unit);
    }

    @Override
    protected long take(final LongQueue channel) throws InterruptedException
    {
        return channel.take();
    }

    @Override
    protected Long poll(final LongQueue channel, final long timeout, final TimeUnit unit) throws InterruptedException
    {
        final long[] taken = new long[1];
        return channel.poll(value -> taken[0] = value, timeout, unit) ? taken[0] : null;
    }

    @Override
    protected void shutdown(final LongQueue channel)
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
    protected Object producerHandle(final LongQueue channel)
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
        ((LongQueue)producer).put(value);
    }

    @Override
    protected void unlink(final LongQueue channel)
    {
        channel.unlink();
    }
}
