package dev.jipc.tools.jmh;

import java.util.concurrent.TimeUnit;

import dev.jipc.core.SharedMemory;
import dev.jipc.core.wait.EventCount;
import dev.jipc.core.wait.Futex;
import dev.jipc.core.wait.WaitStrategy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The uncontended paths of the waiting layer: a wake with nobody waiting must cost a fence and a load, not a
 * syscall; a wait whose condition already holds must cost a check. The raw {@code futex_wake} syscall is measured
 * beside them for contrast.
 * <p>
 * Run: {@code ./jipc jmh EventCountBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EventCountBenchmark
{
    private SharedMemory block;
    private EventCount eventCount;

    @Setup
    public void setUp()
    {
        block = SharedMemory.create(4096);
        eventCount = new EventCount(block.buffer(), 64);
    }

    @TearDown
    public void tearDown()
    {
        block.unlink();
        block.close();
    }

    /** {@link EventCount#signalAll()} when nobody waits: the producer's cost per message. */
    @Benchmark
    public int signalWithoutWaiter()
    {
        return eventCount.signalAll();
    }

    /** {@link WaitStrategy#await} when the condition already holds: the consumer's cost per message. */
    @Benchmark
    public boolean awaitAlreadySatisfied() throws InterruptedException
    {
        return WaitStrategy.SPIN_THEN_PARK.await(eventCount, () -> true, 0);
    }

    /** A {@code futex_wake} syscall on a word nobody waits on: what the waiter count saves. */
    @Benchmark
    public int futexWakeSyscall()
    {
        return Futex.wake(block.segment(), 128, 1);
    }
}
