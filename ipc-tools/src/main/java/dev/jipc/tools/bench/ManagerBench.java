package dev.jipc.tools.bench;

import static dev.jipc.tools.bench.ManagerBenchChild.CONTROL_LENGTH;
import static dev.jipc.tools.bench.ManagerBenchChild.ENDED_AT;
import static dev.jipc.tools.bench.ManagerBenchChild.ERRORS;
import static dev.jipc.tools.bench.ManagerBenchChild.FILLED;
import static dev.jipc.tools.bench.ManagerBenchChild.READY;
import static dev.jipc.tools.bench.ManagerBenchChild.REWRITTEN;
import static dev.jipc.tools.bench.ManagerBenchChild.START;
import static dev.jipc.tools.bench.ManagerBenchChild.STARTED_AT;
import static dev.jipc.tools.bench.ManagerBenchChild.TIMED;
import static dev.jipc.tools.bench.ManagerBenchChild.TOTAL;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.ChildProcesses;
import dev.jipc.core.SegmentDirectory;
import dev.jipc.core.SharedMemory;
import dev.jipc.core.codec.Codecs;
import dev.jipc.sync.collection.SharedDict;
import dev.jipc.tools.bench.ManagerBenchChild.Op;
import dev.jipc.tools.bench.ManagerBenchChild.Values;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code jipc bench manager}: operations per second on one {@link SharedDict} from 1 and 2 JVMs, beside Python's
 * {@code Manager().dict()} from 1 and 2 processes and, as the ceiling, a {@code ConcurrentHashMap} in one JVM from 1
 * and 2 threads; one table for small keys and {@code Long} values, one for {@code byte[]} values of 1 KB. The rows
 * of a table run interleaved in rounds.
 * <p>
 * Each round of a row makes a fresh map, fills every key ({@code "k" + i}), starts its workers
 * ({@link ManagerBenchChild}: child JVMs for the dict, threads of this JVM for the {@code ConcurrentHashMap}), which
 * warm up untimed on the map and then wait, and starts them together through a flag in shared memory, so that no JVM
 * start-up is measured. Each worker runs its operation for {@code --seconds} and counts; the row's rate is all the
 * workers' measured operations over the time from the first one's start to the last one's end. Before a {@code get}
 * row starts, this JVM rewrites every key, and the measured gets must return the new values: they cannot be served
 * from what a process read in its warm-up. After each round the map is checked against what the workers said they
 * did: every merge counted (the values add up to the merges made), every key holding a whole value of its own from a
 * writer that reached it, none lost or torn; a row whose map is wrong fails the benchmark instead of printing a
 * rate. Python's rows ({@code mp_manager.py}) run the same loops, with the same checks, in worker processes of one
 * {@code Manager()}; its dict has no atomic merge, so its merge row is what a Python program writes instead:
 * {@code with lock: d[k] = d.get(k, 0) + 1} under one {@code multiprocessing.Lock}.
 */
@Command(name = "manager", mixinStandardHelpOptions = true,
    description = "SharedDict put/set/get/merge per second from 1 and 2 JVMs (small keys and Long values, and 1 KB " +
        "byte[] values), beside Python's Manager().dict() from 1 and 2 processes and ConcurrentHashMap in one JVM.")
final class ManagerBench implements Callable<Integer>
{
    private static final long TIMEOUT_SECONDS = 120;
    private static final int[] WORKERS = {1, 2};

    @Mixin
    RoundsOptions rounds = new RoundsOptions();

    @Option(names = "--keys", description = "Keys of the small-value table (default: ${DEFAULT-VALUE}).")
    int keys = 100_000;

    @Option(names = "--kb-keys", description = "Keys of the byte[] table (default: ${DEFAULT-VALUE}).")
    int kbKeys = 10_000;

    @Option(names = "--size", description = "Bytes of each value of the byte[] table (default: ${DEFAULT-VALUE}).")
    int size = 1024;

    @Option(names = "--seconds", description = "Measured seconds of each worker, per Java row and round " +
        "(default: ${DEFAULT-VALUE}).")
    double seconds = 1;

