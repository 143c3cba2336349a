package dev.jipc.tools.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import dev.jipc.core.ChronicleDefaults;
import dev.jipc.core.codec.Codecs;
import dev.jipc.core.queue.Queue;
import dev.jipc.durable.DurableConsumer;
import dev.jipc.durable.DurableHandler;
import dev.jipc.durable.DurableQueue;
import dev.jipc.durable.Message;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * The channels {@code jipc bench durable} compares, each a sending and a receiving end of {@code byte[]} messages of
 * one size: jipc's {@link DurableQueue} (a named consumer that acknowledges every {@value #ACK_EVERY} messages), a
 * raw Chronicle Queue in the same kind of directory with the same roll cycle (an appender writing the bytes as a
 * document, a tailer reading them into one reused array: no jipc layer), and jipc's in-memory {@link Queue}.
 */
enum DurableBenchChannel
{
    /** jipc's journaled queue. */
    DURABLE("jipc DurableQueue")
    {
        @Override
        String create(final Path journal, final int capacity)
        {
            DurableQueue.open(journal, Codecs.bytes()).close();
            return journal.toString();
        }

        @Override
        Sender sender(final String target)
        {
            final DurableQueue<byte[]> queue = DurableQueue.open(Path.of(target), Codecs.bytes());
            return new Sender()
            {
                @Override
                public void send(final byte[] message)
                {
                    queue.put(message);
                }

                @Override
                public void close()
                {
                    queue.close();
                }
            };
        }

        @Override
        Receiver receiver(final String target, final int size)
        {
            final DurableQueue<byte[]> queue = DurableQueue.open(Path.of(target), Codecs.bytes());
            final DurableConsumer<byte[]> consumer = queue.consumer(CONSUMER);
            return new Receiver()
            {
                private long taken;

                @Override
                public byte[] poll()
                {
                    final Message<byte[]> message = consumer.poll();
                    if (message == null)
                    {
                        return null;
                    }
                    if (++taken % ACK_EVERY == 0)
                    {
                        consumer.ack(message.index());
                    }
                    return message.value();
                }

                @Override
                public void close()
                {
                    consumer.ack();
                    queue.close();
                }
            };
        }
    },
    /**
     * jipc's journaled queue read through {@link DurableConsumer#poll(dev.jipc.durable.DurableHandler, int)}: the
     * bytes copied into one reused array, nothing decoded or allocated, as the raw Chronicle row reads them.
     */
    DURABLE_BYTES("jipc DurableQueue, poll(handler)")
    {
        @Override
        String create(final Path journal, final int capacity) throws IOException
        {
            return DURABLE.create(journal, capacity);
        }

        @Override
        Sender sender(final String target)
        {
            return DURABLE.sender(target);
        }

        @Override
        Receiver receiver(final String target, final int size)
        {
            final DurableQueue<byte[]> queue = DurableQueue.open(Path.of(target), Codecs.bytes());
            final DurableConsumer<byte[]> consumer = queue.consumer(CONSUMER);
            final byte[] message = new byte[size];
            final DurableHandler copy = (index, appendedAt, buffer, offset, length) ->
                buffer.getBytes(offset, message, 0, Math.min(length, size));
            return new Receiver()
            {
                private long taken;

                @Override
                public byte[] poll()
                {
                    if (consumer.poll(copy, 1) == 0)
                    {
                        return null;
                    }
                    if (++taken % ACK_EVERY == 0)
                    {
                        consumer.ack();
                    }
                    return message;
                }

                @Override
                public void close()
                {
                    consumer.ack();
                    queue.close();
                }
            };
        }
    },
    /** Chronicle Queue with nothing of jipc's around it. */
    CHRONICLE("raw Chronicle Queue")
    {
        @Override
        String create(final Path journal, final int capacity) throws IOException
        {
            Files.createDirectory(journal,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            chronicle(journal.toString()).close();
            return journal.toString();
        }

        @Override
        Sender sender(final String target)
        {
            final SingleChronicleQueue queue = chronicle(target);
            final ExcerptAppender appender = queue.createAppender();
            return new Sender()
            {
                @Override
                public void send(final byte[] message)
                {
                    try (DocumentContext document = appender.writingDocument())
                    {
                        document.wire().bytes().write(message);
                    }
                }

                @Override
                public void close()
                {
                    appender.close();
                    queue.close();
                }
            };
        }

        @Override
        Receiver receiver(final String target, final int size)
        {
            final SingleChronicleQueue queue = chronicle(target);
            final ExcerptTailer tailer = queue.createTailer();
            final byte[] message = new byte[size];
            return new Receiver()
            {
                @Override
                public byte[] poll()
                {
                    try (DocumentContext document = tailer.readingDocument())
                    {
                        if (!document.isPresent())
                        {
                            return null;
                        }
                        document.wire().bytes().read(message);
                        return message;
                    }
                }

                @Override
                public void close()
                {
                    tailer.close();
                    queue.close();
                }
            };
        }
    },
    /** jipc's in-memory queue, the ceiling of a jipc channel between JVMs. */
    QUEUE("jipc Queue<byte[]> (in memory)")
    {
        @Override
        String create(final Path journal, final int capacity)
        {
            final String name = "bench_durable_" + Long.toHexString(System.nanoTime());
            Queue.create(name, capacity, Codecs.bytes()).close();
            return name;
        }

        @Override
        void remove(final String target)
        {
            try (Queue<byte[]> queue = Queue.open(target, Codecs.bytes()))
            {
                queue.unlink();
            }
        }

        @Override
        Sender sender(final String target)
        {
            final Queue<byte[]> queue = Queue.open(target, Codecs.bytes());
            return new Sender()
            {
                @Override
                public void send(final byte[] message) throws InterruptedException
                {
                    queue.put(message);
                }

                @Override
                public void close()
                {
                    queue.close();
                }
            };
        }

        @Override
        Receiver receiver(final String target, final int size)
        {
            final Queue<byte[]> queue = Queue.open(target, Codecs.bytes());
            return new Receiver()
            {
                @Override
                public byte[] poll()
                {
                    return queue.poll();
                }

                @Override
                public void close()
                {
                    queue.close();
                }
            };
        }
    };

    /** How often the DurableQueue's consumer acknowledges: once per claim of a full batch. */
    static final int ACK_EVERY = DurableConsumer.BATCH;
    private static final String CONSUMER = "bench";

    private final String label;

    DurableBenchChannel(final String label)
    {
        this.label = label;
    }

    /** The sending end of a channel, for one thread. */
    interface Sender extends AutoCloseable
    {
        /**
         * Sends a message, waiting for room if the channel is full.
         *
         * @param message the message; the channel keeps no reference to it.
         * @throws InterruptedException if interrupted while waiting for room.
         */
        void send(byte[] message) throws InterruptedException;

        @Override
        void close();
    }

    /** The receiving end of a channel, for one thread. */
    interface Receiver extends AutoCloseable
    {
        /**
         * The next message, without waiting.
         *
         * @return it, valid until the next poll, or null if none is there.
         */
        byte[] poll();

        @Override
        void close();
    }

    /**
     * Makes a fresh, empty channel for one round.
     *
     * @param journal  a directory that does not exist yet, in a directory of the user's own: the journal's, for the
     *                 channels on disk.
     * @param capacity the ring's bytes, for the in-memory queue.
     * @return what the children open it by: the journal's directory or the queue's name.
     * @throws IOException if the directory cannot be made.
     */
    abstract String create(Path journal, int capacity) throws IOException;

    /**
     * Removes what {@link #create} made outside the journal's directory, which the bench deletes itself.
     *
     * @param target what {@link #create} returned.
     */
    void remove(final String target)
    {
        // a journal is only files in its directory
    }

    /**
     * Opens the sending end.
     *
     * @param target what {@link #create} returned.
     * @return the end, open until closed.
     */
    abstract Sender sender(String target);

    /**
     * Opens the receiving end.
     *
     * @param target what {@link #create} returned.
     * @param size   the messages' length.
     * @return the end, open until closed.
     */
    abstract Receiver receiver(String target, int size);

    /**
     * @return the row label.
     */
    String label()
    {
        return label;
    }

    /** Jipc's Chronicle settings (no analytics, a quiet log); call it before any Chronicle class loads. */
    static void applyChronicleDefaults()
    {
        ChronicleDefaults.apply();
    }

    private static SingleChronicleQueue chronicle(final String directory)
    {
        return SingleChronicleQueueBuilder.single(directory).rollCycle(RollCycles.FAST_DAILY).build();
    }
}
