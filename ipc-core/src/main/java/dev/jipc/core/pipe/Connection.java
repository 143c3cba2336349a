package dev.jipc.core.pipe;

import static dev.jipc.core.RingView.PADDING_TYPE_ID;
import static dev.jipc.core.RingView.lengthOffset;
import static dev.jipc.core.RingView.typeOffset;
import static dev.jipc.core.pipe.PipeDescriptor.CAPACITY_OFFSET;
import static dev.jipc.core.pipe.PipeDescriptor.END_CLOSED_OFFSET;
import static dev.jipc.core.pipe.PipeDescriptor.END_OWNER_OFFSET;
import static dev.jipc.core.pipe.PipeDescriptor.FLAGS_OFFSET;
import static dev.jipc.core.pipe.PipeDescriptor.FLAG_DUPLEX;
import static dev.jipc.core.pipe.PipeDescriptor.RECORD_CHECK_LENGTH;
import static dev.jipc.core.pipe.PipeDescriptor.endOffset;
import static dev.jipc.core.pipe.PipeDescriptor.notEmptyOffset;
import static dev.jipc.core.pipe.PipeDescriptor.notFullOffset;

import java.io.EOFException;
import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.CorruptRingException;
import dev.jipc.core.ProcessOwner;
import dev.jipc.core.RingView;
import dev.jipc.core.Segment;
import dev.jipc.core.SegmentDirectory;
import dev.jipc.core.SegmentFormatException;
import dev.jipc.core.SegmentKind;
import dev.jipc.core.codec.Codec;
import dev.jipc.core.codec.Codecs;
import dev.jipc.core.wait.ClosableMapping;
import dev.jipc.core.wait.EventCount;
import dev.jipc.core.wait.Futex;
import dev.jipc.core.wait.WaitCondition;
import dev.jipc.core.wait.WaitStrategy;
import dev.jipc.core.wait.Waitable;
import dev.jipc.core.wait.Waitables;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;

/**
 * One end of a {@link Pipe}: Python's {@code multiprocessing.connection.Connection}.
 * <p>
 * {@link #send} / {@link #recv} carry objects through the pipe's {@link Codec}; {@link #sendBytes} /
 * {@link #recvBytes} carry raw bytes from and into the caller's buffers; {@link #sendLong} / {@link #recvLong} carry a
 * {@code long}. The raw and long forms allocate nothing. Each message is one record of an Agrona
 * {@code OneToOneRingBuffer}; a message longer than {@link #maxMessageLength()} is refused with
 * {@link IllegalArgumentException}. Messages arrive whole and in order. A record that is not the one its sender
 * framed at that position (corrupt bytes in the segment) is never skipped: every receive throws
 * {@link CorruptRingException} from then on.
 *
 * <h2>Ends, owners and end of stream</h2>
 * An end belongs to the process that last created, opened or deserialised it: handing a connection to a child JVM
 * moves the end to the child. {@link #close()} by the owner closes the end for good: the peer's receives drain what
 * was sent and then throw {@link EOFException} (Python's {@code EOFError}), and the peer's sends throw
 * {@link IOException} ("broken pipe"). An owner that dies, whatever the cause, counts as closed once the peer notices
 * (within about {@value #PEER_CHECK_MILLIS} ms of waiting). {@code close()} by a process that no longer owns the end
 * only detaches that process. Operations on a closed connection throw {@link IllegalStateException}.
 *
 * <h2>Threads</h2>
 * As in Python, a connection is not thread-safe: at any time one thread may send and one thread may receive through
 * it. Blocking calls wait as the connection's {@link WaitStrategy} says (default
 * {@link WaitStrategy#SPIN_THEN_PARK}) and throw {@link InterruptedException} when interrupted.
 * <p>
 * Memory consistency effects: actions before a send happen-before actions after the matching receive.
 *
 * <pre>
 * Overview
 *
 * Rings. Ring 0 carries end 0 -> end 1 and ring 1 end 1 -> end 0 (a one-way pipe uses ring 1 only: end 0
 * receives, end 1 sends). Each ring has one producer and one consumer, the owners of its two ends, so it is Agrona's
 * OneToOneRingBuffer, with a check word after each message record's header (PipeDescriptor): a mix of the record's
 * position and length that the sender writes before its commit, and the receiver compares before it hands the
 * record out or steps over it (see readRecord), so corrupt bytes never move the head past the tail. The receiver
 * never reads the tail: spinning or checking on it would bring the tail's cache line over on every message, and
 * make the sender's next claim fetch it back. Each ring has a not-empty and a not-full EventCount (PipeDescriptor);
 * a send signals not-empty after its commit, a receive that moved the head signals not-full.
 *
 * Ends and owners. Each end's state block holds an owner word (ProcessOwner, tag 0: the process, not a thread,
 * since a connection is used by one sending and one receiving thread at a time) and a closed flag. The owner is the
 * process that last created, opened or deserialised the end:
 *
 *   Pipe.create                 both ends owned by the creator (handTo its word)
 *   Connection.open(end)        refused if the end is closed; otherwise handTo(this process's word), whoever held it
 *   serialise (writeReplace)    a Handle (directory, name, end, codec, wait strategy): no ownership moves yet
 *   deserialise (readResolve)   Connection.open in the receiving process: the end moves to it
 *
 * handTo is a plain volatile store, not a compare-and-set: the end goes to whoever opened it last, which is what
 * handing a connection to a child means (the parent's handle then no longer owns it). There is no lock to take over.
 *
 * Close. close() by the process whose word is in the owner field stores closed = 1 (a volatile store) and signals
 * the peer's waits: the outgoing ring's not-empty (a peer receive drains what was sent, then reads end of stream)
 * and the incoming ring's not-full (a peer send sees the broken pipe). close() by a process that is not the owner
 * (the end was handed on) leaves the shared state alone and only unmaps this handle. Either way this handle's own
 * blocked threads wake and throw IllegalStateException, and the mapping goes once they have left
 * (ClosableMapping). A closed end stays closed: open refuses it.
 *
 * Peer liveness. A waiting end (a receive on an empty ring, a send on a full one) wakes at least every
 * PEER_CHECK_MILLIS and asks whether the peer is gone: its closed flag is set, or its owner word names a process the
 * ProcessRegistry says is dead. The word is read again after the liveness check: the peer end may have been handed
 * to a live process meanwhile, and only a word that still names the dead process counts. A free word (never
 * owned) or this process's own word (both ends here) is never dead. Once dead, always dead for this handle (peerDead).
 * A gone peer ends a receive with EOFException once the ring holds no committed record, and a send with IOException.
 *
 * Receive forms. recv, recvBytes() (a new array), recvBytes(buffer) and recvLong each read through a small handler
 * of their own (ObjectReceiver, NewBytesReceiver, BytesReceiver, LongReceiver) held in a final field, so a receive
 * allocates nothing but what it returns. A handler refuses (ABORT: the record stays) a record of another type, or
 * one longer than the caller's buffer; the receive then throws, and the record can be read by another form.
 * </pre>
 *
 * @param <E> the type {@link #send} and {@link #recv} carry.
 */
