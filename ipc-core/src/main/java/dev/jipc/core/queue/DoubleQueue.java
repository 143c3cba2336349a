package dev.jipc.core.queue;

import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleConsumer;
import java.util.function.LongConsumer;

import dev.jipc.core.SegmentDirectory;
import dev.jipc.core.SegmentFormatException;
import dev.jipc.core.codec.Codecs;
import dev.jipc.core.wait.WaitStrategy;

/**
 * A bounded, blocking, multi-producer, multi-consumer queue of {@code double}s in a named shared-memory segment: a
 * {@link LongQueue} whose 8-byte records (type {@link Codecs#DOUBLE_TYPE_ID}) hold each value's IEEE 754 bits, so no
 * boxing and nothing allocated per element once a thread has made its first put and take. Every value arrives bit
 * for bit, NaN payloads included. Ordering, closing, shutdown, dead-producer recovery and serialisation behave as
 * documented for {@link Queue}; opening a {@code LongQueue}'s segment as a {@code DoubleQueue}, or the reverse, throws
 * {@link SegmentFormatException}. (An {@code int} fits a {@link LongQueue} with no loss, so there is no int queue.)
 * <p>
 * Memory consistency effects: actions in a thread before it puts an element happen-before actions after that element
 * is taken, in whichever thread or process takes it.
 */
public final class DoubleQueue implements AutoCloseable, Serializable
{
    @Serial
    private static final long serialVersionUID = 1L;
    private static final String CODEC_NAME = "double";

    private final transient LongQueue bits;
    private final transient ThreadLocal<Adapter> adapters = ThreadLocal.withInitial(Adapter::new);

    private DoubleQueue(final LongQueue bits)
    {
        this.bits = bits;
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
    public static DoubleQueue create(final String name, final int capacity)
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
    public static DoubleQueue create(final Path directory, final String name, final int capacity)
    {
        return new DoubleQueue(LongQueue.create(directory, name, capacity, Codecs.DOUBLE_TYPE_ID, CODEC_NAME));
    }

    /**
     * Attaches to a queue in the default directory.
     *
     * @param name the queue's name.
     * @return the queue.
     * @throws SegmentFormatException if the file is not a double queue.
     */
    public static DoubleQueue open(final String name)
    {
        return open(SegmentDirectory.defaultDirectory(), name);
    }

    /**
     * Attaches to a queue in a directory.
     *
     * @param directory where the segment is.
     * @param name      the queue's name.
     * @return the queue.
     * @throws SegmentFormatException if the file is not a double queue.
     */
    public static DoubleQueue open(final Path directory, final String name)
    {
        return new DoubleQueue(LongQueue.open(directory, name, Codecs.DOUBLE_TYPE_ID, CODEC_NAME));
    }

    /**
     * Sets how this handle's blocking calls wait.
     *
     * @param strategy the strategy.
     * @return this.
     */
    public DoubleQueue waitStrategy(final WaitStrategy strategy)
    {
        bits.waitStrategy(strategy);
        return this;
    }

    /**
     * The queue's name.
     *
     * @return the segment name.
     */
    public String name()
    {
        return bits.name();
    }

    /**
     * The ring's capacity in bytes.
     *
     * @return bytes; each element takes 16.
     */
    public int capacity()
    {
        return bits.capacity();
    }

    /**
     * Puts a value, waiting for room as long as it takes.
     *
     * @param value the value.
     * @throws QueueShutdownException if the queue is shut down.
     * @throws IllegalStateException  if this handle is closed.
     * @throws InterruptedException   if interrupted while waiting.
     */
    public void put(final double value) throws InterruptedException
    {
        bits.put(Double.doubleToRawLongBits(value));
    }

    /**
     * Puts a value if there is room now.
     *
     * @param value the value.
     * @return false if the ring is full.
     * @throws QueueShutdownException if the queue is shut down.
     * @throws IllegalStateException  if this handle is closed.
     */
    public boolean offer(final double value)
    {
        return bits.offer(Double.doubleToRawLongBits(value));
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
    public boolean offer(final double value, final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return bits.offer(Double.doubleToRawLongBits(value), timeout, unit);
    }

    /**
     * Takes the head value, waiting as long as it takes.
     *
     * @return the value.
     * @throws QueueShutdownException if the queue is shut down and drained.
     * @throws IllegalStateException  if this handle is closed.
     * @throws InterruptedException   if interrupted while waiting.
     */
    public double take() throws InterruptedException
    {
        return Double.longBitsToDouble(bits.take());
    }

    /**
     * Takes the head value if there is one.
     *
     * @param consumer receives the value, in the calling thread.
     * @return false if the queue is empty (also once shut down and drained).
     * @throws IllegalStateException if this handle is closed.
     */
    public boolean poll(final DoubleConsumer consumer)
    {
        return bits.poll(adapter(consumer));
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
    public boolean poll(final DoubleConsumer consumer, final long timeout, final TimeUnit unit)
        throws InterruptedException
    {
        return bits.poll(adapter(consumer), timeout, unit);
    }

    /**
     * Takes up to {@code limit} values that are there now, without waiting, under one acquisition of the consumer
     * lock; see {@link LongQueue#drain}.
     *
     * @param consumer receives each value in order.
     * @param limit    the most values to take.
     * @return how many were taken.
     * @throws IllegalStateException if this handle is closed.
     */
    public int drain(final DoubleConsumer consumer, final int limit)
    {
        return bits.drain(adapter(consumer), limit);
    }

    /**
     * Counts the values in the ring: an estimate.
     *
     * @return the number of committed values.
     */
    public int size()
    {
        return bits.size();
    }

    /**
     * Whether a committed value is at the head now: an estimate.
     *
     * @return true if a take would have to wait.
     */
    public boolean isEmpty()
    {
        return bits.isEmpty();
    }

    /** Ends the queue for every handle in every process, as {@link Queue#shutdown()}. */
    public void shutdown()
    {
        bits.shutdown();
    }

    /**
     * Whether {@link #shutdown()} was called by anyone.
     *
     * @return true once shut down.
     */
    public boolean isShutdown()
    {
        return bits.isShutdown();
    }

    /** Detaches this handle, as {@link Queue#close()}. */
    @Override
    public void close()
    {
        bits.close();
    }

    /** Removes the queue's name; attached handles keep working until closed. */
    public void unlink()
    {
        bits.unlink();
    }

    @Override
    public String toString()
    {
        return "DoubleQueue{name=" + bits.name() + ", capacity=" + bits.capacity() + "}";
    }

    private LongConsumer adapter(final DoubleConsumer consumer)
    {
        final Adapter adapter = adapters.get();
        adapter.target = Objects.requireNonNull(consumer, "consumer");
        return adapter;
    }

    @Serial
    private Object writeReplace()
    {
        return new Handle(bits.directory().toString(), bits.name(), bits.waitStrategy());
    }

    /** Turns the bits back into a double for the caller's consumer; one per consuming thread. */
    private static final class Adapter implements LongConsumer
    {
        private DoubleConsumer target;

        @Override
        public void accept(final long value)
        {
            target.accept(Double.longBitsToDouble(value));
        }
    }

    /** The serialised form of a double queue. */
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
