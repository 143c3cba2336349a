package dev.jipc.core.queue;

import static dev.jipc.core.queue.QueueContractTest.bytes;
import static dev.jipc.core.queue.QueueContractTest.value;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.codec.Codecs;
import dev.jipc.core.test.BlockingChannelContract;

/**
 * The blocking-channel contract over {@code JoinableQueue<byte[]>}: each value travels as its 8 bytes, little-endian,
 * and every take marks its task done. Wrong kind: a plain queue lacks the joinable flag.
 */
class JoinableQueueContractTest extends BlockingChannelContract<JoinableQueue<byte[]>>
{
    @Override
    protected JoinableQueue<byte[]> create(final Path directory, final String name)
    {
        return JoinableQueue.create(directory, name, CAPACITY, Codecs.bytes());
    }

    @Override
    protected JoinableQueue<byte[]> open(final Path directory, final String name)
    {
        return JoinableQueue.open(directory, name, Codecs.bytes());
    }

    @Override
    protected AutoCloseable createOtherKind(final Path directory, final String name)
    {
        final Queue<byte[]> other = Queue.create(directory, name, CAPACITY, Codecs.bytes());
        return () ->
        {
            other.unlink();
            other.close();
        };
    }

    @Override
    protected void put(final JoinableQueue<byte[]> channel, final long value) throws InterruptedException
    {
        channel.put(bytes(value));
    }

    @Override
    protected boolean offer(final JoinableQueue<byte[]> channel, final long value)
    {
        return channel.offer(bytes(value));
    }

    @Override
    protected boolean offer(
        final JoinableQueue<byte[]> channel, final long value, final long timeout, final TimeUnit unit)
        throws InterruptedException
    {
        return channel.offer(bytes(value), timeout, unit);
    }

    @Override
    protected long take(final JoinableQueue<byte[]> channel) throws InterruptedException
    {
        final long value = value(channel.take());
        channel.taskDone();
        return value;
    }

    @Override
    protected Long poll(final JoinableQueue<byte[]> channel, final long timeout, final TimeUnit unit)
        throws InterruptedException
    {
        final byte[] bytes = channel.poll(timeout, unit);
        if (bytes == null)
        {
            return null;
        }
        channel.taskDone();
        return value(bytes);
    }

    @Override
    protected void shutdown(final JoinableQueue<byte[]> channel)
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
    protected Object producerHandle(final JoinableQueue<byte[]> channel)
    {
        return channel;
    }

    @Override
    protected AutoCloseable openProducer(final Path directory, final String name)
    {
        return open(directory, name);
    }

    @Override
    @SuppressWarnings("unchecked")
    protected void putThrough(final Object producer, final long value) throws InterruptedException
    {
        ((Queue<byte[]>)producer).put(bytes(value));
    }

    @Override
    protected void unlink(final JoinableQueue<byte[]> channel)
    {
        // every value a case put was taken and marked done, or still sits in the ring
        channel.unlink();
    }
}
