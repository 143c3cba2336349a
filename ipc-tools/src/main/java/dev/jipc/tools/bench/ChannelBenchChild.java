package dev.jipc.tools.bench;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.LongConsumer;

import dev.jipc.core.Handles;
import dev.jipc.core.SharedMemory;
import dev.jipc.core.codec.Codecs;
import dev.jipc.core.pipe.Connection;
import dev.jipc.core.queue.ElementHandler;
import dev.jipc.core.queue.LongQueue;
import dev.jipc.core.queue.Queue;
import dev.jipc.core.wait.WaitStrategy;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;

/**
 * The processes of {@code jipc bench queue} and {@code jipc bench pipe}: {@code <role> args...}.
 * <p>
 * The round-trip roles ({@code pipe-pong}, {@code long-pong}, {@code bytes-pong}, {@code uds-echo}) answer each
 * message they take, the number one more or the array as it came, and end after the given count.
 * <p>
 * Producers and consumers meet through a control block: each child adds one to READY when attached, spins until
 * the parent sets START, then works; consumers add what they took to RECEIVED in batches and stop once it reaches
 * TOTAL. The consumer whose batch carries RECEIVED past WARM_UP stamps WARMED_AT (and the count it reached in
 * WARMED_COUNT), the one whose batch reaches TOTAL stamps ENDED_AT, both on the host's monotonic clock; the parent
 * divides the messages between the stamps by the time between them, so the JIT's warm-up is not timed and no
 * sampling interval limits how short a run may be.
 * <pre>
 *   0        64       128        192      256      320           384           448         512
 *   +--------+--------+----------+--------+--------+-------------+-------------+-----------+
 *   | READY  | START  | RECEIVED |  TOTAL | WARM_UP| WARMED_COUNT|  WARMED_AT  |  ENDED_AT |
 *   +--------+--------+----------+--------+--------+-------------+-------------+-----------+
 *   (each on its own cache line)
 * </pre>
 */
public final class ChannelBenchChild
{
    /** Bytes of the control block. */
    public static final int CONTROL_LENGTH = 512;
    static final int READY = 0;
    static final int START = 64;
    static final int RECEIVED = 128;
    static final int TOTAL = 192;
    static final int WARM_UP = 256;
    static final int WARMED_COUNT = 320;
    static final int WARMED_AT = 384;
    static final int ENDED_AT = 448;

    private static final int BATCH = 4096;
    private static final int SMALL_BATCH = 64;
    private static final int BACK_OFF_SPINS = 64;
    private static final long START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(120);

    private ChannelBenchChild()
    {
    }

    /**
     * @param args the role, then its arguments (see each role).
     * @throws Exception on failure, which exits the child with status 1.
     */
    public static void main(final String[] args) throws Exception
    {
        switch (args[0])
        {
            case "long-producer" -> longProducer(args[1], args[2], Long.parseLong(args[3]));
            case "long-consumer" -> longConsumer(args[1], args[2]);
            case "long-threads" -> longThreads(args[1], args[2]);
            case "ring-producer" -> ringProducer(args[1], args[2], Long.parseLong(args[3]));
            case "ring-consumer" -> ringConsumer(args[1], args[2]);
            case "bytes-producer" -> bytesProducer(args[1], args[2], Long.parseLong(args[3]),
                Integer.parseInt(args[4]));
            case "bytes-consumer" -> bytesConsumer(args[1], args[2]);
            case "bytes-in-place-consumer" -> bytesInPlaceConsumer(args[1], args[2]);
            case "records-producer" -> recordsProducer(args[1], args[2], Long.parseLong(args[3]),
                Integer.parseInt(args[4]));
            case "records-consumer" -> recordsConsumer(args[1], args[2]);
            case "pipe-pong" -> pipePong(args[1], WaitStrategy.valueOf(args[2]), Integer.parseInt(args[3]));
            case "long-pong" -> longPong(args[1], args[2], WaitStrategy.valueOf(args[3]), Integer.parseInt(args[4]));
            case "bytes-pong" -> bytesPong(args[1], args[2], WaitStrategy.valueOf(args[3]), Integer.parseInt(args[4]));
            case "uds-send" -> udsSend(Path.of(args[1]), Long.parseLong(args[2]), Integer.parseInt(args[3]));
            case "uds-echo" -> udsEcho(Path.of(args[1]), Integer.parseInt(args[2]));
            default -> throw new IllegalArgumentException("unknown role: role=" + args[0]);
        }
    }

