package dev.jipc.core;

import static dev.jipc.core.QueueContractTest.bytes;
import static dev.jipc.core.QueueContractTest.value;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The blocking-channel contract over {@code JoinableQueue<byte[]>}: each value travels as its 8 bytes, little-endian,
 * and every take marks its task done. Wrong kind: a plain queue lacks the joinable flag.
 */
class JoinableQueueContractTest extends BlockingChannelContract<JoinableQueue<byte[]>>
{
    @Override
    JoinableQueue<byte[]> create(final Path directory, final String name)
    {
        return JoinableQueue.create(directory, name, CAPACITY, Codecs.bytes());
    }

    @Override
    JoinableQueue<byte[]> open(final Path directory, final String name)
    {
        return JoinableQueue.open(directory, name, Codecs.bytes());
    }

    @Override
    AutoCloseable createOtherKind(final Path directory, final String name)
    {
        final Queue<byte[]> other = Queue.create(directory, name, CAPACITY, Codecs.bytes());
        return () ->
        {
            other.unlink();
            other.close();
        };
    }

    @Override
    void put(final JoinableQueue<byte[]> channel, final long value) throws InterruptedException
    {
        channel.put(bytes(value));
    }

    @Override
    boolean offer(final JoinableQueue<byte[]> channel, final long value)
    {
        return channel.offer(bytes(value));
    }

    @Override
    boolean offer(final JoinableQueue<byte[]> channel, final long value, final long timeout, final TimeUnit unit)
        throws InterruptedException
    {
        return channel.offer(bytes(value), timeout, unit);
    }

    @Override
    long take(final JoinableQueue<byte[]> channel) throws InterruptedException
    {
        final long value = value(channel.take());
        channel.taskDone();
        return value;
    }

    @Override
    Long poll(final JoinableQueue<byte[]> channel, final long timeout, final TimeUnit unit) throws InterruptedException
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
    void shutdown(final JoinableQueue<byte[]> channel)
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
    Object producerHandle(final JoinableQueue<byte[]> channel)
    {
        return channel;
    }

    @Override
    AutoCloseable openProducer(final Path directory, final String name)
    {
        return open(directory, name);
    }

    @Override
    @SuppressWarnings("unchecked")
    void putThrough(final Object producer, final long value) throws InterruptedException
    {
        ((Queue<byte[]>)producer).put(bytes(value));
    }

    @Override
    void unlink(final JoinableQueue<byte[]> channel)
    {
        // every value a case put was taken and marked done, or still sits in the ring
        channel.unlink();
    }
}