    @Option(names = "--warmup-seconds", description = "Untimed seconds of each Java worker on its map before the " +
        "measured ones (default: ${DEFAULT-VALUE}).")
    double warmupSeconds = 1;

    @Option(names = "--python-seconds", description = "Measured seconds of each Python worker, per row and round " +
        "(default: ${DEFAULT-VALUE}).")
    double pythonSeconds = 1;

    /** The rows of a table that the summary line quotes: by operation, the 2-JVM row and the 1-process Python row. */
    private final Map<Op, InterleavedTable.Row> twoJvms = new EnumMap<>(Op.class);
    private final Map<Op, InterleavedTable.Row> onePython = new EnumMap<>(Op.class);

    @Override
    public Integer call() throws Exception
    {
        if (keys < 2 || kbKeys < 2 || size < 3 || !(seconds > 0) || !(warmupSeconds >= 0) || !(pythonSeconds > 0))
        {
            throw new IllegalArgumentException("keys and kb-keys must be 2 or more, size 3 or more, the durations " +
                "positive (the warm-up not negative): keys=" + keys + ", kbKeys=" + kbKeys + ", size=" + size +
                ", seconds=" + seconds + ", warmupSeconds=" + warmupSeconds + ", pythonSeconds=" + pythonSeconds);
        }
        final InterleavedTable small = table(String.format(Locale.ROOT,
            "small keys (\"k\" + i, %,d keys), Long values", keys), keys, 0,
            List.of(Op.SET, Op.PUT, Op.GET, Op.MERGE), true);
        final InterleavedTable large = table(String.format(Locale.ROOT,
            "byte[%,d] values, %,d keys", size, kbKeys), kbKeys, size, List.of(Op.SET, Op.PUT, Op.GET), false);
        System.out.printf(Locale.ROOT, "each Java worker: %.2f s warm-up on its map, untimed, then %.2f s measured; " +
            "each Python worker: %.2f s measured; every map checked after every round; load average before the run: " +
            "%s%n", warmupSeconds, seconds, pythonSeconds, loadAverage());
        small.run();
        System.out.println();
        small.print(System.out);
        large.run();
        System.out.println();
        large.print(System.out);
        System.out.println();
        System.out.println(summary());
        return 0;
    }

    /**
     * The machine's load averages, which say whether other work shared the CPUs with a run.
     *
     * @return those over 1, 5 and 15 minutes, as {@code /proc/loadavg} has them, and the CPUs; or "unknown".
     */
    static String loadAverage()
    {
        try
        {
            final String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return fields[0] + ", " + fields[1] + ", " + fields[2] + " (on " +
                Runtime.getRuntime().availableProcessors() + " CPUs)";
        }
        catch (final IOException | RuntimeException ex)
        {
            return "unknown";
        }
    }

    private InterleavedTable table(final String title, final int keyCount, final int valueSize, final List<Op> ops,
        final boolean quoted)
    {
        final InterleavedTable table = InterleavedTable.throughput(title, "processes", "M ops/s", rounds);
        final Values<?> values = Values.of(valueSize);
        final InterleavedTable.Row[] pythonSets = new InterleavedTable.Row[WORKERS.length + 1];
        for (final Op op : ops)
        {
            final InterleavedTable.Row[] dicts = new InterleavedTable.Row[WORKERS.length + 1];
            for (final int workers : WORKERS)
            {
                final String detail = workers == 1 ? "1 JVM" : workers + " JVMs";
                dicts[workers] = table.add("jipc SharedDict." + javaCall(op), detail,
                    () -> dict(op, keyCount, values, workers)).shortName("jipc " + detail);
                if (quoted && workers == 2)
                {
                    twoJvms.put(op, dicts[workers]);
                }
            }
            if (op != Op.PUT)
            {
                // a ConcurrentHashMap's set is its put: one ceiling row for both
                for (final int workers : WORKERS)
                {
                    table.add("ConcurrentHashMap." + (op == Op.SET ? "put(k, v)" : javaCall(op)) + " (ceiling)",
                        workers == 1 ? "1 thread" : workers + " threads",
                        () -> concurrentHashMap(op, keyCount, values, workers)).against(dicts[workers]);
                }
            }
            for (final int workers : WORKERS)
            {
                final InterleavedTable.Row python;
                if (op == Op.PUT)
                {
                    // Python's one write is d[k] = v: jipc's put is compared with it too
                    python = pythonSets[workers];
                }
                else
                {
                    final String detail = workers == 1 ? "1 process" : workers + " processes";
                    python = table.add("Python Manager().dict() " + pythonCall(op), detail,
                        () -> python(op, keyCount, valueSize, workers)).shortName("Python " + detail);
                    if (op == Op.SET)
                    {
                        pythonSets[workers] = python;
                    }
                    if (quoted && workers == 1)
                    {
                        onePython.put(op, python);
                    }
                }
                dicts[workers].against(python);
            }
        }
        return table;
    }