    private static void longProducer(final String control, final String queueName, final long count)
        throws InterruptedException
    {
        try (SharedMemory block = SharedMemory.open(control);
            LongQueue queue = LongQueue.open(queueName).waitStrategy(WaitStrategy.SPIN_THEN_PARK))
        {
            awaitStart(block.buffer());
            for (long i = 0; i < count; i++)
            {
                queue.put(i);
            }
        }
    }

    private static void longConsumer(final String control, final String queueName)
    {
        try (SharedMemory block = SharedMemory.open(control);
            LongQueue queue = LongQueue.open(queueName))
        {
            final AtomicBuffer buffer = block.buffer();
            final long[] sum = new long[1];
            final LongConsumer adder = value -> sum[0] += value;
            awaitStart(buffer);
            consume(buffer, () -> queue.drain(adder, BATCH));
            System.out.println("sum=" + sum[0]);
        }
    }

    /** A long producer and consumer as two threads of this one JVM: the in-process cost of the same ring. */
    private static void longThreads(final String control, final String queueName) throws InterruptedException
    {
        final long total;
        try (SharedMemory block = SharedMemory.open(control))
        {
            total = block.buffer().getLongVolatile(TOTAL);
        }
        final Thread producer = new Thread(() ->
        {
            try
            {
                longProducer(control, queueName, total);
            }
            catch (final InterruptedException ex)
            {
                throw new IllegalStateException("producer interrupted", ex);
            }
        }, "long-producer");
        // a failed producer must end this JVM, or its consumer would wait for the rest forever
        producer.setUncaughtExceptionHandler((thread, ex) ->
        {
            ex.printStackTrace();
            System.exit(1);
        });
        producer.start();
        longConsumer(control, queueName);
        producer.join();
    }

    private static void ringProducer(final String control, final String ringName, final long count)
    {
        try (SharedMemory block = SharedMemory.open(control);
            SharedMemory memory = SharedMemory.open(ringName))
        {
            final AtomicBuffer buffer = memory.buffer();
            final ManyToOneRingBuffer ring = new ManyToOneRingBuffer(buffer);
            awaitStart(block.buffer());
            for (long i = 0; i < count; i++)
            {
                int index;
                while ((index = ring.tryClaim(Codecs.LONG_TYPE_ID, Long.BYTES)) <= 0)
                {
                    Thread.onSpinWait();
                }
                buffer.putLong(index, i);
                ring.commit(index);
            }
        }
    }

    private static void ringConsumer(final String control, final String ringName)
    {
        try (SharedMemory block = SharedMemory.open(control);
            SharedMemory memory = SharedMemory.open(ringName))
        {
            final AtomicBuffer buffer = block.buffer();
            final ManyToOneRingBuffer ring = new ManyToOneRingBuffer(memory.buffer());
            final long[] sum = new long[1];
            final MessageHandler adder = (typeId, records, index, length) -> sum[0] += records.getLong(index);
            awaitStart(buffer);
            consume(buffer, () -> ring.read(adder, BATCH));
            System.out.println("sum=" + sum[0]);
        }
    }

    private static void bytesProducer(final String control, final String queueName, final long count,
        final int size) throws InterruptedException
    {
        try (SharedMemory block = SharedMemory.open(control);
            Queue<byte[]> queue = Queue.open(queueName, Codecs.bytes()))
        {
            final byte[] message = new byte[size];
            awaitStart(block.buffer());
            for (long i = 0; i < count; i++)
            {
                message[0] = (byte)i;
                queue.put(message);
            }
        }
    }

