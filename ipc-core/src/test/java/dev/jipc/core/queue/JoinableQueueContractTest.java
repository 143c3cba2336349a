package dev.jipc.core.queue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.codec.Codecs;

/**
 * The blocking-channel contract over {@code JoinableQueue<byte[]>}: as {@link QueueContractTest} (each value travels
 * as its 8 bytes, little-endian), and every take marks its task done. Wrong kind: a plain queue lacks the joinable
 * flag. At the end of each case every value a case put was taken and marked done, or still sits in the ring.
 */
class JoinableQueueContractTest extends QueueContractTest
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
    protected long take(final Queue<byte[]> channel) throws InterruptedException
    {
        final long value = value(channel.take());
        ((JoinableQueue<byte[]>)channel).taskDone();
        return value;
    }

    @Override
    protected Long poll(final Queue<byte[]> channel, final long timeout, final TimeUnit unit)
        throws InterruptedException
    {
        final byte[] bytes = channel.poll(timeout, unit);
        if (bytes == null)
        {
            return null;
        }
        ((JoinableQueue<byte[]>)channel).taskDone();
        return value(bytes);
    }
}
