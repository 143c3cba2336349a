package dev.jipc.tools.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.jipc.core.AotCache;
import dev.jipc.core.queue.LongQueue;
import dev.jipc.pool.ChildTraining;
import dev.jipc.pool.Context;
import dev.jipc.pool.Process;
import dev.jipc.pool.SerializableCallable;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code jipc bench process}: how long a process takes to start, per start method, beside a hello-world JVM (the
 * floor of any JVM start) and Python's {@code multiprocessing} start methods, interleaved in rounds.
 * <ul>
 *   <li><b>start to running</b>: from just before {@code start()} to the first line of the task, which reads
 *   {@link System#nanoTime()} in the child and puts it into a {@link LongQueue} (on Linux {@code nanoTime} is
 *   {@code CLOCK_MONOTONIC}, one clock for every process of the host; Python's {@code time.monotonic_ns} is the
 *   same clock);</li>
 *   <li><b>start + join</b>: from just before {@code start()} to the return of {@code join()}.</li>
 * </ul>
 * Rows: the hello-world JVM ({@code java -cp <this jar> ProcessBench$Hello}, which prints {@code nanoTime} on its
 * first line and exits); jipc's spawn without the AOT cache ({@value AotCache#ENABLED_PROPERTY}{@code =false} in
 * this JVM while the row starts its children: the switch is read where a child's command line is made) and with it
 * (made first if it is not there yet; each child's command line is checked for it); forkserver; threads; Python's
 * fork, forkserver and spawn ({@code mp_start.py}). Each round of a row makes a fresh context (a fresh interpreter
 * for Python) and does {@code --warmup-starts} unmeasured starts, then {@code --starts} measured ones, one at a time.
 * Before each JVM start the bench waits until this JVM's child processes are quiet (a forkserver's replacement spare
 * has booted, the previous child has gone), so that a start is measured alone and a forkserver start finds a
 * booted spare, as it does when a program starts its processes some time apart.
 */
@Command(name = "process", mixinStandardHelpOptions = true,
    description = "Process start to running and start + join per start method (spawn plain and with the AOT cache, " +
        "forkserver, threads), beside a hello-world JVM and Python's fork, forkserver and spawn.")
final class ProcessBench implements Callable<Integer>
{
    private static final long TIMEOUT_SECONDS = 120;
    private static final long QUIET_WINDOW_MILLIS = 50;
    /** Child CPU time per window below which the children count as quiet: a tenth of a CPU. */
    private static final long QUIET_CPU_NANOS = TimeUnit.MILLISECONDS.toNanos(QUIET_WINDOW_MILLIS) / 10;
    private static final long QUIET_MAX_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long AOT_CACHE_MINUTES = 10;
    private static final int FORKSERVER_SPARES = 2;

    @Mixin
    RoundsOptions rounds = new RoundsOptions();

    @Option(names = "--starts", description = "Measured process starts per row and round (default: ${DEFAULT-VALUE}).")
    int starts = 5;

    @Option(names = "--warmup-starts",
        description = "Unmeasured starts first, per row and round (default: ${DEFAULT-VALUE}).")
    int warmupStarts = 1;

    @Option(names = "--hgrm", paramLabel = "DIR", description = "Also write each row's starts of all rounds as an " +
        "HdrHistogram percentile distribution and the rows side by side as a chart (DIR/TABLE.svg).")
    Path hgrm;

    /** The hello-world JVM: reads the clock on its first line, prints it, exits. */
    public static final class Hello
    {
        private Hello()
        {
        }

        /**
         * Prints {@link System#nanoTime()}.
         *
         * @param args none.
         */
        public static void main(final String[] args)
        {
            final long running = System.nanoTime();
            System.out.println(running);
        }
    }

    /** One start: nanoseconds from before {@code start()} to the task's first line, and to the end of join. */
    private record Start(long running, long joined)
    {
    }

    /** One start of a row. */
    @FunctionalInterface
    private interface Starter
    {
        Start start() throws Exception;
    }