public final class Connection<E> implements AutoCloseable, Serializable, Waitable
{
    /** How often a waiting end checks that the peer's owner process still runs. */
    public static final long PEER_CHECK_MILLIS = 100;

    @Serial
    private static final long serialVersionUID = 1L;
    private static final long PEER_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(PEER_CHECK_MILLIS);

    private final transient Segment segment;
    private final transient AtomicBuffer buffer;
    private final transient int end;
    private final transient int peerEnd;
    private final transient Codec<E> codec;
    private final transient OneToOneRingBuffer out;
    private final transient OneToOneRingBuffer in;
    private final transient EventCount outNotEmpty;
    private final transient EventCount outNotFull;
    private final transient EventCount inNotEmpty;
    private final transient EventCount inNotFull;
    private final transient ProcessOwner owner;
    private final transient ProcessOwner peerOwner;
    private final transient long ownerWord;
    private final transient ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(256);
    private final transient UnsafeBuffer sendWrapper = new UnsafeBuffer(0, 0);
    private final transient UnsafeBuffer receiveWrapper = new UnsafeBuffer(0, 0);
    private final transient ObjectReceiver objectReceiver = new ObjectReceiver();
    private final transient NewBytesReceiver newBytesReceiver = new NewBytesReceiver();
    private final transient BytesReceiver bytesReceiver = new BytesReceiver();
    private final transient LongReceiver longReceiver = new LongReceiver();
    private final transient WaitCondition inputReady = this::isInputReadyOrPeerClosed;
    private transient long claimFailedAtHead;
    private final transient WaitCondition outputReady = this::isHeadMovedOrPeerClosed;
    private transient long peerCheckedAt;
    private transient boolean peerDead;
    /** A tail position of the incoming ring seen by this end: a record that ends by it lies below the tail. */
    private transient volatile WaitStrategy waitStrategy = WaitStrategy.SPIN_THEN_PARK;
    private final transient ClosableMapping mapping;

