package dev.jipc.core.queue;

import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

import dev.jipc.core.Segment;
import dev.jipc.core.SegmentDirectory;
import dev.jipc.core.SegmentFormatException;
import dev.jipc.core.SegmentKind;
import dev.jipc.core.codec.Codecs;
import dev.jipc.core.wait.WaitStrategy;

/**
 * A bounded, blocking, multi-consumer queue of {@code long}s in a named shared-memory segment: no boxing, no codec,
 * nothing allocated per element once a thread has made its first put and take.
 * <p>
 * Two engines, chosen at create ({@link Producers}), behind one API:
 * <ul>
 *   <li>{@link Producers#MANY} (the default): any number of producing threads in any processes. Each element is an
 *       8-byte record of type {@link Codecs#LONG_TYPE_ID} in the same ring as a {@link Queue} (16 bytes of ring per
 *       element with the record header), so ordering, closing, {@link #shutdown()}, dead-producer recovery and
 *       serialisation behave as documented there; a put is a compare-and-set on the shared tail.</li>
 *   <li>{@link Producers#ONE}: one producing thread at a time (the first to put; another thread's put is refused
 *       while it lives and its handle is open). A ring of 16-byte slots, each a value and the sequence that publishes
 *       it: a put is three stores, no compare-and-set and no fence, as Aeron's {@code ExclusivePublication} and the
 *       Disruptor's single-producer sequencer. A producer that dies mid-put loses nothing that was put; another
 *       thread or process may then produce.</li>
 * </ul>
 * Consumers take one element ({@link #take()}, {@link #poll(LongConsumer)}) or a batch under one acquisition of the
 * consumer lock ({@link #drain(LongConsumer, int)}, the fastest way out). {@link #open} finds the engine the queue
 * was created with.
 * <p>
 * Memory consistency effects: actions in a thread before it puts an element happen-before actions after that element
 * is taken, in whichever thread or process takes it.
 */
public final class LongQueue implements AutoCloseable, Serializable
{
    @Serial
    private static final long serialVersionUID = 1L;
    private static final String CODEC_NAME = "long";

    private final transient LongRing ring;
    private transient volatile WaitStrategy waitStrategy = WaitStrategy.SPIN_THEN_PARK;

    private LongQueue(final LongRing ring)
    {
        this.ring = ring;
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
        return new LongQueue(new RecordLongRing(ManyToManyRing.create(
            directory, name, SegmentKind.PRIMITIVE_QUEUE, capacity, typeId, codecName, 0), typeId));
    }

    /**
     * Attaches to a queue of 8-byte records of another type id, or of longs with the engine it was created with.
     *
     * @param directory the segment directory.
     * @param name      the queue's name.
     * @param typeId    the record type id.
     * @param codecName its name.
     * @return the queue.
     */
    static LongQueue open(final Path directory, final String name, final int typeId, final String codecName)
    {
        final Segment segment = Segment.open(directory, name, SegmentKind.PRIMITIVE_QUEUE);
        try
        {
            final int capacity = QueueDescriptor.validate(segment);
            QueueDescriptor.CODEC.checkSame(segment, typeId, codecName);
            if ((segment.buffer().getInt(QueueDescriptor.FLAGS_OFFSET) & QueueDescriptor.FLAG_SINGLE_PRODUCER) != 0)
            {
                return new LongQueue(SlotLongRing.attach(segment, capacity));
            }
            return new LongQueue(new RecordLongRing(ManyToManyRing.attach(segment, capacity), typeId));
        }
        catch (final RuntimeException ex)
        {
            segment.close();
            throw ex;
        }
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
     * Creates a queue in the default directory with a choice of engine.
     *
     * @param name      the queue's name.
     * @param capacity  ring capacity in bytes, a power of two from {@value QueueDescriptor#MIN_CAPACITY}; each
     *                  element takes 16.
     * @param producers {@link Producers#ONE} for the single-producer ring.
     * @return the new queue.
     * @throws java.io.UncheckedIOException if the name exists.
     */
    public static LongQueue create(final String name, final int capacity, final Producers producers)
    {
        return create(SegmentDirectory.defaultDirectory(), name, capacity, producers);
    }

    /**
     * Creates a queue in a directory with a choice of engine.
     *
     * @param directory where the segment goes.
     * @param name      the queue's name.
     * @param capacity  ring capacity in bytes, a power of two; each element takes 16.
     * @param producers {@link Producers#ONE} for the single-producer ring.
     * @return the new queue.
     * @throws java.io.UncheckedIOException if the name exists.
     */
    public static LongQueue create(
        final Path directory, final String name, final int capacity, final Producers producers)
    {
        return switch (Objects.requireNonNull(producers, "producers"))
        {
            case ONE -> new LongQueue(SlotLongRing.create(directory, name, capacity));
            case MANY -> create(directory, name, capacity);
        };
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
        return ring.offer(value, unit.toNanos(timeout), waitStrategy);
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
        return ring.take(waitStrategy);
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
        return ring.poll(consumer, unit.toNanos(timeout), waitStrategy);
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
        return ring.drain(consumer, limit);
    }

    /**
     * Counts the values in the ring: an estimate.
     *
     * @return the number of committed values.
     */
    public int size()
    {
        return ring.size();
    }

    /**
     * Whether a committed value is at the head now: an estimate.
     *
     * @return true if a take would have to wait.
     */
    public boolean isEmpty()
    {
        return ring.isEmpty();
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
        return "LongQueue{name=" + ring.segment().name() + ", capacity=" + ring.capacity() + ", producers=" +
            (ring instanceof SlotLongRing ? Producers.ONE : Producers.MANY) + "}";
    }

    Path directory()
    {
        return ring.segment().directory();
    }

    WaitStrategy waitStrategy()
    {
        return waitStrategy;
    }

    @Serial
    private Object writeReplace()
    {
        return new Handle(ring.segment().directory().toString(), ring.segment().name(), waitStrategy);
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
