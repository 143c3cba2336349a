package dev.jipc.core.queue;

import static dev.jipc.core.RingView.PADDING_TYPE_ID;
import static dev.jipc.core.RingView.RECORD_HEADER_LENGTH;
import static dev.jipc.core.RingView.lengthOffset;
import static dev.jipc.core.RingView.typeOffset;
import static dev.jipc.core.queue.QueueDescriptor.CLAIM_CLAIMING;
import static dev.jipc.core.queue.QueueDescriptor.CLAIM_IDLE;
import static dev.jipc.core.queue.QueueDescriptor.CODEC_TYPE_ID_OFFSET;
import static dev.jipc.core.queue.QueueDescriptor.FLAGS_OFFSET;
import static dev.jipc.core.queue.QueueDescriptor.FLAG_JOINABLE;
import static dev.jipc.core.queue.QueueDescriptor.FLAG_SINGLE_PRODUCER_RECORDS;
import static dev.jipc.core.queue.QueueDescriptor.NOT_EMPTY_OFFSET;
import static dev.jipc.core.queue.QueueDescriptor.NOT_FULL_OFFSET;
import static dev.jipc.core.queue.QueueDescriptor.RELEASE_LENGTH_OFFSET;
import static dev.jipc.core.queue.QueueDescriptor.RELEASE_POSITION_OFFSET;
import static dev.jipc.core.queue.QueueDescriptor.RELEASE_TASKS_TAKEN_OFFSET;
import static dev.jipc.core.queue.QueueDescriptor.SHUTDOWN_OFFSET;

import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.jipc.core.CorruptRingException;
import dev.jipc.core.ProcessOwner;
import dev.jipc.core.ProcessRegistry;
import dev.jipc.core.RingView;
import dev.jipc.core.Segment;
import dev.jipc.core.SegmentFormatException;
import dev.jipc.core.SegmentKind;
import dev.jipc.core.codec.StoredCodec;
import dev.jipc.core.queue.ProducerRegistry.Producer;
import dev.jipc.core.wait.ClosableMapping;
import dev.jipc.core.wait.EventCount;
import dev.jipc.core.wait.Futex;
import dev.jipc.core.wait.WaitCondition;
import dev.jipc.core.wait.WaitStrategy;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;

/**
 * The engine of {@link Queue}, {@link SimpleQueue}, {@link JoinableQueue} and {@link LongQueue}: an Agrona
 * {@link ManyToOneRingBuffer} in a segment laid out by {@link QueueDescriptor}, made many-to-many by a
 * {@link ConsumerLock}, blocking by two {@link EventCount}s, and safe against producers that die mid-record by a
 * {@link ProducerRegistry}. The joinable counting is {@link TaskCounter}'s; the ring calls it from its release,
 * under the consumer lock.
 *
 * <pre>
 * Overview
 *
 * Producers (any thread of any process) claim, fill and commit records as Agrona does. A queue of {@link Producers#ONE}
 * has one producing thread at a time ({@link ExclusiveProducer}, in registry slot 0), which claims on the same layout
 * with a release store of the tail instead of a compare-and-set, writing the header before it moves the tail and
 * zeroing the next header ({@link SingleProducerClaims}), so that its consumers need not zero what they read; the
 * read, dead-producer recovery and corruption checks are otherwise the same for both. Before the claim a producer
 * stores CLAIMING into its own registry slot, after the claim the record index + 1, after the commit IDLE: so while a
 * record is claimed but not committed, the slot of the thread that claimed it shows CLAIMING or that record's index.
 * The CLAIMING store precedes the tail CAS in program order and the CAS is a volatile write, so a consumer that reads
 * the tail past a record and then reads the registry sees the claimer's slot at CLAIMING or later.
 *
 * Consumers take the consumer lock (a {@link ProcessOwner} word: CAS from 0 to their process token and thread id)
 * around each ring read, so the single-consumer read (Agrona's, with the release announced, see Dead consumers)
 * runs in one thread of one process at a time; the lock is held only while records are copied out, never while
 * waiting. A consumer that finds the lock busy spins briefly, yields for 50 us, then parks in slices up to 1 ms
 * until the caller's deadline, interruptibly; every 10 ms it checks that the owner process still runs and takes the
 * lock over from a dead one (ConsumerLock). An empty {@code poll()} that finds the lock busy returns empty, as Python's
 * {@code get(False)} does.
 *
 * Dead producers. When a consumer, holding the lock, finds the record at the head claimed (tail past the head) but
 * not committed, and still so 10 ms later at the same head, it scans the registry. If no slot whose claim is
 * CLAIMING or the head's index belongs to a live process, the record's producer is dead (a live claimer's slot would
 * show one of the two), and the consumer calls the ring's unblock(), which turns the record, or the zeroed gap a
 * producer left between its claim and its header, into padding. A slow but live producer is never unblocked over.
 * Records are only delivered once committed, so a torn message is never seen; a dead producer's message is lost.
 * Slots are one per producing thread, taken by CAS on the owner word (0 -> process token, see
 * {@link ProcessOwner}) and, when the registry is full, reclaimed from this handle's threads that have ended and
 * from dead processes: see ProducerRegistry.
 *
 * Waiting. Consumers sleep on not-empty for "a record claimed (tail past head), or shutdown", waking at least every
 * 10 ms to re-run the dead-producer check; a claimed record that is not yet committed is waited for by spinning and
 * yielding for 1 ms, then parking in 200 us steps, since its commit is nanoseconds away unless its producer died
 * (then the 10 ms check unblocks it; a dead producer's zeroed gap that reaches the tail cannot be padded until
 * someone claims after it, so consumers sleep on it until the tail moves). A producer reads the not-empty waiter
 * count right after its tail CAS, which is a full fence, and after committing wakes the sleepers only if it saw one:
 * no further fence per message. In the total order of the waiter's increment and the producer's CAS, either the
 * producer sees the waiter or the waiter's condition check sees the moved tail. The single producer's tail store is
 * not a fence: its not-empty waiters run the heavy side of an asymmetric fence after registering, as
 * {@link SlotLongRing}'s do (see {@link ExclusiveProducer}). Producers sleep on not-full for
 * "room for the record, or shutdown"; a read that moved the head releases the consumer lock with an exchange (a full
 * fence after the head store) and wakes not-full sleepers if the waiter count it then reads is non-zero.
 *
 * Corruption. Every walk over the ring (the read, peek, countMessages) checks each record to lie between the head
 * and the tail before it steps over it, so no walk takes more than capacity / 8 steps and the head never passes the
 * tail; a record that does not is a CorruptRingException, and the head stays before it, so every later read throws
 * again. The read compares against the last tail it saw (the tail only grows) and reads the tail again only when a
 * record reaches past that.
 *
 * Tasks (JoinableQueue). Producers count nothing; the consumer counts the messages it releases as taken, announced
 * with the release (see Dead consumers), and join waits for a ring with no message and taken == done: see
 * TaskCounter.
 *
 * Memory ordering: slot and lock stores are releases (putIntRelease / putLongRelease) read with volatile loads
 * (getIntVolatile / getLongVolatile); the ring's own protocol is Agrona's.
 *
 * Dead consumers. A consumer that dies holding the lock is found by its token in the lock word ({@link
 * ProcessRegistry}) and the lock is taken over. Records it was handing out when it died are handed out again (the
 * head had not moved); records it had handed out and was zeroing before moving the head (the release fields say
 * which) are zeroed and skipped by the consumer that takes over, so a half-zeroed region is never misread as
 * records, and the tasks-taken count is set to the value the release announced.
 * </pre>
 */
