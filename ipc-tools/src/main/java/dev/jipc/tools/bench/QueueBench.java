package dev.jipc.tools.bench;

import static dev.jipc.tools.bench.ChannelBenchChild.ENDED_AT;
import static dev.jipc.tools.bench.ChannelBenchChild.READY;
import static dev.jipc.tools.bench.ChannelBenchChild.RECEIVED;
import static dev.jipc.tools.bench.ChannelBenchChild.START;
import static dev.jipc.tools.bench.ChannelBenchChild.TOTAL;
import static dev.jipc.tools.bench.ChannelBenchChild.WARMED_AT;
import static dev.jipc.tools.bench.ChannelBenchChild.WARMED_COUNT;
import static dev.jipc.tools.bench.ChannelBenchChild.WARM_UP;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.ChildProcesses;
import dev.jipc.core.SharedMemory;
import dev.jipc.core.codec.Codecs;
import dev.jipc.core.queue.LongQueue;
import dev.jipc.core.queue.Producers;
import dev.jipc.core.queue.Queue;
import dev.jipc.core.wait.WaitStrategy;
import org.HdrHistogram.Histogram;
import org.agrona.BitUtil;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code jipc bench queue}: cross-process throughput of {@link LongQueue} and of {@code Queue<byte[]>} with 64-byte
 * messages, 1 to 1 and 2 to 2 (each producer and consumer its own JVM), beside the bare Agrona ring, Python's
 * {@code multiprocessing.Queue} and a Java Unix-domain socket; then put/take round trips between two JVMs over two
 * queues per wait strategy, beside the C futex floor. Each table's rows run interleaved in rounds.
 */
@Command(name = "queue", mixinStandardHelpOptions = true,
    description = "Queue throughput between JVMs (LongQueue, Queue<byte[]>) beside Python's Queue and a Unix socket, " +
        "then put/take round trips per wait strategy beside the C futex floor.")
final class QueueBench implements Callable<Integer>
{
    private static final Path DISCARD = Path.of("/dev/null");

    @Option(names = "--ring-messages", description = "Each ring is the smallest power of two that holds this many " +
        "of its messages (default: ${DEFAULT-VALUE}).")
    int ringMessages = 8192;

    @Option(names = "--warm-up-percent", description = "Percent of each throughput run's messages that warm the " +
        "JIT up untimed (default: ${DEFAULT-VALUE}).")
    int warmUpPercent = 20;

    @Option(names = "--long-messages", description = "LongQueue and bare ring messages per row and round " +
        "(default: ${DEFAULT-VALUE}).")
    long longMessages = 20_000_000;

    @Option(names = "--messages",
        description = "Queue<byte[]> and socket messages per row and round (default: ${DEFAULT-VALUE}).")
    long messages = 5_000_000;

    @Option(names = "--python-messages", description = "Python Queue messages per row and round " +
        "(default: ${DEFAULT-VALUE}).")
    long pythonMessages = 100_000;

    @Option(names = "--size", description = "Message size in bytes (default: ${DEFAULT-VALUE}).")
    int size = 64;

    @Mixin
    RoundsOptions rounds = new RoundsOptions();

    @Mixin
    RoundTripOptions sizes = new RoundTripOptions();

