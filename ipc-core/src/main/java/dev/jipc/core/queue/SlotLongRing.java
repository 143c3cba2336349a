package dev.jipc.core.queue;

import static dev.jipc.core.queue.QueueDescriptor.SHUTDOWN_OFFSET;

import java.nio.file.Path;
import java.util.function.LongConsumer;

import dev.jipc.core.CorruptRingException;
import dev.jipc.core.RingView;
import dev.jipc.core.Segment;
import dev.jipc.core.SegmentKind;
import dev.jipc.core.codec.Codecs;
import dev.jipc.core.codec.StoredCodec;
import dev.jipc.core.wait.AsymmetricFence;
import dev.jipc.core.wait.ClosableMapping;
import dev.jipc.core.wait.EventCount;
import dev.jipc.core.wait.Futex;
import dev.jipc.core.wait.WaitCondition;
import dev.jipc.core.wait.WaitStrategy;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.AtomicBuffer;

/**
 * A {@link LongQueue} with one producing thread ({@link Producers#ONE}): a ring of 16-byte slots, each a
 * value and the sequence that publishes it, where a put is two plain stores and a release store, with no
 * compare-and-set and no fence (Lamport's single-producer ring, with Vyukov's per-slot sequence so that a consumer
 * never reads the producer's tail).
 *
 * <pre>
 *  Slot (the ring is capacity / 16 of them; the slot of position p is p mod slots):
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                      Value                                    |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                      Sequence: p + 1 once position p is       |
 *  |                      published (0 in a new ring)              |
 *  +---------------------------------------------------------------+
 *
 *  Positions (the trailer of QueueDescriptor's ring, each on its own pair of cache lines):
 *    tail  the next position to write; the producer's alone (its own line, read by size() and a new producer)
 *    head  the next position to read; written under the consumer lock, once per batch
 *  Producer: the owner word of producer slot 0 (ProcessOwner: token, thread id).
 * </pre>
 *
 * <h2>Producer</h2>
 * The first put of a thread makes it the producer: a compare-and-set of the owner word from 0, or from a dead
 * process's or an ended thread of this process's word. A put by another thread while the producer lives is refused
 * with {@link IllegalStateException}; closing the producing handle frees the word. A put writes the value, stores
 * the sequence {@code p + 1} with release semantics (that store publishes the value), then moves its tail. It reads
 * the head only when its cached copy says the ring is full. A producer that dies mid-put leaves either an unpublished
 * slot (nothing was sent) or a published slot behind a tail it did not move: the next producer steps its tail over
 * published slots before its first put, so nothing is lost, torn or written twice.
 *
 * <h2>Consumers</h2>
 * Consumers hold the {@link ConsumerLock} while they read (as in {@link ManyToManyRing}): under it, a slot whose
 * sequence is {@code head + 1} holds the next value; the head moves once per batch (a release store), then the lock is
 * released with an exchange, the fence before the not-full waiter check. A consumer never writes a slot, so each slot
 * line crosses between the cores once per lap. One that dies holding the lock never moved the head past what it took:
 * the consumer that takes the lock over hands those values out again.
 *
 * <h2>Waiting</h2>
 * Not-full waiters are woken as in {@link ManyToManyRing}. Not-empty is the one place a fence per message would be
 * needed (the producer's sequence store, then its waiter-count load), and that fence would cost most of a put: the
 * waiters pay for it instead, with the heavy side of an {@link AsymmetricFence} after each registration (the
 * producer's process registers as the light side before its first put). Where the kernel lacks it, the producer
 * fences every put; a consumer whose kernel call fails sets Producer Fences in the configuration, which makes the
 * producer fence from its next put on (a put racing that store may miss the waiter, who then sleeps one
 * {@value Futex#SLICE_MILLIS} ms slice before it looks again).
 *
 * <h2>Corruption</h2>
 * Every slot address is a position masked to the ring, so no byte of the file can make a read or write leave the
 * mapping. The producer refuses a head and tail further apart than the ring ({@link CorruptRingException}); a hostile
 * sequence can at worst hand out a value nobody put, or hide one.
 */
