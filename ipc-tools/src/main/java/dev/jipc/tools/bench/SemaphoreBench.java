package dev.jipc.tools.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.ChildProcesses;
import dev.jipc.core.SegmentDirectory;
import dev.jipc.core.wait.WaitStrategy;
import dev.jipc.sync.Semaphore;
import dev.jipc.sync.SyncArena;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jipc bench semaphore}: a hand-off round trip between two JVMs through two semaphores (this JVM releases
 * PING and acquires PONG; the other acquires PING and releases PONG), per wait strategy, beside Python's
 * {@code multiprocessing.Semaphore} doing the same in the same run.
 */
@Command(name = "semaphore", mixinStandardHelpOptions = true,
    description = "Semaphore hand-off round trips between two JVMs per wait strategy, beside Python's Semaphore.")
final class SemaphoreBench implements Callable<Integer>
{
    @Option(names = "--rounds", description = "Measured round trips per strategy (default: ${DEFAULT-VALUE}).")
    int rounds = 200_000;

    @Option(names = "--warmup", description = "Unmeasured round trips first (default: ${DEFAULT-VALUE}).")
    int warmup = 50_000;

    @Option(names = "--python-rounds", description = "Measured Python round trips (default: ${DEFAULT-VALUE}).")
    int pythonRounds = 20_000;

    @Override
    public Integer call() throws Exception
    {
        final ResultTable table = ResultTable.latency("semaphore hand-off (2 processes)");
        for (final WaitStrategy strategy : WaitStrategy.values())
        {
            measure(strategy, table);
        }
        Python.find().ifPresentOrElse(python ->
        {
            final List<String> out = Python.run(python, "semaphore_pingpong.py", 600, pythonRounds,
                pythonRounds / 4);
            final String[] ns = out.get(0).trim().split(" ");
            table.add("Python multiprocessing.Semaphore", ResultTable.micros(Long.parseLong(ns[0])),
                ResultTable.micros(Long.parseLong(ns[1])), ResultTable.micros(Long.parseLong(ns[2])),
                ResultTable.micros(Long.parseLong(ns[3])), String.format("%,d", Long.parseLong(ns[4])));
        }, () -> System.out.println("(no python3 on the PATH: the Python baseline was skipped)"));
        table.print(System.out);
        return 0;
    }

    private void measure(final WaitStrategy strategy, final ResultTable table) throws Exception
    {
        final String label = "jipc Semaphore, " + strategy;
        final Path directory = SegmentDirectory.defaultDirectory();
        final String name = "bench-semaphore-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
        final int total = warmup + rounds;
        final Histogram histogram;
        try (SyncArena arena = SyncArena.create(directory, name, 4, 1024);
            Semaphore shared = arena.newSemaphore(0);
            Semaphore sharedPong = arena.newSemaphore(0);
            Semaphore ping = (Semaphore)arena.attach(shared.offset(), shared.kind(), strategy);
            Semaphore pong = (Semaphore)arena.attach(sharedPong.offset(), sharedPong.kind(), strategy))
        {
            try (ChildProcesses children = new ChildProcesses())
            {
                final ChildProcesses.Child child = children.start(ChildJvm.of(SyncBenchChild.class)
                    .args(directory, name, "pong", strategy, total, 0, ping.offset(), pong.offset()));
                histogram = RoundTrips.measure(label, warmup, rounds, (round, timeoutNanos) -> {
                    ping.release();
                    if (!pong.tryAcquire(timeoutNanos, TimeUnit.NANOSECONDS))
                    {
                        throw new IllegalStateException(label + ": no answer to round " + round);
                    }
                });
                RoundTrips.awaitPartner(child, label);
            }
            finally
            {
                arena.unlink();
            }
        }
        table.addLatency(label, histogram);
    }
}