    private Connection(final Segment segment, final int end, final Codec<E> codec)
    {
        this.segment = segment;
        this.mapping = new ClosableMapping(
            segment::close, "connection is closed: pipe=" + segment.name() + ", end=" + end);
        this.buffer = segment.buffer();
        this.end = end;
        this.peerEnd = 1 - end;
        this.codec = codec;
        final int capacity = buffer.getInt(CAPACITY_OFFSET);
        final boolean duplex = (buffer.getInt(FLAGS_OFFSET) & FLAG_DUPLEX) != 0;
        // ring 0 carries end 0 -> end 1, ring 1 carries end 1 -> end 0; one-way pipes use ring 1 only
        final int outRing = end;
        final int inRing = peerEnd;
        final boolean sends = duplex || end == 1;
        final boolean receives = duplex || end == 0;
        this.out = sends ? ring(capacity, outRing) : null;
        this.in = receives ? ring(capacity, inRing) : null;
        this.outNotEmpty = new EventCount(buffer, notEmptyOffset(outRing));
        this.outNotFull = new EventCount(buffer, notFullOffset(outRing));
        this.inNotEmpty = new EventCount(buffer, notEmptyOffset(inRing));
        this.inNotFull = new EventCount(buffer, notFullOffset(inRing));
        this.owner = new ProcessOwner(buffer, endOffset(end) + END_OWNER_OFFSET, segment.registry());
        this.peerOwner = new ProcessOwner(buffer, endOffset(peerEnd) + END_OWNER_OFFSET, segment.registry());
        this.ownerWord = ProcessOwner.word(segment.registry(), 0);
    }

    /**
     * Attaches to one end of a pipe in the default directory and takes ownership of it.
     *
     * @param name  the pipe's name.
     * @param end   0 for the first connection {@link Pipe#create} returned, 1 for the second.
     * @param codec the codec the pipe was created with.
     * @param <E>   the element type.
     * @return the connection.
     * @throws SegmentFormatException if the file is not a pipe or was created with another codec.
     * @throws IllegalStateException  if that end was closed.
     */
    public static <E> Connection<E> open(final String name, final int end, final Codec<E> codec)
    {
        return open(SegmentDirectory.defaultDirectory(), name, end, codec);
    }

    /**
     * Attaches to one end of a pipe in a directory and takes ownership of it.
     *
     * @param directory where the segment is.
     * @param name      the pipe's name.
     * @param end       0 for the first connection {@link Pipe#create} returned, 1 for the second.
     * @param codec     the codec the pipe was created with.
     * @param <E>       the element type.
     * @return the connection.
     * @throws SegmentFormatException if the file is not a pipe or was created with another codec.
     * @throws IllegalStateException  if that end was closed.
     */
    public static <E> Connection<E> open(final Path directory, final String name, final int end,
        final Codec<E> codec)
    {
        Objects.requireNonNull(codec, "codec");
        if (end != 0 && end != 1)
        {
            throw new IllegalArgumentException("pipe end must be 0 or 1: end=" + end);
        }
        final Segment segment = Segment.open(directory, name, SegmentKind.PIPE);
        try
        {
            PipeDescriptor.validate(segment);
            final AtomicBuffer buffer = segment.buffer();
            PipeDescriptor.CODEC.checkSame(segment, codec.typeId(), codec.name());
            if (buffer.getIntVolatile(endOffset(end) + END_CLOSED_OFFSET) != 0)
            {
                throw new IllegalStateException("pipe end is closed: pipe=" + name + ", end=" + end);
            }
            final Connection<E> connection = new Connection<>(segment, end, codec);
            connection.takeOwnership();
            return connection;
        }
        catch (final RuntimeException ex)
        {
            segment.close();
            throw ex;
        }
    }

    static <E> Connection<E> created(final Segment segment, final int end, final Codec<E> codec)
    {
        final Connection<E> connection = new Connection<>(segment, end, codec);
        connection.takeOwnership();
        return connection;
    }

    /**
     * Sets how this connection's blocking calls wait.
     *
     * @param strategy the strategy.
     * @return this.
     */
    public Connection<E> waitStrategy(final WaitStrategy strategy)
    {
        this.waitStrategy = Objects.requireNonNull(strategy, "strategy");
        return this;
    }

    /**
     * Which end this is.
     *
     * @return 0 or 1.
     */
    public int end()
    {
        return end;
    }

    /**
     * The pipe's name.
     *
     * @return the segment name.
     */
    public String name()
    {
        return segment.name();
    }

    /**
     * The longest message this end can send.
     *
     * @return bytes.
     */
    public int maxMessageLength()
    {
        return PipeDescriptor.maxMessageLength((out != null ? out : in).capacity());
    }

    /**
     * Whether this end can send (false for the receiving end of a one-way pipe).
     *
     * @return true if it can send.
     */
    public boolean writable()
    {
        return out != null;
    }

    /**
     * Whether this end can receive (false for the sending end of a one-way pipe).
     *
     * @return true if it can receive.
     */
    public boolean readable()
    {
        return in != null;
    }

    /**
     * Sends an object through the codec, waiting for room.
     *
     * @param element the object.
     * @throws IllegalArgumentException if its encoding is longer than {@link #maxMessageLength()}.
     * @throws IOException              if the peer has closed or died (broken pipe).
     * @throws IllegalStateException    if this connection is closed or cannot send.
     * @throws InterruptedException     if interrupted while waiting.
     */
    public void send(final E element) throws IOException, InterruptedException
    {
        Objects.requireNonNull(element, "element");
        ensureWritable();
        final int length = codec.encode(element, scratch, 0);
        write(codec.typeId(), scratch, 0, length);
    }

