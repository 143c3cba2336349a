package dev.jipc.core.queue;

import static dev.jipc.core.ChildProcesses.awaitSuccess;
import static dev.jipc.core.Handles.decode;
import static dev.jipc.core.Handles.encode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.ChildProcesses;
import dev.jipc.core.SharedMemory;
import dev.jipc.core.codec.Codecs;
import dev.jipc.core.test.ChildLogs;
import dev.jipc.core.test.Names;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Queues between real JVMs: exactly-once delivery, per-producer order, join, and handles. */
class QueueCrossProcessTest
{
    private static final int MESSAGES = 1_000_000;
    private static final int PRODUCERS = 2;
    private static final int CONSUMERS = 2;

    @TempDir
    Path work;

    @Test
    void shouldMoveAMillionMessagesFromTwoProducerJvmsToTwoConsumerJvmsExactlyOnceInProducerOrder()
        throws Exception
    {
        final String name = Names.unique("mpmc");
        try (Queue<Long> queue = Queue.create(name, 1 << 16, Codecs.longs());
            ChildProcesses children = ChildLogs.group())
        {
            try
            {
                final List<ChildProcesses.Child> consumers = new ArrayList<>();
                for (int c = 0; c < CONSUMERS; c++)
                {
                    consumers.add(children.start(ChildJvm.of(Consumer.class).args(name, work.resolve("c" + c))));
                }
                final List<ChildProcesses.Child> producers = new ArrayList<>();
                for (int p = 0; p < PRODUCERS; p++)
                {
                    producers.add(children.start(ChildJvm.of(Producer.class).args(name, p, MESSAGES / PRODUCERS)));
                }
                for (final ChildProcesses.Child producer : producers)
                {
                    awaitSuccess(producer, 180, TimeUnit.SECONDS);
                }
                queue.shutdown();
                for (final ChildProcesses.Child consumer : consumers)
                {
                    awaitSuccess(consumer, 60, TimeUnit.SECONDS);
                }
                final BitSet[] seen = new BitSet[PRODUCERS];
                for (int p = 0; p < PRODUCERS; p++)
                {
                    seen[p] = new BitSet(MESSAGES / PRODUCERS);
                }
                int total = 0;
                for (int c = 0; c < CONSUMERS; c++)
                {
                    final int[] last = {-1, -1};
                    try (DataInputStream in = new DataInputStream(new BufferedInputStream(
                        Files.newInputStream(work.resolve("c" + c)))))
                    {
                        while (true)
                        {
                            final long value;
                            try
                            {
                                value = in.readLong();
                            }
                            catch (final EOFException end)
                            {
                                break;
                            }
                            final int producer = (int)(value >>> 32);
                            final int sequence = (int)value;
                            assertTrue(producer >= 0 && producer < PRODUCERS, "producer id " + producer);
                            assertTrue(sequence > last[producer], "consumer " + c + " saw producer " + producer +
                                " out of order: " + sequence + " after " + last[producer]);
                            last[producer] = sequence;
                            assertFalse(seen[producer].get(sequence), "delivered twice: " + producer + "/" + sequence);
                            seen[producer].set(sequence);
                            total++;
                        }
                    }
                }
                assertEquals(MESSAGES, total);
                for (int p = 0; p < PRODUCERS; p++)
                {
                    assertEquals(MESSAGES / PRODUCERS, seen[p].cardinality(), "producer " + p);
                }
                assertTrue(queue.isEmpty());
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    @Test
    void shouldReturnFromJoinOnlyAfterEveryItemWasTaskDoneInOtherJvms() throws Exception
    {
        final String name = Names.unique("join");
        final int items = 200;
        try (JoinableQueue<Integer> queue = JoinableQueue.create(name, 1 << 14, Codecs.ints());
            SharedMemory processed = SharedMemory.create(Names.unique("processed"), 64);
            ChildProcesses children = ChildLogs.group())
        {
            try
            {
                for (int i = 0; i < items; i++)
                {
                    queue.put(i);
                }
                assertFalse(queue.join(100, TimeUnit.MILLISECONDS), "nothing is done yet");
                final List<ChildProcesses.Child> workers = new ArrayList<>();
                for (int w = 0; w < 2; w++)
                {
                    workers.add(children.start(ChildJvm.of(Worker.class).args(encode(queue),
                        processed.name())));
                }
                assertTrue(queue.join(120, TimeUnit.SECONDS), "join timed out; unfinished=" +
                    queue.unfinishedTasks() + ", output:\n" + workers.get(0).output());
                assertEquals(items, processed.buffer().getLongVolatile(0),
                    "join returned before every item was processed");
                assertEquals(0, queue.unfinishedTasks());
                queue.shutdown();
                for (final ChildProcesses.Child worker : workers)
                {
                    awaitSuccess(worker, 60, TimeUnit.SECONDS);
                }
            }
            finally
            {
                queue.unlink();
                processed.unlink();
            }
        }
    }

    @Test
    void shouldWorkInAChildThatReceivedItAsASerialisedHandle() throws Exception
    {
        final String name = Names.unique("handle");
        final String longName = Names.unique("handle-long");
        try (Queue<String> queue = Queue.create(name, 1 << 14, Codecs.strings());
            LongQueue longs = LongQueue.create(longName, 1 << 12);
            DoubleQueue doubles = DoubleQueue.create(Names.unique("handle-double"), 1 << 12);
            ChildProcesses children = ChildLogs.group())
        {
            try
            {
                queue.put("from the parent");
                awaitSuccess(children.start(ChildJvm.of(HandleUser.class)
                    .args(encode(queue), encode(longs), encode(doubles))), 60, TimeUnit.SECONDS);
                assertEquals("echo: from the parent", queue.poll(10, TimeUnit.SECONDS));
                assertEquals(42L, longs.take());
                assertEquals(2.5, doubles.take());
            }
            finally
            {
                queue.unlink();
                longs.unlink();
                doubles.unlink();
            }
        }
    }

    /** Puts {@code producer << 32 | sequence} for sequence 0 to count - 1. */
    public static final class Producer
    {
        public static void main(final String[] args) throws Exception
        {
            final long producer = Integer.parseInt(args[1]);
            final int count = Integer.parseInt(args[2]);
            try (Queue<Long> queue = Queue.open(args[0], Codecs.longs()))
            {
                for (int i = 0; i < count; i++)
                {
                    queue.put(producer << 32 | i);
                }
            }
        }
    }

    /** Takes until the queue is shut down and drained, writing every value to a file. */
    public static final class Consumer
    {
        public static void main(final String[] args) throws Exception
        {
            try (Queue<Long> queue = Queue.open(args[0], Codecs.longs());
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(
                    Files.newOutputStream(Path.of(args[1])), 1 << 16)))
            {
                while (true)
                {
                    final Long value;
                    try
                    {
                        value = queue.poll(60, TimeUnit.SECONDS);
                    }
                    catch (final QueueShutdownException end)
                    {
                        break;
                    }
                    if (value == null)
                    {
                        System.err.println("no message for 60 s");
                        System.exit(3);
                    }
                    out.writeLong(value);
                }
            }
        }
    }

    /** Takes items, counts each as processed in shared memory, then marks it done; stops at shutdown. */
    public static final class Worker
    {
        public static void main(final String[] args) throws Exception
        {
            @SuppressWarnings("unchecked")
            final JoinableQueue<Integer> queue = decode(args[0]);
            try (queue; SharedMemory processed = SharedMemory.open(args[1]))
            {
                while (true)
                {
                    try
                    {
                        queue.take();
                    }
                    catch (final QueueShutdownException end)
                    {
                        break;
                    }
                    Thread.sleep(1);
                    processed.buffer().getAndAddLong(0, 1);
                    queue.taskDone();
                }
            }
        }
    }

    /** Re-attaches a Queue, a LongQueue and a DoubleQueue from serialised handles and uses them. */
    public static final class HandleUser
    {
        public static void main(final String[] args) throws Exception
        {
            @SuppressWarnings("unchecked")
            final Queue<String> queue = decode(args[0]);
            try (queue; LongQueue longs = decode(args[1]);
                DoubleQueue doubles = decode(args[2]))
            {
                final String message = queue.poll(30, TimeUnit.SECONDS);
                queue.put("echo: " + message);
                longs.put(42);
                doubles.put(2.5);
            }
        }
    }
}
