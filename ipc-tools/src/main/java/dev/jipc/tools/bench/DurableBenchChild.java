package dev.jipc.tools.bench;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.jipc.core.SharedMemory;
import org.HdrHistogram.Histogram;
import org.agrona.concurrent.AtomicBuffer;

/**
 * The producer and the consumer of {@code jipc bench durable}, each a child JVM of its own:
 * {@code <producer|consumer> <throughput|latency> <channel> <control> <target> <size> <messages> <warm-up>
 * [<messages per second>, for a latency producer]}.
 * <p>
 * Both add one to READY once their end of the {@link DurableBenchChannel channel} is open and wait for START (the
 * control block of {@link ChannelBenchChild}). Each message carries its sequence number in its first 8 bytes, which
 * the consumer checks (none lost, none twice, none out of order), and, for latency, the producer's
 * {@code System.nanoTime()} (the host's monotonic clock) when it sent it in the next 8. The consumer polls in a
 * busy loop, as a Chronicle tailer is used, so that no wake-up is measured (it yields the CPU every
 * {@value #YIELD_EVERY} empty polls).
 * <ul>
 *   <li>Throughput: the producer sends as fast as the channel takes; once the first {@code warm-up} messages are
 *   sent, and once all are, it stamps the time, and the consumer does the same when it has received them, so that
 *   the parent times the appends and the reads of the messages after the warm-up.</li>
 *   <li>Latency: the producer sends the warm-up messages as fast as it can but for their last second (at most
 *   half of them), which it paces as it paces the rest, and waits until the consumer sets WARMED_UP, having taken
 *   them all, so that no backlog of the warm-up is measured. It sends the rest at a fixed rate (it skips the slots
 *   it missed rather than bursting to catch up). It sleeps until {@value #PARK_MARGIN_NANOS} ns before its next
 *   slot, since a sleep here ends 50-100 µs late, and yields the CPU for the rest: at a rate of a few thousand per
 *   second that leaves the other CPU to the JIT, the collector and the kernel, so that on two CPUs they do not
 *   preempt the busy consumer for a time slice and the tail measures the channel, not the scheduler. The consumer
 *   records the time from each send to its receipt of the messages after the warm-up in an HdrHistogram and writes
 *   its percentiles into the control block.</li>
 * </ul>
 * <pre>
 *   0        64       128                     192                   256
 *   +--------+--------+-----------------------+---------------------+--------------------------------+
 *   | READY  | START  | APPEND_FROM APPEND_TO | READ_FROM READ_TO   | P50 P99 P999 MAX COUNT (ns)    |
 *   |        |        |                       | WARMED_UP           |                                |
 *   +--------+--------+-----------------------+---------------------+--------------------------------+
 * </pre>
 */
