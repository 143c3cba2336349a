package dev.jipc.tools.bench;

import static dev.jipc.tools.bench.DurableBenchChild.APPEND_FROM;
import static dev.jipc.tools.bench.DurableBenchChild.APPEND_TO;
import static dev.jipc.tools.bench.DurableBenchChild.COUNT;
import static dev.jipc.tools.bench.DurableBenchChild.MAX;
import static dev.jipc.tools.bench.DurableBenchChild.P50;
import static dev.jipc.tools.bench.DurableBenchChild.P99;
import static dev.jipc.tools.bench.DurableBenchChild.P999;
import static dev.jipc.tools.bench.DurableBenchChild.READY;
import static dev.jipc.tools.bench.DurableBenchChild.READ_FROM;
import static dev.jipc.tools.bench.DurableBenchChild.READ_TO;
import static dev.jipc.tools.bench.DurableBenchChild.START;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Stream;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.ChildProcesses;
import dev.jipc.core.SharedMemory;
import org.agrona.concurrent.AtomicBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code jipc bench durable}: {@link dev.jipc.durable.DurableQueue} between two JVMs beside a raw Chronicle Queue
 * (appender and tailer, no jipc layer) and jipc's in-memory {@code Queue<byte[]>}, in the same run: the append and
 * the read throughput of one producer JVM and one consumer JVM, then the one-way latency from a producer sending at a
 * fixed rate to a consumer; both tables' rows run interleaved in rounds, each round of a row with a fresh journal
 * (or queue) and two fresh JVMs ({@link DurableBenchChild}), and each is compared with raw Chronicle's row of the
 * same round. The journals go to a fresh directory of the user's own under {@code --directory}, removed after the
 * round.
 */
@Command(name = "durable", mixinStandardHelpOptions = true,
    description = "DurableQueue append and read throughput and one-way latency between two JVMs, beside a raw " +
        "Chronicle Queue (appender and tailer) and jipc's in-memory Queue<byte[]>.")
final class DurableBench implements Callable<Integer>
{
    private static final long TIMEOUT_SECONDS = 300;
    private static final int RING_MESSAGES = 8192;
    /** The target: jipc's layer costs at most this much over raw Chronicle. */
    private static final double TARGET = 1.3;
    private static final String RAW_CHRONICLE = "raw Chronicle";

    @Mixin
    RoundsOptions rounds = threeRounds();

    @Option(names = "--messages", description = "Messages per throughput row and round (default: ${DEFAULT-VALUE}).")
    long messages = 2_000_000;

    // half: with a producer and a consumer busy on two CPUs, the JIT compiles slowly, and a deeper path (jipc's
    // layer over Chronicle's) later: a shorter warm-up times the compilation, not the channel
    @Option(names = "--warm-up-percent", description = "Percent of each throughput run's messages that warm the " +
        "JIT up untimed (default: ${DEFAULT-VALUE}).")
    int warmUpPercent = 50;

    @Option(names = "--latency-messages", description = "Measured messages per latency row and round " +
        "(default: ${DEFAULT-VALUE}).")
    long latencyMessages = 10_000;

    @Option(names = "--latency-warm-up", description = "Unmeasured messages first, sent unpaced, per latency row " +
        "and round (default: ${DEFAULT-VALUE}).")
    long latencyWarmUp = 50_000;

    @Option(names = "--rate", description = "Messages per second the latency producer sends " +
        "(default: ${DEFAULT-VALUE}).")
    long rate = 5_000;

    @Option(names = "--size", description = "Message size in bytes (default: ${DEFAULT-VALUE}).")
    int size = 64;

    @Option(names = "--directory", description = "Where each round's journal directory is made: a file system of " +
        "the kind to measure (default: the system's temporary directory, ${DEFAULT-VALUE}).")
    Path directory = Path.of(System.getProperty("java.io.tmpdir"));

    /** The read sample of each channel's last throughput round, measured with its append row. */
    private final Map<DurableBenchChannel, InterleavedTable.Sample> reads = new EnumMap<>(DurableBenchChannel.class);

