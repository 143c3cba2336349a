package dev.jipc.core.queue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.ChildProcesses;
import dev.jipc.core.Segment;
import dev.jipc.core.SegmentDirectory;
import dev.jipc.core.SegmentFormatException;
import dev.jipc.core.SegmentKind;
import dev.jipc.core.codec.Codecs;
import dev.jipc.core.test.ChildLogs;
import dev.jipc.core.test.Names;
import dev.jipc.core.wait.WaitStrategy;
import org.junit.jupiter.api.Test;

/**
 * What is particular to a {@link Queue} of {@link Producers#ONE}: one producing thread at a time, handed over on close
 * and on the death of its process (killed mid-put: every message it committed arrives whole and in order, the one it
 * was writing is dropped, and the next producer's message follows), parked consumers in other processes woken
 * without a fence on the producer's side, and what {@code jipc stat} says.
 */
class SingleProducerQueueTest
{
    private static final int CAPACITY = 1 << 14;
    private static final int SIZE = 64;

    @Test
    void shouldRefuseAnotherThreadWhileTheProducerLivesAndHandOverWhenItsHandleCloses() throws Exception
    {
        final String name = Names.unique("one-producer-queue");
        try (Queue<byte[]> queue = Queue.create(name, CAPACITY, Codecs.bytes(), Producers.ONE))
        {
            try
            {
                final Queue<byte[]> first = Queue.open(name, Codecs.bytes());
                first.put(message(1));
                final ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> CompletableFuture.runAsync(() -> queue.offer(message(2))).get(10, TimeUnit.SECONDS));
                assertTrue(refused.getCause() instanceof IllegalStateException, refused.toString());
                assertTrue(refused.getCause().getMessage().contains("another live thread") &&
                    refused.getCause().getMessage().contains(name), refused.getCause().getMessage());
                first.close();
                CompletableFuture.runAsync(() -> queue.offer(message(2))).get(10, TimeUnit.SECONDS);
                assertArrayEquals(message(1), queue.take());
                assertArrayEquals(message(2), queue.take());
                assertTrue(queue.isEmpty());
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    @Test
    void shouldDeliverEveryCommittedMessageWholeWhenTheProducingProcessIsKilledAndLetThisOneProduceAfter()
        throws Exception
    {
        final String name = Names.unique("killed-queue-producer");
        try (Queue<byte[]> queue = Queue.create(name, CAPACITY, Codecs.bytes(), Producers.ONE);
            ChildProcesses children = ChildLogs.group())
        {
            try
            {
                final ChildProcesses.Child child = children.start(ChildJvm.of(EndlessProducer.class).args(name));
                long expected = 0;
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (expected < 50_000)
                {
                    assertTrue(System.nanoTime() - deadline < 0, "the child produced only " + expected);
                    expected = takeInOrder(queue, expected);
                }
                final IllegalStateException refused =
                    assertThrows(IllegalStateException.class, () -> queue.offer(message(-1)));
                assertTrue(refused.getMessage().contains("another live thread"), refused.getMessage());
                // killed at whatever instruction it is at: mid-put, or waiting for room
                child.kill();
                byte[] next;
                while ((next = queue.poll(200, TimeUnit.MILLISECONDS)) != null)
                {
                    assertArrayEquals(message(expected), next, "torn, out of order, lost or repeated after the kill");
                    expected++;
                }
                // the record the dead producer claimed, if any, is unblocked once this producer claims after it
                assertTrue(queue.offer(message(expected), 10, TimeUnit.SECONDS), "no producer after the dead one");
                assertArrayEquals(message(expected), queue.poll(10, TimeUnit.SECONDS),
                    "the new producer's message follows the dead one's last");
                assertTrue(queue.isEmpty());
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    @Test
    void shouldWakeAConsumerParkedInAnotherProcessOnEveryPut() throws Exception
    {
        final String name = Names.unique("parked-queue-consumer");
        final int messages = 200;
        try (Queue<byte[]> queue = Queue.create(name, CAPACITY, Codecs.bytes(), Producers.ONE);
            ChildProcesses children = ChildLogs.group())
        {
            try
            {
                final ChildProcesses.Child child =
                    children.start(ChildJvm.of(ParkedConsumer.class).args(name, Integer.toString(messages)));
                ChildProcesses.awaitOutput(child, "consuming", 60, TimeUnit.SECONDS);
                for (int i = 0; i < messages; i++)
                {
                    // long enough for the consumer to park on every message
                    Thread.sleep(2);
                    queue.put(message(i));
                }
                ChildProcesses.awaitSuccess(child, 60, TimeUnit.SECONDS);
                assertTrue(child.output().contains("took " + messages + " in order"), child.output());
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    @Test
    void shouldDescribeItsOneProducerToStat() throws Exception
    {
        final String name = Names.unique("stat-one-producer-queue");
        try (Queue<byte[]> queue = Queue.create(name, CAPACITY, Codecs.bytes(), Producers.ONE))
        {
            try
            {
                queue.put(message(1));
                queue.put(message(2));
                try (Segment raw = Segment.open(SegmentDirectory.defaultDirectory(), name, SegmentKind.QUEUE))
                {
                    final Map<String, String> facts = new QueueStat().describe(raw);
                    assertEquals("one", facts.get("producers"), facts.toString());
                    assertEquals("2", facts.get("messages"), facts.toString());
                    assertNotNull(facts.get("producer"), facts.toString());
                    assertTrue(facts.get("producer").contains("alive"), facts.toString());
                    assertEquals("false", facts.get("producerFences"), facts.toString());
                }
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    @Test
    void shouldRefuseToOpenAsALongQueueOrWithAnotherCodec()
    {
        final String name = Names.unique("one-producer-kind");
        try (Queue<byte[]> queue = Queue.create(name, CAPACITY, Codecs.bytes(), Producers.ONE))
        {
            try
            {
                assertThrows(SegmentFormatException.class, () -> LongQueue.open(name).close());
                assertThrows(SegmentFormatException.class, () -> Queue.open(name, Codecs.strings()).close());
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    /** A message of {@value #SIZE} bytes: the value, then bytes derived from it, so a torn one shows. */
    static byte[] message(final long value)
    {
        final byte[] message = new byte[SIZE];
        for (int i = 0; i < SIZE; i++)
        {
            message[i] = (byte)(value >>> (8 * (i & 7)) ^ i);
        }
        return message;
    }

    private static long takeInOrder(final Queue<byte[]> queue, final long from) throws Exception
    {
        long expected = from;
        for (int i = 0; i < 100; i++)
        {
            final byte[] taken = queue.take();
            if (!Arrays.equals(message(expected), taken))
            {
                throw new AssertionError("torn, out of order, lost or repeated: expected " + expected);
            }
            expected++;
        }
        return expected;
    }

    /** Puts message 0, 1, 2, ... until killed. */
    public static final class EndlessProducer
    {
        private EndlessProducer()
        {
        }

        public static void main(final String[] args) throws Exception
        {
            try (Queue<byte[]> queue = Queue.open(args[0], Codecs.bytes()))
            {
                for (long i = 0; ; i++)
                {
                    queue.put(message(i));
                }
            }
        }
    }

    /** Takes n messages with the parking strategy and says whether they came whole and in order. */
    public static final class ParkedConsumer
    {
        private ParkedConsumer()
        {
        }

        public static void main(final String[] args) throws Exception
        {
            try (Queue<byte[]> queue = Queue.open(args[0], Codecs.bytes()).waitStrategy(WaitStrategy.PARK))
            {
                System.out.println("consuming");
                final int messages = Integer.parseInt(args[1]);
                for (int i = 0; i < messages; i++)
                {
                    if (!Arrays.equals(message(i), queue.take()))
                    {
                        System.out.println("message " + i + " torn or out of order");
                        System.exit(2);
                    }
                }
                System.out.println("took " + messages + " in order");
            }
        }
    }
}
