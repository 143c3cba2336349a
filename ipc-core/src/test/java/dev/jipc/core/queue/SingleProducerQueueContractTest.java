package dev.jipc.core.queue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.codec.Codecs;

/**
 * The blocking-channel contract over a {@code Queue<byte[]>} of {@link Producers#ONE}: records claimed without a
 * compare-and-set. The contract fills a channel and then puts from another thread; with one producer at a time, the
 * fill runs through a handle of a thread of its own, whose close frees the producer.
 */
class SingleProducerQueueContractTest extends QueueContractTest
{
    @Override
    protected Queue<byte[]> create(final Path directory, final String name)
    {
        return Queue.create(directory, name, CAPACITY, Codecs.bytes(), Producers.ONE);
    }

    @Override
    protected int fill(final Queue<byte[]> channel) throws Exception
    {
        return supplyAsync(() ->
        {
            try (Queue<byte[]> filler = Queue.open(directory, name(), Codecs.bytes()))
            {
                return SingleProducerQueueContractTest.super.fill(filler);
            }
        }).get(WAKE_SECONDS, TimeUnit.SECONDS);
    }
}
