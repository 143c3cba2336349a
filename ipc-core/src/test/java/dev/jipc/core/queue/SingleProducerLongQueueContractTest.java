package dev.jipc.core.queue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The blocking-channel contract over a {@link LongQueue} of {@link Producers#ONE}: the ring of slots. The
 * contract fills a channel and then puts from another thread; with one producer at a time, the fill runs through a
 * handle of a thread of its own, whose close frees the producer.
 */
class SingleProducerLongQueueContractTest extends LongQueueContractTest
{
    @Override
    protected LongQueue create(final Path directory, final String name)
    {
        return LongQueue.create(directory, name, CAPACITY, Producers.ONE);
    }

    @Override
    protected int fill(final LongQueue channel) throws Exception
    {
        return supplyAsync(() ->
        {
            try (LongQueue filler = LongQueue.open(directory, name()))
            {
                return SingleProducerLongQueueContractTest.super.fill(filler);
            }
        }).get(WAKE_SECONDS, TimeUnit.SECONDS);
    }
}