public final class DurableBenchChild
{
    static final String PRODUCER = "producer";
    static final String CONSUMER = "consumer";
    static final String THROUGHPUT = "throughput";
    static final String LATENCY = "latency";
    /** Bytes of the control block. */
    static final int CONTROL_LENGTH = 320;
    static final int READY = ChannelBenchChild.READY;
    static final int START = ChannelBenchChild.START;
    static final int APPEND_FROM = 128;
    static final int APPEND_TO = 136;
    static final int READ_FROM = 192;
    static final int READ_TO = 200;
    static final int WARMED_UP = 208;
    static final int P50 = 256;
    static final int P99 = 264;
    static final int P999 = 272;
    static final int MAX = 280;
    static final int COUNT = 288;
    /** The shortest message: a sequence number and a send time. */
    static final int MIN_SIZE = 2 * Long.BYTES;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
        ByteOrder.LITTLE_ENDIAN);
    private static final long HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int YIELD_EVERY = 128;
    private static final long PARK_MARGIN_NANOS = 100_000;

    private DurableBenchChild()
    {
    }

    /**
     * @param args as above.
     * @throws Exception on failure, which exits the child with status 1.
     */
    public static void main(final String[] args) throws Exception
    {
        DurableBenchChannel.applyChronicleDefaults();
        final boolean producer = switch (args[0])
        {
            case PRODUCER -> true;
            case CONSUMER -> false;
            default -> throw new IllegalArgumentException("unknown role: role=" + args[0]);
        };
        final boolean latency = switch (args[1])
        {
            case LATENCY -> true;
            case THROUGHPUT -> false;
            default -> throw new IllegalArgumentException("unknown mode: mode=" + args[1]);
        };
        final DurableBenchChannel channel = DurableBenchChannel.valueOf(args[2]);
        final String target = args[4];
        final int size = Integer.parseInt(args[5]);
        final long messages = Long.parseLong(args[6]);
        final long warmUp = Long.parseLong(args[7]);
        try (SharedMemory block = SharedMemory.open(args[3]))
        {
            final AtomicBuffer control = block.buffer();
            if (producer)
            {
                try (DurableBenchChannel.Sender sender = channel.sender(target))
                {
                    ChannelBenchChild.awaitStart(control);
                    if (latency)
                    {
                        sendPaced(control, sender, size, messages, warmUp, Long.parseLong(args[8]));
                    }
                    else
                    {
                        send(control, sender, size, messages, warmUp);
                    }
                }
            }
            else
            {
                try (DurableBenchChannel.Receiver receiver = channel.receiver(target, size))
                {
                    ChannelBenchChild.awaitStart(control);
                    if (latency)
                    {
                        receiveTimed(control, receiver, messages, warmUp);
                    }
                    else
                    {
                        receive(control, receiver, messages, warmUp);
                    }
                }
            }
        }
    }

    private static void send(final AtomicBuffer control, final DurableBenchChannel.Sender sender, final int size,
        final long messages, final long warmUp) throws InterruptedException
    {
        final byte[] message = new byte[size];
        for (long i = 0; i < messages; i++)
        {
            if (i == warmUp)
            {
                control.putLongVolatile(APPEND_FROM, System.nanoTime());
            }
            LONGS.set(message, 0, i);
            sender.send(message);
        }
        control.putLongVolatile(APPEND_TO, System.nanoTime());
    }

    private static void receive(final AtomicBuffer control, final DurableBenchChannel.Receiver receiver,
        final long messages, final long warmUp)
    {
        long received = 0;
        while (received < messages)
        {
            check(next(receiver), received++);
            if (received == warmUp)
            {
                control.putLongVolatile(READ_FROM, System.nanoTime());
            }
        }
        control.putLongVolatile(READ_TO, System.nanoTime());
    }

    private static void sendPaced(final AtomicBuffer control, final DurableBenchChannel.Sender sender,
        final int size, final long messages, final long warmUp, final long perSecond) throws InterruptedException
    {
        final long interval = TimeUnit.SECONDS.toNanos(1) / perSecond;
        // the warm-up's last second (at most half of it) is paced: code compiled only for a burst meets branches it
        // never took when messages come one at a time, and recompiling it then would be measured
        final long unpaced = warmUp - Math.min(warmUp / 2, perSecond);
        final byte[] message = new byte[size];
        long next = System.nanoTime();
        for (long i = 0; i < messages; i++)
        {
            if (i == warmUp)
            {
                awaitWarmedUp(control);
                next = System.nanoTime();
            }
            long now = System.nanoTime();
            if (i < unpaced)
            {
                // unpaced, so that the JIT has compiled both ends (C2 after some 10,000 calls) before the timing
                next = now;
            }
            while (next - now > PARK_MARGIN_NANOS)
            {
                LockSupport.parkNanos(next - now - PARK_MARGIN_NANOS);
                now = System.nanoTime();
            }
            while (now - next < 0)
            {
                Thread.yield();
                now = System.nanoTime();
            }
            next = Math.max(next + interval, now);
            LONGS.set(message, 0, i);
            LONGS.set(message, Long.BYTES, System.nanoTime());
            sender.send(message);
        }
    }

    private static void receiveTimed(final AtomicBuffer control, final DurableBenchChannel.Receiver receiver,
        final long messages, final long warmUp)
    {
        final Histogram histogram = new Histogram(HIGHEST_NANOS, 3);
        long received = 0;
        while (received < messages)
        {
            final byte[] message = next(receiver);
            final long latency = System.nanoTime() - (long)LONGS.get(message, Long.BYTES);
            check(message, received++);
            if (received > warmUp)
            {
                histogram.recordValue(Math.min(Math.max(latency, 0), HIGHEST_NANOS));
            }
            else if (received == warmUp)
            {
                control.putIntVolatile(WARMED_UP, 1);
            }
        }
        control.putLong(P50, histogram.getValueAtPercentile(50));
        control.putLong(P99, histogram.getValueAtPercentile(99));
        control.putLong(P999, histogram.getValueAtPercentile(99.9));
        control.putLong(MAX, histogram.getMaxValue());
        control.putLongVolatile(COUNT, histogram.getTotalCount());
    }

    /**
     * The next message, polled for in a busy loop that yields the CPU now and then, so that on a machine with few
     * CPUs the other JVM and the kernel get them without waiting for the end of a time slice.
     */
    private static byte[] next(final DurableBenchChannel.Receiver receiver)
    {
        byte[] message = receiver.poll();
        for (int idle = 1; message == null; idle++)
        {
            if (idle % YIELD_EVERY == 0)
            {
                Thread.yield();
            }
            else
            {
                Thread.onSpinWait();
            }
            message = receiver.poll();
        }
        return message;
    }

    /** Waits for the consumer to have taken every warm-up message, so that no backlog of them is measured. */
    private static void awaitWarmedUp(final AtomicBuffer control) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (control.getIntVolatile(WARMED_UP) == 0)
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new IllegalStateException("the consumer did not take the warm-up messages within 120 s");
            }
            Thread.sleep(1);
        }
    }

    private static void check(final byte[] message, final long expected)
    {
        final long sequence = (long)LONGS.get(message, 0);
        if (sequence != expected)
        {
            throw new IllegalStateException("received message " + sequence + ", expected " + expected);
        }
    }
}
