package dev.jipc.tools.bench;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.ChildProcesses;
import dev.jipc.core.Handles;
import dev.jipc.core.codec.Codecs;
import dev.jipc.core.pipe.Connection;
import dev.jipc.core.pipe.Pipe;
import dev.jipc.core.wait.WaitStrategy;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code jipc bench pipe}: round trips of a {@code long} between two JVMs over a {@link Pipe}
 * ({@code sendLong} / {@code recvLong}) with each {@link WaitStrategy}, beside Python's {@code multiprocessing.Pipe},
 * a Java Unix-domain socket and the C futex floor, interleaved in rounds.
 */
@Command(name = "pipe", mixinStandardHelpOptions = true,
    description = "Pipe ping-pong between JVMs per wait strategy, beside Python's Pipe, a Unix socket and the C " +
        "futex floor.")
final class PipeBench implements Callable<Integer>
{
    @Mixin
    RoundsOptions rounds = new RoundsOptions();

    @Mixin
    RoundTripOptions sizes = new RoundTripOptions();

    @Option(names = "--python-round-trips", description = "Measured Python round trips per round " +
        "(default: ${DEFAULT-VALUE}).")
    int pythonRoundTrips = 20_000;

    @Override
    public Integer call() throws Exception
    {
        final InterleavedTable table = InterleavedTable.latency("pipe ping-pong (2 processes, 8-byte message)", rounds);
        table.addPerStrategy("jipc Pipe, ", strategy -> InterleavedTable.Sample.latency(pipe(strategy)));
        table.add("Java Unix-domain socket (blocking)", () -> InterleavedTable.Sample.latency(unixSocket()));
        NativeBaseline.addFutexFloor(table, sizes);
        table.add("Python multiprocessing.Pipe (send_bytes)", () -> InterleavedTable.Sample.latency(
            Python.runRound("mp_pipe.py", 600, pythonRoundTrips, pythonRoundTrips / 10).getFirst()));
        table.run();
        table.print(System.out);
        sizes.writeCharts("pipe", table, System.out);
        return 0;
    }

    private Histogram pipe(final WaitStrategy strategy) throws Exception
    {
        final int total = sizes.total();
        final Histogram histogram;
        try (Pipe<Long> pipe = Pipe.create(true, Codecs.longs()))
        {
            try (ChildProcesses children = new ChildProcesses())
            {
                final ChildProcesses.Child child = children.start(ChildJvm.of(ChannelBenchChild.class)
                    .args("pipe-pong", Handles.encode(pipe.second()), strategy.name(), total));
                final Connection<Long> connection = pipe.first().waitStrategy(strategy);
                histogram = RoundTrips.measure("Pipe " + strategy.name(), sizes, (round, timeoutNanos) ->
                {
                    connection.sendLong(round);
                    if (connection.recvLong() != round + 1)
                    {
                        throw new IllegalStateException("wrong answer at round " + round);
                    }
                });
                RoundTrips.awaitPartner(child, "Pipe " + strategy.name());
            }
            finally
            {
                pipe.unlink();
            }
        }
        return histogram;
    }

    private Histogram unixSocket() throws Exception
    {
        final int total = sizes.total();
        final Histogram histogram;
        final Path dir = Files.createTempDirectory("jipc-uds-");
        final Path socket = dir.resolve("pingpong.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            ChildProcesses children = new ChildProcesses())
        {
            server.bind(UnixDomainSocketAddress.of(socket));
            final ChildProcesses.Child child =
                children.start(ChildJvm.of(ChannelBenchChild.class).args("uds-echo", socket, total));
            try (SocketChannel channel = server.accept())
            {
                final ByteBuffer message = ByteBuffer.allocateDirect(Long.BYTES);
                histogram = RoundTrips.measure("Unix-domain socket", sizes, (round, timeoutNanos) ->
                {
                    message.clear().putLong(0, round);
                    while (message.hasRemaining())
                    {
                        channel.write(message);
                    }
                    message.clear();
                    while (message.hasRemaining())
                    {
                        if (channel.read(message) < 0)
                        {
                            throw new IllegalStateException("the echoing JVM closed at round " + round);
                        }
                    }
                    if (message.getLong(0) != round + 1)
                    {
                        throw new IllegalStateException("wrong answer at round " + round);
                    }
                });
            }
            finally
            {
                // the echoing JVM ends once the socket closes; closing the group kills it if it has not by then
                child.process().waitFor(30, TimeUnit.SECONDS);
            }
        }
        finally
        {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        }
        return histogram;
    }
}
