package dev.jipc.core.queue;

import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.AbstractQueue;
import java.util.Collection;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.CorruptRingException;
import dev.jipc.core.RingView;
import dev.jipc.core.SegmentDirectory;
import dev.jipc.core.SegmentFormatException;
import dev.jipc.core.SegmentKind;
import dev.jipc.core.codec.Codec;
import dev.jipc.core.codec.Codecs;
import dev.jipc.core.wait.WaitStrategy;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A bounded, blocking, multi-producer, multi-consumer queue in a named shared-memory segment: Python's
 * {@code multiprocessing.Queue} between any JVMs on the host that open the same name.
 * <pre>{@code
 * try (Queue<String> queue = Queue.create("orders", 1 << 20, Codecs.strings())) {   // one JVM
 *     queue.put("buy 100");
 * }
 * try (Queue<String> queue = Queue.open("orders", Codecs.strings())) {              // another
 *     String order = queue.take();
 * }
 * }</pre>
 * Elements are encoded by a {@link Codec} into records of an Agrona {@code ManyToOneRingBuffer} of
 * {@link #capacity()} bytes (the bound is in bytes, not elements); a record longer than {@link #maxMessageLength()}
 * (an eighth of the capacity) can never fit and is refused with {@link IllegalArgumentException}. Each producer's
 * elements arrive in the order it put them; elements of different producers interleave. Every element is taken
 * exactly once, by one consumer, unless its producer dies before finishing the put (the element is then lost,
 * never delivered torn) or a consumer process dies in the middle of a take (elements it was still copying out are
 * delivered again to the next consumer; elements it had already handed to its caller are not). A record that does
 * not lie between the ring's head and tail (corrupt bytes in the segment) is never skipped: every take, peek and
 * {@link #size()} throws {@link CorruptRingException} from then on, as do the same calls of {@link SimpleQueue},
 * {@link JoinableQueue}, {@link LongQueue} and {@link DoubleQueue}.
 *
 * <h2>Closing and shutting down</h2>
 * {@link #close()} detaches this handle only (Python's {@code close()} of one process): afterwards every operation on
 * this handle throws {@link IllegalStateException}; other handles and processes carry on, and the segment stays until
 * {@link #unlink()}. {@link #shutdown()} ends the queue for everyone (Python 3.13's {@code Queue.shutdown()}): every
 * later put anywhere throws {@link QueueShutdownException}, waiting producers and consumers wake, consumers drain
 * what was put before, and then {@link #take()} throws {@link QueueShutdownException} while {@link #poll()} returns
 * null: the documented end of the stream. Nothing is dropped silently.
 *
 * <h2>Threads and processes</h2>
 * Any thread of any process may put and take concurrently through one handle or many. Each producing thread takes a
 * slot of the queue's producer registry on its first put (at most {@value QueueDescriptor#PRODUCER_SLOTS} at once;
 * slots of dead processes are reclaimed, slots of this handle are freed by {@link #close()}). A queue created with
 * {@link Producers#ONE} takes puts from one thread at a time, in any process (the first to put; another thread's put
 * is refused with {@link IllegalStateException} while that one lives and its handle is open), and a put then moves
 * the ring's tail with a plain store instead of a compare-and-set: the faster queue for a pipeline stage's single
 * writer. Consumers are the same for both. Takes are serialised by
 * a consumer lock that is held only while a record is copied out. Blocking methods wait as the handle's
 * {@link WaitStrategy} says (default {@link WaitStrategy#SPIN_THEN_PARK}) and throw {@link InterruptedException} when
 * interrupted. {@link #size()}, {@link #isEmpty()} and {@link #remainingCapacity()} are estimates.
 * <p>
 * Memory consistency effects: actions in a thread before it puts an element happen-before actions after that element
 * is taken, in whichever thread or process takes it.
 * <p>
 * Serialising a queue writes a small handle (directory, name, codec, wait strategy) that re-opens the queue in the
 * receiving JVM. The iterator and the {@code Collection} methods built on it ({@code contains}, {@code remove(Object)})
 * are not supported: elements exist only as bytes in the ring.
 *
 * @param <E> the element type.
 */
public class Queue<E> extends AbstractQueue<E> implements BlockingQueue<E>, AutoCloseable, Serializable
{
    @Serial
    private static final long serialVersionUID = 1L;

    final transient ManyToManyRing ring;
    private final transient Codec<E> codec;
    private transient volatile WaitStrategy waitStrategy = WaitStrategy.SPIN_THEN_PARK;
    /** Each thread's encoding buffers and handlers for this handle, so that puts and takes allocate none. */
    private final transient ThreadLocal<PerThread<E>> perThread;
    /** The state last returned: a benign race between this handle's threads, each checks the thread it names. */
    private transient PerThread<E> lastPerThread;

    Queue(final ManyToManyRing ring, final Codec<E> codec)
    {
        this.ring = ring;
        this.codec = codec;
        this.perThread = ThreadLocal.withInitial(() -> new PerThread<>(codec));
    }

    /**
     * Creates a queue in the default directory.
     *
     * @param name     the queue's name.
     * @param capacity ring capacity in bytes: a power of two from {@value QueueDescriptor#MIN_CAPACITY} to 1 GiB.
     * @param codec    how elements become bytes.
     * @param <E>      the element type.
     * @return the new queue.
     * @throws java.io.UncheckedIOException if the name exists.
     */
    public static <E> Queue<E> create(final String name, final int capacity, final Codec<E> codec)
    {
        return create(SegmentDirectory.defaultDirectory(), name, capacity, codec);
    }

    /**
     * Creates a queue in a directory.
     *
     * @param directory where the segment goes.
     * @param name      the queue's name.
     * @param capacity  ring capacity in bytes: a power of two from {@value QueueDescriptor#MIN_CAPACITY} to 1 GiB.
     * @param codec     how elements become bytes.
     * @param <E>       the element type.
     * @return the new queue.
     * @throws java.io.UncheckedIOException if the name exists.
     */
    public static <E> Queue<E> create(final Path directory, final String name, final int capacity,
        final Codec<E> codec)
    {
        return create(directory, name, capacity, codec, Producers.MANY);
    }

    /**
     * Creates a queue in the default directory, with one producing thread or many.
     *
     * @param name      the queue's name.
     * @param capacity  ring capacity in bytes: a power of two from {@value QueueDescriptor#MIN_CAPACITY} to 1 GiB.
     * @param codec     how elements become bytes.
     * @param producers {@link Producers#ONE} for one producing thread at a time, whose puts need no compare-and-set.
     * @param <E>       the element type.
     * @return the new queue.
     * @throws java.io.UncheckedIOException if the name exists.
     */
    public static <E> Queue<E> create(final String name, final int capacity, final Codec<E> codec,
        final Producers producers)
    {
        return create(SegmentDirectory.defaultDirectory(), name, capacity, codec, producers);
    }

    /**
     * Creates a queue in a directory, with one producing thread or many.
     *
     * @param directory where the segment goes.
     * @param name      the queue's name.
     * @param capacity  ring capacity in bytes: a power of two from {@value QueueDescriptor#MIN_CAPACITY} to 1 GiB.
     * @param codec     how elements become bytes.
     * @param producers {@link Producers#ONE} for one producing thread at a time, whose puts need no compare-and-set.
     * @param <E>       the element type.
     * @return the new queue.
     * @throws java.io.UncheckedIOException if the name exists.
     */
    public static <E> Queue<E> create(final Path directory, final String name, final int capacity,
        final Codec<E> codec, final Producers producers)
    {
        Objects.requireNonNull(codec, "codec");
        final int flags = Objects.requireNonNull(producers, "producers") == Producers.ONE ?
            QueueDescriptor.FLAG_SINGLE_PRODUCER_RECORDS : 0;
        return new Queue<>(
            ManyToManyRing.create(directory, name, SegmentKind.QUEUE, capacity, codec.typeId(), codec.name(), flags),
            codec);
    }

    /**
     * Attaches to a queue in the default directory.
     *
     * @param name  the queue's name.
     * @param codec the codec it was created with.
     * @param <E>   the element type.
     * @return the queue.
     * @throws java.io.UncheckedIOException if there is no such queue.
     * @throws SegmentFormatException       if the file is not a queue or was created with another codec.
     */
    public static <E> Queue<E> open(final String name, final Codec<E> codec)
    {
        return open(SegmentDirectory.defaultDirectory(), name, codec);
    }

    /**
     * Attaches to a queue in a directory.
     *
     * @param directory where the segment is.
     * @param name      the queue's name.
     * @param codec     the codec it was created with.
     * @param <E>       the element type.
     * @return the queue.
     * @throws java.io.UncheckedIOException if there is no such queue.
     * @throws SegmentFormatException       if the file is not a queue or was created with another codec.
     */
    public static <E> Queue<E> open(final Path directory, final String name, final Codec<E> codec)
    {
        Objects.requireNonNull(codec, "codec");
        return new Queue<>(
            ManyToManyRing.open(directory, name, SegmentKind.QUEUE, codec.typeId(), codec.name(), 0), codec);
    }

    /**
     * Sets how this handle's blocking calls wait.
     *
     * @param strategy the strategy.
     * @return this.
     */
    public Queue<E> waitStrategy(final WaitStrategy strategy)
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
     * The ring's capacity.
     *
     * @return bytes.
     */
    public int capacity()
    {
        return ring.capacity();
    }

    /**
     * The longest encoded element the ring accepts.
     *
     * @return bytes.
     */
    public int maxMessageLength()
    {
        return ring.maxMessageLength();
    }

    /**
     * Puts an element, waiting for room as long as it takes.
     *
     * @throws IllegalArgumentException if the encoded element is longer than {@link #maxMessageLength()}.
     * @throws QueueShutdownException   if the queue is shut down.
     * @throws IllegalStateException    if this handle is closed.
     * @throws InterruptedException     if interrupted while waiting.
     */
    @Override
    public void put(final E element) throws InterruptedException
    {
        offer(element, Long.MAX_VALUE, TimeUnit.NANOSECONDS);
    }

    /**
     * Puts an element if there is room now.
     *
     * @return false if the ring is full.
     * @throws IllegalArgumentException if the encoded element is longer than {@link #maxMessageLength()}.
     * @throws QueueShutdownException   if the queue is shut down.
     * @throws IllegalStateException    if this handle is closed.
     */
    @Override
    public boolean offer(final E element)
    {
        try
        {
            return offer(element, 0, TimeUnit.NANOSECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Puts an element, waiting up to the timeout for room.
     *
     * @return false if the timeout passed first.
     * @throws IllegalArgumentException if the encoded element is longer than {@link #maxMessageLength()}.
     * @throws QueueShutdownException   if the queue is shut down.
     * @throws IllegalStateException    if this handle is closed.
     * @throws InterruptedException     if interrupted while waiting.
     */
    @Override
    public boolean offer(final E element, final long timeout, final TimeUnit unit) throws InterruptedException
    {
        Objects.requireNonNull(element, "element");
        final ManyToManyRing ring = this.ring;
        ring.ensureOpen();
        final ProducerRegistry.Producer producer = ring.producer();
        final PerThread<E> state = perThread();
        final int knownLength = codec.encodedLength(element);
        if (knownLength >= 0)
        {
            // encode straight into the claimed record, through a view that ends where the record ends
            final int index = ring.claim(producer, knownLength, unit.toNanos(timeout), waitStrategy);
            if (index <= 0)
            {
                return false;
            }
            final UnsafeBuffer record = state.record;
            record.wrap(ring.ringBuffer(), index, knownLength);
            boolean filled = false;
            try
            {
                final int written = codec.encode(element, record, 0);
                if (written != knownLength)
                {
                    throw new IllegalStateException("codec " + codec.name() + " wrote " + written +
                        " bytes but announced encodedLength=" + knownLength);
                }
                filled = true;
            }
            finally
            {
                if (!filled)
                {
                    ring.abort(producer, index);
                }
            }
            ring.commit(producer, index);
            return true;
        }
        final MutableDirectBuffer scratch = state.scratch();
        final int length = codec.encode(element, scratch, 0);
        final int index = ring.claim(producer, length, unit.toNanos(timeout), waitStrategy);
        if (index <= 0)
        {
            return false;
        }
        ring.ringBuffer().putBytes(index, scratch, 0, length);
        ring.commit(producer, index);
        return true;
    }

    /**
     * Takes the head element, waiting as long as it takes.
     *
     * @throws QueueShutdownException if the queue is shut down and drained.
     * @throws IllegalStateException  if this handle is closed, or the record was written by another codec.
     * @throws IllegalArgumentException if the codec cannot decode the record (it is consumed).
     * @throws InterruptedException   if interrupted while waiting.
     */
    @Override
    public E take() throws InterruptedException
    {
        return receive(Long.MAX_VALUE);
    }

    /**
     * Takes the head element if there is one.
     *
     * @return the element, or null if the queue is empty (also once shut down and drained).
     * @throws IllegalStateException if this handle is closed, or the record was written by another codec.
     */
    @Override
    public E poll()
    {
        try
        {
            return receive(0);
        }
        catch (final QueueShutdownException ex)
        {
            return null;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * Takes the head element, waiting up to the timeout for one.
     *
     * @return the element, or null if the timeout passed first.
     * @throws QueueShutdownException if the queue is shut down and drained.
     * @throws IllegalStateException  if this handle is closed, or the record was written by another codec.
     * @throws InterruptedException   if interrupted while waiting.
     */
    @Override
    public E poll(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return receive(unit.toNanos(timeout));
    }

    /**
     * Decodes the head element without taking it.
     *
     * @return the element, or null if the queue is empty.
     */
    @Override
    public E peek()
    {
        final Peeker<E> peeker = perThread().peeker;
        try
        {
            ring.peek(peeker);
            if (peeker.failure != null)
            {
                throw peeker.failure;
            }
            return peeker.element;
        }
        finally
        {
            peeker.element = null;
            peeker.failure = null;
        }
    }

    /**
     * Takes every element there is now into {@code sink}.
     *
     * @return how many were taken.
     */
    @Override
    public int drainTo(final Collection<? super E> sink)
    {
        return drainTo(sink, Integer.MAX_VALUE);
    }

    /**
     * Takes up to {@code maxElements} elements there are now into {@code sink}.
     *
     * @return how many were taken.
     */
    @Override
    public int drainTo(final Collection<? super E> sink, final int maxElements)
    {
        Objects.requireNonNull(sink, "sink");
        if (sink == this)
        {
            throw new IllegalArgumentException("cannot drain a queue into itself");
        }
        if (maxElements <= 0)
        {
            return 0;
        }
        try
        {
            final Receiver<E> drainer = perThread().drainer;
            // a sink that drains this queue again is refused before its read; the outer drain keeps its own sink
            final Collection<? super E> outer = drainer.sink;
            drainer.sink = sink;
            try
            {
                return ring.receive(drainer, maxElements, 0, waitStrategy);
            }
            finally
            {
                drainer.sink = outer;
            }
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
    }

    /**
     * Takes up to {@code limit} elements that are there now, without waiting, and hands each one's encoded bytes to
     * the handler in place: one acquisition of the consumer lock for the batch, and no decoding or allocation per
     * element (a {@code Queue<byte[]>} consumer that needs no array of its own). An element whose handler throws is
     * taken (the exception propagates; the elements after it stay in the queue). If this process dies while the batch
     * is being handled, the whole batch is delivered again to the next consumer, so a handler with side effects
     * outside this process sees at-least-once delivery for a batch cut short by a crash.
     *
     * @param handler receives each element's bytes in order, in the calling thread.
     * @param limit   the most elements to take.
     * @return how many were taken; 0 if the queue is empty (also once shut down and drained).
     * @throws IllegalStateException if this handle is closed, or a record was written by another codec.
     */
    public int drain(final ElementHandler handler, final int limit)
    {
        try
        {
            return drain(handler, limit, 0, TimeUnit.NANOSECONDS);
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
    }

    /**
     * Takes up to {@code limit} elements as {@link #drain(ElementHandler, int)} does, waiting up to the timeout for
     * the first.
     *
     * @param handler receives each element's bytes in order, in the calling thread.
     * @param limit   the most elements to take.
     * @param timeout the longest wait for the first element.
     * @param unit    its unit.
     * @return how many were taken; 0 if the timeout passed first.
     * @throws QueueShutdownException if the queue is shut down and drained.
     * @throws IllegalStateException  if this handle is closed, or a record was written by another codec.
     * @throws InterruptedException   if interrupted while waiting.
     */
    public int drain(final ElementHandler handler, final int limit, final long timeout, final TimeUnit unit)
        throws InterruptedException
    {
        Objects.requireNonNull(handler, "handler");
        if (limit <= 0)
        {
            return 0;
        }
        final InPlace inPlace = perThread().inPlace;
        // a handler that drains this queue again is refused before its read; the outer drain keeps its own handler
        final ElementHandler outer = inPlace.target;
        inPlace.target = handler;
        try
        {
            return ring.receive(inPlace, limit, unit.toNanos(timeout), waitStrategy);
        }
        finally
        {
            inPlace.target = outer;
        }
    }

    /**
     * Counts the elements in the ring: an estimate (O(n) walk of the records, racing with producers and consumers).
     *
     * @return the number of committed elements.
     */
    @Override
    public int size()
    {
        return ring.countMessages();
    }

    /**
     * Whether a committed element is at the head now: an estimate.
     *
     * @return true if a take would have to wait.
     */
    @Override
    public boolean isEmpty()
    {
        return !ring.hasCommittedRecord();
    }

    /**
     * How many more elements of an empty encoding would fit: an upper bound for real elements, since the ring is
     * bounded in bytes.
     *
     * @return free bytes divided by the smallest record length.
     */
    @Override
    public int remainingCapacity()
    {
        return ring.freeBytes() / RingView.RECORD_HEADER_LENGTH;
    }

    /**
     * Not supported: elements exist only as bytes in the ring.
     *
     * @throws UnsupportedOperationException always.
     */
    @Override
    public Iterator<E> iterator()
    {
        throw new UnsupportedOperationException("a shared queue cannot be iterated: queue=" + name());
    }

    /**
     * Ends the queue for every handle in every process; see the class comment. Idempotent.
     */
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

    /** Detaches this handle; see the class comment. Idempotent. */
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
        return getClass().getSimpleName() + "{name=" + ring.segment().name() + ", capacity=" + ring.capacity() +
            ", codec=" + codec.name() + "}";
    }

    private E receive(final long timeoutNanos) throws InterruptedException
    {
        final Receiver<E> receiver = perThread().receiver;
        try
        {
            return ring.receive(receiver, 1, timeoutNanos, waitStrategy) > 0 ? receiver.element : null;
        }
        finally
        {
            receiver.element = null;
        }
    }

    /**
     * The calling thread's buffers and handlers for this handle. A handler is never entered twice at once by one
     * thread: a handler that reads the same queue is refused before the read, since its thread holds the consumer
     * lock, and another handle has handlers of its own.
     */
    private PerThread<E> perThread()
    {
        final PerThread<E> last = lastPerThread;
        if (last != null && last.thread == Thread.currentThread())
        {
            return last;
        }
        final PerThread<E> state = perThread.get();
        lastPerThread = state;
        return state;
    }

    @Serial
    Object writeReplace()
    {
        return new Handle<>(ring.segment().directory().toString(), ring.segment().name(), codec, waitStrategy,
            this instanceof JoinableQueue);
    }

    static IllegalStateException typeMismatch(final int typeId, final Codec<?> codec)
    {
        return new IllegalStateException("record written by another codec: record typeId=" + typeId + " (" +
            Codecs.describe(typeId) + "), expected typeId=" + codec.typeId() + " (" + codec.name() + ")");
    }

    /**
     * Throws unless a record read from shared memory has this codec's type and lies inside the ring: a corrupt or
     * hostile length must not reach a decoder.
     */
    static void checkRecord(final int typeId, final MutableDirectBuffer buffer, final int index, final int length,
        final Codec<?> codec)
    {
        if (length < 0 || index < 0 || length > RingView.maxMessageLength(buffer.capacity() - RingView.TRAILER_LENGTH))
        {
            throw new IllegalStateException("corrupt record: index=" + index + ", length=" + length +
                ", ringCapacity=" + buffer.capacity());
        }
        if (typeId != codec.typeId())
        {
            throw typeMismatch(typeId, codec);
        }
    }

    /** One thread's encoding buffers and handlers for a handle: allocated once per thread, reused by every call. */
    private static final class PerThread<E>
    {
        final Thread thread = Thread.currentThread();
        /** A view of a claimed record, for a codec that knows its encoded length. */
        final UnsafeBuffer record = new UnsafeBuffer(0, 0);
        final Receiver<E> receiver;
        final Receiver<E> drainer;
        final Peeker<E> peeker;
        final InPlace inPlace;
        /** Where a codec that does not know its length encodes first; made on the first such put. */
        private ExpandableArrayBuffer scratch;

        PerThread(final Codec<E> codec)
        {
            this.receiver = new Receiver<>(codec);
            this.drainer = new Receiver<>(codec);
            this.peeker = new Peeker<>(codec);
            this.inPlace = new InPlace(codec);
        }

        MutableDirectBuffer scratch()
        {
            ExpandableArrayBuffer scratch = this.scratch;
            if (scratch == null)
            {
                scratch = new ExpandableArrayBuffer(256);
                this.scratch = scratch;
            }
            return scratch;
        }
    }

    /** Decodes one record under the consumer lock, or adds each to a sink. */
    private static final class Receiver<E> implements MessageHandler
    {
        private final Codec<E> codec;
        private Collection<? super E> sink;
        private E element;

        private Receiver(final Codec<E> codec)
        {
            this.codec = codec;
        }

        @Override
        public void onMessage(final int typeId, final MutableDirectBuffer buffer, final int index, final int length)
        {
            checkRecord(typeId, buffer, index, length, codec);
            final E decoded = codec.decode(buffer, index, length);
            if (sink != null)
            {
                sink.add(decoded);
            }
            else
            {
                element = decoded;
            }
        }
    }

    /** Checks each record under the consumer lock and hands its bytes, undecoded, to the caller's handler. */
    private static final class InPlace implements MessageHandler
    {
        private final Codec<?> codec;
        private ElementHandler target;

        private InPlace(final Codec<?> codec)
        {
            this.codec = codec;
        }

        @Override
        public void onMessage(final int typeId, final MutableDirectBuffer buffer, final int index, final int length)
        {
            checkRecord(typeId, buffer, index, length, codec);
            target.onElement(buffer, index, length);
        }
    }

    /** Decodes the head record under the consumer lock and leaves it in the ring, even when decoding fails. */
    private static final class Peeker<E> implements MessageHandler
    {
        private final Codec<E> codec;
        private E element;
        private RuntimeException failure;

        private Peeker(final Codec<E> codec)
        {
            this.codec = codec;
        }

        @Override
        public void onMessage(final int typeId, final MutableDirectBuffer buffer, final int index, final int length)
        {
            try
            {
                checkRecord(typeId, buffer, index, length, codec);
                element = codec.decode(buffer, index, length);
            }
            catch (final RuntimeException ex)
            {
                failure = ex;
            }
        }
    }

    /** The serialised form of a queue: enough to re-open it by name. */
    private record Handle<E>(String directory, String name, Codec<E> codec, WaitStrategy waitStrategy,
        boolean joinable) implements Serializable
    {
        private Handle
        {
            Objects.requireNonNull(directory, "directory");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(codec, "codec");
            Objects.requireNonNull(waitStrategy, "waitStrategy");
        }

        @Serial
        private Object readResolve()
        {
            final Queue<E> queue = joinable ?
                JoinableQueue.open(Path.of(directory), name, codec) : Queue.open(Path.of(directory), name, codec);
            return queue.waitStrategy(waitStrategy);
        }
    }
}