    private static void bytesConsumer(final String control, final String queueName)
    {
        try (SharedMemory block = SharedMemory.open(control);
            Queue<byte[]> queue = Queue.open(queueName, Codecs.bytes()))
        {
            final AtomicBuffer buffer = block.buffer();
            final List<byte[]> sink = new ArrayList<>(BATCH);
            final long[] bytes = new long[1];
            awaitStart(buffer);
            consume(buffer, () ->
            {
                final int taken = queue.drainTo(sink, BATCH);
                for (final byte[] message : sink)
                {
                    bytes[0] += message.length;
                }
                sink.clear();
                return taken;
            });
            System.out.println("bytes=" + bytes[0]);
        }
    }

    /** Reads each message where it lies ({@link Queue#drain(ElementHandler, int)}): no array per message. */
    private static void bytesInPlaceConsumer(final String control, final String queueName)
    {
        try (SharedMemory block = SharedMemory.open(control);
            Queue<byte[]> queue = Queue.open(queueName, Codecs.bytes()))
        {
            final AtomicBuffer buffer = block.buffer();
            final long[] bytes = new long[1];
            final ElementHandler counter = (ring, offset, length) -> bytes[0] += length + ring.getByte(offset);
            awaitStart(buffer);
            consume(buffer, () -> queue.drain(counter, BATCH));
            System.out.println("bytes=" + bytes[0]);
        }
    }

    /**
     * The floor under {@code Queue<byte[]>} 1 -> 1: the plainest ring that moves the same messages between two
     * processes ({@link SequencedRecords}). The producer copies each message in and publishes it with one release
     * store, reading the consumer's head only when its copy says full.
     */
    private static void recordsProducer(final String control, final String ringName, final long count,
        final int size)
    {
        try (SharedMemory block = SharedMemory.open(control);
            SharedMemory memory = SharedMemory.open(ringName))
        {
            final SequencedRecords ring = new SequencedRecords(memory.buffer());
            final byte[] message = new byte[size];
            awaitStart(block.buffer());
            long head = 0;
            for (long i = 0; i < count; i++)
            {
                while (i - head >= ring.slots())
                {
                    Thread.onSpinWait();
                    head = ring.head();
                }
                message[0] = (byte)i;
                ring.put(i, message);
            }
        }
    }

    /** Reads {@link SequencedRecords} where they lie, as the in-place consumer does, publishing its head per batch. */
    private static void recordsConsumer(final String control, final String ringName)
    {
        try (SharedMemory block = SharedMemory.open(control);
            SharedMemory memory = SharedMemory.open(ringName))
        {
            final AtomicBuffer buffer = block.buffer();
            final SequencedRecords ring = new SequencedRecords(memory.buffer());
            final long[] state = new long[2];
            awaitStart(buffer);
            consume(buffer, () ->
            {
                long position = state[0];
                int taken = 0;
                while (taken < BATCH && ring.isPublished(position))
                {
                    state[1] += ring.messageLength() + ring.firstByte(position);
                    position++;
                    taken++;
                }
                if (taken > 0)
                {
                    ring.head(position);
                    state[0] = position;
                }
                return taken;
            });
            System.out.println("bytes=" + state[1]);
        }
    }

    private static void pipePong(final String handle, final WaitStrategy strategy, final int rounds)
        throws Exception
    {
        final Connection<Long> connection = Handles.decode(handle);
        try (connection)
        {
            connection.waitStrategy(strategy);
            for (int i = 0; i < rounds; i++)
            {
                connection.sendLong(connection.recvLong() + 1);
            }
        }
    }

    private static void longPong(final String pingName, final String pongName, final WaitStrategy strategy,
        final int rounds) throws InterruptedException
    {
        try (LongQueue ping = LongQueue.open(pingName).waitStrategy(strategy);
            LongQueue pong = LongQueue.open(pongName).waitStrategy(strategy))
        {
            for (int i = 0; i < rounds; i++)
            {
                pong.put(ping.take() + 1);
            }
        }
    }