    @Override
    public Integer call() throws Exception
    {
        if (size < DurableBenchChild.MIN_SIZE || messages < 2 || warmUpPercent < 1 || warmUpPercent > 99 ||
            latencyMessages < 1 || latencyWarmUp < 1 || rate < 1)
        {
            throw new IllegalArgumentException("size must be " + DurableBenchChild.MIN_SIZE + " or more, messages 2 " +
                "or more, the warm-up percent from 1 to 99, the latency messages, warm-up and rate positive: size=" +
                size + ", messages=" + messages + ", warmUpPercent=" + warmUpPercent + ", latencyMessages=" +
                latencyMessages + ", latencyWarmUp=" + latencyWarmUp + ", rate=" + rate);
        }
        DurableBenchChannel.applyChronicleDefaults();
        System.out.printf(Locale.ROOT, "journals under %s; append: DurableQueue.put, Chronicle " +
            "ExcerptAppender.writingDocument, Queue.put; read: DurableConsumer.poll acknowledging every %d, " +
            "Chronicle ExcerptTailer.readingDocument into a reused byte[], Queue.poll; every consumer polls in a " +
            "busy loop; load average before the run: %s%n", directory.toAbsolutePath(), DurableBenchChannel.ACK_EVERY,
            ManagerBench.loadAverage());
        final InterleavedTable throughput = InterleavedTable.throughput(String.format(Locale.ROOT,
            "%d B messages, 1 producer JVM -> 1 consumer JVM", size), "timed", "M msg/s", rounds);
        final Map<DurableBenchChannel, InterleavedTable.Row> appendRows = new EnumMap<>(DurableBenchChannel.class);
        final Map<DurableBenchChannel, InterleavedTable.Row> readRows = new EnumMap<>(DurableBenchChannel.class);
        for (final DurableBenchChannel channel : DurableBenchChannel.values())
        {
            appendRows.put(channel, throughput.add(channel.label(), "append", () -> throughputRound(channel))
                .bytesPerMessage(size));
        }
        for (final DurableBenchChannel channel : DurableBenchChannel.values())
        {
            readRows.put(channel, throughput.add(channel.label(), "read", () -> takeRead(channel))
                .bytesPerMessage(size));
        }
        final InterleavedTable.Row rawAppend = appendRows.get(DurableBenchChannel.CHRONICLE).shortName(RAW_CHRONICLE);
        final InterleavedTable.Row rawRead = readRows.get(DurableBenchChannel.CHRONICLE).shortName(RAW_CHRONICLE);
        for (final DurableBenchChannel channel : List.of(DurableBenchChannel.DURABLE, DurableBenchChannel.DURABLE_BYTES,
            DurableBenchChannel.QUEUE))
        {
            appendRows.get(channel).against(rawAppend);
            readRows.get(channel).against(rawRead);
        }
        final InterleavedTable latency = InterleavedTable.latency(String.format(Locale.ROOT,
            "one-way latency, %d B at %,d msg/s, producer JVM -> consumer JVM", size, rate), rounds);
        final Map<DurableBenchChannel, InterleavedTable.Row> latencyRows = new EnumMap<>(DurableBenchChannel.class);
        for (final DurableBenchChannel channel : DurableBenchChannel.values())
        {
            latencyRows.put(channel, latency.add(channel.label(), () -> latencyRound(channel)));
        }
        latency.compareAllWith(latencyRows.get(DurableBenchChannel.CHRONICLE).shortName(RAW_CHRONICLE));
        latency.referenceName(RAW_CHRONICLE, "the raw Chronicle Queue row's");
        latency.countName("messages");
        throughput.run();
        System.out.println();
        throughput.print(System.out);
        latency.run();
        System.out.println();
        latency.print(System.out);
        System.out.println();
        System.out.println(summary(appendRows, readRows, latencyRows));
        return 0;
    }

    /** Three rounds by default, not five: each round of a row starts two JVMs, and the run stays within a minute. */
    private static RoundsOptions threeRounds()
    {
        final RoundsOptions options = new RoundsOptions();
        options.rounds = 3;
        return options;
    }

    /** The target beside what this run measured: figures to read, not assertions. */
    private static String summary(final Map<DurableBenchChannel, InterleavedTable.Row> appendRows,
        final Map<DurableBenchChannel, InterleavedTable.Row> readRows,
        final Map<DurableBenchChannel, InterleavedTable.Row> latencyRows)
    {
        // a throughput row costs more the lower its rate (which a sample holds where a latency one holds its p50),
        // a latency row the higher its time
        return String.format(Locale.ROOT, "target (a figure, not asserted): jipc's layer costs at most %.1fx raw " +
            "Chronicle on throughput and on p99; here DurableQueue costs %s on append, %s on read (%s through " +
            "poll(handler)) and %s on p99 latency (the medians of the per-round ratios)", TARGET,
            cost(appendRows.get(DurableBenchChannel.CHRONICLE), appendRows.get(DurableBenchChannel.DURABLE),
                InterleavedTable.P50),
            cost(readRows.get(DurableBenchChannel.CHRONICLE), readRows.get(DurableBenchChannel.DURABLE),
                InterleavedTable.P50),
            cost(readRows.get(DurableBenchChannel.CHRONICLE), readRows.get(DurableBenchChannel.DURABLE_BYTES),
                InterleavedTable.P50),
            cost(latencyRows.get(DurableBenchChannel.DURABLE), latencyRows.get(DurableBenchChannel.CHRONICLE),
                InterleavedTable.P99));
    }

    /** The median over the rounds of one row's metric over another's, with whether it meets the target. */
    private static String cost(final InterleavedTable.Row numerator, final InterleavedTable.Row denominator,
        final int metric)
    {
        final double cost = RoundStatistics.median(RoundStatistics.ratios(numerator.values(metric),
            denominator.values(metric)));
        return String.format(Locale.ROOT, "%.2fx (%s)", cost, cost <= TARGET ? "met" : "missed");
    }

