package dev.jipc.core.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.ChildProcesses;
import dev.jipc.core.CorruptRingException;
import dev.jipc.core.RingView;
import dev.jipc.core.Segment;
import dev.jipc.core.SegmentDirectory;
import dev.jipc.core.SegmentKind;
import dev.jipc.core.test.ChildLogs;
import dev.jipc.core.test.Names;
import dev.jipc.core.wait.WaitStrategy;
import org.junit.jupiter.api.Test;

/**
 * What is particular to a {@link LongQueue} of {@link Producers#ONE}: one producing thread at a time,
 * handed over on close, on the end of its thread and on the death of its process (killed mid-stream, losing nothing
 * it put), parked consumers in other processes woken without a fence on the producer's side, and a corrupt ring.
 */
class SingleProducerLongQueueTest
{
    private static final int CAPACITY = 1 << 12;

    @Test
    void shouldRefuseAnotherThreadWhileTheProducerLivesAndHandOverWhenItsHandleCloses() throws Exception
    {
        final String name = Names.unique("one-producer");
        try (LongQueue queue = LongQueue.create(name, CAPACITY, Producers.ONE))
        {
            try
            {
                final LongQueue first = LongQueue.open(name);
                first.put(1);
                final ExecutionException refused = assertThrows(ExecutionException.class,
                    () -> CompletableFuture.runAsync(() -> queue.offer(2)).get(10, TimeUnit.SECONDS));
                assertTrue(refused.getCause() instanceof IllegalStateException, refused.toString());
                assertTrue(refused.getCause().getMessage().contains("another live thread") &&
                    refused.getCause().getMessage().contains(name), refused.getCause().getMessage());
                first.close();
                CompletableFuture.runAsync(() -> queue.offer(2)).get(10, TimeUnit.SECONDS);
                assertEquals(1, queue.take());
                assertEquals(2, queue.take());
                assertTrue(queue.isEmpty());
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    @Test
    void shouldLetAnotherThreadProduceOnceTheProducingThreadHasEnded() throws Exception
    {
        final String name = Names.unique("ended-producer");
        try (LongQueue queue = LongQueue.create(name, CAPACITY, Producers.ONE))
        {
            try
            {
                final Thread producer = new Thread(() -> queue.offer(7));
                producer.start();
                producer.join(TimeUnit.SECONDS.toMillis(10));
                assertTrue(queue.offer(8), "the ended thread's handle is still open, but the thread is gone");
                assertEquals(7, queue.take());
                assertEquals(8, queue.take());
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    @Test
    void shouldLoseNothingWhenTheProducingProcessIsKilledMidStreamAndLetThisOneProduceAfter() throws Exception
    {
        final String name = Names.unique("killed-producer");
        try (LongQueue queue = LongQueue.create(name, CAPACITY, Producers.ONE);
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
                    expected = takeInOrder(queue, expected, 100);
                }
                final IllegalStateException refused = assertThrows(IllegalStateException.class, () -> queue.offer(-1));
                assertTrue(refused.getMessage().contains("another live thread"), refused.getMessage());
                // killed at whatever instruction it is at: mid-put, or waiting for room
                child.kill();
                expected = drainInOrder(queue, expected);
                assertTrue(queue.offer(expected, 10, TimeUnit.SECONDS), "no producer after the dead one");
                assertEquals(expected, queue.take(), "the new producer's value follows the dead one's last");
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
        final String name = Names.unique("parked-consumer");
        final int values = 200;
        try (LongQueue queue = LongQueue.create(name, CAPACITY, Producers.ONE);
            ChildProcesses children = ChildLogs.group())
        {
            try
            {
                final ChildProcesses.Child child =
                    children.start(ChildJvm.of(ParkedConsumer.class).args(name, Integer.toString(values)));
                ChildProcesses.awaitOutput(child, "consuming", 60, TimeUnit.SECONDS);
                long sum = 0;
                for (int i = 1; i <= values; i++)
                {
                    // long enough for the consumer to park on every value
                    Thread.sleep(2);
                    queue.put(i);
                    sum += i;
                }
                ChildProcesses.awaitSuccess(child, 60, TimeUnit.SECONDS);
                assertTrue(child.output().contains("sum=" + sum), child.output());
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    @Test
    void shouldRefuseAHeadAndTailFurtherApartThanTheRingAtTheNextProducersFirstPut() throws Exception
    {
        final String name = Names.unique("corrupt-slots");
        try (LongQueue queue = LongQueue.create(name, CAPACITY, Producers.ONE))
        {
            try
            {
                try (Segment raw = Segment.open(SegmentDirectory.defaultDirectory(), name, SegmentKind.PRIMITIVE_QUEUE))
                {
                    raw.buffer().putLongVolatile(
                        QueueDescriptor.RING_OFFSET + RingView.tailPositionOffset(CAPACITY), 1L << 40);
                }
                final CorruptRingException corrupt = assertThrows(CorruptRingException.class, () -> queue.offer(1));
                assertTrue(corrupt.getMessage().contains("further apart than the ring") &&
                    corrupt.getMessage().contains(name), corrupt.getMessage());
                assertTrue(queue.isEmpty(), "nothing was put");
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    @Test
    void shouldDescribeItsSlotsProducerAndMessagesToStat() throws Exception
    {
        final String name = Names.unique("stat-slots");
        try (LongQueue queue = LongQueue.create(name, CAPACITY, Producers.ONE))
        {
            try
            {
                queue.put(1);
                queue.put(2);
                queue.put(3);
                assertEquals(1, queue.take());
                try (Segment raw = Segment.open(SegmentDirectory.defaultDirectory(), name, SegmentKind.PRIMITIVE_QUEUE))
                {
                    final java.util.Map<String, String> facts = new LongQueueStat().describe(raw);
                    assertEquals("one", facts.get("producers"), facts.toString());
                    assertEquals(Integer.toString(CAPACITY / 16), facts.get("slots"), facts.toString());
                    assertEquals("2", facts.get("messages"), facts.toString());
                    assertEquals("3", facts.get("producerPosition"), facts.toString());
                    assertTrue(facts.get("producer").contains("alive"), facts.toString());
                }
                assertEquals(2, queue.size());
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    /** Takes up to {@code count} values, each the one after the last. */
    private static long takeInOrder(final LongQueue queue, final long from, final int count) throws Exception
    {
        long expected = from;
        for (int i = 0; i < count; i++)
        {
            final long value = queue.take();
            assertEquals(expected, value, "out of order, lost or repeated");
            expected++;
        }
        return expected;
    }

    /** Drains what is left, in order, waiting briefly for the last values to be seen. */
    private static long drainInOrder(final LongQueue queue, final long from) throws Exception
    {
        final long[] expected = {from};
        while (queue.poll(value ->
        {
            assertEquals(expected[0], value, "out of order, lost or repeated after the kill");
            expected[0]++;
        }, 200, TimeUnit.MILLISECONDS))
        {
            // on until the ring stays empty
        }
        return expected[0];
    }

    /** Puts 0, 1, 2, ... until killed. */
    public static final class EndlessProducer
    {
        private EndlessProducer()
        {
        }

        public static void main(final String[] args) throws Exception
        {
            try (LongQueue queue = LongQueue.open(args[0]))
            {
                for (long i = 0; ; i++)
                {
                    queue.put(i);
                }
            }
        }
    }

    /** Takes n values with the parking strategy and prints their sum. */
    public static final class ParkedConsumer
    {
        private ParkedConsumer()
        {
        }

        public static void main(final String[] args) throws Exception
        {
            try (LongQueue queue = LongQueue.open(args[0]).waitStrategy(WaitStrategy.PARK))
            {
                System.out.println("consuming");
                long sum = 0;
                for (int i = Integer.parseInt(args[1]); i > 0; i--)
                {
                    sum += queue.take();
                }
                System.out.println("sum=" + sum);
            }
        }
    }
}