    private static void bytesPong(final String pingName, final String pongName, final WaitStrategy strategy,
        final int rounds) throws InterruptedException
    {
        try (Queue<byte[]> ping = Queue.open(pingName, Codecs.bytes()).waitStrategy(strategy);
            Queue<byte[]> pong = Queue.open(pongName, Codecs.bytes()).waitStrategy(strategy))
        {
            for (int i = 0; i < rounds; i++)
            {
                pong.put(ping.take());
            }
        }
    }

    private static void udsSend(final Path socket, final long count, final int size) throws IOException
    {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX))
        {
            channel.connect(UnixDomainSocketAddress.of(socket));
            final ByteBuffer message = ByteBuffer.allocateDirect(size);
            for (long i = 0; i < count; i++)
            {
                message.clear();
                message.put(0, (byte)i);
                while (message.hasRemaining())
                {
                    channel.write(message);
                }
            }
        }
    }

    private static void udsEcho(final Path socket, final int rounds) throws IOException
    {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX))
        {
            channel.connect(UnixDomainSocketAddress.of(socket));
            final ByteBuffer message = ByteBuffer.allocateDirect(Long.BYTES);
            for (int i = 0; i < rounds; i++)
            {
                message.clear();
                while (message.hasRemaining())
                {
                    if (channel.read(message) < 0)
                    {
                        throw new IOException("peer closed at round " + i);
                    }
                }
                message.putLong(0, message.getLong(0) + 1).clear();
                while (message.hasRemaining())
                {
                    channel.write(message);
                }
            }
        }
    }

    /**
     * A consumer that keeps up takes a few records at a time from the cache lines the producer is writing, and the
     * lines bounce between the cores on every record: pausing briefly after a small batch lets the producer run
     * ahead, so the next batch is larger (the idea of Agrona's BackoffIdleStrategy).
     */
    private static void backOff()
    {
        for (int i = 0; i < BACK_OFF_SPINS; i++)
        {
            Thread.onSpinWait();
        }
    }

    /**
     * Polls until the consumers together have taken TOTAL, adding each batch to RECEIVED; after a small batch it
     * backs off a little, so that it does not pull the producer's cache line over for every record.
     */
    private static void consume(final AtomicBuffer control, final IntSupplier poll)
    {
        final long total = control.getLongVolatile(TOTAL);
        long idle = 0;
        while (control.getLongVolatile(RECEIVED) < total)
        {
            final int taken = poll.getAsInt();
            if (taken > 0)
            {
                received(control, taken, System.nanoTime());
                if (taken < SMALL_BATCH)
                {
                    backOff();
                }
            }
            else if (++idle % 128 == 0)
            {
                Thread.yield();
            }
            else
            {
                Thread.onSpinWait();
            }
        }
    }

    /** Adds a batch taken at {@code takenAt} to RECEIVED, stamping that time if it ends the warm-up or the run. */
    private static void received(final AtomicBuffer control, final int taken, final long takenAt)
    {
        final long before = control.getAndAddLong(RECEIVED, taken);
        final long after = before + taken;
        final long warmUp = control.getLongVolatile(WARM_UP);
        if (before < warmUp && after >= warmUp)
        {
            control.putLongVolatile(WARMED_COUNT, after);
            control.putLongVolatile(WARMED_AT, takenAt);
        }
        final long total = control.getLongVolatile(TOTAL);
        if (before < total && after >= total)
        {
            control.putLongVolatile(ENDED_AT, takenAt);
        }
    }

    /**
     * Adds one to READY and waits for START, as every child that meets its parent through such a control block does.
     *
     * @param control the control block.
     * @throws IllegalStateException if START does not come within two minutes.
     */
    static void awaitStart(final AtomicBuffer control)
    {
        control.getAndAddInt(READY, 1);
        final long deadline = System.nanoTime() + START_TIMEOUT_NANOS;
        while (control.getIntVolatile(START) == 0)
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new IllegalStateException("the benchmark never started");
            }
            Thread.yield();
        }
    }
}