    /** A row's start + join samples, measured with its start-to-running samples and replayed in their own table. */
    private static final class Joins
    {
        private final ArrayDeque<InterleavedTable.Sample> samples = new ArrayDeque<>();
        private String unavailable;
    }

    @Override
    public Integer call() throws Exception
    {
        if (starts < 1 || warmupStarts < 0)
        {
            throw new IllegalArgumentException("starts must be positive and warmup-starts not negative: starts=" +
                starts + ", warmupStarts=" + warmupStarts);
        }
        final InterleavedTable running = InterleavedTable.latency("start → running (task's first line)", rounds);
        final List<String> labels = new ArrayList<>();
        final List<Joins> joins = new ArrayList<>();
        add(running, labels, joins, "hello-world JVM (java -cp jar Hello)", this::hello);
        add(running, labels, joins, "jipc spawn, no AOT cache", label -> spawn(label, false));
        add(running, labels, joins, "jipc spawn, AOT cache", label -> spawn(label, true));
        add(running, labels, joins, "jipc forkserver", this::forkserver);
        add(running, labels, joins, "jipc threads", this::threads);
        for (final String method : List.of("fork", "forkserver", "spawn"))
        {
            add(running, labels, joins, "Python multiprocessing " + method, label -> python(method));
        }
        running.run();

        // the same starts, their join times: each sample was measured in its row's round of the table above
        final InterleavedTable joined = InterleavedTable.latency("start + join", rounds);
        for (int i = 0; i < labels.size(); i++)
        {
            final Joins rowJoins = joins.get(i);
            joined.add(labels.get(i), () ->
            {
                if (rowJoins.unavailable != null)
                {
                    throw new InterleavedTable.Unavailable(rowJoins.unavailable);
                }
                return rowJoins.samples.removeFirst();
            });
        }
        joined.run();

        System.out.println("Process starts, one at a time, " + warmupStarts + " unmeasured then " + starts +
            " measured per row and round; the round-trips column counts starts; ÷ C floor does not apply " +
            "(see ÷ hello world below).");
        running.print(System.out);
        System.out.println(ratioToHello(running));
        System.out.println();
        joined.print(System.out);
        System.out.println(ratioToHello(joined));
        if (hgrm != null)
        {
            final RoundTripOptions charts = new RoundTripOptions();
            charts.hgrm = hgrm;
            charts.writeCharts("process-running", running, System.out);
            charts.writeCharts("process-join", joined, System.out);
        }
        return 0;
    }

    private static void add(final InterleavedTable table, final List<String> labels, final List<Joins> joins,
        final String label, final RowMeasurement measurement)
    {
        final Joins rowJoins = new Joins();
        labels.add(label);
        joins.add(rowJoins);
        table.add(label, () ->
        {
            final InterleavedTable.Sample[] both;
            try
            {
                both = measurement.measure(label);
            }
            catch (final InterleavedTable.Unavailable ex)
            {
                rowJoins.unavailable = ex.getMessage();
                throw ex;
            }
            rowJoins.samples.addLast(both[1]);
            return both[0];
        });
    }

    /** One round of a row: its start-to-running sample and its start + join sample. */
    @FunctionalInterface
    private interface RowMeasurement
    {
        InterleavedTable.Sample[] measure(String label) throws Exception;
    }

    /** p50 of each row divided by the hello-world JVM's of the same round, median over the rounds. */
    private static String ratioToHello(final InterleavedTable table)
    {
        final InterleavedTable.Row hello = table.rows().getFirst();
        if (!hello.isMeasured())
        {
            return "";
        }
        final StringBuilder line = new StringBuilder("p50 ÷ hello-world JVM (median of per-round ratios):");
        String separator = " ";
        for (final InterleavedTable.Row row : table.rows())
        {
            if (row != hello && row.isMeasured())
            {
                final double ratio = RoundStatistics.median(RoundStatistics.ratios(
                    row.values(InterleavedTable.P50), hello.values(InterleavedTable.P50)));
                line.append(separator).append(row.label()).append(' ')
                    .append(String.format(Locale.ROOT, ratio >= 10 ? "%.0fx" : ratio >= 0.1 ? "%.2fx" : "%.4fx",
                    ratio));
                separator = ", ";
            }
        }
        return line.toString();
    }

