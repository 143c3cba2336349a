package dev.jipc.durable;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.ChronicleDefaults;
import dev.jipc.core.codec.Codecs;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * The child JVMs of the durable queue's cross-process and crash tests. Messages are longs
 * {@code producer * 1e9 + sequence}; logs have one line per event, written (not buffered) before the next step, so
 * that a JVM killed with {@code kill -9} leaves a log of everything it did up to its last whole line.
 */
final class DurableChildren
{
    static final long PER_PRODUCER = 1_000_000_000L;

    private DurableChildren()
    {
    }

    static long message(final long producer, final long sequence)
    {
        return producer * PER_PRODUCER + sequence;
    }

    /** Appends {@code count} messages (forever when count is 0) as producer {@code id}, {@code pause} us apart. */
    static final class Producer
    {
        private Producer()
        {
        }

        /**
         * Entry point.
         *
         * @param args directory, producer id, count, pause in microseconds.
         * @throws Exception on failure.
         */
        public static void main(final String[] args) throws Exception
        {
            final long id = Long.parseLong(args[1]);
            final long count = Long.parseLong(args[2]);
            final long pauseNanos = TimeUnit.MICROSECONDS.toNanos(Long.parseLong(args[3]));
            try (DurableQueue<Long> queue = DurableQueue.open(Path.of(args[0]), Codecs.longs()))
            {
                System.out.println("ready");
                for (long sequence = 0; count == 0 || sequence < count; sequence++)
                {
                    queue.put(message(id, sequence));
                    if (pauseNanos > 0)
                    {
                        final long until = System.nanoTime() + pauseNanos;
                        while (System.nanoTime() < until)
                        {
                            Thread.onSpinWait();
                        }
                    }
                }
            }
            System.out.println("done");
        }
    }

    /**
     * Consumes under a name, logging {@code D value index} for each delivery and {@code A index} after each
     * acknowledgement (every {@code ackEvery} messages), until {@code idleMillis} pass with no message after the
     * first, which it waits {@code firstMillis} for (the producers' JVMs may be slow to start on a loaded machine).
     */
    static final class Consumer
    {
        private Consumer()
        {
        }

        /**
         * Entry point.
         *
         * @param args directory, consumer name, log file, ack every, idle milliseconds before stopping, milliseconds
         *             to wait for the first message.
         * @throws Exception on failure.
         */
        public static void main(final String[] args) throws Exception
        {
            final int ackEvery = Integer.parseInt(args[3]);
            final long idleMillis = Long.parseLong(args[4]);
            final long firstMillis = Long.parseLong(args[5]);
            try (DurableQueue<Long> queue = DurableQueue.open(Path.of(args[0]), Codecs.longs());
                DurableConsumer<Long> consumer = queue.consumer(args[1]);
                PrintStream log = new PrintStream(new FileOutputStream(args[2], true), true))
            {
                System.out.println("ready");
                long taken = 0;
                for (Message<Long> message = consumer.poll(firstMillis, TimeUnit.MILLISECONDS); message != null;
                    message = consumer.poll(idleMillis, TimeUnit.MILLISECONDS))
                {
                    log.println("D " + message.value() + " " + message.index());
                    if (++taken % ackEvery == 0)
                    {
                        consumer.ack(message.index());
                        log.println("A " + message.index());
                    }
                }
                consumer.ack();
                log.println("END");
            }
        }
    }

    /** Starts an append with raw Chronicle, as a producer inside {@code put} would, and halts before finishing it. */
    static final class HaltMidAppend
    {
        private HaltMidAppend()
        {
        }

        /**
         * Entry point.
         *
         * @param args directory.
         * @throws IOException never.
         */
        public static void main(final String[] args) throws IOException
        {
            ChronicleDefaults.apply();
            final ChronicleQueue journal = SingleChronicleQueueBuilder.single(args[0]).timeoutMS(1000).build();
            final ExcerptAppender appender = journal.createAppender();
            final DocumentContext document = appender.writingDocument();
            document.wire().bytes().writeLong(System.currentTimeMillis());
            document.wire().bytes().writeInt(0xDEAD);
            System.out.println("halting");
            System.out.flush();
            Runtime.getRuntime().halt(9);
        }
    }
}
