package dev.jipc.tools.bench;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import dev.jipc.pool.AsyncResult;
import dev.jipc.pool.Context;
import dev.jipc.pool.Pool;
import dev.jipc.pool.SerializableFunction;
import dev.jipc.pool.SerializableLongUnaryOperator;
import dev.jipc.pool.SerializableRunnable;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code jipc bench pool}: a {@code Pool(2)} of jipc's forkserver and threads contexts beside Python's
 * {@code multiprocessing.Pool(2)} (fork and spawn) and {@code concurrent.futures.ProcessPoolExecutor(2)}, in one
 * run, interleaved in rounds. Each round of a row starts a fresh context (a fresh interpreter for Python,
 * {@code mp_pool.py}) and measures, in this order:
 * <ul>
 *   <li><b>start-up</b>, {@code --starts} times: from the constructor ({@code ctx.pool(2)}, {@code Pool(2)}) to both
 *   workers having answered: a map of two tasks with chunksize 1 that return the worker's pid and thread name,
 *   repeated until two different workers answered (two {@code submit}s for the executor); then the pool is
 *   terminated, unmeasured. A forkserver pool starts once the context's two spares have booted and this JVM's
 *   children are quiet, as a program's pool does when its context has run a process before;</li>
 *   <li>a new pool, which first answers from both workers, then, for jipc, a warm-up ({@code --warmup-maps} maps
 *   of each kind, {@code --warmup-round-trips} round trips, {@code --warmup-pipelined} pipelined batches),
 *   unmeasured, and a wait until the children are quiet; Python does one unmeasured map and 100 unmeasured round
 *   trips (it has no JIT to warm);</li>
 *   <li><b>map</b>, {@code --maps} times: {@code pool.map(x -> x * x, list)} of {@code --items} boxed {@code Long}s
 *   ({@code range(N)} of Python ints), automatic chunksize; for jipc also {@code mapToLong} of a {@code long[]};</li>
 *   <li><b>round trip</b>, {@code --round-trips} times: {@code applyAsync(x -> x * x, i).get()}
 *   ({@code apply_async(square, (i,)).get()}, the executor's {@code submit(square, i).result()});</li>
 *   <li><b>pipelined</b>, once: {@code --pipelined} {@code applyAsync} calls, then {@code get()} of each in order;
 *   tasks per second from the first call to the last result.</li>
 * </ul>
 * Every result is checked. The start-up table runs the rounds; the other tables replay the samples each row measured
 * in the same rounds, so that their rows are interleaved too.
 */
@Command(name = "pool", mixinStandardHelpOptions = true,
    description = "Pool(2): start-up, map of 100,000 squares (objects and mapToLong), applyAsync().get() round trip " +
        "and pipelined applyAsync, for jipc's forkserver and threads pools beside Python's Pool (fork, spawn) and " +
        "ProcessPoolExecutor.")
final class PoolBench implements Callable<Integer>
{
    private static final long TIMEOUT_SECONDS = 120;
    private static final int WORKERS = 2;
    private static final int SPARES = 2;
    private static final String PYTHON_FORK = "Python fork Pool(2)";
    private static final String PYTHON_SPAWN = "Python spawn Pool(2)";
    private static final String PYTHON_EXECUTOR = "Python ProcessPoolExecutor(2), fork";
    private static final SerializableFunction<Long, Long> SQUARE = x -> x * x;
    private static final SerializableLongUnaryOperator SQUARE_LONG = x -> x * x;
    private static final SerializableFunction<Integer, String> WHO =
        x -> ProcessHandle.current().pid() + "/" + Thread.currentThread().getName();
    private static final SerializableRunnable NOTHING = () ->
    {
    };

    @Mixin
    RoundsOptions rounds = new RoundsOptions();

    @Option(names = "--starts", description = "Measured pool start-ups per row and round (default: ${DEFAULT-VALUE}).")
    int starts = 2;

    @Option(names = "--items", description = "Items of each map (default: ${DEFAULT-VALUE}).")
    int items = 100_000;

    @Option(names = "--maps", description = "Measured maps of each kind per row and round (default: ${DEFAULT-VALUE}).")
    int maps = 20;

    @Option(names = "--round-trips",
        description = "Measured applyAsync().get() round trips per row and round (default: ${DEFAULT-VALUE}).")
    int roundTrips = 1000;

    @Option(names = "--pipelined",
        description = "applyAsync calls of the pipelined batch, one per row and round (default: ${DEFAULT-VALUE}).")
    int pipelined = 20_000;

    @Option(names = "--warmup-maps",
        description = "Unmeasured maps of each kind before jipc's measured ones, in blocks of --maps of each kind " +
            "in turn (default: ${DEFAULT-VALUE}).")
    int warmupMaps = 200;

    @Option(names = "--warmup-round-trips",
        description = "Unmeasured round trips before jipc's measured ones (default: ${DEFAULT-VALUE}).")
    int warmupRoundTrips = 2000;

    @Option(names = "--warmup-pipelined",
        description = "Unmeasured pipelined batches before jipc's measured one (default: ${DEFAULT-VALUE}).")
    int warmupPipelined = 10;

    /** What a round of a row measures; a row of each table replays one of them. */
    private enum Metric
    {
        STARTUP,
        MAP,
        MAP_TO_LONG,
        ROUND_TRIP,
        PIPELINED
    }

    /** One round of a subject (a pool kind): its sample of each metric it has. */
    @FunctionalInterface
    private interface SubjectRound
    {
        Map<Metric, InterleavedTable.Sample> measure() throws Exception;
    }

    /** A pool kind's samples, measured with its start-up sample and replayed in the other tables. */
    private static final class Subject
    {
        private final Map<Metric, ArrayDeque<InterleavedTable.Sample>> samples = new EnumMap<>(Metric.class);
        private String unavailable;

        private InterleavedTable.Measurement replay(final Metric metric)
        {
            return () ->
            {
                if (unavailable != null)
                {
                    throw new InterleavedTable.Unavailable(unavailable);
                }
                return samples.get(metric).removeFirst();
            };
        }
    }

    @Override
    public Integer call() throws Exception
    {
        if (starts < 1 || items < 1 || maps < 1 || roundTrips < 1 || pipelined < 1 || warmupMaps < 0 ||
            warmupRoundTrips < 0 || warmupPipelined < 0)
        {
            throw new IllegalArgumentException("starts, items, maps, round-trips and pipelined must be positive, the " +
                "warm-ups not negative: starts=" + starts + ", items=" + items + ", maps=" + maps + ", roundTrips=" +
                roundTrips + ", pipelined=" + pipelined + ", warmupMaps=" + warmupMaps + ", warmupRoundTrips=" +
                warmupRoundTrips + ", warmupPipelined=" + warmupPipelined);
        }
        final InterleavedTable startup = InterleavedTable.latency(
            "pool start-up: constructor → both workers answered", rounds);
        final Subject forkserver = subject(startup, "jipc forkserver ctx.pool(2), 2 spares booted",
            () -> jipc(true));
        final Subject threads = subject(startup, "jipc threads ctx.pool(2)", () -> jipc(false));
        final Subject fork = subject(startup, PYTHON_FORK, () -> python("fork"));
        final Subject spawn = subject(startup, PYTHON_SPAWN, () -> python("spawn"));
        final Subject executor = subject(startup, PYTHON_EXECUTOR, () -> python("executor"));
        startup.compareAllWith(startup.rows().get(2));
        startup.referenceName("Python fork", "the Python fork Pool(2)'s");
        startup.run();

        final String squares = String.format(Locale.ROOT, "%,d", items) + " squares";
        final InterleavedTable map = InterleavedTable.latency("map of " + squares + ", warm pool", rounds);
        map.add("jipc forkserver map(x -> x * x, List<Long>)", forkserver.replay(Metric.MAP));
        map.add("jipc forkserver mapToLong(x -> x * x, long[])", forkserver.replay(Metric.MAP_TO_LONG));
        map.add("jipc threads map(x -> x * x, List<Long>)", threads.replay(Metric.MAP));
        map.add("jipc threads mapToLong(x -> x * x, long[])", threads.replay(Metric.MAP_TO_LONG));
        map.compareAllWith(map.add(PYTHON_FORK + ".map(square, range(N))", fork.replay(Metric.MAP)));
        map.add(PYTHON_SPAWN + ".map(square, range(N))", spawn.replay(Metric.MAP));
        map.referenceName("Python fork", "the Python fork Pool(2)'s");
        map.run();

        final InterleavedTable roundTrip = InterleavedTable.latency("round trip, warm pool", rounds);
        roundTrip.add("jipc forkserver applyAsync(x -> x * x, i).get()", forkserver.replay(Metric.ROUND_TRIP));
        roundTrip.add("jipc threads applyAsync(x -> x * x, i).get()", threads.replay(Metric.ROUND_TRIP));
        roundTrip.compareAllWith(roundTrip.add(PYTHON_FORK + " apply_async(square, (i,)).get()",
            fork.replay(Metric.ROUND_TRIP)));
        roundTrip.add(PYTHON_SPAWN + " apply_async(square, (i,)).get()", spawn.replay(Metric.ROUND_TRIP));
        roundTrip.add(PYTHON_EXECUTOR + " submit(square, i).result()", executor.replay(Metric.ROUND_TRIP));
        roundTrip.referenceName("Python fork", "the Python fork Pool(2)'s");
        roundTrip.run();

        final InterleavedTable pipeline = InterleavedTable.throughput(String.format(Locale.ROOT,
            "%,d pipelined applyAsync, then get() each, warm pool", pipelined), null, "M tasks/s", rounds);
        pipeline.add("jipc forkserver", forkserver.replay(Metric.PIPELINED));
        pipeline.add("jipc threads", threads.replay(Metric.PIPELINED));
        pipeline.compareAllWith(pipeline.add(PYTHON_FORK + " apply_async", fork.replay(Metric.PIPELINED))
            .shortName("Python fork"));
        pipeline.add(PYTHON_SPAWN + " apply_async", spawn.replay(Metric.PIPELINED));
        pipeline.add(PYTHON_EXECUTOR + " submit", executor.replay(Metric.PIPELINED));
        pipeline.run();

        System.out.println("Pool(2) of each kind; per row and round a fresh context (interpreter): " + starts +
            " start-up(s) measured, then a new pool, warmed (jipc: " + warmupMaps + " maps of each kind, " +
            warmupRoundTrips + " round trips, " + warmupPipelined + " pipelined batches; Python: 1 map, 100 round " +
            "trips), then " + maps + " maps of each kind, " + roundTrips + " round trips and one batch of " +
            pipelined + " pipelined tasks.");
        for (final InterleavedTable table : List.of(startup, map, roundTrip, pipeline))
        {
            System.out.println();
            table.print(System.out);
            System.out.println(ratioLine(table, PYTHON_SPAWN));
        }
        return 0;
    }

    private static Subject subject(final InterleavedTable table, final String label, final SubjectRound round)
    {
        final Subject subject = new Subject();
        for (final Metric metric : Metric.values())
        {
            subject.samples.put(metric, new ArrayDeque<>());
        }
        table.add(label, () ->
        {
            final Map<Metric, InterleavedTable.Sample> samples;
            try
            {
                samples = round.measure();
            }
            catch (final InterleavedTable.Unavailable ex)
            {
                subject.unavailable = ex.getMessage();
                throw ex;
            }
            samples.forEach((metric, sample) -> subject.samples.get(metric).addLast(sample));
            return samples.get(Metric.STARTUP);
        });
        return subject;
    }

    /** Each row's p50 (rate) divided by that of the first row whose label starts with the prefix, per round. */
    private static String ratioLine(final InterleavedTable table, final String prefix)
    {
        final InterleavedTable.Row reference = table.rows().stream().filter(row -> row.label().startsWith(prefix))
            .findFirst().orElse(null);
        if (reference == null || !reference.isMeasured())
        {
            return "";
        }
        final StringBuilder line = new StringBuilder("÷ ").append(reference.label())
            .append(" (median of per-round ratios of p50, or of rate):");
        String separator = " ";
        for (final InterleavedTable.Row row : table.rows())
        {
            if (row != reference && row.isMeasured())
            {
                final double ratio = RoundStatistics.median(RoundStatistics.ratios(
                    row.values(InterleavedTable.P50), reference.values(InterleavedTable.P50)));
                line.append(separator).append(row.label()).append(' ').append(String.format(Locale.ROOT,
                    ratio >= 10 ? "%.0fx" : ratio >= 0.1 ? "%.2fx" : "%.4fx", ratio));
                separator = "; ";
            }
        }
        return line.toString();
    }

    private Map<Metric, InterleavedTable.Sample> jipc(final boolean forkserver) throws Exception
    {
        final Map<Metric, InterleavedTable.Sample> samples = new EnumMap<>(Metric.class);
        final String label = forkserver ? "jipc forkserver" : "jipc threads";
        final ProgressBar progress = new ProgressBar(label, starts + 5);
        try (Context ctx = forkserver ? Context.forkserver(SPARES) : Context.threads())
        {
            if (forkserver)
            {
                // a context boots its spares when it makes its first process: before the first start, not during it
                ctx.process(NOTHING).close();
            }
            final Histogram startups = histogram();
            for (int i = 0; i < starts; i++)
            {
                if (forkserver)
                {
                    ProcessBench.awaitChildren(SPARES);
                }
                ProcessBench.awaitQuiet();
                final long start = System.nanoTime();
                final Pool pool = ctx.pool(WORKERS);
                bothAnswered(pool);
                startups.recordValue(System.nanoTime() - start);
                end(pool, label);
                progress.update(i + 1);
            }
            samples.put(Metric.STARTUP, InterleavedTable.Sample.latency(startups));

            final Pool pool = ctx.pool(WORKERS);
            try
            {
                bothAnswered(pool);
                final List<Long> numbers = LongStream.range(0, items).boxed().toList();
                final long[] longs = LongStream.range(0, items).toArray();
                final long expected = LongStream.range(0, items).map(x -> x * x).sum();
                final Histogram warm = histogram();
                // in blocks of each kind in turn, as they are measured: each kind's first block after the other's
                // is slow until the workers' compiled code has seen both (about 8 alternations of 20 here)
                for (int done = 0; done < warmupMaps; done += maps)
                {
                    maps(pool, numbers, longs, expected, Math.min(maps, warmupMaps - done), warm, warm);
                }
                roundTrips(pool, warmupRoundTrips, warm);
                for (int i = 0; i < warmupPipelined; i++)
                {
                    pipelined(pool);
                }
                progress.update(starts + 1);
                ProcessBench.awaitQuiet();

                final Histogram objectMaps = histogram();
                final Histogram longMaps = histogram();
                maps(pool, numbers, longs, expected, maps, objectMaps, longMaps);
                samples.put(Metric.MAP, InterleavedTable.Sample.latency(objectMaps));
                samples.put(Metric.MAP_TO_LONG, InterleavedTable.Sample.latency(longMaps));
                progress.update(starts + 2);
                final Histogram trips = histogram();
                roundTrips(pool, roundTrips, trips);
                samples.put(Metric.ROUND_TRIP, InterleavedTable.Sample.latency(trips));
                progress.update(starts + 3);
                samples.put(Metric.PIPELINED, InterleavedTable.Sample.rate(pipelined(pool), pipelined));
                progress.update(starts + 4);
            }
            finally
            {
                end(pool, label);
            }
            progress.update(starts + 5);
        }
        progress.finish();
        return samples;
    }

    private static Histogram histogram()
    {
        return new Histogram(TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS), 3);
    }

    /** Maps of 2 tasks of chunksize 1 until two different workers answered. */
    private static void bothAnswered(final Pool pool) throws Exception
    {
        final Set<String> workers = new HashSet<>();
        final List<Integer> two = List.of(0, 1);
        while (workers.size() < WORKERS)
        {
            workers.addAll(pool.map(WHO, two, 1));
        }
    }

    private static void end(final Pool pool, final String label) throws InterruptedException
    {
        pool.terminate();
        if (!pool.join(TIMEOUT_SECONDS, TimeUnit.SECONDS))
        {
            throw new IllegalStateException(label + ": the pool's workers did not end within " + TIMEOUT_SECONDS +
                " s");
        }
    }

    private static void maps(final Pool pool, final List<Long> numbers, final long[] longs, final long expected,
        final int count, final Histogram objects, final Histogram primitives) throws Exception
    {
        for (int i = 0; i < count; i++)
        {
            final long start = System.nanoTime();
            final List<Long> squares = pool.map(SQUARE, numbers);
            objects.recordValue(System.nanoTime() - start);
            check(squares.stream().mapToLong(Long::longValue).sum(), expected, "map");
        }
        for (int i = 0; i < count; i++)
        {
            final long start = System.nanoTime();
            final long[] squares = pool.mapToLong(SQUARE_LONG, longs);
            primitives.recordValue(System.nanoTime() - start);
            check(LongStream.of(squares).sum(), expected, "mapToLong");
        }
    }

    private static void roundTrips(final Pool pool, final int count, final Histogram trips) throws Exception
    {
        for (int i = 0; i < count; i++)
        {
            final long arg = i;
            final long start = System.nanoTime();
            final Long square = pool.applyAsync(SQUARE, arg).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            trips.recordValue(System.nanoTime() - start);
            check(square, arg * arg, "applyAsync");
        }
    }

    /** One pipelined batch: its tasks per second. */
    private double pipelined(final Pool pool) throws Exception
    {
        final List<AsyncResult<Long>> results = new ArrayList<>(pipelined);
        long total = 0;
        final long start = System.nanoTime();
        for (int i = 0; i < pipelined; i++)
        {
            results.add(pool.applyAsync(SQUARE, (long)i));
        }
        for (final AsyncResult<Long> result : results)
        {
            total += result.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        final long elapsed = System.nanoTime() - start;
        check(total, LongStream.range(0, pipelined).map(x -> x * x).sum(), "pipelined applyAsync");
        return pipelined / (elapsed / 1e9);
    }

    private static void check(final long actual, final long expected, final String what)
    {
        if (actual != expected)
        {
            throw new IllegalStateException(what + " returned wrong squares: sum=" + actual + ", expected=" +
                expected);
        }
    }

    private Map<Metric, InterleavedTable.Sample> python(final String kind) throws Exception
    {
        ProcessBench.awaitQuiet();
        final List<String> lines = Python.runRound("mp_pool.py", TIMEOUT_SECONDS * 5, kind, starts, maps,
            roundTrips, pipelined, items);
        final Map<Metric, InterleavedTable.Sample> samples = new EnumMap<>(Metric.class);
        for (final String line : lines)
        {
            final int space = line.indexOf(' ');
            final String name = space < 0 ? line : line.substring(0, space);
            final String rest = line.substring(space + 1);
            switch (name)
            {
                case "startup" -> samples.put(Metric.STARTUP, InterleavedTable.Sample.latency(rest));
                case "map" -> samples.put(Metric.MAP, InterleavedTable.Sample.latency(rest));
                case "roundtrip" -> samples.put(Metric.ROUND_TRIP, InterleavedTable.Sample.latency(rest));
                case "pipelined" ->
                {
                    final String[] fields = rest.trim().split(" ");
                    samples.put(Metric.PIPELINED, InterleavedTable.Sample.rate(Double.parseDouble(fields[0]),
                        Long.parseLong(fields[1])));
                }
                default -> throw new IllegalStateException("mp_pool.py printed an unknown line: " + line);
            }
        }
        if (!samples.containsKey(Metric.STARTUP))
        {
            throw new IllegalStateException("mp_pool.py " + kind + " printed no start-up line: " + lines);
        }
        return samples;
    }
}