    /**
     * Sends bytes as they are, waiting for room. Allocates nothing.
     *
     * @param source the bytes.
     * @param offset the first byte to send.
     * @param length how many.
     * @throws IllegalArgumentException if {@code length} is more than {@link #maxMessageLength()}.
     * @throws IOException              if the peer has closed or died (broken pipe).
     * @throws IllegalStateException    if this connection is closed or cannot send.
     * @throws InterruptedException     if interrupted while waiting.
     */
    public void sendBytes(final byte[] source, final int offset, final int length)
        throws IOException, InterruptedException
    {
        Objects.checkFromIndexSize(offset, length, source.length);
        ensureWritable();
        sendWrapper.wrap(source);
        write(Codecs.BYTES_TYPE_ID, sendWrapper, offset, length);
    }

    /**
     * Sends bytes from an Agrona buffer as they are, waiting for room. Allocates nothing.
     *
     * @param source the buffer.
     * @param offset the first byte to send.
     * @param length how many.
     * @throws IllegalArgumentException if {@code length} is more than {@link #maxMessageLength()}.
     * @throws IOException              if the peer has closed or died (broken pipe).
     * @throws IllegalStateException    if this connection is closed or cannot send.
     * @throws InterruptedException     if interrupted while waiting.
     */
    public void sendBytes(final DirectBuffer source, final int offset, final int length)
        throws IOException, InterruptedException
    {
        ensureWritable();
        write(Codecs.BYTES_TYPE_ID, source, offset, length);
    }

    /**
     * Sends a {@code long}, waiting for room. Allocates nothing; received by {@link #recvLong()}, or by
     * {@link #recv()} when the codec is {@link Codecs#longs()}.
     *
     * @param value the value.
     * @throws IOException           if the peer has closed or died (broken pipe).
     * @throws IllegalStateException if this connection is closed or cannot send.
     * @throws InterruptedException  if interrupted while waiting.
     */
    public void sendLong(final long value) throws IOException, InterruptedException
    {
        ensureWritable();
        final int index = claim(Codecs.LONG_TYPE_ID, Long.BYTES);
        out.buffer().putLong(index + RECORD_CHECK_LENGTH, value);
        out.commit(index);
        outNotEmpty.signalAll();
    }

    /**
     * Receives an object, waiting for one.
     *
     * @return the object.
     * @throws EOFException          if the pipe is empty and the peer has closed or died.
     * @throws IllegalStateException if this connection is closed or cannot receive, or the message was not sent with
     *                               the pipe's codec (it stays in the pipe for {@link #recvBytes}).
     * @throws InterruptedException  if interrupted while waiting.
     */
    public E recv() throws IOException, InterruptedException
    {
        ensureReadable();
        final ObjectReceiver receiver = objectReceiver;
        read(receiver);
        final E element = receiver.element;
        receiver.element = null;
        return element;
    }

    /**
     * Receives a message's bytes into a new array, waiting for one: Python's {@code recv_bytes()}. Any message can be
     * received this way (an object's message gives its encoding).
     *
     * @return the message.
     * @throws EOFException          if the pipe is empty and the peer has closed or died.
     * @throws IllegalStateException if this connection is closed or cannot receive.
     * @throws InterruptedException  if interrupted while waiting.
     */
    public byte[] recvBytes() throws IOException, InterruptedException
    {
        ensureReadable();
        final NewBytesReceiver receiver = newBytesReceiver;
        read(receiver);
        final byte[] bytes = receiver.bytes;
        receiver.bytes = null;
        return bytes;
    }

    /**
     * Receives a message's bytes into the caller's array, waiting for one. Allocates nothing.
     *
     * @param destination where to copy.
     * @param offset      the first byte to write.
     * @return the message length.
     * @throws BufferTooShortException if the message is longer than {@code destination.length - offset}; it stays
     *                                 in the pipe.
     * @throws EOFException            if the pipe is empty and the peer has closed or died.
     * @throws IllegalStateException   if this connection is closed or cannot receive.
     * @throws InterruptedException    if interrupted while waiting.
     */
    public int recvBytes(final byte[] destination, final int offset) throws IOException, InterruptedException
    {
        Objects.checkIndex(offset, destination.length + 1);
        ensureReadable();
        receiveWrapper.wrap(destination);
        return recvBytes(receiveWrapper, offset, destination.length - offset);
    }