    private static String javaCall(final Op op)
    {
        return switch (op)
        {
            case PUT -> "put(k, v)";
            case SET -> "set(k, v)";
            case GET -> "get(k)";
            case MERGE -> "merge(k, 1L, Long::sum)";
        };
    }

    private static String pythonCall(final Op op)
    {
        return switch (op)
        {
            case PUT, SET -> "d[k] = v";
            case GET -> "d[k]";
            case MERGE -> "with lock: d[k] = d.get(k, 0) + 1 (no atomic merge)";
        };
    }

    /** The targets beside what this run measured; figures to read, not assertions. */
    private String summary()
    {
        return "targets of issue 14 (figures, not asserted): from 2 JVMs with small keys, over 2 M writes/s (here " +
            "set " + rate(twoJvms.get(Op.SET)) + ", put " + rate(twoJvms.get(Op.PUT)) + ", merge " +
            rate(twoJvms.get(Op.MERGE)) + ") and over 10 M reads/s (here get " + rate(twoJvms.get(Op.GET)) +
            "); Python's Manager().dict() about 17,000 writes/s and 17,600 reads/s in one process (here d[k] = v " +
            rate(onePython.get(Op.SET)) + ", d[k] " + rate(onePython.get(Op.GET)) + ").";
    }

    private static String rate(final InterleavedTable.Row row)
    {
        if (row == null || !row.isMeasured())
        {
            return "not measured";
        }
        // a throughput sample's one value, its rate, sits where a latency sample holds its p50
        final double median = RoundStatistics.median(row.values(InterleavedTable.P50));
        return median >= 1e6 ? String.format(Locale.ROOT, "%.2f M/s", median / 1e6) :
            String.format(Locale.ROOT, "%,.0f/s", median);
    }

    private long warmupNanos()
    {
        return (long)(warmupSeconds * 1e9);
    }

    private long measuredNanos()
    {
        return (long)(seconds * 1e9);
    }

    /** One round of a SharedDict row: a fresh dict, one child JVM per worker. */
    private <V> InterleavedTable.Sample dict(final Op op, final int keyCount, final Values<V> values,
        final int workers) throws Exception
    {
        final Path directory = SegmentDirectory.defaultDirectory();
        final String name = "bench-dict-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
        final String label = "SharedDict." + op.name().toLowerCase(Locale.ROOT) + ", " + workers + " JVM(s)";
        final String[] keyNames = ManagerBenchChild.keys(keyCount);
        try (SharedDict<String, V> dict = SharedDict.create(directory, name, Codecs.strings(), values.codec()))
        {
            try (SharedMemory control = SharedMemory.create(CONTROL_LENGTH))
            {
                // closed first: the workers are killed, if still running, before their segments are removed
                try (ChildProcesses children = new ChildProcesses())
                {
                    fill(dict, values, op, keyNames, FILLED);
                    final List<ChildProcesses.Child> started = new ArrayList<>();
                    for (int w = 0; w < workers; w++)
                    {
                        started.add(children.start(ChildJvm.of(ManagerBenchChild.class).args(control.name(),
                            directory, name, op, values.size(), keyCount, w, workers, warmupNanos(),
                            measuredNanos())));
                    }
                    return measure(label, control.buffer(), dict, values, op, keyNames, workers,
                        () -> finished(label, started));
                }
                finally
                {
                    control.unlink();
                }
            }
            finally
            {
                dict.unlink();
            }
        }
    }

