package dev.jipc.core.queue;

import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

import dev.jipc.core.SegmentDirectory;
import dev.jipc.core.SegmentFormatException;
import dev.jipc.core.SegmentKind;
import dev.jipc.core.codec.Codecs;
import dev.jipc.core.wait.WaitStrategy;
import org.agrona.MutableDirectBuffer;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.MessageHandler;

/**
 * A bounded, blocking, multi-producer, multi-consumer queue of {@code long}s in a named shared-memory segment: no
 * boxing, no codec, nothing allocated per element once a thread has made its first put and take.
 * <p>
 * Each element is an 8-byte record of type {@link Codecs#LONG_TYPE_ID} in the same ring as a {@link Queue} (16 bytes
 * of ring per element with the record header), so ordering, closing, {@link #shutdown()}, dead-producer recovery and
 * serialisation behave as documented there. Consumers take one element ({@link #take()}, {@link #poll(LongConsumer)})
 * or a batch under one acquisition of the consumer lock ({@link #drain(LongConsumer, int)}, the fastest way out).
 * <p>
 * Memory consistency effects: actions in a thread before it puts an element happen-before actions after that element
 * is taken, in whichever thread or process takes it.
 */
public final class LongQueue implements AutoCloseable, Serializable
{
    @Serial
    private static final long serialVersionUID = 1L;
    private static final String CODEC_NAME = "long";

    private final transient ManyToManyRing ring;
    private final transient ThreadLocal<Taker> takers;
    private transient Taker lastTaker;
    private transient volatile WaitStrategy waitStrategy = WaitStrategy.SPIN_THEN_PARK;

    private LongQueue(final ManyToManyRing ring, final int typeId)
    {
        this.ring = ring;
        this.takers = ThreadLocal.withInitial(() -> new Taker(typeId));
    }

    /**
     * A queue of 8-byte records of another type id: the engine of {@link DoubleQueue}.
     *
     * @param directory the segment directory.
     * @param name      the queue's name.
     * @param capacity  ring capacity in bytes.
     * @param typeId    the record type id.
     * @param codecName its name.
     * @return the new queue.
     */
    static LongQueue create(
        final Path directory, final String name, final int capacity, final int typeId, final String codecName)
    {
        return new LongQueue(ManyToManyRing.create(
            directory, name, SegmentKind.PRIMITIVE_QUEUE, capacity, typeId, codecName, 0), typeId);
    }

    /**
     * Attaches to a queue of 8-byte records of another type id: the engine of {@link DoubleQueue}.
     *
     * @param directory the segment directory.
     * @param name      the queue's name.
     * @param typeId    the record type id.
     * @param codecName its name.
     * @return the queue.
     */
    static LongQueue open(final Path directory, final String name, final int typeId, final String codecName)
    {
        return new LongQueue(ManyToManyRing.open(
            directory, name, SegmentKind.PRIMITIVE_QUEUE, typeId, codecName, 0), typeId);
    }

    /**
     * Creates a queue in the default directory.
     *
     * @param name     the queue's name.
     * @param capacity ring capacity in bytes, a power of two from {@value QueueDescriptor#MIN_CAPACITY}; each
     *                 element takes 16.
     * @return the new queue.
     * @throws java.io.UncheckedIOException if the name exists.
     */
    public static LongQueue create(final String name, final int capacity)
    {
        return create(SegmentDirectory.defaultDirectory(), name, capacity);
    }

    /**
     * Creates a queue in a directory.
     *
     * @param directory where the segment goes.
     * @param name      the queue's name.
     * @param capacity  ring capacity in bytes, a power of two; each element takes 16.
     * @return the new queue.
     * @throws java.io.UncheckedIOException if the name exists.
     */
    public static LongQueue create(final Path directory, final String name, final int capacity)
    {
        return create(directory, name, capacity, Codecs.LONG_TYPE_ID, CODEC_NAME);
    }

    /**
     * Attaches to a queue in the default directory.
     *
     * @param name the queue's name.
     * @return the queue.
     * @throws SegmentFormatException if the file is not a long queue.
     */
    public static LongQueue open(final String name)
    {
        return open(SegmentDirectory.defaultDirectory(), name);
    }

    /**
     * Attaches to a queue in a directory.
     *
     * @param directory where the segment is.
     * @param name      the queue's name.
     * @return the queue.
     * @throws SegmentFormatException if the file is not a long queue.
     */
    public static LongQueue open(final Path directory, final String name)
    {
        return open(directory, name, Codecs.LONG_TYPE_ID, CODEC_NAME);
    }

    /**
     * Sets how this handle's blocking calls wait.
     *
     * @param strategy the strategy.
     * @return this.
     */
    public LongQueue waitStrategy(final WaitStrategy strategy)
    {
        this.waitStrategy = Objects.requireNonNull(strategy, "strategy");
        return this;
    }

    /**
     * The queue's name.
     *
     * @return the segment name.
     */
    public String name()
    {
        return ring.segment().name();
    }

    /**
     * The ring's capacity in bytes.
     *
     * @return bytes; each element takes 16.
     */
    public int capacity()
    {
        return ring.capacity();
    }

    /**
     * Puts a value, waiting for room as long as it takes.
     *
     * @param value the value.
     * @throws QueueShutdownException if the queue is shut down.
     * @throws IllegalStateException  if this handle is closed.
     * @throws InterruptedException   if interrupted while waiting.
     */
    public void put(final long value) throws InterruptedException
    {
        offer(value, Long.MAX_VALUE, TimeUnit.NANOSECONDS);
    }