final class ManyToManyRing implements AutoCloseable
{
    /** How long a head may stay claimed but uncommitted, or the consumer lock held, before liveness is checked. */
    static final long CHECK_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long TAIL_LOOK_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long SPIN_ON_CLAIM_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long PARK_ON_CLAIM_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    private final Segment segment;
    private final AtomicBuffer buffer;
    private final AtomicBuffer ringBuffer;
    private final ManyToOneRingBuffer ring;
    /** The claims of a {@link Producers#ONE} queue, on the same layout; null if any thread may produce. */
    private final SingleProducerClaims singleProducerClaims;
    /** The one producer of a {@link Producers#ONE} queue; null if any thread may produce. */
    private final ExclusiveProducer exclusive;
    private final int capacity;
    private final int maxMessageLength;
    private final long shutdownAddress;
    private final long ringAddress;
    private final int mask;
    private final int headPositionOffset;
    private final int typeId;
    private final boolean joinable;
    private final EventCount notEmpty;
    private final EventCount notFull;
    private final TaskCounter tasks;
    private final WaitCondition readable = this::isReadable;
    private final ConsumerLock consumerLock;
    private final ProducerRegistry producers;
    private long stuckPosition = -1;
    private long stuckSince;
    private long tailLookedAt = System.nanoTime() - TAIL_LOOK_INTERVAL_NANOS;
    private volatile long deadGapHead = -1;
    private volatile long deadGapTail = -1;
    /** A tail position seen under the consumer lock: a record that ends by it was claimed, so lies below the tail. */
    private long knownTail;
    private final ClosableMapping mapping;