    @Override
    public Integer call() throws Exception
    {
        final int longCapacity = ringCapacity(Long.BYTES, ringMessages);
        final int bytesCapacity = ringCapacity(size, ringMessages);
        System.out.printf("rings: LongQueue %,d bytes, Queue<byte[]> %,d bytes (%,d messages or more each)%n",
            longCapacity, bytesCapacity, ringMessages);
        final InterleavedTable throughput = InterleavedTable.throughput("channel (separate JVMs / processes)",
            "producers -> consumers", "M msg/s", rounds);
        final List<InterleavedTable.Row> longQueues = new ArrayList<>();
        for (final int pairs : new int[]{1, 2})
        {
            longQueues.add(throughput.add("jipc LongQueue (8-byte longs)", pairs + " -> " + pairs,
                () -> measure("LongQueue", pairs, longMessages, () ->
                {
                    final LongQueue queue = LongQueue.create(name(), longCapacity);
                    return new Target(queue.name(), queue, queue::unlink);
                }, "long-producer", "long-consumer")).bytesPerMessage(Long.BYTES));
        }
        // the single-producer ring between two JVMs, and the same ring between two threads of one JVM: the
        // cross-process cost is the difference
        final Creator singleProducer = () ->
        {
            final LongQueue queue = LongQueue.create(name(), longCapacity, Producers.ONE);
            return new Target(queue.name(), queue, queue::unlink);
        };
        longQueues.add(throughput.add("jipc LongQueue, Producers.ONE (8-byte longs)", "1 -> 1",
            () -> measure("LongQueue ONE", 1, longMessages, singleProducer, "long-producer", "long-consumer"))
            .bytesPerMessage(Long.BYTES).shortName("LongQueue ONE"));
        longQueues.add(throughput.add("jipc LongQueue, Producers.ONE, two threads of one JVM", "1 -> 1",
            () -> measure("LongQueue ONE in one JVM", 1, longMessages, singleProducer, null, "long-threads"))
            .bytesPerMessage(Long.BYTES));
        // The ceiling over LongQueue: the same ring with nothing around it (no blocking, no producer registry, no
        // consumer lock, no dead-producer recovery), so one consumer only.
        final InterleavedTable.Row bareRing = throughput.add(
            "bare Agrona ManyToOneRingBuffer (8-byte longs, spinning, one consumer)", "1 -> 1",
            () -> measure("bare ManyToOneRingBuffer", 1, longMessages, () ->
            {
                final SharedMemory ring = SharedMemory.create(name(),
                    longCapacity + RingBufferDescriptor.TRAILER_LENGTH);
                return new Target(ring.name(), ring, ring::unlink);
            }, "ring-producer", "ring-consumer")).bytesPerMessage(Long.BYTES).shortName("bare ring");
        longQueues.forEach(row -> row.against(bareRing));
        // per process count: the consumers' two ways of taking, an array per message and the bytes in place
        final List<List<InterleavedTable.Row>> byteQueues = List.of(new ArrayList<>(), new ArrayList<>());
        for (final int pairs : new int[]{1, 2})
        {
            for (final String[] way : new String[][] {
                {"", "bytes-consumer"}, {", drain(handler) in place", "bytes-in-place-consumer"}})
            {
                byteQueues.get(pairs - 1).add(throughput.add("jipc Queue<byte[]> (" + size + " B)" + way[0],
                    pairs + " -> " + pairs, () -> measure("Queue<byte[]>", pairs, messages,
                        bytesQueue(bytesCapacity, Producers.MANY), "bytes-producer", way[1])).bytesPerMessage(size));
            }
        }
        for (final String[] way : new String[][] {
            {"", "bytes-consumer"}, {", drain(handler) in place", "bytes-in-place-consumer"}})
        {
            byteQueues.getFirst().add(throughput.add("jipc Queue<byte[]> (" + size + " B), Producers.ONE" + way[0],
                "1 -> 1", () -> measure("Queue<byte[]> ONE", 1, messages, bytesQueue(bytesCapacity, Producers.ONE),
                    "bytes-producer", way[1])).bytesPerMessage(size));
        }
        // The floor under the 64-byte rows: the same messages through the plainest ring (one producer, one
        // consumer, a sequence per record, nothing else), so what the queue adds to the cores' traffic is visible.
        throughput.add("raw ring of " + size + "-byte records (a sequence each, one producer, spinning: the floor)",
            "1 -> 1", () -> measure("sequenced records", 1, messages, () ->
            {
                final SharedMemory ring = SharedMemory.create(name(), SequencedRecords.length(bytesCapacity));
                SequencedRecords.format(ring.buffer(), size);
                return new Target(ring.name(), ring, ring::unlink);
            }, "records-producer", "records-consumer")).bytesPerMessage(size).shortName("raw records");
        final InterleavedTable.Row socket = throughput.add(
            "Java Unix-domain socket (" + size + " B, a write per message)", "1 -> 1",
            () -> InterleavedTable.Sample.rate(unixSocket(), messages)).bytesPerMessage(size);
        for (final int pairs : new int[]{1, 2})
        {
            final InterleavedTable.Row python = throughput.add("Python multiprocessing.Queue (" + size + " B)",
                pairs + " -> " + pairs, () -> python(pairs)).bytesPerMessage(size)
                .shortName("Python " + pairs + " -> " + pairs);
            byteQueues.get(pairs - 1).forEach(row -> row.against(python));
            if (pairs == 1)
            {
                socket.against(python);
            }
        }
        throughput.run();
        throughput.print(System.out);
        System.out.println();
        final InterleavedTable latency = InterleavedTable.latency(
            "queue put/take round trip (2 JVMs, ping-pong over two queues)", rounds);
        latency.addPerStrategy("jipc LongQueue, ",
            strategy -> InterleavedTable.Sample.latency(longPingPong(strategy, longCapacity)));
        latency.addPerStrategy("jipc Queue<byte[]> (" + size + " B), ",
            strategy -> InterleavedTable.Sample.latency(bytesPingPong(strategy, bytesCapacity)));
        NativeBaseline.addFutexFloor(latency, sizes);
        latency.run();
        latency.print(System.out);
        sizes.writeCharts("queue", latency, System.out);
        return 0;
    }

