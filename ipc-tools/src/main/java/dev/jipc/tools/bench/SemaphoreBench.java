package dev.jipc.tools.bench;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.ChildProcesses;
import dev.jipc.core.SegmentDirectory;
import dev.jipc.core.wait.WaitStrategy;
import dev.jipc.sync.Condition;
import dev.jipc.sync.Event;
import dev.jipc.sync.Lock;
import dev.jipc.sync.LongValue;
import dev.jipc.sync.RobustLock;
import dev.jipc.sync.Semaphore;
import dev.jipc.sync.SyncArena;
import dev.jipc.sync.SyncKind;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code jipc bench semaphore}: hand-off round trips between two JVMs, per wait strategy, interleaved in rounds with
 * the C futex floor and Python's {@code multiprocessing.Semaphore} doing the same:
 * <ul>
 *   <li>through two semaphores: this JVM releases PING and acquires PONG; the other acquires PING and releases
 *   PONG;</li>
 *   <li>through one {@link Condition} and a turn counter under its lock: this JVM sets an odd turn, signals and
 *   waits for the next even one; the other waits for the odd turn, sets the even one and signals;</li>
 *   <li>through two {@link Event}s, as Python programs use them: this JVM sets PING, waits for PONG and clears it;
 *   the other waits for PING, clears it and sets PONG.</li>
 * </ul>
 */
@Command(name = "semaphore", mixinStandardHelpOptions = true,
    description = "Semaphore, Condition and Event hand-off round trips between two JVMs per wait strategy, beside " +
        "the C futex floor and Python's Semaphore.")
final class SemaphoreBench implements Callable<Integer>
{
    @Mixin
    RoundsOptions rounds = new RoundsOptions();

    @Mixin
    RoundTripOptions sizes = new RoundTripOptions();

    @Option(names = "--python-round-trips", description = "Measured Python round trips per round " +
        "(default: ${DEFAULT-VALUE}).")
    int pythonRoundTrips = 10_000;

    @Override
    public Integer call() throws Exception
    {
        final InterleavedTable table = InterleavedTable.latency("hand-off (2 processes)", rounds);
        table.addPerStrategy("jipc Semaphore, ", strategy -> InterleavedTable.Sample.latency(semaphore(strategy)));
        table.addPerStrategy("jipc Condition, ", strategy -> InterleavedTable.Sample.latency(condition(strategy)));
        table.addPerStrategy("jipc Event, ", strategy -> InterleavedTable.Sample.latency(event(strategy)));
        NativeBaseline.addFutexFloor(table, sizes);
        table.add("Python multiprocessing.Semaphore", () -> InterleavedTable.Sample.latency(
            Python.runRound("semaphore_pingpong.py", 600, pythonRoundTrips, pythonRoundTrips / 4).getFirst()));
        table.run();
        table.print(System.out);
        sizes.writeCharts("handoff", table, System.out);
        return 0;
    }

    private Histogram semaphore(final WaitStrategy strategy) throws Exception
    {
        final String label = "jipc Semaphore, " + strategy;
        final Path directory = SegmentDirectory.defaultDirectory();
        final String name = arenaName();
        try (SyncArena arena = SyncArena.create(directory, name, 4, 1024);
            Semaphore shared = arena.newSemaphore(0);
            Semaphore sharedPong = arena.newSemaphore(0);
            Semaphore ping = (Semaphore)arena.attach(shared.offset(), shared.kind(), strategy);
            Semaphore pong = (Semaphore)arena.attach(sharedPong.offset(), sharedPong.kind(), strategy);
            ChildProcesses children = new ChildProcesses())
        {
            try
            {
                final ChildProcesses.Child child = children.start(ChildJvm.of(SyncBenchChild.class)
                    .args(directory, name, "pong", strategy, sizes.total(), 0, ping.offset(), pong.offset()));
                final Histogram histogram = RoundTrips.measure(label, sizes, (round, timeoutNanos) ->
                {
                    ping.release();
                    if (!pong.tryAcquire(timeoutNanos, TimeUnit.NANOSECONDS))
                    {
                        throw new IllegalStateException(label + ": no answer to round " + round);
                    }
                });
                RoundTrips.awaitPartner(child, label);
                return histogram;
            }
            finally
            {
                arena.unlink();
            }
        }
    }

    private Histogram event(final WaitStrategy strategy) throws Exception
    {
        final String label = "jipc Event, " + strategy;
        final Path directory = SegmentDirectory.defaultDirectory();
        final String name = arenaName();
        try (SyncArena arena = SyncArena.create(directory, name, 4, 1024);
            Event sharedPing = arena.newEvent();
            Event sharedPong = arena.newEvent();
            Event ping = (Event)arena.attach(sharedPing.offset(), SyncKind.EVENT, strategy);
            Event pong = (Event)arena.attach(sharedPong.offset(), SyncKind.EVENT, strategy);
            ChildProcesses children = new ChildProcesses())
        {
            try
            {
                final ChildProcesses.Child child = children.start(ChildJvm.of(SyncBenchChild.class)
                    .args(directory, name, "event-pong", strategy, sizes.total(), 0, ping.offset(), pong.offset()));
                final Histogram histogram = RoundTrips.measure(label, sizes, (round, timeoutNanos) ->
                {
                    // the other JVM cleared PING before it set PONG, so this set starts the next round
                    ping.set();
                    if (!pong.await(timeoutNanos, TimeUnit.NANOSECONDS))
                    {
                        throw new IllegalStateException(label + ": no answer to round " + round);
                    }
                    pong.clear();
                });
                RoundTrips.awaitPartner(child, label);
                return histogram;
            }
            finally
            {
                arena.unlink();
            }
        }
    }

    private Histogram condition(final WaitStrategy strategy) throws Exception
    {
        final String label = "jipc Condition, " + strategy;
        final Path directory = SegmentDirectory.defaultDirectory();
        final String name = arenaName();
        try (SyncArena arena = SyncArena.create(directory, name, 4, 1024);
            Lock sharedLock = arena.newLock();
            Condition sharedCondition = arena.newCondition(sharedLock);
            LongValue sharedTurn = arena.newLongValue(0);
            Condition condition = (Condition)arena.attach(sharedCondition.offset(), SyncKind.CONDITION, strategy);
            LongValue turn = (LongValue)arena.attach(sharedTurn.offset(), SyncKind.LONG_VALUE, strategy);
            ChildProcesses children = new ChildProcesses())
        {
            try
            {
                final RobustLock lock = condition.getLock();
                final Histogram histogram;
                // held from before the other JVM starts: it gets the lock only while this side waits for its turn
                lock.lock();
                try
                {
                    final ChildProcesses.Child child = children.start(ChildJvm.of(SyncBenchChild.class).args(
                        directory, name, "condition-pong", strategy, sizes.total(), 0, condition.offset(),
                        turn.offset()));
                    histogram = RoundTrips.measure(label, sizes, (round, timeoutNanos) ->
                    {
                        turn.setRaw(2L * round - 1);
                        condition.signal();
                        if (!SyncBenchChild.awaitTurn(condition, turn, 2L * round, timeoutNanos))
                        {
                            throw new IllegalStateException(label + ": no answer to round " + round);
                        }
                    });
                    lock.unlock();
                    RoundTrips.awaitPartner(child, label);
                }
                finally
                {
                    if (lock.isHeldByCurrentThread())
                    {
                        lock.unlock();
                    }
                }
                return histogram;
            }
            finally
            {
                arena.unlink();
            }
        }
    }

    private static String arenaName()
    {
        return "bench-handoff-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
    }
}