final class SlotLongRing implements LongRing
{
    /** Bytes per slot. */
    static final int SLOT_LENGTH = 16;
    private static final int SEQUENCE_OFFSET = 8;
    private static final String CODEC_NAME = "long";

    private final Segment segment;
    private final AtomicBuffer buffer;
    private final ClosableMapping mapping;
    private final int capacity;
    private final int slots;
    private final long mask;
    private final long slotsAddress;
    private final long tailAddress;
    private final long headAddress;
    private final long shutdownAddress;
    private final ExclusiveProducer producer;
    private final ConsumerLock consumerLock;
    private final EventCount notEmpty;
    private final EventCount notFull;
    private final WaitCondition readable = () -> hasValueAtHead() || shutdownFlag();
    private final WaitCondition room = () -> tail() - head() < slots() || shutdownFlag();

    /** The head as the producer last read it: it only grows, so a stale one only underestimates the room. */
    private long cachedHead;

    private SlotLongRing(final Segment segment, final int capacity)
    {
        this.segment = segment;
        this.mapping = new ClosableMapping(segment::close, "queue is closed: queue=" + segment.name());
        this.buffer = segment.buffer();
        this.capacity = capacity;
        this.slots = capacity / SLOT_LENGTH;
        this.mask = slots - 1;
        final AtomicBuffer ring = QueueDescriptor.ringBuffer(buffer, capacity);
        this.slotsAddress = ring.addressOffset();
        this.tailAddress = slotsAddress + RingView.tailPositionOffset(capacity);
        this.headAddress = slotsAddress + RingView.headPositionOffset(capacity);
        this.shutdownAddress = buffer.addressOffset() + SHUTDOWN_OFFSET;
        this.producer = new ExclusiveProducer(buffer, segment.registry(), segment.name());
        this.consumerLock = new ConsumerLock(
            buffer, segment.registry(), mapping, segment.name(), SlotLongRing::afterConsumerTakeover);
        this.notEmpty = new EventCount(
            buffer, QueueDescriptor.NOT_EMPTY_OFFSET, () -> ExclusiveProducer.afterWaiterRegistered(buffer));
        this.notFull = new EventCount(buffer, QueueDescriptor.NOT_FULL_OFFSET);
    }

    /**
     * Creates a single-producer long queue segment.
     *
     * @param directory the segment directory.
     * @param name      the segment name.
     * @param capacity  ring capacity in bytes, a power of two; 16 per element.
     * @return the ring, owned by the caller.
     */
    static SlotLongRing create(final Path directory, final String name, final int capacity)
    {
        QueueDescriptor.checkCapacity(capacity);
        final byte[] codecName = StoredCodec.nameBytes(CODEC_NAME);
        final Segment segment = Segment.create(
            directory, name, SegmentKind.PRIMITIVE_QUEUE, QueueDescriptor.bodyLength(capacity),
            created -> QueueDescriptor.fill(
                created.buffer(), capacity, QueueDescriptor.FLAG_SINGLE_PRODUCER, Codecs.LONG_TYPE_ID, codecName));
        return new SlotLongRing(segment, capacity);
    }

    /**
     * Attaches to a validated single-producer long queue segment.
     *
     * @param segment  the segment, owned by the ring from here on.
     * @param capacity its validated capacity.
     * @return the ring.
     */
    static SlotLongRing attach(final Segment segment, final int capacity)
    {
        return new SlotLongRing(segment, capacity);
    }

    @Override
    public Segment segment()
    {
        return segment;
    }

    @Override
    public int capacity()
    {
        return capacity;
    }

