package dev.jipc.tools.bench;

import java.util.concurrent.Callable;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.ChildProcesses;
import dev.jipc.core.SharedMemory;
import dev.jipc.core.wait.WaitStrategy;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jipc bench futex}: round trips between two JVMs through a shared word, with each {@link WaitStrategy} and
 * with raw spinning on the words as the hardware floor, in one run.
 */
@Command(name = "futex", mixinStandardHelpOptions = true,
    description = "Ping-pong between two JVMs through shared words, per wait strategy (round-trip percentiles).")
final class FutexBench implements Callable<Integer>
{
    @Option(names = "--rounds", description = "Measured round trips per strategy (default: ${DEFAULT-VALUE}).")
    int rounds = 200_000;

    @Option(names = "--warmup", description = "Unmeasured round trips first (default: ${DEFAULT-VALUE}).")
    int warmup = 50_000;

    @Override
    public Integer call() throws Exception
    {
        final ResultTable table = ResultTable.latency("wait strategy (2 JVMs)");
        measure("raw spin on the words (hardware floor)", FutexPingPong.RAW, table);
        for (final WaitStrategy strategy : WaitStrategy.values())
        {
            measure(strategy.name(), strategy, table);
        }
        NativeBaseline.addFutexFloor(table, rounds, warmup);
        table.print(System.out);
        return 0;
    }

    private void measure(final String label, final WaitStrategy strategy, final ResultTable table)
        throws Exception
    {
        final int total = warmup + rounds;
        try (SharedMemory block = SharedMemory.create(FutexPingPong.LENGTH))
        {
            final Histogram histogram;
            try (ChildProcesses children = new ChildProcesses())
            {
                final ChildProcesses.Child child = children.start(ChildJvm.of(FutexPingPong.class)
                    .args(block.name(), strategy == null ? "RAW" : strategy.name(), total));
                final FutexPingPong pingPong = new FutexPingPong(block.buffer(), strategy);
                histogram = RoundTrips.measure(label, warmup, rounds, (round, timeoutNanos) -> {
                    if (!pingPong.ping(round, timeoutNanos))
                    {
                        throw new IllegalStateException(label + ": no answer to round " + round);
                    }
                });
                RoundTrips.awaitPartner(child, label);
            }
            finally
            {
                block.unlink();
            }
            table.addLatency(label, histogram);
        }
    }
}