    private InterleavedTable.Sample[] hello(final String label) throws Exception
    {
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        final String classPath = Path.of(Hello.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .toString();
        return loop(label, () ->
        {
            final long start = System.nanoTime();
            final java.lang.Process jvm = new ProcessBuilder(java, "-cp", classPath, Hello.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            final String line;
            try (BufferedReader out = new BufferedReader(
                new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8)))
            {
                line = out.readLine();
            }
            if (!jvm.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS))
            {
                jvm.destroyForcibly();
                throw new IllegalStateException(label + ": the JVM did not exit within " + TIMEOUT_SECONDS + " s");
            }
            final long joined = System.nanoTime();
            if (jvm.exitValue() != 0 || line == null)
            {
                throw new IllegalStateException(label + ": the JVM exited with " + jvm.exitValue() + ", line=" + line);
            }
            return new Start(Long.parseLong(line.trim()) - start, joined - start);
        });
    }

    private InterleavedTable.Sample[] spawn(final String label, final boolean aot) throws Exception
    {
        if (aot)
        {
            awaitAotCache();
        }
        final String previous = System.getProperty(AotCache.ENABLED_PROPERTY);
        if (!aot)
        {
            System.setProperty(AotCache.ENABLED_PROPERTY, "false");
        }
        try (Context ctx = Context.spawn())
        {
            final LongQueue queue = ctx.longQueue(1024);
            return loop(label, () -> startOnce(ctx, queue, label, process ->
            {
                final boolean cached = ProcessHandle.of(process.pid()).flatMap(handle -> handle.info().arguments())
                    .map(args -> List.of(args).stream().anyMatch(arg -> arg.startsWith("-XX:AOTCache=")))
                    .orElse(aot);
                if (cached != aot)
                {
                    throw new IllegalStateException(label + ": a child started " + (aot ? "without" : "with") +
                        " the AOT cache: pid=" + process.pid());
                }
            }));
        }
        finally
        {
            if (!aot)
            {
                if (previous == null)
                {
                    System.clearProperty(AotCache.ENABLED_PROPERTY);
                }
                else
                {
                    System.setProperty(AotCache.ENABLED_PROPERTY, previous);
                }
            }
        }
    }

    /** Makes sure the cache children of this class path get exists: the same one {@code ChildLaunch} asks for. */
    private static void awaitAotCache() throws InterruptedException, InterleavedTable.Unavailable
    {
        final AotCache cache = AotCache.of(ChildTraining.class, System.getProperty("java.class.path"),
            AotCache.defaultDirectory());
        try
        {
            cache.await(Duration.ofMinutes(AOT_CACHE_MINUTES));
        }
        catch (final IllegalStateException ex)
        {
            throw new InterleavedTable.Unavailable("no AOT cache for this class path (" + ex.getMessage() +
                "): the AOT spawn row was skipped");
        }
        catch (final TimeoutException ex)
        {
            throw new IllegalStateException("the AOT cache was not made within " + AOT_CACHE_MINUTES + " min", ex);
        }
    }

    private InterleavedTable.Sample[] forkserver(final String label) throws Exception
    {
        try (Context ctx = Context.forkserver(FORKSERVER_SPARES))
        {
            final LongQueue queue = ctx.longQueue(1024);
            // a context boots its spares when it makes its first process: before the first start, not during it
            ctx.process(stamp(queue)).close();
            return loop(label, () ->
            {
                // the spare that replaces the last one taken is on its way: wait until it is there, then quiet
                awaitChildren(FORKSERVER_SPARES);
                awaitQuiet();
                return startOnce(ctx, queue, label, process ->
                {
                });
            });
        }
    }