    /** Whether every worker JVM has ended; throws when one failed. */
    private static boolean finished(final String label, final List<ChildProcesses.Child> workers)
    {
        boolean finished = true;
        for (final ChildProcesses.Child child : workers)
        {
            if (child.isAlive())
            {
                finished = false;
            }
            else if (child.process().exitValue() != 0)
            {
                throw new IllegalStateException(label + ": a worker JVM failed: exit=" + child.process().exitValue());
            }
        }
        return finished;
    }

    /** One round of a ConcurrentHashMap row: a fresh map in this JVM, one thread per worker. */
    private <V> InterleavedTable.Sample concurrentHashMap(final Op op, final int keyCount, final Values<V> values,
        final int workers) throws Exception
    {
        final String label = "ConcurrentHashMap." + op.name().toLowerCase(Locale.ROOT) + ", " + workers +
            " thread(s)";
        final String[] keyNames = ManagerBenchChild.keys(keyCount);
        final ConcurrentMap<String, V> map = new ConcurrentHashMap<>();
        fill(map, values, op, keyNames, FILLED);
        final AtomicBuffer control = new UnsafeBuffer(ByteBuffer.allocateDirect(CONTROL_LENGTH));
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < workers; w++)
        {
            final int worker = w;
            final Thread thread = new Thread(() ->
            {
                try
                {
                    if (!ManagerBenchChild.work(control, map, values, op, keyNames, worker, workers, warmupNanos(),
                        measuredNanos()))
                    {
                        failure.compareAndSet(null, new IllegalStateException("the start signal never came"));
                    }
                }
                catch (final Throwable ex)
                {
                    failure.compareAndSet(null, ex);
                }
            }, "bench-manager-" + w);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        try
        {
            return measure(label, control, map, values, op, keyNames, workers, () ->
            {
                if (failure.get() != null)
                {
                    throw new IllegalStateException(label + ": a worker thread failed", failure.get());
                }
                return threads.stream().noneMatch(Thread::isAlive);
            });
        }
        finally
        {
            for (final Thread thread : threads)
            {
                thread.interrupt();
                thread.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
            }
        }
    }

    /** Whether a row's workers are done; throws when one of them failed. */
    @FunctionalInterface
    private interface Workers
    {
        boolean finished() throws Exception;
    }

    /** Fills every key: with 0 for merges, else with its value of that tag. */
    private static <V> void fill(final Map<String, V> map, final Values<V> values, final Op op, final String[] keys,
        final int tag)
    {
        for (int i = 0; i < keys.length; i++)
        {
            map.put(keys[i], op == Op.MERGE ? zero() : values.value(i, tag));
        }
    }

    @SuppressWarnings("unchecked")
    private static <V> V zero()
    {
        return (V)Long.valueOf(0);
    }

