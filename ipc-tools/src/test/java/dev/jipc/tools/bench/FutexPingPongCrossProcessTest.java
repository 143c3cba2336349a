package dev.jipc.tools.bench;

import static dev.jipc.core.ChildProcesses.awaitSuccess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.ChildProcesses;
import dev.jipc.core.SharedMemory;
import dev.jipc.core.test.ChildLogs;
import dev.jipc.core.test.Names;
import dev.jipc.core.wait.Futex;
import dev.jipc.core.wait.WaitStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Two JVMs ping-pong a word through the futex layer and agree on the count. */
class FutexPingPongCrossProcessTest
{
    private static final int ROUNDS = 10_000;

    @ParameterizedTest
    @EnumSource(WaitStrategy.class)
    void shouldAgreeOnTheCountAfterTenThousandRoundTrips(final WaitStrategy strategy) throws InterruptedException
    {
        final String name = Names.unique("pingpong");
        try (SharedMemory block = SharedMemory.create(name, FutexPingPong.LENGTH);
            ChildProcesses children = ChildLogs.group())
        {
            final ChildProcesses.Child ponger = children.start(
                ChildJvm.of(FutexPingPong.class).args(name, strategy.name(), ROUNDS));
            final FutexPingPong pingPong = new FutexPingPong(block.buffer(), strategy);
            for (int round = 1; round <= ROUNDS; round++)
            {
                assertTrue(pingPong.ping(round, TimeUnit.SECONDS.toNanos(60)),
                    "no answer to round " + round + "; ponger output:\n" + ponger.output());
            }
            awaitSuccess(ponger, 60, TimeUnit.SECONDS);
            assertEquals(ROUNDS, pingPong.answered());
            block.unlink();
        }
    }

    @Test
    void shouldPingPongWithThePortableFallback() throws InterruptedException
    {
        // Both sides without the kernel futex: the fallback parks briefly and re-checks, so nothing is lost.
        try (ChildProcesses children = ChildLogs.group())
        {
            final String name = Names.unique("portable");
            final ChildProcesses.Child pinger = children.start(ChildJvm.of(PortablePinger.class)
                .jvmArgs("-Djipc.futex=portable").args(name, 2_000));
            awaitSuccess(pinger, 120, TimeUnit.SECONDS);
            assertTrue(pinger.output().contains("native=false answered=2000"), pinger.output());
        }
    }

    /** Pings a ponger JVM in portable mode and prints what it saw. */
    public static final class PortablePinger
    {
        public static void main(final String[] args) throws InterruptedException
        {
            final int rounds = Integer.parseInt(args[1]);
            try (SharedMemory block = SharedMemory.create(args[0], FutexPingPong.LENGTH);
                ChildProcesses children = ChildLogs.group())
            {
                final ChildProcesses.Child ponger = children.start(
                    ChildJvm.of(FutexPingPong.class).args(args[0], WaitStrategy.PARK.name(), rounds));
                final FutexPingPong pingPong = new FutexPingPong(block.buffer(), WaitStrategy.PARK);
                for (int round = 1; round <= rounds; round++)
                {
                    if (!pingPong.ping(round, TimeUnit.SECONDS.toNanos(60)))
                    {
                        System.out.println("no answer to round " + round + ":\n" + ponger.output());
                        System.exit(2);
                    }
                }
                awaitSuccess(ponger, 60, TimeUnit.SECONDS);
                block.unlink();
                System.out.println("native=" + Futex.isNative() + " answered=" + pingPong.answered());
            }
        }
    }
}