    private static Creator bytesQueue(final int capacity, final Producers producers)
    {
        return () ->
        {
            final Queue<byte[]> queue = Queue.create(name(), capacity, Codecs.bytes(), producers);
            return new Target(queue.name(), queue, queue::unlink);
        };
    }

    private InterleavedTable.Sample python(final int pairs) throws InterleavedTable.Unavailable
    {
        final String[] result = Python.runRound("mp_queue.py", 600, pairs, pairs, pythonMessages, size)
            .getFirst().trim().split(" ");
        final long expected = pythonMessages / pairs * pairs;
        if (Long.parseLong(result[0]) != expected)
        {
            throw new IllegalStateException("python consumers took " + result[0] + " of " + expected);
        }
        return InterleavedTable.Sample.rate(expected / Double.parseDouble(result[1]), expected);
    }

    private InterleavedTable.Sample measure(final String label, final int pairs, final long total,
        final Creator creator, final String producerRole, final String consumerRole) throws Exception
    {
        return InterleavedTable.Sample.rate(measureOnce(label, pairs, total, creator, producerRole, consumerRole),
            total / pairs * pairs);
    }

    /** Round trips of a long: this JVM puts to PING and takes the answer, one more, from PONG. */
    private Histogram longPingPong(final WaitStrategy strategy, final int capacity) throws Exception
    {
        final String label = "LongQueue put/take " + strategy;
        try (LongQueue ping = LongQueue.create(name(), capacity).waitStrategy(strategy);
            LongQueue pong = LongQueue.create(name(), capacity).waitStrategy(strategy);
            ChildProcesses children = new ChildProcesses())
        {
            try
            {
                final ChildProcesses.Child child = children.start(ChildJvm.of(ChannelBenchChild.class)
                    .args("long-pong", ping.name(), pong.name(), strategy, sizes.total()));
                final long[] answer = new long[1];
                final LongConsumer taker = value -> answer[0] = value;
                final Histogram histogram = RoundTrips.measure(label, sizes, (round, timeoutNanos) ->
                {
                    ping.put(round);
                    if (!pong.poll(taker, timeoutNanos, TimeUnit.NANOSECONDS) || answer[0] != round + 1)
                    {
                        throw new IllegalStateException(label + ": no or wrong answer to round " + round);
                    }
                });
                RoundTrips.awaitPartner(child, label);
                return histogram;
            }
            finally
            {
                ping.unlink();
                pong.unlink();
            }
        }
    }

    /** Round trips of a byte array: this JVM puts it to PING, the other takes it and puts it back to PONG. */
    private Histogram bytesPingPong(final WaitStrategy strategy, final int capacity) throws Exception
    {
        final String label = "Queue<byte[]> put/take " + strategy;
        try (Queue<byte[]> ping = Queue.create(name(), capacity, Codecs.bytes()).waitStrategy(strategy);
            Queue<byte[]> pong = Queue.create(name(), capacity, Codecs.bytes()).waitStrategy(strategy);
            ChildProcesses children = new ChildProcesses())
        {
            try
            {
                final ChildProcesses.Child child = children.start(ChildJvm.of(ChannelBenchChild.class)
                    .args("bytes-pong", ping.name(), pong.name(), strategy, sizes.total()));
                final byte[] message = new byte[size];
                final Histogram histogram = RoundTrips.measure(label, sizes, (round, timeoutNanos) ->
                {
                    message[0] = (byte)round;
                    ping.put(message);
                    final byte[] answer = pong.poll(timeoutNanos, TimeUnit.NANOSECONDS);
                    if (answer == null || answer.length != size || answer[0] != (byte)round)
                    {
                        throw new IllegalStateException(label + ": no or wrong answer to round " + round);
                    }
                });
                RoundTrips.awaitPartner(child, label);
                return histogram;
            }
            finally
            {
                ping.unlink();
                pong.unlink();
            }
        }
    }

    /**
     * Rings are sized by messages in flight, not bytes, so that a queue of 72-byte records is not measured with a
     * ring that holds a fifth as many messages as the queue of 16-byte ones.
     *
     * @param payloadLength the bytes of each message.
     * @param messages      how many messages the ring must hold.
     * @return the smallest power of two that holds them.
     */
    static int ringCapacity(final int payloadLength, final int messages)
    {
        final int recordLength =
            BitUtil.align(RecordDescriptor.HEADER_LENGTH + payloadLength, RecordDescriptor.ALIGNMENT);
        return BitUtil.findNextPositivePowerOfTwo(recordLength * messages);
    }