    /**
     * Waits for the workers to have warmed up, rewrites the keys of a {@code get} row, starts the workers, waits for
     * them to end, checks the map and returns the row's rate.
     */
    private <V> InterleavedTable.Sample measure(final String label, final AtomicBuffer control,
        final ConcurrentMap<String, V> map, final Values<V> values, final Op op, final String[] keys,
        final int workers, final Workers state) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS) + warmupNanos() +
            measuredNanos();
        while (control.getIntVolatile(READY) < workers)
        {
            if (state.finished() || System.nanoTime() - deadline > 0)
            {
                throw new IllegalStateException(label + ": the workers did not all warm up: ready=" +
                    control.getIntVolatile(READY) + ", workers=" + workers);
            }
            Thread.sleep(1);
        }
        if (op == Op.GET)
        {
            fill(map, values, op, keys, REWRITTEN);
        }
        final ProgressBar progress = new ProgressBar(label, measuredNanos());
        final long start = System.nanoTime();
        control.putIntVolatile(START, 1);
        while (!state.finished())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new IllegalStateException(label + ": the workers did not end within " + TIMEOUT_SECONDS + " s");
            }
            progress.update(System.nanoTime() - start);
            Thread.sleep(5);
        }
        progress.finish();
        long timed = 0;
        long errors = 0;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        final long[] totals = new long[workers];
        for (int w = 0; w < workers; w++)
        {
            final int slot = ManagerBenchChild.slot(w);
            errors += control.getLongVolatile(slot + ERRORS);
            timed += control.getLong(slot + TIMED);
            totals[w] = control.getLong(slot + TOTAL);
            first = Math.min(first, control.getLong(slot + STARTED_AT));
            last = Math.max(last, control.getLong(slot + ENDED_AT));
            if (control.getLong(slot + TIMED) <= 0)
            {
                throw new IllegalStateException(label + ": worker " + w + " measured no operation");
            }
        }
        if (errors != 0)
        {
            throw new IllegalStateException(label + ": " + errors + " operation(s) failed their check (a get that " +
                "did not return its key's value, a put that found no old value)");
        }
        check(label, map, values, op, keys, totals);
        return InterleavedTable.Sample.rate(timed * 1e9 / (last - first), timed);
    }

    /**
     * Checks a map against what its workers did.
     *
     * @param label  the row, for the message.
     * @param map    the map after the round.
     * @param values what its values are.
     * @param op     what the workers did.
     * @param keys   the keys.
     * @param totals each worker's operations, warm-up included.
     * @param <V>    the value type.
     * @throws IllegalStateException if the map is not what they did.
     */
    static <V> void check(final String label, final ConcurrentMap<String, V> map, final Values<V> values,
        final Op op, final String[] keys, final long[] totals)
    {
        final int n = keys.length;
        if (map.size() != n)
        {
            throw new IllegalStateException(label + ": the map has " + map.size() + " entries, not " + n);
        }
        long merged = 0;
        for (int i = 0; i < n; i++)
        {
            final V value = map.get(keys[i]);
            if (op == Op.MERGE)
            {
                if (!(value instanceof Long count) || count < 0)
                {
                    throw new IllegalStateException(label + ": " + keys[i] + " holds " + value);
                }
                merged += count;
                continue;
            }
            final int tag = values.tagOf(value, i);
            if (!expected(op, tag, i, n, totals))
            {
                throw new IllegalStateException(label + ": " + keys[i] + " holds a value of tag " + tag +
                    " (-1: missing, torn or another key's), which no worker wrote there: op=" + op + ", totals=" +
                    Arrays.toString(totals));
            }
        }
        long made = 0;
        for (final long total : totals)
        {
            made += total;
        }
        if (op == Op.MERGE && merged != made)
        {
            throw new IllegalStateException(label + ": the counts add up to " + merged + ", the workers made " + made +
                " merges");
        }
    }

    /**
     * Whether a key's tag is what the workers left: for a {@code get} row every key rewritten; for a write row, a key
     * that some worker reached holds one of those workers' values, any other key still its filling.
     */
    private static boolean expected(final Op op, final int tag, final int key, final int keys, final long[] totals)
    {
        if (op == Op.GET)
        {
            return tag == REWRITTEN;
        }
        boolean reached = false;
        for (int w = 0; w < totals.length; w++)
        {
            final long distance = Math.floorMod(key - ManagerBenchChild.firstKey(w, totals.length, keys), keys);
            if (distance < Math.min(totals[w], keys))
            {
                reached = true;
                if (tag == 2 + w)
                {
                    return true;
                }
            }
        }
        return !reached && tag == FILLED;
    }

    private InterleavedTable.Sample python(final Op op, final int keyCount, final int valueSize, final int workers)
        throws InterleavedTable.Unavailable
    {
        final List<String> out = Python.runRound("mp_manager.py", TIMEOUT_SECONDS, op.name().toLowerCase(Locale.ROOT),
            workers, keyCount, valueSize, pythonSeconds);
        if (out.isEmpty())
        {
            throw new IllegalStateException("mp_manager.py " + op + " printed nothing");
        }
        final String[] fields = out.getLast().trim().split(" ");
        final long ops = Long.parseLong(fields[0]);
        final long elapsed = Long.parseLong(fields[1]);
        if (ops <= 0 || elapsed <= 0)
        {
            throw new IllegalStateException("mp_manager.py " + op + " printed no operations: " + out);
        }
        return InterleavedTable.Sample.rate(ops * 1e9 / elapsed, ops);
    }
}
