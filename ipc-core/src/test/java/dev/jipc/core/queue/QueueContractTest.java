package dev.jipc.core.queue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.codec.Codecs;
import dev.jipc.core.test.BlockingChannelContract;

/** The blocking-channel contract over {@code Queue<byte[]>}: each value travels as its 8 bytes, little-endian. */
class QueueContractTest extends BlockingChannelContract<Queue<byte[]>>
{
    @Override
    protected Queue<byte[]> create(final Path directory, final String name)
    {
        return Queue.create(directory, name, CAPACITY, Codecs.bytes());
    }

    @Override
    protected Queue<byte[]> open(final Path directory, final String name)
    {
        return Queue.open(directory, name, Codecs.bytes());
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
    protected void put(final Queue<byte[]> channel, final long value) throws InterruptedException
    {
        channel.put(bytes(value));
    }

    @Override
    protected boolean offer(final Queue<byte[]> channel, final long value)
    {
        return channel.offer(bytes(value));
    }

    @Override
    protected boolean offer(final Queue<byte[]> channel, final long value, final long timeout, final TimeUnit unit)
        throws InterruptedException
    {
        return channel.offer(bytes(value), timeout, unit);
    }

    @Override
    protected long take(final Queue<byte[]> channel) throws InterruptedException
    {
        return value(channel.take());
    }

    @Override
    protected Long poll(final Queue<byte[]> channel, final long timeout, final TimeUnit unit)
        throws InterruptedException
    {
        final byte[] bytes = channel.poll(timeout, unit);
        return bytes == null ? null : value(bytes);
    }

    @Override
    protected void shutdown(final Queue<byte[]> channel)
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
    protected Object producerHandle(final Queue<byte[]> channel)
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
    protected void unlink(final Queue<byte[]> channel)
    {
        channel.unlink();
    }

    static byte[] bytes(final long value)
    {
        final byte[] bytes = new byte[Long.BYTES];
        for (int i = 0; i < Long.BYTES; i++)
        {
            bytes[i] = (byte)(value >>> (i * Byte.SIZE));
        }
        return bytes;
    }

    static long value(final byte[] bytes)
    {
        if (bytes.length != Long.BYTES)
        {
            throw new AssertionError("expected " + Long.BYTES + " bytes, got " + bytes.length);
        }
        long value = 0;
        for (int i = 0; i < Long.BYTES; i++)
        {
            value |= (bytes[i] & 0xFFL) << (i * Byte.SIZE);
        }
        return value;
    }
}