    private double measureOnce(final String label, final int pairs, final long total, final Creator creator,
        final String producerRole, final String consumerRole) throws Exception
    {
        final Target target = creator.create();
        final String queueName = target.name();
        final List<ChildProcesses.Child> started = new ArrayList<>();
        try (SharedMemory control = SharedMemory.create(ChannelBenchChild.CONTROL_LENGTH);
            AutoCloseable queue = target.handle();
            ChildProcesses children = new ChildProcesses())
        {
            final AtomicBuffer buffer = control.buffer();
            final long messages = total / pairs * pairs;
            buffer.putLongVolatile(TOTAL, messages);
            // at least one message warms up, so that a consumer stamps WARMED_AT
            buffer.putLongVolatile(WARM_UP, Math.max(1, messages * warmUpPercent / 100));
            for (int c = 0; c < pairs; c++)
            {
                started.add(children.start(ChildJvm.of(ChannelBenchChild.class)
                    .args(consumerRole, control.name(), queueName).output(DISCARD)));
            }
            for (int p = 0; producerRole != null && p < pairs; p++)
            {
                started.add(children.start(ChildJvm.of(ChannelBenchChild.class)
                    .args(producerRole, control.name(), queueName, total / pairs, size).output(DISCARD)));
            }
            awaitValue(() -> buffer.getIntVolatile(READY) >= pairs * 2, 120, label + ": children never started");
            final ProgressBar progress = new ProgressBar(label + " " + pairs + " -> " + pairs, messages);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600);
            buffer.putIntVolatile(START, 1);
            long received;
            // a consumer writes its stamp just after its add: wait for the stamps too
            while ((received = buffer.getLongVolatile(RECEIVED)) < messages ||
                buffer.getLongVolatile(WARMED_AT) == 0 || buffer.getLongVolatile(ENDED_AT) == 0)
            {
                if (System.nanoTime() - deadline > 0)
                {
                    throw new IllegalStateException(label + ": timed out at received=" + received);
                }
                for (final ChildProcesses.Child child : started)
                {
                    if (!child.isAlive() && child.process().exitValue() != 0)
                    {
                        throw new IllegalStateException(label + ": a child JVM failed at received=" + received);
                    }
                }
                progress.update(received);
                Thread.sleep(1);
            }
            progress.finish();
            final long timed = messages - buffer.getLongVolatile(WARMED_COUNT);
            final long elapsed = buffer.getLongVolatile(ENDED_AT) - buffer.getLongVolatile(WARMED_AT);
            for (final ChildProcesses.Child child : started)
            {
                try
                {
                    ChildProcesses.awaitSuccess(child, 60, TimeUnit.SECONDS);
                }
                catch (final IllegalStateException ex)
                {
                    throw new IllegalStateException(label + ": a child JVM failed: " + ex.getMessage(), ex);
                }
            }
            target.unlink().run();
            control.unlink();
            // the batch that ended the warm-up may also have ended the run: then nothing was timed
            if (timed == 0 || elapsed <= 0)
            {
                throw new IllegalStateException(label + ": the run ended within the warm-up; give more messages");
            }
            return timed / (elapsed / 1e9);
        }
    }

    private double unixSocket() throws Exception
    {
        final Path dir = Files.createTempDirectory("jipc-uds-");
        final Path socket = dir.resolve("bench.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            ChildProcesses children = new ChildProcesses())
        {
            server.bind(UnixDomainSocketAddress.of(socket));
            final ChildProcesses.Child child =
                children.start(ChildJvm.of(ChannelBenchChild.class).args("uds-send", socket, messages, size));
            try (SocketChannel channel = server.accept())
            {
                final ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 16);
                final long total = messages * size;
                final ProgressBar progress = new ProgressBar("Unix-domain socket 1 -> 1", total);
                final long firstRead = channel.read(buffer);
                long received = firstRead;
                final long start = System.nanoTime();
                while (received < total)
                {
                    buffer.clear();
                    final int read = channel.read(buffer);
                    if (read < 0)
                    {
                        throw new IOException("socket closed at " + received + " bytes");
                    }
                    received += read;
                    progress.update(received);
                }
                final long elapsed = System.nanoTime() - start;
                progress.finish();
                // the first read waited for the child JVM to start: the clock starts after it, so what it brought
                // is not counted
                return (double)(total - firstRead) / size / (elapsed / 1e9);
            }
            finally
            {
                // the sending JVM ends after its last message; closing the group kills it if it has not by then
                child.process().waitFor(60, TimeUnit.SECONDS);
            }
        }
        finally
        {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        }
    }

    private static void awaitValue(final java.util.function.BooleanSupplier condition, final int seconds,
        final String failure) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new IllegalStateException(failure);
            }
            Thread.sleep(1);
        }
    }

    private static String name()
    {
        return "bench_" + Long.toHexString(System.nanoTime());
    }

    /** Makes the channel under test. */
    @FunctionalInterface
    private interface Creator
    {
        Target create();
    }

    /** A channel under test: the name its children open, the parent's handle, and how to remove it. */
    private record Target(String name, AutoCloseable handle, Runnable unlink)
    {
    }
}
