package dev.jipc.tools.bench;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.ChildProcesses;
import dev.jipc.core.SegmentDirectory;
import dev.jipc.core.wait.WaitStrategy;
import dev.jipc.sync.Condition;
import dev.jipc.sync.Lock;
import dev.jipc.sync.LongValue;
import dev.jipc.sync.RobustLock;
import dev.jipc.sync.SyncArena;
import dev.jipc.sync.SyncKind;
import dev.jipc.sync.SyncObject;
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
 *   <li>through two {@link dev.jipc.sync.Event}s, as Python programs use them: this JVM sets PING, waits for PONG
 *   and clears it; the other waits for PING, clears it and sets PONG.</li>
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
        table.addPerStrategy("jipc Semaphore, ", strategy -> InterleavedTable.Sample.latency(
            pingPong("jipc Semaphore, ", "pong", strategy, arena -> arena.newSemaphore(0))));
        table.addPerStrategy("jipc Condition, ", strategy -> InterleavedTable.Sample.latency(condition(strategy)));
        table.addPerStrategy("jipc Event, ", strategy -> InterleavedTable.Sample.latency(
            pingPong("jipc Event, ", "event-pong", strategy, SyncArena::newEvent)));
        NativeBaseline.addFutexFloor(table, sizes);
        table.add("Python multiprocessing.Semaphore", () -> InterleavedTable.Sample.latency(
            Python.runRound("semaphore_pingpong.py", 600, pythonRoundTrips, pythonRoundTrips / 4).getFirst()));
        table.run();
        table.print(System.out);
        sizes.writeCharts("handoff", table, System.out);
        return 0;
    }

    /**
     * Ping-pong over two objects of one kind made by {@code make}, the other JVM in the child's {@code mode}: this
     * JVM gives PING and takes PONG ({@link SyncBenchChild#signal}).
     */
    private Histogram pingPong(final String row, final String mode, final WaitStrategy strategy,
        final Function<SyncArena, SyncObject> make) throws Exception
    {
        final String label = row + strategy;
        final Path directory = SegmentDirectory.defaultDirectory();
        final String name = arenaName();
        try (SyncArena arena = SyncArena.create(directory, name, 4, 1024);
            SyncObject sharedPing = make.apply(arena);
            SyncObject sharedPong = make.apply(arena);
            SyncObject pingObject = arena.attach(sharedPing.offset(), sharedPing.kind(), strategy);
            SyncObject pongObject = arena.attach(sharedPong.offset(), sharedPong.kind(), strategy);
            ChildProcesses children = new ChildProcesses())
        {
            try
            {
                final ChildProcesses.Child child = children.start(ChildJvm.of(SyncBenchChild.class).args(
                    directory, name, mode, strategy, sizes.total(), 0, pingObject.offset(), pongObject.offset()));
                final SyncBenchChild.Signal ping = SyncBenchChild.signal(pingObject);
                final SyncBenchChild.Signal pong = SyncBenchChild.signal(pongObject);
                final Histogram histogram = RoundTrips.measure(label, sizes, (round, timeoutNanos) ->
                {
                    ping.give();
                    if (!pong.take(timeoutNanos))
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
