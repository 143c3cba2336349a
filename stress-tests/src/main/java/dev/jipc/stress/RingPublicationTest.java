package dev.jipc.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.IntSupplier;

import dev.jipc.core.SegmentDirectory;
import dev.jipc.core.codec.Codecs;
import dev.jipc.core.pipe.Connection;
import dev.jipc.core.pipe.Pipe;
import dev.jipc.core.queue.LongQueue;
import dev.jipc.core.queue.Producers;
import dev.jipc.core.queue.Queue;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * A consumer never sees a torn or half-published record in a {@link LongQueue}, a {@link Queue} or a {@link Pipe}
 * (each a real ring in a mapped segment), and one producer's records keep their order: a producer publishes record 1
 * then record 2 while a consumer polls twice without waiting; the last actor to finish drains what is left. Records
 * are self-checking (every byte, or every nibble of the long, holds the record's number), so a half-written record
 * reads as -1.
 * <p>
 * Run: {@code ./jipc stress -t RingPublicationTest}.
 * <p>
 * r1, r2: what the consumer's two polls returned (0: empty, 1 or 2: that record whole, -1: a torn or foreign record);
 * r3: the records drained after both actors, as digits in order (12: both, 2: record 2, 0: none).
 */
public final class RingPublicationTest
{
    private static final int POOL = 256;
    private static final int RING_CAPACITY = 1024;
    private static final int RECORD_LENGTH = 48;
    private static final long[] LONGS = {0, 0x1111_1111_1111_1111L, 0x2222_2222_2222_2222L};
    private static final byte[][] BYTES = {null, filled(1), filled(2)};

    private RingPublicationTest()
    {
    }

    /** {@link LongQueue}: 8-byte records. */
    @JCStressTest
    @Outcome(id = "0, 0, 12", expect = ACCEPTABLE, desc = "The consumer polled before either record was published.")
    @Outcome(id = "0, 1, 2", expect = ACCEPTABLE, desc = "Record 1 arrived between the polls.")
    @Outcome(id = "1, 0, 2", expect = ACCEPTABLE, desc = "Record 1 was there for the first poll, record 2 came late.")
    @Outcome(id = "1, 2, 0", expect = ACCEPTABLE, desc = "Both records were there in time.")
    @Outcome(id = "-1, .*", expect = FORBIDDEN, desc = "A torn record was delivered.")
    @Outcome(id = "2, .*", expect = FORBIDDEN, desc = "Record 2 overtook record 1.")
    @Outcome(expect = FORBIDDEN, desc = "A record was lost, repeated, torn or reordered.")
    @State
    public static class LongQueueRecords
    {
        private static final ChannelPool<LongQueue> QUEUES = new ChannelPool<>(POOL, i ->
        {
            final LongQueue queue = LongQueue.create(directory(), name("longqueue", i), RING_CAPACITY);
            queue.unlink();
            return queue;
        });

        private final ChannelPool<LongQueue>.Loan loan = QUEUES.new Loan();
        private final long[] polled = new long[1];

        @Actor
        public void producer(final III_Result r)
        {
            final LongQueue queue = loan.channel();
            queue.offer(LONGS[1]);
            queue.offer(LONGS[2]);
            finish(r);
        }

        @Actor
        public void consumer(final III_Result r)
        {
            final LongQueue queue = loan.channel();
            r.r1 = poll(queue);
            r.r2 = poll(queue);
            finish(r);
        }

        private int poll(final LongQueue queue)
        {
            polled[0] = 0;
            return queue.poll(v -> polled[0] = v) ? code(polled[0]) : 0;
        }

        private void finish(final III_Result r)
        {
            if (loan.finish(2))
            {
                final LongQueue queue = loan.channel();
                r.r3 = drain(() -> poll(queue));
                loan.giveBack();
            }
        }

        private static int code(final long value)
        {
            return value == LONGS[1] ? 1 : value == LONGS[2] ? 2 : -1;
        }
    }

    /**
     * {@link LongQueue} of {@link Producers#ONE}: 16-byte slots published by their sequence. jcstress runs
     * each actor on a thread of its own; a queue lent again to a later run's producer thread is taken over from the
     * ended one.
     */
    @JCStressTest
    @Outcome(id = "0, 0, 12", expect = ACCEPTABLE, desc = "The consumer polled before either record was published.")
    @Outcome(id = "0, 1, 2", expect = ACCEPTABLE, desc = "Record 1 arrived between the polls.")
    @Outcome(id = "1, 0, 2", expect = ACCEPTABLE, desc = "Record 1 was there for the first poll, record 2 came late.")
    @Outcome(id = "1, 2, 0", expect = ACCEPTABLE, desc = "Both records were there in time.")
    @Outcome(id = "-1, .*", expect = FORBIDDEN, desc = "A torn record was delivered.")
    @Outcome(id = "2, .*", expect = FORBIDDEN, desc = "Record 2 overtook record 1.")
    @Outcome(expect = FORBIDDEN, desc = "A record was lost, repeated, torn or reordered.")
    @State
    public static class SingleProducerLongQueueRecords
    {
        private static final ChannelPool<LongQueue> QUEUES = new ChannelPool<>(POOL, i ->
        {
            final LongQueue queue = LongQueue.create(
                directory(), name("slotqueue", i), RING_CAPACITY, Producers.ONE);
            queue.unlink();
            return queue;
        });

        private final ChannelPool<LongQueue>.Loan loan = QUEUES.new Loan();
        private final long[] polled = new long[1];

        @Actor
        public void producer(final III_Result r)
        {
            final LongQueue queue = loan.channel();
            queue.offer(LONGS[1]);
            queue.offer(LONGS[2]);
            finish(r);
        }

        @Actor
        public void consumer(final III_Result r)
        {
            final LongQueue queue = loan.channel();
            r.r1 = poll(queue);
            r.r2 = poll(queue);
            finish(r);
        }

        private int poll(final LongQueue queue)
        {
            polled[0] = 0;
            return queue.poll(v -> polled[0] = v) ? code(polled[0]) : 0;
        }

        private void finish(final III_Result r)
        {
            if (loan.finish(2))
            {
                final LongQueue queue = loan.channel();
                r.r3 = drain(() -> poll(queue));
                loan.giveBack();
            }
        }

        private static int code(final long value)
        {
            return value == LONGS[1] ? 1 : value == LONGS[2] ? 2 : -1;
        }
    }

    /** {@link Queue} of {@code byte[]} through its codec: 48-byte records. */
    @JCStressTest
    @Outcome(id = "0, 0, 12", expect = ACCEPTABLE, desc = "The consumer polled before either record was published.")
    @Outcome(id = "0, 1, 2", expect = ACCEPTABLE, desc = "Record 1 arrived between the polls.")
    @Outcome(id = "1, 0, 2", expect = ACCEPTABLE, desc = "Record 1 was there for the first poll, record 2 came late.")
    @Outcome(id = "1, 2, 0", expect = ACCEPTABLE, desc = "Both records were there in time.")
    @Outcome(id = "-1, .*", expect = FORBIDDEN, desc = "A torn record was delivered.")
    @Outcome(id = "2, .*", expect = FORBIDDEN, desc = "Record 2 overtook record 1.")
    @Outcome(expect = FORBIDDEN, desc = "A record was lost, repeated, torn or reordered.")
    @State
    public static class QueueRecords
    {
        private static final ChannelPool<Queue<byte[]>> QUEUES = new ChannelPool<>(POOL, i ->
        {
            final Queue<byte[]> queue = Queue.create(directory(), name("queue", i), RING_CAPACITY, Codecs.bytes());
            queue.unlink();
            return queue;
        });

        private final ChannelPool<Queue<byte[]>>.Loan loan = QUEUES.new Loan();

        @Actor
        public void producer(final III_Result r)
        {
            final Queue<byte[]> queue = loan.channel();
            queue.offer(BYTES[1]);
            queue.offer(BYTES[2]);
            finish(r);
        }

        @Actor
        public void consumer(final III_Result r)
        {
            final Queue<byte[]> queue = loan.channel();
            r.r1 = code(queue.poll());
            r.r2 = code(queue.poll());
            finish(r);
        }

        private void finish(final III_Result r)
        {
            if (loan.finish(2))
            {
                final Queue<byte[]> queue = loan.channel();
                r.r3 = drain(() -> code(queue.poll()));
                loan.giveBack();
            }
        }
    }

    /**
     * {@link Queue} of {@link Producers#ONE}: records claimed without a compare-and-set, header before tail, that no
     * consumer zeroes (the pooled rings wrap over stale records of earlier runs). A queue lent again to a later run's
     * producer thread is taken over from the ended one.
     */
    @JCStressTest
    @Outcome(id = "0, 0, 12", expect = ACCEPTABLE, desc = "The consumer polled before either record was published.")
    @Outcome(id = "0, 1, 2", expect = ACCEPTABLE, desc = "Record 1 arrived between the polls.")
    @Outcome(id = "1, 0, 2", expect = ACCEPTABLE, desc = "Record 1 was there for the first poll, record 2 came late.")
    @Outcome(id = "1, 2, 0", expect = ACCEPTABLE, desc = "Both records were there in time.")
    @Outcome(id = "-1, .*", expect = FORBIDDEN, desc = "A torn or stale record was delivered.")
    @Outcome(id = "2, .*", expect = FORBIDDEN, desc = "Record 2 overtook record 1.")
    @Outcome(expect = FORBIDDEN, desc = "A record was lost, repeated, torn or reordered.")
    @State
    public static class SingleProducerQueueRecords
    {
        private static final ChannelPool<Queue<byte[]>> QUEUES = new ChannelPool<>(POOL, i ->
        {
            final Queue<byte[]> queue = Queue.create(
                directory(), name("onequeue", i), RING_CAPACITY, Codecs.bytes(), Producers.ONE);
            queue.unlink();
            return queue;
        });

        private final ChannelPool<Queue<byte[]>>.Loan loan = QUEUES.new Loan();

        @Actor
        public void producer(final III_Result r)
        {
            final Queue<byte[]> queue = loan.channel();
            queue.offer(BYTES[1]);
            queue.offer(BYTES[2]);
            finish(r);
        }

        @Actor
        public void consumer(final III_Result r)
        {
            final Queue<byte[]> queue = loan.channel();
            r.r1 = code(queue.poll());
            r.r2 = code(queue.poll());
            finish(r);
        }

        private void finish(final III_Result r)
        {
            if (loan.finish(2))
            {
                final Queue<byte[]> queue = loan.channel();
                r.r3 = drain(() -> code(queue.poll()));
                loan.giveBack();
            }
        }
    }

    /** A one-way {@link Pipe}, raw bytes: {@code sendBytes} against {@code poll} + {@code recvBytes}. */
    @JCStressTest
    @Outcome(id = "0, 0, 12", expect = ACCEPTABLE, desc = "The receiver polled before either message was sent.")
    @Outcome(id = "0, 1, 2", expect = ACCEPTABLE, desc = "Message 1 arrived between the polls.")
    @Outcome(id = "1, 0, 2", expect = ACCEPTABLE, desc = "Message 1 was there for the first poll, message 2 came late.")
    @Outcome(id = "1, 2, 0", expect = ACCEPTABLE, desc = "Both messages were there in time.")
    @Outcome(id = "-1, .*", expect = FORBIDDEN, desc = "A torn message was delivered.")
    @Outcome(id = "2, .*", expect = FORBIDDEN, desc = "Message 2 overtook message 1.")
    @Outcome(expect = FORBIDDEN, desc = "A message was lost, repeated, torn or reordered.")
    @State
    public static class PipeMessages
    {
        private static final ChannelPool<Pipe<byte[]>> PIPES = new ChannelPool<>(POOL, i ->
        {
            final Pipe<byte[]> pipe = Pipe.create(directory(), name("pipe", i), RING_CAPACITY, false, Codecs.bytes());
            pipe.unlink();
            return pipe;
        });

        private final ChannelPool<Pipe<byte[]>>.Loan loan = PIPES.new Loan();
        private final byte[] received = new byte[RECORD_LENGTH * 2];

        @Actor
        public void sender(final III_Result r)
        {
            final Connection<byte[]> out = loan.channel().second();
            try
            {
                out.sendBytes(BYTES[1], 0, RECORD_LENGTH);
                out.sendBytes(BYTES[2], 0, RECORD_LENGTH);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            finish(r);
        }

        @Actor
        public void receiver(final III_Result r)
        {
            final Connection<byte[]> in = loan.channel().first();
            r.r1 = receive(in);
            r.r2 = receive(in);
            finish(r);
        }

        private int receive(final Connection<byte[]> in)
        {
            if (!in.poll())
            {
                return 0;
            }
            try
            {
                final int length = in.recvBytes(received, 0);
                return code(length == RECORD_LENGTH ? Arrays.copyOf(received, length) : received);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return -2;
            }
        }

        private void finish(final III_Result r)
        {
            if (loan.finish(2))
            {
                final Connection<byte[]> in = loan.channel().first();
                r.r3 = drain(() -> receive(in));
                loan.giveBack();
            }
        }
    }

    /**
     * Takes what is left, as digits in order: 12 for record 1 then record 2, 0 for nothing.
     *
     * @param next the code of the next record taken, 0 when there is none.
     */
    private static int drain(final IntSupplier next)
    {
        int drained = 0;
        for (int code = next.getAsInt(); code != 0; code = next.getAsInt())
        {
            drained = drained * 10 + code;
        }
        return drained;
    }

    private static int code(final byte[] record)
    {
        if (record == null)
        {
            return 0;
        }
        if (record.length != RECORD_LENGTH)
        {
            return -1;
        }
        final byte first = record[0];
        for (final byte b : record)
        {
            if (b != first)
            {
                return -1;
            }
        }
        return first == 1 || first == 2 ? first : -1;
    }

    private static byte[] filled(final int value)
    {
        final byte[] record = new byte[RECORD_LENGTH];
        Arrays.fill(record, (byte)value);
        return record;
    }

    private static Path directory()
    {
        return SegmentDirectory.defaultDirectory();
    }

    private static String name(final String kind, final int i)
    {
        return "jcstress-" + kind + "-" + ProcessHandle.current().pid() + "-" + i;
    }
}
