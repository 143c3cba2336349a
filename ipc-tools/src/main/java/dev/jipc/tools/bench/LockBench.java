package dev.jipc.tools.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.SegmentDirectory;
import dev.jipc.core.WaitStrategy;
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
 * increments over the time of the slower process, from a common start at a barrier.
 */
@Command(name = "lock", mixinStandardHelpOptions = true,
    description = "Two JVMs increment one LongValue under one lock, beside Python's Value + get_lock().")
final class LockBench implements Callable<Integer>
{
    private static final int PROCESSES = 2;

    @Option(names = "--increments", description = "Increments per JVM (default: ${DEFAULT-VALUE}).")
    long increments = 5_000_000;

    @Option(names = "--python-increments", description = "Increments per Python process (default: ${DEFAULT-VALUE}).")
    long pythonIncrements = 200_000;

    @Option(names = "--strategy", description = "Wait strategy of the JVMs (default: ${DEFAULT-VALUE}).")
    WaitStrategy strategy = WaitStrategy.SPIN_THEN_PARK;

    @Override
    public Integer call() throws Exception
    {
        final ResultTable table = new ResultTable(
            "program (2 processes, one counter)", "increments", "seconds", "increments/s", "vs Python");
        final double python = python(table);
        measure(table, "jipc Lock + LongValue.getRaw/setRaw", "lock", python);
        measure(table, "jipc LongValue.getLock() + get/set (Python's program)", "value-lock", python);
        measure(table, "jipc LongValue.getAndAdd (lock-free)", "get-and-add", python);
        table.print(System.out);
        return 0;
    }

    private double python(final ResultTable table)
    {
        final String label = "Python multiprocessing.Value + get_lock()";
        return Python.find().map(python ->
        {
            final List<String> out = Python.run(python, "value_lock.py", 600, pythonIncrements, PROCESSES);
            final String[] fields = out.get(0).trim().split(" ");
            final long total = Long.parseLong(fields[0]);
            final long nanos = Long.parseLong(fields[1]);
            final double rate = total * 1e9 / nanos;
            table.add(label, String.format("%,d", total), seconds(nanos), ResultTable.rate(rate), "1.0x");
            return rate;
        }).orElseGet(() ->
        {
            System.out.println("(no python3 on the PATH: the Python baseline was skipped)");
            return Double.NaN;
        });
    }

    private void measure(final ResultTable table, final String label, final String mode, final double python)
        throws Exception
    {
        final Path directory = SegmentDirectory.defaultDirectory();
        final String name = "bench-lock-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
        try (SyncArena arena = SyncArena.create(directory, name, 8, 4096);
            Lock lock = arena.newLock();
            LongValue value = arena.newLongValue(0);
            Barrier barrier = arena.newBarrier(PROCESSES);
            LongArray times = arena.newLongArray(PROCESSES))
        {
            final Process[] children = new Process[PROCESSES];
            try
            {
                for (int i = 0; i < PROCESSES; i++)
                {
                    final ChildJvm child = ChildJvm.of(SyncBenchChild.class)
                        .args(directory, name, mode, strategy, increments, i);
                    if (mode.equals("lock"))
                    {
                        child.args(lock.offset());
                    }
                    children[i] = child.args(value.offset(), barrier.offset(), times.offset()).start();
                }
                final ProgressBar progress = new ProgressBar(label, PROCESSES * increments);
                for (final Process child : children)
                {
                    while (!child.waitFor(100, TimeUnit.MILLISECONDS))
                    {
                        progress.update(value.getRaw());
                    }
                    if (child.exitValue() != 0)
                    {
                        throw new IllegalStateException(label + ": a child JVM failed: exit=" + child.exitValue());
                    }
                }
                progress.finish();
            }
            finally
            {
                for (final Process child : children)
                {
                    if (child != null)
                    {
                        child.destroyForcibly();
                    }
                }
                arena.unlink();
            }
            final long total = PROCESSES * increments;
            if (value.getRaw() != total)
            {
                throw new IllegalStateException(label + ": lost updates: value=" + value.getRaw() + ", expected=" +
                    total);
            }
            final long nanos = Math.max(times.getRaw(0), times.getRaw(1));
            final double rate = total * 1e9 / nanos;
            table.add(label, String.format("%,d", total), seconds(nanos), ResultTable.rate(rate),
                Double.isNaN(python) ? "n/a" : String.format("%.1fx", rate / python));
        }
    }

    private static String seconds(final long nanos)
    {
        return String.format("%.3f", nanos / 1e9);
    }
}
