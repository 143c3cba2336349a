package dev.jipc.tools.bench;

import java.util.concurrent.Callable;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.ChildProcesses;
import dev.jipc.core.SharedMemory;
import dev.jipc.core.wait.WaitStrategy;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code jipc bench futex}: round trips between two JVMs through a shared word, with each {@link WaitStrategy} and
 * with raw spinning on the words as the hardware floor and a C futex ping-pong as the kernel's, interleaved in
 * rounds.
 */
@Command(name = "futex", mixinStandardHelpOptions = true,
    description = "Ping-pong between two JVMs through shared words, per wait strategy (round-trip percentiles).")
final class FutexBench implements Callable<Integer>
{
    @Mixin
    RoundsOptions rounds = new RoundsOptions();

    @Mixin
    RoundTripOptions sizes = new RoundTripOptions();

    @Override
    public Integer call() throws Exception
    {
        final InterleavedTable table = InterleavedTable.latency("wait strategy (2 JVMs)", rounds);
        table.add("raw spin on the words (hardware floor)", () -> measure("raw spin", FutexPingPong.RAW))
            .notCompared();
        table.addPerStrategy("", strategy -> measure(strategy.name(), strategy));
        NativeBaseline.addFutexFloor(table, sizes);
        table.run();
        table.print(System.out);
        sizes.writeCharts("futex", table, System.out);
        return 0;
    }

    private InterleavedTable.Sample measure(final String label, final WaitStrategy strategy) throws Exception
    {
        final int total = sizes.total();
        try (SharedMemory block = SharedMemory.create(FutexPingPong.LENGTH))
        {
            final Histogram histogram;
            try (ChildProcesses children = new ChildProcesses())
            {
                final ChildProcesses.Child child = children.start(ChildJvm.of(FutexPingPong.class)
                    .args(block.name(), strategy == null ? "RAW" : strategy.name(), total));
                final FutexPingPong pingPong = new FutexPingPong(block.buffer(), strategy);
                histogram = RoundTrips.measure(label, sizes, (round, timeoutNanos) ->
                {
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
            return InterleavedTable.Sample.latency(histogram);
        }
    }
}