    private ManyToManyRing(final Segment segment, final int capacity)
    {
        this.segment = segment;
        this.mapping = new ClosableMapping(segment::close, "queue is closed: queue=" + segment.name());
        this.buffer = segment.buffer();
        this.capacity = capacity;
        this.mask = capacity - 1;
        this.ringBuffer = QueueDescriptor.ringBuffer(buffer, capacity);
        this.ring = new ManyToOneRingBuffer(ringBuffer);
        this.maxMessageLength = RingView.maxMessageLength(capacity);
        this.shutdownAddress = buffer.addressOffset() + SHUTDOWN_OFFSET;
        this.ringAddress = ringBuffer.addressOffset();
        this.headPositionOffset = RingView.headPositionOffset(capacity);
        this.typeId = buffer.getInt(CODEC_TYPE_ID_OFFSET);
        final int flags = buffer.getInt(FLAGS_OFFSET);
        this.joinable = (flags & FLAG_JOINABLE) != 0;
        if ((flags & FLAG_SINGLE_PRODUCER_RECORDS) != 0)
        {
            final AtomicBuffer segmentBuffer = buffer;
            this.exclusive = new ExclusiveProducer(buffer, segment.registry(), segment.name());
            this.singleProducerClaims = new SingleProducerClaims(segment.path(), ringBuffer, capacity);
            this.notEmpty = new EventCount(
                buffer, NOT_EMPTY_OFFSET, () -> ExclusiveProducer.afterWaiterRegistered(segmentBuffer));
        }
        else
        {
            this.exclusive = null;
            this.singleProducerClaims = null;
            this.notEmpty = new EventCount(buffer, NOT_EMPTY_OFFSET);
        }
        this.notFull = new EventCount(buffer, NOT_FULL_OFFSET);
        this.consumerLock = new ConsumerLock(
            buffer, segment.registry(), mapping, segment.name(), this::finishDeadConsumersRelease);
        this.producers = new ProducerRegistry(buffer, segment.registry(), mapping, segment.name(), exclusive);
        this.tasks = new TaskCounter(segment, this::countMessages);
    }

    /**
     * Creates a queue segment.
     *
     * @param directory the segment directory.
     * @param name      the segment name.
     * @param kind      {@link SegmentKind#QUEUE} or {@link SegmentKind#PRIMITIVE_QUEUE}.
     * @param capacity  ring capacity in bytes, a power of two.
     * @param typeId    the record type id of every element.
     * @param codecName the codec's name, for error messages.
     * @param flags     {@link QueueDescriptor#FLAG_JOINABLE}, {@link QueueDescriptor#FLAG_SINGLE_PRODUCER_RECORDS},
     *                  both or 0.
     * @return the ring, owned by the caller.
     */
    static ManyToManyRing create(
        final Path directory, final String name, final SegmentKind kind, final int capacity, final int typeId,
        final String codecName, final int flags)
    {
        QueueDescriptor.checkCapacity(capacity);
        if (typeId < 1)
        {
            throw new IllegalArgumentException("codec type id must be at least 1: typeId=" + typeId);
        }
        final byte[] codecNameBytes = StoredCodec.nameBytes(codecName);
        final Segment segment = Segment.create(
            directory, name, kind, QueueDescriptor.bodyLength(capacity),
            created -> QueueDescriptor.fill(created.buffer(), capacity, flags, typeId, codecNameBytes));
        return new ManyToManyRing(segment, capacity);
    }

    /**
     * Attaches to a queue segment, validating its layout and codec.
     *
     * @param directory the segment directory.
     * @param name      the segment name.
     * @param kind      the expected kind.
     * @param typeId    the record type id the caller's codec writes.
     * @param codecName the caller's codec name, for the error message.
     * @param flags     flags the queue must have.
     * @return the ring, owned by the caller.
     * @throws SegmentFormatException if the layout is invalid, the codec differs or a flag is missing.
     */
    static ManyToManyRing open(
        final Path directory, final String name, final SegmentKind kind, final int typeId, final String codecName,
        final int flags)
    {
        final Segment segment = Segment.open(directory, name, kind);
        try
        {
            final int capacity = QueueDescriptor.validate(segment);
            QueueDescriptor.CODEC.checkSame(segment, typeId, codecName);
            QueueDescriptor.checkFlags(segment, flags);
            return attach(segment, capacity);
        }
        catch (final RuntimeException ex)
        {
            segment.close();
            throw ex;
        }
    }

    /**
     * Attaches to a validated queue segment whose codec the caller has checked.
     *
     * @param segment  the segment, owned by the ring from here on.
     * @param capacity its validated capacity.
     * @return the ring.
     * @throws SegmentFormatException if the segment is a single-producer ring of slots, not of records.
     */
    static ManyToManyRing attach(final Segment segment, final int capacity)
    {
        if ((segment.buffer().getInt(FLAGS_OFFSET) & QueueDescriptor.FLAG_SINGLE_PRODUCER) != 0)
        {
            throw new SegmentFormatException(segment.path(),
                "a single-producer long queue (a ring of slots, not records): open it with LongQueue.open");
        }
        return new ManyToManyRing(segment, capacity);
    }

    Segment segment()
    {
        return segment;
    }

    int capacity()
    {
        return capacity;
    }