    /**
     * Puts a value if there is room now.
     *
     * @param value the value.
     * @return false if the ring is full.
     * @throws QueueShutdownException if the queue is shut down.
     * @throws IllegalStateException  if this handle is closed.
     */
    public boolean offer(final long value)
    {
        try
        {
            return offer(value, 0, TimeUnit.NANOSECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Puts a value, waiting up to the timeout for room.
     *
     * @param value   the value.
     * @param timeout the longest wait.
     * @param unit    its unit.
     * @return false if the timeout passed first.
     * @throws QueueShutdownException if the queue is shut down.
     * @throws IllegalStateException  if this handle is closed.
     * @throws InterruptedException   if interrupted while waiting.
     */
    public boolean offer(final long value, final long timeout, final TimeUnit unit) throws InterruptedException
    {
        final ManyToManyRing ring = this.ring;
        final ProducerRegistry.Producer producer = ring.producer();
        final int index = ring.claim(producer, Long.BYTES, unit.toNanos(timeout), waitStrategy);
        if (index <= 0)
        {
            return false;
        }
        ring.putLong(index, value);
        ring.commit(producer, index);
        return true;
    }

    /**
     * Takes the head value, waiting as long as it takes.
     *
     * @return the value.
     * @throws QueueShutdownException if the queue is shut down and drained.
     * @throws IllegalStateException  if this handle is closed.
     * @throws InterruptedException   if interrupted while waiting.
     */
    public long take() throws InterruptedException
    {
        final Taker taker = taker();
        taker.target = null;
        ring.receive(taker, 1, Long.MAX_VALUE, waitStrategy);
        return taker.value;
    }

    /**
     * Takes the head value if there is one.
     *
     * @param consumer receives the value, in the calling thread.
     * @return false if the queue is empty (also once shut down and drained).
     * @throws IllegalStateException if this handle is closed.
     */
    public boolean poll(final LongConsumer consumer)
    {
        try
        {
            return poll(consumer, 0, TimeUnit.NANOSECONDS);
        }
        catch (final QueueShutdownException ex)
        {
            return false;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Takes the head value, waiting up to the timeout for one.
     *
     * @param consumer receives the value, in the calling thread.
     * @param timeout  the longest wait.
     * @param unit     its unit.
     * @return false if the timeout passed first.
     * @throws QueueShutdownException if the queue is shut down and drained.
     * @throws IllegalStateException  if this handle is closed.
     * @throws InterruptedException   if interrupted while waiting.
     */
    public boolean poll(final LongConsumer consumer, final long timeout, final TimeUnit unit)
        throws InterruptedException
    {
        Objects.requireNonNull(consumer, "consumer");
        final Taker taker = taker();
        taker.target = null;
        if (ring.receive(taker, 1, unit.toNanos(timeout), waitStrategy) == 0)
        {
            return false;
        }
        consumer.accept(taker.value);
        return true;
    }

    /**
     * Takes up to {@code limit} values that are there now, without waiting, under one acquisition of the consumer
     * lock. The consumer runs while the lock is held: keep it short, and do not use this queue inside it (a put that
     * waits for room there would wait for itself).
     *
     * @param consumer receives each value in order.
     * @param limit    the most values to take.
     * @return how many were taken; 0 if the queue is empty (also once shut down and drained).
     * @throws IllegalStateException if this handle is closed.
     */
    public int drain(final LongConsumer consumer, final int limit)
    {
        Objects.requireNonNull(consumer, "consumer");
        final Taker taker = taker();
        taker.target = consumer;
        try
        {
            return ring.receive(taker, limit, 0, waitStrategy);
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

    /**
     * Counts the values in the ring: an estimate.
     *
     * @return the number of committed values.
     */
    public int size()
    {
        return ring.countMessages();
    }

    /**
     * Whether a committed value is at the head now: an estimate.
     *
     * @return true if a take would have to wait.
     */
    public boolean isEmpty()
    {
        return !ring.hasCommittedRecord();
    }

    /** Ends the queue for every handle in every process, as {@link Queue#shutdown()}. */
    public void shutdown()
    {
        ring.shutdown();
    }

    /**
     * Whether {@link #shutdown()} was called by anyone.
     *
     * @return true once shut down.
     */
    public boolean isShutdown()
    {
        return ring.isShutdown();
    }

    /** Detaches this handle, as {@link Queue#close()}. */
    @Override
    public void close()
    {
        ring.close();
    }

    /** Removes the queue's name; attached handles keep working until closed. */
    public void unlink()
    {
        ring.segment().unlink();
    }

    @Override
    public String toString()
    {
        return "LongQueue{name=" + ring.segment().name() + ", capacity=" + ring.capacity() + "}";
    }

    Path directory()
    {
        return ring.segment().directory();
    }

    WaitStrategy waitStrategy()
    {
        return waitStrategy;
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

    @Serial
    private Object writeReplace()
    {
        return new Handle(ring.segment().directory().toString(), ring.segment().name(), waitStrategy);
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

    /** The serialised form of a long queue. */
    private record Handle(String directory, String name, WaitStrategy waitStrategy) implements Serializable
    {
        private Handle
        {
            Objects.requireNonNull(directory, "directory");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(waitStrategy, "waitStrategy");
        }

        @Serial
        private Object readResolve()
        {
            return open(Path.of(directory), name).waitStrategy(waitStrategy);
        }
    }
}