    /** Waits (up to 10 s) until this JVM has at least {@code count} child processes. */
    static void awaitChildren(final int count) throws InterruptedException
    {
        final long deadline = System.nanoTime() + QUIET_MAX_NANOS;
        while (ProcessHandle.current().children().count() < count && System.nanoTime() - deadline < 0)
        {
            Thread.sleep(1);
        }
    }

    private InterleavedTable.Sample[] threads(final String label) throws Exception
    {
        try (Context ctx = Context.threads())
        {
            final LongQueue queue = ctx.longQueue(1024);
            return loop(label, () -> startOnce(ctx, queue, label, process ->
            {
            }));
        }
    }

    private InterleavedTable.Sample[] python(final String method) throws Exception
    {
        awaitQuiet();
        final List<String> lines = Python.runRound("mp_start.py", TIMEOUT_SECONDS * 5, method, starts, warmupStarts);
        return new InterleavedTable.Sample[]{InterleavedTable.Sample.latency(lines.get(0)),
            InterleavedTable.Sample.latency(lines.get(1))};
    }

    /** A check of a process just started, while its JVM boots. */
    @FunctionalInterface
    private interface StartCheck
    {
        void check(Process process);
    }

    private static Start startOnce(final Context ctx, final LongQueue queue, final String label,
        final StartCheck check) throws Exception
    {
        final Process process = ctx.process(stamp(queue));
        try
        {
            final long start = System.nanoTime();
            process.start();
            check.check(process);
            final long[] running = new long[1];
            if (!queue.poll(value -> running[0] = value, TIMEOUT_SECONDS, TimeUnit.SECONDS))
            {
                throw new IllegalStateException(label + ": the task did not run within " + TIMEOUT_SECONDS + " s");
            }
            if (!process.join(TIMEOUT_SECONDS, TimeUnit.SECONDS))
            {
                throw new IllegalStateException(label + ": the process did not end within " + TIMEOUT_SECONDS + " s");
            }
            final long joined = System.nanoTime();
            if (process.exitCode() != 0)
            {
                throw new IllegalStateException(label + ": the process exited with " + process.exitCode());
            }
            return new Start(running[0] - start, joined - start);
        }
        finally
        {
            process.close();
        }
    }

    /** The task: its first line reads the clock. Static, so that the lambda captures the queue and nothing else. */
    private static SerializableCallable<Void> stamp(final LongQueue queue)
    {
        return () ->
        {
            queue.put(System.nanoTime());
            return null;
        };
    }

    private InterleavedTable.Sample[] loop(final String label, final Starter starter) throws Exception
    {
        final Histogram running = new Histogram(TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS), 3);
        final Histogram joined = new Histogram(TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS), 3);
        final int total = warmupStarts + starts;
        final ProgressBar progress = new ProgressBar(label, total);
        for (int i = 0; i < total; i++)
        {
            awaitQuiet();
            final Start start = starter.start();
            if (i >= warmupStarts)
            {
                running.recordValue(start.running());
                joined.recordValue(start.joined());
            }
            progress.update(i + 1);
        }
        progress.finish();
        return new InterleavedTable.Sample[]{InterleavedTable.Sample.latency(running),
            InterleavedTable.Sample.latency(joined)};
    }

    /**
     * Waits (up to 10 s) until this JVM's child processes together use less than a tenth of a CPU over 50 ms: a
     * booting forkserver spare, an AOT cache maker or a child still exiting would otherwise share the CPUs with the
     * start being measured.
     */
    static void awaitQuiet() throws InterruptedException
    {
        final long deadline = System.nanoTime() + QUIET_MAX_NANOS;
        long before = childCpuNanos();
        while (System.nanoTime() - deadline < 0)
        {
            Thread.sleep(QUIET_WINDOW_MILLIS);
            final long after = childCpuNanos();
            if (after - before < QUIET_CPU_NANOS)
            {
                return;
            }
            before = after;
        }
    }

    private static long childCpuNanos()
    {
        return ProcessHandle.current().descendants()
            .mapToLong(handle -> handle.info().totalCpuDuration().map(Duration::toNanos).orElse(0L)).sum();
    }
}