    private int slots()
    {
        return slots;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Producer
    // ---------------------------------------------------------------------------------------------------------------

    @Override
    public boolean offer(final long value, final long timeoutNanos, final WaitStrategy strategy)
        throws InterruptedException
    {
        if (mapping.isClosed() || shutdownFlag())
        {
            ensureOpen();
            checkNotShutdown();
        }
        if (!producer.isCurrent())
        {
            becomeProducer();
        }
        final long tail = UnsafeApi.getLong(null, tailAddress);
        if (tail - cachedHead >= slots && !awaitRoom(tail, timeoutNanos, strategy))
        {
            return false;
        }
        final long slot = slotAddress(tail);
        UnsafeApi.putLong(null, slot, value);
        UnsafeApi.putLongRelease(null, slot + SEQUENCE_OFFSET, tail + 1);
        UnsafeApi.putLongRelease(null, tailAddress, tail + 1);
        if (producer.mayCheckWaitersUnfenced())
        {
            // no fence: a waiter that registered after this load missed the store runs the heavy fence (see Waiting);
            // the volatile load stays after the stores above in compiled code
            if (notEmpty.waiters() != 0)
            {
                notEmpty.wakeAllUnfenced();
            }
        }
        else
        {
            notEmpty.signalAll();
        }
        return true;
    }

    /** Reads the head again while the ring looks full, waiting up to the timeout for room. */
    private boolean awaitRoom(final long tail, final long timeoutNanos, final WaitStrategy strategy)
        throws InterruptedException
    {
        final long deadline = Futex.deadline(timeoutNanos);
        while (true)
        {
            final long head = head();
            checkDistance(head, tail);
            cachedHead = head;
            if (tail - head < slots)
            {
                return true;
            }
            final long remaining = deadline - System.nanoTime();
            if (timeoutNanos <= 0 || remaining <= 0)
            {
                return false;
            }
            mapping.await(notFull, room, remaining, strategy);
            ensureOpen();
            checkNotShutdown();
        }
    }

    /**
     * Makes the calling thread this queue's producer, or refuses: see Producer.
     *
     * @throws IllegalStateException if another live thread produces.
     */
    private void becomeProducer()
    {
        ensureOpen();
        producer.acquire();
        stepOverPublishedSlots();
    }

    private void stepOverPublishedSlots()
    {
        final long head = head();
        long tail = tail();
        checkDistance(head, tail);
        while (tail - head < slots && sequence(slotAddress(tail)) == tail + 1)
        {
            tail++;
        }
        UnsafeApi.putLongRelease(null, tailAddress, tail);
        cachedHead = head;
    }

    /** A dead consumer leaves nothing half-done: it never moved the head past what it took (see Consumers). */
    private static void afterConsumerTakeover()
    {
        // nothing to finish
    }

    /** The heavy half of the not-empty fence, run by each waiter after it registers (see Waiting). */
    // ---------------------------------------------------------------------------------------------------------------
    // Consumers
    // ---------------------------------------------------------------------------------------------------------------

    @Override
    public long take(final WaitStrategy strategy) throws InterruptedException
    {
        final long word = consumerLock.word();
        lockValue(word, Long.MAX_VALUE, strategy);
        return takeHoldingLock();
    }

    @Override
    public boolean poll(final LongConsumer consumer, final long timeoutNanos, final WaitStrategy strategy)
        throws InterruptedException
    {
        final long word = consumerLock.word();
        if (!lockValue(word, timeoutNanos, strategy))
        {
            return false;
        }
        consumer.accept(takeHoldingLock());
        return true;
    }

    @Override
    public int drain(final LongConsumer consumer, final int limit)
    {
        ensureOpen();
        final long word = consumerLock.word();
        if (!consumerLock.tryAcquire(word))
        {
            mapping.enter();
            try
            {
                if (!consumerLock.await(word, ConsumerLock.NO_WAIT, false))
                {
                    return 0;
                }
            }
            catch (final InterruptedException ex)
            {
                throw new AssertionError("an uninterruptible wait was interrupted", ex);
            }
            finally
            {
                mapping.exit();
            }
        }
        final long head = head();
        int taken = 0;
        try
        {
            while (taken < limit)
            {
                final long position = head + taken;
                final long slot = slotAddress(position);
                if (sequence(slot) != position + 1)
                {
                    break;
                }
                final long value = UnsafeApi.getLong(null, slot);
                // a value whose consumer threw is taken: its caller got the exception
                taken++;
                consumer.accept(value);
            }
        }
        finally
        {
            unlock(head, taken);
        }
        return taken;
    }

    /**
     * Returns holding the consumer lock with a value at the head, or false, not holding it, once the timeout passed.
     *
     * @throws QueueShutdownException if the queue is shut down and drained.
     */
    private boolean lockValue(final long word, final long timeoutNanos, final WaitStrategy strategy)
        throws InterruptedException
    {
        ensureOpen();
        if (consumerLock.tryAcquire(word))
        {
            if (hasValueAtHead())
            {
                return true;
            }
            consumerLock.release();
        }
        if (timeoutNanos <= 0 && !shutdownFlag())
        {
            return false;
        }
        mapping.enter();
        try
        {
            final long deadline = Futex.deadline(timeoutNanos);
            while (true)
            {
                if (shutdownFlag() && !hasValueAtHead())
                {
                    throw new QueueShutdownException("queue is shut down and drained: queue=" + segment.name());
                }
                final long remaining = deadline - System.nanoTime();
                if (remaining <= 0)
                {
                    return false;
                }
                mapping.await(notEmpty, readable, remaining, strategy);
                ensureOpen();
                if (hasValueAtHead() && consumerLock.await(word, deadline, true))
                {
                    if (hasValueAtHead())
                    {
                        return true;
                    }
                    consumerLock.release();
                }
            }
        }
        finally
        {
            mapping.exit();
        }
    }

    /** Under the consumer lock, with a value at the head (lockValue): takes it and releases the lock. */
    private long takeHoldingLock()
    {
        final long head = head();
        final long value = UnsafeApi.getLong(null, slotAddress(head));
        unlock(head, 1);
        return value;
    }

    /** Moves the head past what was taken and releases the consumer lock, waking producers waiting for room. */
    private void unlock(final long head, final int taken)
    {
        if (taken == 0)
        {
            consumerLock.release();
            return;
        }
        UnsafeApi.putLongRelease(null, headAddress, head + taken);
        // the exchange is the full fence between the head store and the waiter check
        consumerLock.releaseWithFence();
        if (notFull.waiters() != 0)
        {
            notFull.wakeAllUnfenced();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Shared state
    // ---------------------------------------------------------------------------------------------------------------

    private boolean hasValueAtHead()
    {
        final long head = head();
        return sequence(slotAddress(head)) == head + 1;
    }

    private long slotAddress(final long position)
    {
        return slotsAddress + ((position & mask) << 4);
    }

    private static long sequence(final long slotAddress)
    {
        return UnsafeApi.getLongVolatile(null, slotAddress + SEQUENCE_OFFSET);
    }

    private long head()
    {
        return UnsafeApi.getLongVolatile(null, headAddress);
    }

    private long tail()
    {
        return UnsafeApi.getLongVolatile(null, tailAddress);
    }

    private boolean shutdownFlag()
    {
        return UnsafeApi.getIntVolatile(null, shutdownAddress) != 0;
    }

    private void checkDistance(final long head, final long tail)
    {
        if (tail - head < 0 || tail - head > slots)
        {
            throw new CorruptRingException(segment.path(), "head and tail further apart than the ring: head=" + head +
                ", tail=" + tail + ", slots=" + slots);
        }
    }

    private void checkNotShutdown()
    {
        if (shutdownFlag())
        {
            throw new QueueShutdownException("queue is shut down: queue=" + segment.name());
        }
    }

    private void ensureOpen()
    {
        mapping.ensureOpen();
    }

    @Override
    public int size()
    {
        ensureOpen();
        final long head = head();
        return (int)Math.max(0, Math.min(slots, tail() - head));
    }

    @Override
    public boolean isEmpty()
    {
        ensureOpen();
        return !hasValueAtHead();
    }

    @Override
    public void shutdown()
    {
        ensureOpen();
        buffer.putIntVolatile(SHUTDOWN_OFFSET, 1);
        notEmpty.signalAll();
        notFull.signalAll();
    }

    @Override
    public boolean isShutdown()
    {
        ensureOpen();
        return shutdownFlag();
    }

    /**
     * Frees the producer word if this handle took it, wakes this handle's blocked threads (they throw
     * {@link IllegalStateException}) and unmaps the segment once the last has left.
     */
    @Override
    public void close()
    {
        if (!mapping.markClosed())
        {
            return;
        }
        producer.release();
        notEmpty.signalAll();
        notFull.signalAll();
        mapping.close();
    }
}