    /**
     * Receives a message's bytes into an Agrona buffer, waiting for one. Allocates nothing.
     *
     * @param destination where to copy.
     * @param offset      the first byte to write.
     * @param maxLength   the most bytes to write.
     * @return the message length.
     * @throws BufferTooShortException if the message is longer than {@code maxLength}; it stays in the pipe.
     * @throws EOFException            if the pipe is empty and the peer has closed or died.
     * @throws IllegalStateException   if this connection is closed or cannot receive.
     * @throws InterruptedException    if interrupted while waiting.
     */
    public int recvBytes(final MutableDirectBuffer destination, final int offset, final int maxLength)
        throws IOException, InterruptedException
    {
        ensureReadable();
        final BytesReceiver receiver = bytesReceiver;
        receiver.destination = destination;
        receiver.destinationOffset = offset;
        receiver.destinationLength = maxLength;
        try
        {
            read(receiver);
        }
        finally
        {
            receiver.destination = null;
        }
        if (receiver.tooShort)
        {
            receiver.tooShort = false;
            throw new BufferTooShortException(receiver.length, maxLength);
        }
        return receiver.length;
    }

    /**
     * Receives a {@code long} sent by {@link #sendLong}, waiting for one. Allocates nothing.
     *
     * @return the value.
     * @throws EOFException          if the pipe is empty and the peer has closed or died.
     * @throws IllegalStateException if this connection is closed or cannot receive, or the message is not a long (it
     *                               stays in the pipe).
     * @throws InterruptedException  if interrupted while waiting.
     */
    public long recvLong() throws IOException, InterruptedException
    {
        ensureReadable();
        final LongReceiver receiver = longReceiver;
        read(receiver);
        return receiver.value;
    }

