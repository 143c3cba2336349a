package dev.jipc.core.queue;

import java.util.function.LongConsumer;

import dev.jipc.core.Segment;
import dev.jipc.core.wait.WaitStrategy;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.MessageHandler;

/**
 * A {@link LongQueue} of any number of producers: each element an 8-byte record of one type id in a
 * {@link ManyToManyRing} (16 bytes of ring with the record header), so ordering, dead-producer recovery and shutdown
 * are the ring's. The engine of {@link DoubleQueue} too, with the double codec's type id.
 */
final class RecordLongRing implements LongRing
{
    private final ManyToManyRing ring;
    private final ThreadLocal<Taker> takers;
    private Taker lastTaker;

    RecordLongRing(final ManyToManyRing ring, final int typeId)
    {
        this.ring = ring;
        this.takers = ThreadLocal.withInitial(() -> new Taker(typeId));
    }

    @Override
    public Segment segment()
    {
        return ring.segment();
    }

    @Override
    public int capacity()
    {
        return ring.capacity();
    }

    @Override
    public boolean offer(final long value, final long timeoutNanos, final WaitStrategy strategy)
        throws InterruptedException
    {
        final ManyToManyRing ring = this.ring;
        final ProducerRegistry.Producer producer = ring.producer();
        final int index = ring.claim(producer, Long.BYTES, timeoutNanos, strategy);
        if (index <= 0)
        {
            return false;
        }
        ring.putLong(index, value);
        ring.commit(producer, index);
        return true;
    }

    @Override
    public long take(final WaitStrategy strategy) throws InterruptedException
    {
        final Taker taker = taker();
        taker.target = null;
        ring.receive(taker, 1, Long.MAX_VALUE, strategy);
        return taker.value;
    }

    @Override
    public boolean poll(final LongConsumer consumer, final long timeoutNanos, final WaitStrategy strategy)
        throws InterruptedException
    {
        final Taker taker = taker();
        taker.target = null;
        if (ring.receive(taker, 1, timeoutNanos, strategy) == 0)
        {
            return false;
        }
        consumer.accept(taker.value);
        return true;
    }

    @Override
    public int drain(final LongConsumer consumer, final int limit)
    {
        final Taker taker = taker();
        taker.target = consumer;
        try
        {
            return ring.receive(taker, limit, 0, WaitStrategy.BUSY_SPIN);
        }
        catch (final QueueShutdownException ex)
        {
            return 0;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return 0;
        }
        finally
        {
            taker.target = null;
        }
    }

    @Override
    public int size()
    {
        return ring.countMessages();
    }

    @Override
    public boolean isEmpty()
    {
        return !ring.hasCommittedRecord();
    }

    @Override
    public void shutdown()
    {
        ring.shutdown();
    }

    @Override
    public boolean isShutdown()
    {
        return ring.isShutdown();
    }

    @Override
    public void close()
    {
        ring.close();
    }

    private Taker taker()
    {
        final Taker last = lastTaker;
        if (last != null && last.thread == Thread.currentThread())
        {
            return last;
        }
        final Taker taker = takers.get();
        lastTaker = taker;
        return taker;
    }

    /** A consuming thread's handler: keeps the value of a single take, or passes each value of a drain on. */
    private static final class Taker implements MessageHandler
    {
        private final Thread thread = Thread.currentThread();
        private final int typeId;
        private LongConsumer target;
        private long value;

        private Taker(final int typeId)
        {
            this.typeId = typeId;
        }

        @Override
        public void onMessage(final int typeId, final MutableDirectBuffer buffer, final int index, final int length)
        {
            if (typeId != this.typeId || length != Long.BYTES)
            {
                throw new IllegalStateException("not a record of this queue: typeId=" + typeId + ", length=" + length +
                    ", expected typeId=" + this.typeId + ", length=" + Long.BYTES);
            }
            // the ring's own index of a record it checked: no bounds check needed (see ManyToManyRing.putLong)
            final long value = UnsafeApi.getLong(null, buffer.addressOffset() + index);
            if (target != null)
            {
                target.accept(value);
            }
            else
            {
                this.value = value;
            }
        }
    }
}