    int maxMessageLength()
    {
        return maxMessageLength;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Producers
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * The calling thread's producer state, registering a slot on its first put.
     *
     * @return the producer of the calling thread.
     * @throws IllegalStateException if the ring is closed or every registry slot is held by a live process.
     */
    Producer producer()
    {
        return producers.producer();
    }

    /**
     * Claims room for a record of {@code length} bytes, waiting for room up to the timeout.
     *
     * @param producer     the calling thread's producer.
     * @param length       the payload length.
     * @param timeoutNanos 0 for a single attempt.
     * @param strategy     how to wait for room.
     * @return the payload index to write at, then pass to {@link #commit}; 0 if the timeout passed.
     * @throws IllegalArgumentException if the record can never fit.
     * @throws QueueShutdownException   if the queue is shut down.
     * @throws InterruptedException     if interrupted while waiting.
     */
    int claim(final Producer producer, final int length, final long timeoutNanos, final WaitStrategy strategy)
        throws InterruptedException
    {
        final int index = claimNow(producer, length);
        return index > 0 ? index : claimOrWait(producer, length, timeoutNanos, strategy);
    }

    /**
     * The common case of {@link #claim}, kept small enough for the JIT to inline into the caller's loop: room for a
     * record now, in an open, running, non-joinable queue; 0 when {@link #claimOrWait} must decide.
     */
    private int claimNow(final Producer producer, final int length)
    {
        if (mapping.isClosed() || length > maxMessageLength || shutdownFlag())
        {
            return 0;
        }
        return Math.max(tryClaim(producer, length), 0);
    }

    private int claimOrWait(
        final Producer producer, final int length, final long timeoutNanos, final WaitStrategy strategy)
        throws InterruptedException
    {
        ensureOpen();
        if (length > maxMessageLength)
        {
            throw new IllegalArgumentException("message larger than the ring can hold: length=" + length +
                ", maxMessageLength=" + maxMessageLength + ", capacity=" + capacity);
        }
        checkNotShutdown();
        int index = tryClaim(producer, length);
        if (index <= 0 && timeoutNanos > 0)
        {
            index = awaitClaim(producer, length, timeoutNanos, strategy);
        }
        return Math.max(index, 0);
    }

    /**
     * Commits a record claimed by {@link #claim} and wakes waiting consumers.
     *
     * @param producer the producer that claimed it.
     * @param index    the index {@link #claim} returned.
     */
    void commit(final Producer producer, final int index)
    {
        // Agrona's commit (the claimed length, negative, made positive) without its bounds checks: the index is the
        // one claim returned, and a put is few enough instructions that each check shows. Like Agrona's, it refuses
        // a claim that is no longer one (a consumer unblocked over it): committing that would expose padding, or
        // another producer's unfilled record, as a message.
        final long lengthAddress = ringAddress + index - RECORD_HEADER_LENGTH;
        final int claimedLength = UnsafeApi.getInt(null, lengthAddress);
        if (claimedLength >= 0)
        {
            UnsafeApi.putIntRelease(null, producer.claimAddress, CLAIM_IDLE);
            throw new IllegalStateException("claimed record was released before its commit: index=" + index +
                ", length=" + claimedLength + ", queue=" + segment.name());
        }
        UnsafeApi.putIntRelease(null, lengthAddress, -claimedLength);
        UnsafeApi.putIntRelease(null, producer.claimAddress, CLAIM_IDLE);
        if (producer.wakeConsumers)
        {
            notEmpty.wakeAllUnfenced();
        }
    }

    /**
     * Turns a record claimed by {@link #claim} into padding, when filling it failed.
     *
     * @param producer the producer that claimed it.
     * @param index    the index {@link #claim} returned.
     */
    void abort(final Producer producer, final int index)
    {
        ring.abort(index);
        UnsafeApi.putIntRelease(null, producer.claimAddress, CLAIM_IDLE);
        if (producer.wakeConsumers)
        {
            notEmpty.wakeAllUnfenced();
        }
    }

    /**
     * Writes the 8-byte payload of a record {@link #claim} returned. The index comes from the ring itself, so the
     * buffer's per-access bounds check is skipped: a {@link LongQueue} put is a handful of stores, and each check
     * costs as much as one.
     *
     * @param index the index {@link #claim} returned.
     * @param value the payload.
     */
    void putLong(final int index, final long value)
    {
        UnsafeApi.putLong(null, ringAddress + index, value);
    }

    /** The ring's buffer, for writing a claimed record's payload. */
    AtomicBuffer ringBuffer()
    {
        return ringBuffer;
    }

    private int tryClaim(final Producer producer, final int length)
    {
        // The CLAIMING store is ordered before the tail CAS inside tryClaim, a volatile write, or before the single
        // producer's release store of the tail (see Overview).
        UnsafeApi.putIntRelease(null, producer.claimAddress, CLAIM_CLAIMING);
        final int index = exclusive == null ? ring.tryClaim(typeId, length) :
            singleProducerClaims.tryClaim(typeId, length);
        UnsafeApi.putIntRelease(
            null, producer.claimAddress, index > 0 ? index - RECORD_HEADER_LENGTH + 1 : CLAIM_IDLE);
        producer.wakeConsumers = index > 0 && hasNotEmptyWaiters();
        return index;
    }

    /**
     * The not-empty waiter check after a claim moved the tail. After the tail CAS, a full fence, a consumer that
     * registered before it is seen here, one that registers after it sees the tail moved. The single producer's tail
     * store is not fenced: each waiter runs the heavy side of the asymmetric fence after registering instead, unless
     * the producer must fence (see Overview, Waiting).
     */
    private boolean hasNotEmptyWaiters()
    {
        if (exclusive != null && !exclusive.mayCheckWaitersUnfenced())
        {
            VarHandle.fullFence();
        }
        return notEmpty.waiters() != 0;
    }

    private int awaitClaim(
        final Producer producer, final int length, final long timeoutNanos, final WaitStrategy strategy)
        throws InterruptedException
    {
        final long deadline = Futex.deadline(timeoutNanos);
        final int required = RingView.recordLength(length);
        final WaitCondition room = () -> hasRoom(required, length) || shutdownFlag();
        mapping.enter();
        try
        {
            while (true)
            {
                final long remaining = deadline - System.nanoTime();
                if (remaining <= 0)
                {
                    return 0;
                }
                await(notFull, room, remaining, strategy);
                ensureOpen();
                checkNotShutdown();
                final int index = tryClaim(producer, length);
                if (index > 0)
                {
                    return index;
                }
            }
        }
        finally
        {
            mapping.exit();
        }
    }

    private boolean hasRoom(final int required, final int length)
    {
        final long head = ring.consumerPosition();
        final long tail = ring.producerPosition();
        // the single producer's claim also keeps the next record's header free, by a rule of its own
        return exclusive == null ? RingView.hasRoom(head, tail, capacity, required) :
            singleProducerClaims.hasRoom(head, tail, length);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Consumers
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * Reads up to {@code limit} records into the handler, waiting up to the timeout for the first. The handler runs
     * under the consumer lock, one call at a time across all processes; what it keeps must be copied out before the
     * next call to this method.
     *
     * @param handler      receives each record.
     * @param limit        the most records to read.
     * @param timeoutNanos 0 for a single attempt.
     * @param strategy     how to wait.
     * @return how many records were read; 0 if the timeout passed.
     * @throws QueueShutdownException if the queue is shut down and drained.
     * @throws InterruptedException   if interrupted while waiting.
     */
    int receive(final MessageHandler handler, final int limit, final long timeoutNanos, final WaitStrategy strategy)
        throws InterruptedException
    {
        ensureOpen();
        int read = lockAndRead(handler, limit, ConsumerLock.NO_WAIT);
        if (read > 0)
        {
            return read;
        }
        if (timeoutNanos <= 0 && !shutdownFlag())
        {
            // an empty poll: no clock, and no look at the tail, the line every producer's CAS writes
            return 0;
        }
        // the slow path holds a lease on the mapping: a close by another thread cannot unmap what it reads next
        mapping.enter();
        try
        {
            // the clock is read only once the first attempt found nothing
            final long deadline = Futex.deadline(timeoutNanos);
            long spinHead = -1;
            long spinSince = 0;
            for (int idle = 0; ; idle++)
            {
                final long head = ring.consumerPosition();
                final long tail = ring.producerPosition();
                if (shutdownFlag() && tail == head)
                {
                    throw new QueueShutdownException("queue is shut down and drained: queue=" + segment.name());
                }
                final long remaining = deadline - System.nanoTime();
                if (remaining <= 0)
                {
                    return 0;
                }
                if (tail != head && !isDeadGap(head, tail))
                {
                    // claimed, not yet committed: the commit is nanoseconds away unless the producer died (the 10 ms
                    // check unblocks it) or is stopped (a debugger, SIGSTOP): spin, then yield, then park briefly
                    if (Thread.interrupted())
                    {
                        throw new InterruptedException("interrupted while waiting for a commit: queue=" +
                            segment.name());
                    }
                    final long now = System.nanoTime();
                    if (head != spinHead)
                    {
                        spinHead = head;
                        spinSince = now;
                    }
                    if (now - spinSince > SPIN_ON_CLAIM_NANOS)
                    {
                        LockSupport.parkNanos(PARK_ON_CLAIM_NANOS);
                    }
                    else if ((idle & 63) == 63)
                    {
                        Thread.yield();
                    }
                    else
                    {
                        Thread.onSpinWait();
                    }
                }
                else
                {
                    await(notEmpty, readable, Math.min(remaining, CHECK_INTERVAL_NANOS), strategy);
                }
                ensureOpen();
                read = lockAndRead(handler, limit, deadline);
                if (read > 0)
                {
                    return read;
                }
            }
        }
        finally
        {
            mapping.exit();
        }
    }

    private boolean isDeadGap(final long head, final long tail)
    {
        return head == deadGapHead && tail == deadGapTail;
    }

    /**
     * Takes the consumer lock and reads. The first compare-and-set is the hot path; a busy lock is waited for as a
     * waiter of the mapping (a close from another thread cannot unmap under the wait or the read that follows it).
     *
     * @return records read; 0 if none, or if the lock stayed busy until the deadline.
     */
    private int lockAndRead(final MessageHandler handler, final int limit, final long deadline)
        throws InterruptedException
    {
        final long word = consumerLock.word();
        if (consumerLock.tryAcquire(word))
        {
            return readHoldingLock(handler, limit, false);
        }
        mapping.enter();
        try
        {
            return consumerLock.await(word, deadline, true) ? readHoldingLock(handler, limit, false) : 0;
        }
        finally
        {
            mapping.exit();
        }
    }

    private int readHoldingLock(final MessageHandler handler, final int limit, final boolean peek)
    {
        long head = -1;
        try
        {
            head = ring.consumerPosition();
            int read = readRecords(handler, limit, peek);
            if (read < limit && wrappedSince(head))
            {
                // the read ended at the end of the ring (padding, or the last record): more may start at index 0
                read += readRecords(handler, limit - read, peek);
            }
            if (read == 0)
            {
                unblockIfProducerDied();
            }
            return read;
        }
        finally
        {
            unlockConsumer(head);
        }
    }

    /**
     * Releases the consumer lock after a read that started at {@code head}. A fault while the lock was held (the
     * file truncated under it: the head unreadable) still releases it, so no thread of this process waits for it
     * forever.
     */
    private void unlockConsumer(final long head)
    {
        boolean moved = true;
        try
        {
            // padding, and a record whose handler threw, free room too
            moved = head < 0 || ring.consumerPosition() != head;
        }
        finally
        {
            if (moved)
            {
                // the unlock's exchange is the full fence between the head store and the waiter check
                consumerLock.releaseWithFence();
                if (notFull.waiters() != 0)
                {
                    notFull.wakeAllUnfenced();
                }
            }
            else
            {
                consumerLock.release();
            }
        }
    }

    /**
     * Hands the message at the head, if a committed one is there, to the handler and leaves it in the ring.
     *
     * @param handler sees the message under the consumer lock.
     */
    void peek(final MessageHandler handler)
    {
        ensureOpen();
        final long word = consumerLock.word();
        if (consumerLock.tryAcquire(word))
        {
            readHoldingLock(handler, 1, true);
            return;
        }
        mapping.enter();
        try
        {
            consumerLock.awaitUninterruptibly(word);
            readHoldingLock(handler, 1, true);
        }
        finally
        {
            mapping.exit();
        }
    }

    /** Whether the head has moved on from {@code head} to the start of the ring. */
    private boolean wrappedSince(final long head)
    {
        final long now = ring.consumerPosition();
        return now != head && (now & mask) == 0;
    }

    private boolean isReadable()
    {
        final long head = ring.consumerPosition();
        final long tail = ring.producerPosition();
        return (tail != head && !isDeadGap(head, tail)) || shutdownFlag();
    }

    /**
     * Under the consumer lock, after a read found nothing: unblocks the head if it stayed claimed but uncommitted and
     * its producer died. A negative length at the head is a claim in progress; a zero one is most often an empty
     * ring, told apart from a claim whose header is not yet written only by the tail, the line every producer's CAS
     * writes: so that empty polls do not pull it away from the producers, that look is taken at most once per
     * {@link #TAIL_LOOK_INTERVAL_NANOS}, which delays the dead-producer check by as much.
     */
    private void unblockIfProducerDied()
    {
        final long head = ring.consumerPosition();
        int length = ringBuffer.getIntVolatile((int)(head & mask));
        if (length > 0)
        {
            stuckPosition = -1;
            return;
        }
        final long now = System.nanoTime();
        if (length == 0)
        {
            if (now - tailLookedAt < TAIL_LOOK_INTERVAL_NANOS)
            {
                return;
            }
            tailLookedAt = now;
        }
        final long tail = ring.producerPosition();
        checkDistance(segment.path(), head, tail, capacity);
        if (head == tail)
        {
            stuckPosition = -1;
            return;
        }
        if (exclusive != null)
        {
            // read again after the tail: below it, the single producer's header (written before the tail moved) is
            // a claim or a record, never 0 (see SingleProducerClaims)
            length = ringBuffer.getIntVolatile((int)(head & mask));
        }
        if (exclusive != null && length >= 0)
        {
            if (length == 0)
            {
                throw new CorruptRingException(segment.path(), "a record below the tail has no header: position=" +
                    head + ", tail=" + tail);
            }
            stuckPosition = -1;
            return;
        }
        if (length < 0)
        {
            // a claim lies below the tail too: unblock() would turn one that does not into a record that cannot be
            CorruptRingException.checkedRecordLength(
                segment.path(), head, -length, Math.min(capacity - (int)(head & mask), tail - head));
        }
        if (head != stuckPosition)
        {
            stuckPosition = head;
            stuckSince = now;
            return;
        }
        if (now - stuckSince < CHECK_INTERVAL_NANOS)
        {
            return;
        }
        stuckSince = now;
        if (producers.isClaimerAlive((int)(head & mask)))
        {
            return;
        }
        if (ring.unblock())
        {
            stuckPosition = -1;
        }
        else
        {
            // a dead producer's zeroed gap reaching the tail: nothing to pad up to until someone claims after it
            deadGapTail = ring.producerPosition();
            deadGapHead = head;
        }
    }

    /**
     * Under the consumer lock: Agrona's single-consumer read, with the release of the records read (zero them, then
     * move the head) announced in the release fields first, so that it can be finished if this process dies half-way.
     * A record that does not lie between the head and the tail is refused before anything past it is handed out or
     * skipped, so the head never passes the tail and every later read refuses it again. When {@code peek} is set, the
     * first message is handed out and left in the ring (padding before it is consumed).
     */
    private int readRecords(final MessageHandler handler, final int limit, final boolean peek)
    {
        final AtomicBuffer ringBuffer = this.ringBuffer;
        final long head = ringBuffer.getLongVolatile(headPositionOffset);
        final int headIndex = (int)(head & mask);
        final int contiguous = capacity - headIndex;
        int messages = 0;
        int bytesRead = 0;
        boolean tailRead = false;
        try
        {
            while (bytesRead < contiguous && messages < limit)
            {
                final int recordIndex = headIndex + bytesRead;
                // recordIndex < capacity, and the trailer follows the records: these reads stay in the mapping
                final int recordLength = UnsafeApi.getIntVolatile(null, ringAddress + lengthOffset(recordIndex));
                if (recordLength <= 0)
                {
                    break;
                }
                final long position = head + bytesRead;
                if (position + recordLength > knownTail)
                {
                    // the tail only grows and a committed record was claimed below it: the producers' line is read
                    // at most once per call, when the last tail seen does not cover a record; records committed
                    // after that read wait for the next call, so a consumer that keeps up with its producers does
                    // not pull their line over on every record
                    if (tailRead)
                    {
                        break;
                    }
                    tailRead = true;
                    knownTail = ring.producerPosition();
                }
                final int alignedLength = CorruptRingException.checkedRecordLength(
                    segment.path(), position, recordLength, Math.min(contiguous - bytesRead, knownTail - position));
                final int typeId = UnsafeApi.getInt(null, ringAddress + typeOffset(recordIndex));
                if (typeId == PADDING_TYPE_ID)
                {
                    bytesRead += alignedLength;
                    continue;
                }
                if (peek)
                {
                    handler.onMessage(
                        typeId, ringBuffer, RingView.messageIndex(recordIndex), RingView.messageLength(recordLength));
                    return 1;
                }
                // a record whose handler threw is consumed but not counted: its taker got the exception, not a task
                bytesRead += alignedLength;
                handler.onMessage(
                        typeId, ringBuffer, RingView.messageIndex(recordIndex), RingView.messageLength(recordLength));
                ++messages;
            }
        }
        finally
        {
            if (bytesRead > 0)
            {
                release(head, bytesRead, messages, joinable ? tasks.taken() + messages : 0);
            }
        }
        return messages;
    }

    /**
     * Zeroes {@code length} bytes read from {@code head} (unless the queue has one producer, whose claims need no
     * zeroed ring) and moves the head past them, announced first; a joinable
     * queue counts {@code messages} tasks taken, as {@code takenAfter} in the announcement (see {@link TaskCounter}).
     */
    private void release(final long head, final int length, final int messages, final long takenAfter)
    {
        buffer.putLong(RELEASE_POSITION_OFFSET, head);
        if (joinable)
        {
            buffer.putLong(RELEASE_TASKS_TAKEN_OFFSET, takenAfter);
        }
        buffer.putIntRelease(RELEASE_LENGTH_OFFSET, length);
        if (joinable)
        {
            tasks.taken(takenAfter, messages);
        }
        if (exclusive == null)
        {
            // many producers write a header after they move the tail: until then it must read 0 (Agrona's rule)
            ringBuffer.setMemory((int)(head & mask), length, (byte)0);
        }
        ringBuffer.putLongRelease(headPositionOffset, head + length);
        buffer.putIntRelease(RELEASE_LENGTH_OFFSET, 0);
        if (joinable)
        {
            tasks.released(takenAfter);
        }
    }

    /** Just after taking the lock over from a dead consumer: zero and skip what it had read but not released. */
    private void finishDeadConsumersRelease()
    {
        final int length = buffer.getIntVolatile(RELEASE_LENGTH_OFFSET);
        if (length == 0)
        {
            return;
        }
        final long position = buffer.getLongVolatile(RELEASE_POSITION_OFFSET);
        final int index = (int)(position & mask);
        if (position == ringBuffer.getLongVolatile(headPositionOffset) && length > 0 && length <= capacity - index)
        {
            // the dead consumer's tasks taken count is set again to the value it announced: counted once either way
            release(position, length, 0, buffer.getLongVolatile(RELEASE_TASKS_TAKEN_OFFSET));
        }
        buffer.putIntRelease(RELEASE_LENGTH_OFFSET, 0);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Shared state
    // ---------------------------------------------------------------------------------------------------------------

    /**
     * Whether the queue is shut down, for a caller outside the ring.
     *
     * @return the shutdown flag.
     * @throws IllegalStateException if this handle is closed (its mapping may be gone).
     */
    boolean isShutdown()
    {
        ensureOpen();
        return shutdownFlag();
    }

    /** The shutdown flag, for paths that checked the handle is open or hold the mapping while they wait. */
    private boolean shutdownFlag()
    {
        return UnsafeApi.getIntVolatile(null, shutdownAddress) != 0;
    }

    void shutdown()
    {
        ensureOpen();
        buffer.putIntVolatile(SHUTDOWN_OFFSET, 1);
        notEmpty.signalAll();
        notFull.signalAll();
    }

    boolean hasCommittedRecord()
    {
        ensureOpen();
        final long head = ring.consumerPosition();
        return head != ring.producerPosition() && ringBuffer.getIntVolatile((int)(head & mask)) > 0;
    }

    /**
     * Counts the committed records between consumer and producer, walking the ring without the consumer lock: an
     * estimate that may be stale by the time it returns.
     *
     * @return the number of messages.
     * @throws CorruptRingException if the ring is corrupt.
     */
    int countMessages()
    {
        ensureOpen();
        return countMessages(segment.path(), ringBuffer, capacity);
    }

    /**
     * Counts the committed records of a ring from its head: an estimate that stops at a claim whose header is not yet
     * written (a zeroed gap), as {@link #countMessages()}.
     *
     * @param file       the segment file, for the message.
     * @param ringBuffer the ring.
     * @param capacity   its capacity.
     * @return the number of messages.
     * @throws CorruptRingException if the ring is corrupt.
     */
    static int countMessages(final Path file, final AtomicBuffer ringBuffer, final int capacity)
    {
        return walk(file, ringBuffer, capacity, false);
    }

    /**
     * Counts the committed records of a ring from its head, stepping over claims in progress, in at most
     * {@code capacity / HEADER_LENGTH} steps (each record is checked to end by the tail). Without the consumer lock
     * the walk races the consumer, so a misfit is corruption only if the head has not moved meanwhile.
     *
     * @param exact when set, -1 (not known) rather than the count so far where the walk cannot go on: at a zeroed gap
     *              before the tail, or behind a consumer that moved on under it.
     */
    private static int walk(final Path file, final AtomicBuffer ringBuffer, final int capacity, final boolean exact)
    {
        final int mask = capacity - 1;
        final int headOffset = RingView.headPositionOffset(capacity);
        final long head = ringBuffer.getLongVolatile(headOffset);
        final long tail = RingView.tailPositionVolatile(ringBuffer, capacity);
        int count = 0;
        try
        {
            checkDistance(file, head, tail, capacity);
            long position = head;
            while (tail - position > 0)
            {
                final int index = (int)(position & mask);
                final int length = ringBuffer.getIntVolatile(index);
                if (length == 0)
                {
                    return exact ? -1 : count; // a claim whose header is not written, or zeroed behind a consumer
                }
                // a negative length is a claim in progress, not yet a message: its length is stepped over
                final int alignedLength = CorruptRingException.checkedRecordLength(
                    file, position, Math.abs(length), Math.min(capacity - index, tail - position));
                if (length > 0 && ringBuffer.getInt(typeOffset(index)) != PADDING_TYPE_ID)
                {
                    count++;
                }
                position += alignedLength;
            }
        }
        catch (final CorruptRingException ex)
        {
            if (ringBuffer.getLongVolatile(headOffset) != head)
            {
                // the consumer moved on under the walk: a later lap's record, not corruption
                return exact ? -1 : count;
            }
            throw ex;
        }
        return count;
    }

    /**
     * Throws unless a tail read after a head is at most a ring ahead of it: producers claim no further. Under the
     * consumer lock the head is still; without it, the caller rules out a head that moved meanwhile.
     */
    private static void checkDistance(final Path file, final long head, final long tail, final int capacity)
    {
        if (tail - head < 0 || tail - head > capacity)
        {
            throw new CorruptRingException(file, "head and tail further apart than the ring: head=" + head +
                ", tail=" + tail + ", capacity=" + capacity);
        }
    }

    int freeBytes()
    {
        ensureOpen();
        return capacity - ring.size();
    }

    /**
     * The task counter of this handle, for {@link JoinableQueue}: the ring counts taken tasks with each release, under
     * the consumer lock; the queue counts done tasks and joins.
     *
     * @return the counter.
     */
    TaskCounter tasks()
    {
        return tasks;
    }

    /**
     * Counts the committed records as {@link #countMessages()} does, but -1 where the walk cannot go on (a zeroed gap
     * before the tail, or a consumer that moved on under it): for a join, where only an exact 0 means no task.
     *
     * @return the number of messages, or -1 if not known.
     */
    int countMessagesExactly()
    {
        return walk(segment.path(), ringBuffer, capacity, true);
    }

    /** Waits as {@code strategy} says, counted as a waiter of this handle (see {@link ClosableMapping}). */
    boolean await(final EventCount eventCount, final WaitCondition condition, final long timeoutNanos,
        final WaitStrategy strategy) throws InterruptedException
    {
        return mapping.await(eventCount, condition, timeoutNanos, strategy);
    }

    void ensureOpen()
    {
        mapping.ensureOpen();
    }

    private void checkNotShutdown()
    {
        if (shutdownFlag())
        {
            throw new QueueShutdownException("queue is shut down: queue=" + segment.name());
        }
    }

    /**
     * Frees the producer slots this handle registered, wakes this handle's blocked threads (they throw
     * {@link IllegalStateException}) and unmaps the segment once the last of them has left, if nothing else in this
     * process uses it. A thread inside a non-blocking operation on this handle while it is closed is a caller error.
     */
    @Override
    public void close()
    {
        if (!producers.close())
        {
            return;
        }
        // wake this handle's blocked threads (and, harmlessly, other processes' waiters, who re-check and sleep on)
        notEmpty.signalAll();
        notFull.signalAll();
        tasks.allDone().signalAll();
        mapping.close();
    }

}