    /**
     * Whether a message is ready to receive, or the end of stream is.
     *
     * @return true if a receive would not wait.
     * @throws IllegalStateException if this connection is closed or cannot receive.
     */
    public boolean poll()
    {
        try
        {
            return poll(0, TimeUnit.NANOSECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Waits up to the timeout for a message, or the end of stream, to be ready to receive.
     *
     * @param timeout the longest wait.
     * @param unit    its unit.
     * @return true if a receive would not wait, false if the timeout passed.
     * @throws IllegalStateException if this connection is closed or cannot receive.
     * @throws InterruptedException  if interrupted while waiting.
     */
    public boolean poll(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        ensureReadable();
        return awaitInput(unit.toNanos(timeout));
    }

    /**
     * Waits until at least one of the objects is ready, or the timeout passes: Python's
     * {@code multiprocessing.connection.wait}. A receiving connection is ready when a message or the end of stream
     * is; any other {@link Waitable} may be mixed in, such as a process sentinel (ready once the process has ended).
     * Sleeps on all of them at once with {@code futex_waitv} (see {@link Waitables#wait}). A timeout of 0 checks
     * once; an empty result never comes before the timeout has passed.
     *
     * @param objects receiving connections and other waitables, 1 to {@value Futex#MAX_WAITV}.
     * @param timeout the longest wait.
     * @param unit    its unit.
     * @param <W>     the type of the objects: {@code Connection<?>} for connections alone.
     * @return the objects that are ready, in the given order; empty if the timeout passed.
     * @throws IllegalArgumentException if there are no objects or more than {@value Futex#MAX_WAITV}.
     * @throws IllegalStateException    if a connection is closed (before or while waiting) or write-only.
     * @throws InterruptedException     if interrupted while waiting.
     */
    public static <W extends Waitable> List<W> wait(final Collection<? extends W> objects, final long timeout,
        final TimeUnit unit) throws InterruptedException
    {
        return Waitables.wait(objects, timeout, unit);
    }

    /**
     * Whether a message or the end of stream is ready to receive: {@link #poll()} as a {@link Waitable}.
     *
     * @return true if a receive would not wait.
     * @throws IllegalStateException if this connection is closed or cannot receive.
     */
    @Override
    public boolean isReady()
    {
        ensureReadable();
        return isInputReady() || isPeerGone();
    }

    /**
     * The event count a send into this connection's incoming ring signals (and a close of either end).
     *
     * @return the incoming ring's not-empty event count.
     */
    @Override
    public EventCount readyEvent()
    {
        return inNotEmpty;
    }

    /**
     * How often a waiter checks the peer's liveness: a peer that dies sends no signal.
     *
     * @return {@value #PEER_CHECK_MILLIS} ms in nanoseconds.
     */
    @Override
    public long recheckNanos()
    {
        return PEER_CHECK_NANOS;
    }

    /**
     * Takes a lease on the mapping for a {@link Waitables#wait}: a {@link #close()} by another thread meanwhile ends
     * that wait with {@link IllegalStateException} and unmaps after it.
     *
     * @throws IllegalStateException if this connection is closed or cannot receive.
     */
    @Override
    public void enterWait()
    {
        mapping.enter();
        try
        {
            ensureReadable();
        }
        catch (final RuntimeException ex)
        {
            mapping.exit();
            throw ex;
        }
    }

    /** Returns the lease of {@link #enterWait()}. */
    @Override
    public void exitWait()
    {
        mapping.exit();
    }

    /**
     * Whether this connection is closed in this process.
     *
     * @return true once {@link #close()} was called here.
     */
    public boolean isClosed()
    {
        return mapping.isClosed();
    }

    /**
     * Closes this end: for good if this process owns it (the peer sees end of stream), otherwise only this process's
     * attachment. Threads of this process blocked on this connection wake and throw {@link IllegalStateException};
     * the mapping is released once they have left. Idempotent.
     */
    @Override
    public void close()
    {
        if (!mapping.markClosed())
        {
            return;
        }
        final int endOffset = endOffset(end);
        if (owner.owner() == ownerWord)
        {
            buffer.putIntVolatile(endOffset + END_CLOSED_OFFSET, 1);
            outNotEmpty.signalAll();
            inNotFull.signalAll();
        }
        // wake this connection's own blocked threads, which then throw IllegalStateException
        inNotEmpty.signalAll();
        outNotFull.signalAll();
        mapping.close();
    }

    /** Waits as the connection's strategy says, counted as a waiter of this handle (see {@link ClosableMapping}). */
    private boolean await(final EventCount eventCount, final WaitCondition condition, final long timeoutNanos)
        throws InterruptedException
    {
        return mapping.await(eventCount, condition, timeoutNanos, waitStrategy);
    }

    @Override
    public String toString()
    {
        return "Connection{pipe=" + segment.name() + ", end=" + end + ", codec=" + codec.name() + "}";
    }

    private OneToOneRingBuffer ring(final int capacity, final int ring)
    {
        return new OneToOneRingBuffer(PipeDescriptor.ringBuffer(buffer, ring, capacity));
    }

    private void takeOwnership()
    {
        owner.handTo(ownerWord);
    }

    private void write(final int typeId, final DirectBuffer source, final int offset, final int length)
        throws IOException, InterruptedException
    {
        final OneToOneRingBuffer out = this.out;
        if (length > PipeDescriptor.maxMessageLength(out.capacity()))
        {
            throw new IllegalArgumentException("message larger than the pipe can hold: length=" + length +
                ", maxMessageLength=" + PipeDescriptor.maxMessageLength(out.capacity()) + ", capacity=" +
                out.capacity());
        }
        final int index = claim(typeId, length);
        out.buffer().putBytes(index + RECORD_CHECK_LENGTH, source, offset, length);
        out.commit(index);
        outNotEmpty.signalAll();
    }

    /**
     * Claims a record for a message of {@code length} bytes, waiting for room, and writes its check: the message
     * goes at the returned index plus {@link PipeDescriptor#RECORD_CHECK_LENGTH}, then {@code out.commit(index)}.
     */
    private int claim(final int typeId, final int length) throws IOException, InterruptedException
    {
        if (buffer.getIntVolatile(endOffset(peerEnd) + END_CLOSED_OFFSET) != 0)
        {
            throw brokenPipe();
        }
        final OneToOneRingBuffer out = this.out;
        final int claimLength = length + RECORD_CHECK_LENGTH;
        int index = out.tryClaim(typeId, claimLength);
        while (index <= 0)
        {
            final long head = out.consumerPosition();
            index = out.tryClaim(typeId, claimLength);
            if (index <= 0)
            {
                awaitHeadMoved(head);
            }
        }
        // this end is the ring's only producer: the record just claimed is the last one below the tail it moved
        final long position = out.producerPosition() - RingView.recordLength(claimLength);
        out.buffer().putLong(index, PipeDescriptor.recordCheck(position, claimLength + RingView.RECORD_HEADER_LENGTH));
        return index;
    }

    /**
     * Waits for room after a claim failed against a head read before it. The claim itself is the one rule for room:
     * a ring whose head has not moved has no more room than the claim found (this end is its only producer), and a
     * ring whose head moved is worth another claim. A room check of its own would have to copy Agrona's claim rule
     * exactly; where it asked for less (Agrona keeps a header's worth of room free), the sender spun without
     * sleeping or seeing interrupts.
     */
    private void awaitHeadMoved(final long head) throws IOException, InterruptedException
    {
        claimFailedAtHead = head;
        while (true)
        {
            final boolean moved = await(outNotFull, outputReady, PEER_CHECK_NANOS);
            ensureOpen();
            if (isPeerGone())
            {
                throw brokenPipe();
            }
            if (moved)
            {
                return;
            }
        }
    }

    private boolean isHeadMovedOrPeerClosed()
    {
        return out.consumerPosition() != claimFailedAtHead ||
            buffer.getIntVolatile(endOffset(peerEnd) + END_CLOSED_OFFSET) != 0;
    }

    private void read(final Receiver receiver) throws IOException, InterruptedException
    {
        while (true)
        {
            final long head = in.consumerPosition();
            final int read = readRecord(receiver);
            if (in.consumerPosition() != head)
            {
                // a message, padding, or a record whose decoder threw: all free room
                inNotFull.signalAll();
            }
            if (read > 0)
            {
                return;
            }
            if (receiver.refused != 0)
            {
                final int typeId = receiver.refused;
                receiver.refused = 0;
                throw new IllegalStateException("message of another type: record typeId=" + typeId + " (" +
                    Codecs.describe(typeId) + "), expected " + receiver.expected());
            }
            if (receiver.tooShort)
            {
                return;
            }
            awaitInput(Long.MAX_VALUE);
            if (!isInputReady() && isPeerGone())
            {
                throw new EOFException("end of stream: the peer closed or died, pipe=" + segment.name() +
                    ", peerEnd=" + peerEnd);
            }
        }
    }

    /**
     * Agrona's controlled read of one message, with every record checked to lie between the head and the tail before
     * it is handed out or skipped: a corrupt length never moves the head past the tail, and every later read refuses
     * it again. A record whose receiver threw is consumed, as Agrona does; one it refused stays.
     */
    private int readRecord(final Receiver receiver)
    {
        final OneToOneRingBuffer in = this.in;
        final AtomicBuffer ring = in.buffer();
        final int capacity = in.capacity();
        final long head = in.consumerPosition();
        final int headIndex = (int)(head & (capacity - 1));
        final int contiguous = capacity - headIndex;
        int bytesRead = 0;
        try
        {
            while (bytesRead < contiguous)
            {
                final int recordIndex = headIndex + bytesRead;
                final int recordLength = ring.getIntVolatile(lengthOffset(recordIndex));
                if (recordLength <= 0)
                {
                    return 0;
                }
                final long position = head + bytesRead;
                final int room = contiguous - bytesRead;
                final int alignedLength = CorruptRingException.checkedRecordLength(
                    segment.path(), position, recordLength, room);
                final int typeId = ring.getInt(typeOffset(recordIndex));
                if (typeId == PADDING_TYPE_ID)
                {
                    if (alignedLength != room)
                    {
                        throw new CorruptRingException(segment.path(), "padding record short of the ring's end: " +
                            "position=" + position + ", length=" + recordLength + ", room=" + room);
                    }
                    bytesRead += alignedLength;
                    continue;
                }
                final int checkIndex = RingView.messageIndex(recordIndex);
                if (recordLength < RingView.RECORD_HEADER_LENGTH + RECORD_CHECK_LENGTH ||
                    ring.getLong(checkIndex) != PipeDescriptor.recordCheck(position, recordLength))
                {
                    throw new CorruptRingException(segment.path(), "record fails its check, not the one its sender " +
                        "framed here: position=" + position + ", length=" + recordLength + ", typeId=" + typeId);
                }
                bytesRead += alignedLength;
                if (receiver.onMessage(typeId, ring, checkIndex + RECORD_CHECK_LENGTH,
                    RingView.messageLength(recordLength) - RECORD_CHECK_LENGTH) ==
                    ControlledMessageHandler.Action.ABORT)
                {
                    bytesRead -= alignedLength;
                    return 0;
                }
                return 1;
            }
            return 0;
        }
        finally
        {
            if (bytesRead > 0)
            {
                ring.putLongRelease(RingView.headPositionOffset(capacity), head + bytesRead);
            }
        }
    }

    private boolean awaitInput(final long timeoutNanos) throws InterruptedException
    {
        ensureOpen();
        if (isInputReady())
        {
            return true;
        }
        final long deadline = Futex.deadline(timeoutNanos);
        while (true)
        {
            ensureOpen();
            if (isInputReady() || isPeerGone())
            {
                return true;
            }
            final long remaining = deadline - System.nanoTime();
            if (remaining <= 0)
            {
                return false;
            }
            await(inNotEmpty, inputReady, Math.min(remaining, PEER_CHECK_NANOS));
            ensureOpen();
        }
    }

    private boolean isInputReady()
    {
        final OneToOneRingBuffer in = this.in;
        // the head record's length alone: a committed record is positive, the sender pre-zeroes the next header
        return in.buffer().getIntVolatile(lengthOffset((int)(in.consumerPosition() & (in.capacity() - 1)))) > 0;
    }

    private boolean isInputReadyOrPeerClosed()
    {
        return isInputReady() || buffer.getIntVolatile(endOffset(peerEnd) + END_CLOSED_OFFSET) != 0;
    }

    /** Whether the peer end is closed, or its owner died (checked in the process registry at most every 100 ms). */
    private boolean isPeerGone()
    {
        final int peerOffset = endOffset(peerEnd);
        if (buffer.getIntVolatile(peerOffset + END_CLOSED_OFFSET) != 0 || peerDead)
        {
            return true;
        }
        final long now = System.nanoTime();
        if (now - peerCheckedAt < PEER_CHECK_NANOS)
        {
            return false;
        }
        peerCheckedAt = now;
        final long peer = peerOwner.owner();
        if (peer == ProcessOwner.FREE || peer == ownerWord)
        {
            return false;
        }
        // the peer end may have moved to another process meanwhile: dead only if it still names the dead one
        peerDead = !peerOwner.isAlive(peer) && peerOwner.owner() == peer;
        return peerDead;
    }

    private IOException brokenPipe()
    {
        return new IOException("broken pipe: the peer closed or died, pipe=" + segment.name() + ", peerEnd=" +
            peerEnd);
    }

    private void ensureOpen()
    {
        mapping.ensureOpen();
    }

    private void ensureWritable()
    {
        ensureOpen();
        if (out == null)
        {
            throw new IllegalStateException("connection is read-only: pipe=" + segment.name() + ", end=" + end);
        }
    }

    private void ensureReadable()
    {
        ensureOpen();
        if (in == null)
        {
            throw new IllegalStateException("connection is write-only: pipe=" + segment.name() + ", end=" + end);
        }
    }

    @Serial
    private Object writeReplace()
    {
        return new Handle<>(segment.directory().toString(), segment.name(), end, codec, waitStrategy);
    }

    /**
     * Copies one record out in the receiving thread, or refuses it (leaves it in the pipe) when it does not fit: one
     * small handler per receive form, each a final field of the connection, so a receive allocates none.
     */
    private abstract static class Receiver implements ControlledMessageHandler
    {
        /** The type id of the record refused as of another type; 0 if none. */
        int refused;
        /** Whether the record was refused as longer than the destination. */
        boolean tooShort;

        /** What this handler takes, for the message of a refusal. */
        abstract String expected();

        /** Throws unless a length read from shared memory lies inside the ring: it must not reach a decoder. */
        static void checkLength(final MutableDirectBuffer buffer, final int index, final int length)
        {
            if (length < 0 || length > RingView.maxMessageLength(buffer.capacity() - RingView.TRAILER_LENGTH))
            {
                throw new IllegalStateException("corrupt record: index=" + index + ", length=" + length +
                    ", ringCapacity=" + buffer.capacity());
            }
        }
    }

    /** {@link #recv()}: decodes a record of the pipe's codec. */
    private final class ObjectReceiver extends Receiver
    {
        E element;

        @Override
        public Action onMessage(final int typeId, final MutableDirectBuffer buffer, final int index,
            final int length)
        {
            checkLength(buffer, index, length);
            if (typeId != codec.typeId())
            {
                refused = typeId;
                return Action.ABORT;
            }
            element = codec.decode(buffer, index, length);
            return Action.BREAK;
        }

        @Override
        String expected()
        {
            return "typeId=" + codec.typeId() + " (" + codec.name() + ")";
        }
    }

    /** {@link #recvBytes()}: copies any record into a new array. */
    private final class NewBytesReceiver extends Receiver
    {
        byte[] bytes;

        @Override
        public Action onMessage(final int typeId, final MutableDirectBuffer buffer, final int index,
            final int length)
        {
            checkLength(buffer, index, length);
            bytes = new byte[length];
            buffer.getBytes(index, bytes);
            return Action.BREAK;
        }

        @Override
        String expected()
        {
            return "any typeId (bytes)";
        }
    }

    /** {@link #recvBytes(MutableDirectBuffer, int, int)}: copies any record into the caller's buffer if it fits. */
    private final class BytesReceiver extends Receiver
    {
        MutableDirectBuffer destination;
        int destinationOffset;
        int destinationLength;
        int length;

        @Override
        public Action onMessage(final int typeId, final MutableDirectBuffer buffer, final int index,
            final int length)
        {
            this.length = length;
            if (length > destinationLength)
            {
                tooShort = true;
                return Action.ABORT;
            }
            destination.putBytes(destinationOffset, buffer, index, length);
            return Action.BREAK;
        }

        @Override
        String expected()
        {
            return "any typeId (bytes)";
        }
    }

    /** {@link #recvLong()}: reads a record {@link #sendLong} wrote. */
    private final class LongReceiver extends Receiver
    {
        long value;

        @Override
        public Action onMessage(final int typeId, final MutableDirectBuffer buffer, final int index,
            final int length)
        {
            if (typeId != Codecs.LONG_TYPE_ID || length != Long.BYTES)
            {
                refused = typeId;
                return Action.ABORT;
            }
            value = buffer.getLong(index);
            return Action.BREAK;
        }

        @Override
        String expected()
        {
            return "typeId=" + Codecs.LONG_TYPE_ID + " (long)";
        }
    }

    /** The serialised form of a connection: re-opens the same end, which moves it to the receiving process. */
    private record Handle<E>(String directory, String name, int end, Codec<E> codec, WaitStrategy waitStrategy)
        implements Serializable
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
            return open(Path.of(directory), name, end, codec).waitStrategy(waitStrategy);
        }
    }
}
