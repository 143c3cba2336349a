package dev.jipc.tools.jmh;

import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

import dev.jipc.core.codec.Codecs;
import dev.jipc.core.queue.LongQueue;
import dev.jipc.core.queue.Queue;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * In-process cost of the queues: one thread offering and polling ({@code offerPoll*}, the instructions of a
 * hand-off without any cache-line transfer) and a producer thread against a consumer thread ({@code @Group}s), with
 * failed offers and empty polls counted as {@code @AuxCounters}.
 * <p>
 * Run: {@code ./jipc jmh QueueBenchmark} (add {@code -prof gc} to see that the long paths allocate nothing).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class QueueBenchmark
{
    private static final int CAPACITY = 1 << 20;
    private static final byte[] MESSAGE = new byte[64];

    /** One queue of each kind, shared by the threads of a group. */
    @State(Scope.Group)
    public static class Queues
    {
        LongQueue longs;
        Queue<byte[]> bytes;

        @Setup
        public void setUp()
        {
            longs = LongQueue.create("jmh_long_" + System.nanoTime(), CAPACITY);
            bytes = Queue.create("jmh_bytes_" + System.nanoTime(), CAPACITY, Codecs.bytes());
        }

        @TearDown
        public void tearDown()
        {
            longs.unlink();
            longs.close();
            bytes.unlink();
            bytes.close();
        }
    }

    /** Failed offers (ring full) and empty polls, per iteration. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Misses
    {
        public long full;
        public long empty;

        @Setup(Level.Iteration)
        public void clear()
        {
            full = 0;
            empty = 0;
        }
    }

    /** Where polled values go. */
    @State(Scope.Thread)
    public static class Sink implements LongConsumer
    {
        long sum;

        @Override
        public void accept(final long value)
        {
            sum += value;
        }
    }

    /** LongQueue offer then poll in one thread. */
    @Benchmark
    @Group("offerPollLong")
    public long offerPollLong(final Queues queues, final Sink sink)
    {
        queues.longs.offer(sink.sum);
        queues.longs.poll(sink);
        return sink.sum;
    }

    /** Queue of 64-byte arrays: offer then poll in one thread. */
    @Benchmark
    @Group("offerPollBytes")
    public byte[] offerPollBytes(final Queues queues)
    {
        queues.bytes.offer(MESSAGE);
        return queues.bytes.poll();
    }

    /** LongQueue producer thread against a consumer thread: the producer side. */
    @Benchmark
    @Group("spscLong")
    public void spscLongOffer(final Queues queues, final Misses misses)
    {
        if (!queues.longs.offer(42))
        {
            misses.full++;
        }
    }

    /** LongQueue producer thread against a consumer thread: the consumer side. */
    @Benchmark
    @Group("spscLong")
    public void spscLongPoll(final Queues queues, final Misses misses, final Sink sink)
    {
        if (!queues.longs.poll(sink))
        {
            misses.empty++;
        }
    }

    /** 64-byte Queue producer thread against a consumer thread: the producer side. */
    @Benchmark
    @Group("spscBytes")
    public void spscBytesOffer(final Queues queues, final Misses misses)
    {
        if (!queues.bytes.offer(MESSAGE))
        {
            misses.full++;
        }
    }

    /** 64-byte Queue producer thread against a consumer thread: the consumer side. */
    @Benchmark
    @Group("spscBytes")
    public byte[] spscBytesPoll(final Queues queues, final Misses misses)
    {
        final byte[] message = queues.bytes.poll();
        if (message == null)
        {
            misses.empty++;
        }
        return message;
    }
}