    /** One throughput round of a channel: returns its append sample and keeps its read sample for its read row. */
    private InterleavedTable.Sample throughputRound(final DurableBenchChannel channel) throws Exception
    {
        final long warmUp = Math.max(1, messages * warmUpPercent / 100);
        final long timed = messages - warmUp;
        return round(channel, DurableBenchChild.THROUGHPUT, messages, warmUp, 0, control ->
        {
            reads.put(channel, InterleavedTable.Sample.rate(
                timed * 1e9 / (control.getLongVolatile(READ_TO) - control.getLongVolatile(READ_FROM)), timed));
            return InterleavedTable.Sample.rate(
                timed * 1e9 / (control.getLongVolatile(APPEND_TO) - control.getLongVolatile(APPEND_FROM)), timed);
        });
    }

    private InterleavedTable.Sample takeRead(final DurableBenchChannel channel)
    {
        final InterleavedTable.Sample read = reads.remove(channel);
        if (read == null)
        {
            throw new IllegalStateException(channel.label() + ": no throughput round ran before its read row");
        }
        return read;
    }

    private InterleavedTable.Sample latencyRound(final DurableBenchChannel channel) throws Exception
    {
        return round(channel, DurableBenchChild.LATENCY, latencyWarmUp + latencyMessages, latencyWarmUp, rate,
            control -> new InterleavedTable.Sample(new double[]{control.getLong(P50), control.getLong(P99),
                control.getLong(P999), control.getLong(MAX)}, control.getLongVolatile(COUNT), null));
    }

    /**
     * Runs a producer and a consumer JVM over a fresh channel until both have exited cleanly.
     *
     * @return the sample read from the control block they wrote their results into.
     */
    private InterleavedTable.Sample round(final DurableBenchChannel channel, final String mode, final long total,
        final long warmUp, final long perSecond, final Function<AtomicBuffer, InterleavedTable.Sample> result)
        throws Exception
    {
        final String label = channel.label() + " " + mode;
        final Path root = Files.createTempDirectory(directory, "jipc-bench-durable-");
        try
        {
            final String target = channel.create(root.resolve("journal"),
                QueueBench.ringCapacity(size, RING_MESSAGES));
            try (SharedMemory control = SharedMemory.create(DurableBenchChild.CONTROL_LENGTH);
                ChildProcesses children = new ChildProcesses(root.resolve("logs")))
            {
                try
                {
                    final List<ChildProcesses.Child> started = List.of(
                        children.start(ChildJvm.of(DurableBenchChild.class).args(DurableBenchChild.CONSUMER, mode,
                            channel, control.name(), target, size, total, warmUp)),
                        children.start(ChildJvm.of(DurableBenchChild.class).args(DurableBenchChild.PRODUCER, mode,
                            channel, control.name(), target, size, total, warmUp, perSecond)));
                    final AtomicBuffer buffer = control.buffer();
                    final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
                    await(label, started, deadline, () -> buffer.getIntVolatile(READY) >= started.size());
                    buffer.putIntVolatile(START, 1);
                    await(label, started, deadline, () -> started.stream().noneMatch(ChildProcesses.Child::isAlive));
                    for (final ChildProcesses.Child child : started)
                    {
                        requireSuccess(label, child);
                    }
                    return result.apply(buffer);
                }
                finally
                {
                    control.unlink();
                }
            }
            finally
            {
                channel.remove(target);
            }
        }
        finally
        {
            deleteTree(root);
        }
    }

    /** Waits for a condition, sleeping between looks so that the children have the CPUs; throws if one fails. */
    private static void await(final String label, final List<ChildProcesses.Child> children, final long deadline,
        final BooleanSupplier condition) throws InterruptedException
    {
        while (!condition.getAsBoolean())
        {
            for (final ChildProcesses.Child child : children)
            {
                if (!child.isAlive())
                {
                    requireSuccess(label, child);
                }
            }
            if (System.nanoTime() - deadline > 0)
            {
                throw new IllegalStateException(label + ": the child JVMs did not finish within " + TIMEOUT_SECONDS +
                    " s");
            }
            Thread.sleep(10);
        }
    }

    /** Throws, with the child's log, unless it exited with status 0 (waiting a little for it to exit). */
    private static void requireSuccess(final String label, final ChildProcesses.Child child)
        throws InterruptedException
    {
        try
        {
            ChildProcesses.awaitSuccess(child, 10, TimeUnit.SECONDS);
        }
        catch (final IllegalStateException ex)
        {
            throw new IllegalStateException(label + ": a child JVM failed: " + ex.getMessage(), ex);
        }
    }

    private static void deleteTree(final Path root) throws IOException
    {
        try (Stream<Path> files = Files.walk(root))
        {
            for (final Path file : files.sorted(Comparator.reverseOrder()).toList())
            {
                Files.delete(file);
            }
        }
    }
}
