package dev.jipc.tools.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.ChildProcesses;
import dev.jipc.core.SegmentDirectory;
import dev.jipc.core.wait.WaitStrategy;
import dev.jipc.sync.Barrier;
import dev.jipc.sync.Lock;
import dev.jipc.sync.LongArray;
import dev.jipc.sync.LongValue;
import dev.jipc.sync.SyncArena;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code jipc bench lock}: two JVMs contend on one lock while incrementing a shared {@code LongValue}, beside Python's
 * {@code multiprocessing.Value} with {@code get_lock()} doing the same, interleaved in rounds. Throughput is the total
 * increments over the time from the first process's start (after a common barrier) to the last one's end, on the
 * host's monotonic clock, which every process reads alike.
 */
@Command(name = "lock", mixinStandardHelpOptions = true,
    description = "Two JVMs increment one LongValue under one lock, beside Python's Value + get_lock().")
final class LockBench implements Callable<Integer>
{
    private static final int PROCESSES = 2;
    private static final String[] LABELS = {
        "jipc Lock + LongValue.getRaw/setRaw",
        "jipc LongValue.getLock() + get/set (Python's program)",
        "jipc LongValue.getAndAdd (lock-free)"};
    private static final String[] MODES = {"lock", "value-lock", "get-and-add"};

    @Mixin
    RoundsOptions rounds = new RoundsOptions();

    @Option(names = "--increments", description = "Increments per JVM and round (default: ${DEFAULT-VALUE}).")
    long increments = 2_000_000;

    @Option(names = "--python-increments", description = "Increments per Python process and round " +
        "(default: ${DEFAULT-VALUE}).")
    long pythonIncrements = 100_000;

    @Option(names = "--strategy", description = "Wait strategy of the JVMs (default: ${DEFAULT-VALUE}).")
    WaitStrategy strategy = WaitStrategy.SPIN_THEN_PARK;

    @Override
    public Integer call() throws Exception
    {
        final InterleavedTable table = InterleavedTable.throughput(
            "program (2 processes, one counter)", null, "M increments/s", rounds);
        table.compareAllWith(table.add("Python multiprocessing.Value + get_lock()", this::python).shortName("Python"));
        for (int m = 0; m < MODES.length; m++)
        {
            final String label = LABELS[m];
            final String mode = MODES[m];
            table.add(label, () -> measure(label, mode));
        }
        table.run();
        table.print(System.out);
        return 0;
    }

    private InterleavedTable.Sample python() throws InterleavedTable.Unavailable
    {
        final List<String> out = Python.runRound("value_lock.py", 600, pythonIncrements, PROCESSES);
        final String[] fields = out.getFirst().trim().split(" ");
        final long total = Long.parseLong(fields[0]);
        return InterleavedTable.Sample.rate(total * 1e9 / Long.parseLong(fields[1]), total);
    }

    private InterleavedTable.Sample measure(final String label, final String mode) throws Exception
    {
        final Path directory = SegmentDirectory.defaultDirectory();
        final String name = "bench-lock-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
        try (SyncArena arena = SyncArena.create(directory, name, 8, 4096);
            Lock lock = arena.newLock();
            LongValue value = arena.newLongValue(0);
            Barrier barrier = arena.newBarrier(PROCESSES);
            LongArray times = arena.newLongArray(2 * PROCESSES))
        {
            try (ChildProcesses children = new ChildProcesses())
            {
                final List<ChildProcesses.Child> started = new ArrayList<>();
                for (int i = 0; i < PROCESSES; i++)
                {
                    final ChildJvm child = ChildJvm.of(SyncBenchChild.class)
                        .args(directory, name, mode, strategy, increments, i);
                    if (mode.equals("lock"))
                    {
                        child.args(lock.offset());
                    }
                    started.add(children.start(child.args(value.offset(), barrier.offset(), times.offset())));
                }
                final ProgressBar progress = new ProgressBar(label, PROCESSES * increments);
                for (final ChildProcesses.Child child : started)
                {
                    // no bound: a slow machine may take long over the increments, and the progress bar shows it
                    while (!child.process().waitFor(100, TimeUnit.MILLISECONDS))
                    {
                        progress.update(value.getRaw());
                    }
                    final int exit = child.process().exitValue();
                    if (exit != 0)
                    {
                        throw new IllegalStateException(label + ": a child JVM failed: exit=" + exit);
                    }
                }
                progress.finish();
            }
            finally
            {
                arena.unlink();
            }
            final long total = PROCESSES * increments;
            if (value.getRaw() != total)
            {
                throw new IllegalStateException(label + ": lost updates: value=" + value.getRaw() + ", expected=" +
                    total);
            }
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            for (int i = 0; i < PROCESSES; i++)
            {
                first = Math.min(first, times.getRaw(2 * i));
                last = Math.max(last, times.getRaw(2 * i + 1));
            }
            return InterleavedTable.Sample.rate(total * 1e9 / (last - first), total);
        }
    }
}
