package dev.jipc.tools.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
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
import picocli.CommandLine.Option;

/**
 * {@code jipc bench lock}: two JVMs contend on one lock while incrementing a shared {@code LongValue}, beside Python's
 * {@code multiprocessing.Value} with {@code get_lock()} doing the same in the same run. Throughput is the total
 * increments over the time from the first process's start (after a common barrier) to the last one's end, on the
 * host's monotonic clock, which every process reads alike. Each program runs
 * {@code --runs} times, interleaved with the others, and the run with the median throughput is reported, so that one
 * unlucky time slice on a shared machine does not decide the ratio.
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

    @Option(names = "--increments", description = "Increments per JVM (default: ${DEFAULT-VALUE}).")
    long increments = 5_000_000;

    @Option(names = "--python-increments", description = "Increments per Python process (default: ${DEFAULT-VALUE}).")
    long pythonIncrements = 200_000;

    @Option(names = "--strategy", description = "Wait strategy of the JVMs (default: ${DEFAULT-VALUE}).")
    WaitStrategy strategy = WaitStrategy.SPIN_THEN_PARK;

    @Option(names = "--runs", description = "Runs of each program; the median is reported (default: ${DEFAULT-VALUE}).")
    int runs = 3;

    @Override
    public Integer call() throws Exception
    {
        if (runs < 1)
        {
            throw new IllegalArgumentException("runs must be positive: runs=" + runs);
        }
        final Optional<Path> python = Python.find();
        final Run[][] results = new Run[MODES.length + 1][runs];
        for (int run = 0; run < runs; run++)
        {
            if (python.isPresent())
            {
                results[MODES.length][run] = python(python.get());
            }
            for (int m = 0; m < MODES.length; m++)
            {
                results[m][run] = measure(LABELS[m], MODES[m]);
            }
        }
        final ResultTable table = new ResultTable(
            "program (2 processes, one counter)", "increments", "seconds", "increments/s", "vs Python");
        double baseline = Double.NaN;
        if (python.isPresent())
        {
            final Run median = median(results[MODES.length]);
            baseline = median.rate();
            table.add("Python multiprocessing.Value + get_lock()", String.format("%,d", median.total),
                seconds(median.nanos), ResultTable.rate(baseline), "1.0x");
        }
        else
        {
            System.out.println("(no python3 on the PATH: the Python baseline was skipped)");
        }
        for (int m = 0; m < MODES.length; m++)
        {
            final Run median = median(results[m]);
            table.add(LABELS[m], String.format("%,d", median.total), seconds(median.nanos),
                ResultTable.rate(median.rate()),
                Double.isNaN(baseline) ? "n/a" : String.format("%.1fx", median.rate() / baseline));
        }
        table.print(System.out);
        return 0;
    }

    /** One run of one program: increments in all, and the time from the first start to the last end. */
    private record Run(long total, long nanos)
    {
        double rate()
        {
            return total * 1e9 / nanos;
        }
    }

    private static Run median(final Run[] runs)
    {
        final Run[] sorted = runs.clone();
        Arrays.sort(sorted, Comparator.comparingDouble(Run::rate));
        return sorted[sorted.length / 2];
    }

    private Run python(final Path python)
    {
        final List<String> out = Python.run(python, "value_lock.py", 600, pythonIncrements, PROCESSES);
        final String[] fields = out.get(0).trim().split(" ");
        return new Run(Long.parseLong(fields[0]), Long.parseLong(fields[1]));
    }

    private Run measure(final String label, final String mode) throws Exception
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
            return new Run(total, last - first);
        }
    }

    private static String seconds(final long nanos)
    {
        return String.format("%.3f", nanos / 1e9);
    }
}
