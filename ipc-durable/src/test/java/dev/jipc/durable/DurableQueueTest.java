package dev.jipc.durable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.codec.Codecs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One process: what a consumer name delivers, acknowledges and delivers again, fan-out, replay and waiting. */
class DurableQueueTest
{
    private final Path directory = DurableTestFiles.newDirectory("durable");

    @AfterEach
    void removeFiles()
    {
        DurableTestFiles.remove(directory);
    }

    @Test
    void shouldDeliverInOrderWithIndexes() throws Exception
    {
        try (DurableQueue<String> queue = DurableQueue.open(directory, Codecs.strings());
            DurableConsumer<String> consumer = queue.consumer("billing"))
        {
            final List<Long> indexes = new ArrayList<>();
            for (int i = 0; i < 200; i++)
            {
                indexes.add(queue.put("m" + i));
            }
            for (int i = 0; i < 200; i++)
            {
                final Message<String> message = consumer.poll(5, TimeUnit.SECONDS);
                assertNotNull(message, "message " + i);
                assertEquals("m" + i, message.value());
                assertEquals(indexes.get(i), message.index());
                assertTrue(message.appendedAt() > 0);
            }
            assertNull(consumer.poll());
            assertEquals(200, consumer.unacknowledged());
            consumer.ack();
            assertEquals(0, consumer.unacknowledged());
        }
    }

    @Test
    void shouldDeliverAgainWhatWasNotAcknowledgedAndNeverWhatWas() throws Exception
    {
        try (DurableQueue<Long> queue = DurableQueue.open(directory, Codecs.longs()))
        {
            for (long i = 0; i < 10; i++)
            {
                queue.put(i);
            }
            try (DurableConsumer<Long> consumer = queue.consumer("audit"))
            {
                Message<Long> fourth = null;
                for (int i = 0; i < 6; i++)
                {
                    final Message<Long> message = consumer.poll();
                    if (i == 3)
                    {
                        fourth = message;
                    }
                }
                consumer.ack(fourth.index());
                assertEquals(2, consumer.unacknowledged());
            }
            try (DurableConsumer<Long> again = queue.consumer("audit"))
            {
                final List<Long> seen = new ArrayList<>();
                for (Message<Long> message = again.poll(); message != null; message = again.poll())
                {
                    seen.add(message.value());
                }
                assertEquals(List.of(4L, 5L, 6L, 7L, 8L, 9L), seen, "0..3 acknowledged, 4 and 5 taken but not");
                again.ack();
            }
            try (DurableConsumer<Long> done = queue.consumer("audit"))
            {
                assertNull(done.poll());
                queue.put(10L);
                assertEquals(10L, done.poll(5, TimeUnit.SECONDS).value());
            }
        }
    }

    @Test
    void shouldKeepAcknowledgementsAcrossReopeningTheQueue() throws Exception
    {
        try (DurableQueue<String> queue = DurableQueue.open(directory, Codecs.strings()))
        {
            queue.put("a");
            queue.put("b");
            try (DurableConsumer<String> consumer = queue.consumer("c"))
            {
                assertTrue(consumer.process(message -> assertEquals("a", message.value()), 1, TimeUnit.SECONDS));
            }
        }
        try (DurableQueue<String> queue = DurableQueue.open(directory, Codecs.strings());
            DurableConsumer<String> consumer = queue.consumer("c"))
        {
            assertEquals("b", consumer.poll().value());
            assertNull(consumer.poll());
        }
    }

    @Test
    void shouldGiveEveryNameEveryMessage() throws Exception
    {
        try (DurableQueue<String> queue = DurableQueue.open(directory, Codecs.strings());
            DurableConsumer<String> billing = queue.consumer("billing");
            DurableConsumer<String> audit = queue.consumer("audit"))
        {
            queue.put("x");
            queue.put("y");
            assertEquals("x", billing.poll(1, TimeUnit.SECONDS).value());
            assertEquals("x", audit.poll(1, TimeUnit.SECONDS).value());
            assertEquals("y", audit.poll(1, TimeUnit.SECONDS).value());
            assertEquals("y", billing.poll(1, TimeUnit.SECONDS).value());
        }
    }

    @Test
    void shouldShareANameBetweenMembers() throws Exception
    {
        try (DurableQueue<Long> queue = DurableQueue.open(directory, Codecs.longs());
            DurableConsumer<Long> first = queue.consumer("work");
            DurableConsumer<Long> second = queue.consumer("work"))
        {
            final List<Long> seen = new ArrayList<>();
            for (long i = 0; i < 1000; i++)
            {
                queue.put(i);
                final DurableConsumer<Long> member = i % 2 == 0 ? first : second;
                final Message<Long> message = member.poll();
                if (message != null)
                {
                    seen.add(message.value());
                    member.ack(message.index());
                }
            }
            for (Message<Long> message = first.poll(); message != null; message = first.poll())
            {
                seen.add(message.value());
            }
            for (Message<Long> message = second.poll(); message != null; message = second.poll())
            {
                seen.add(message.value());
            }
            seen.sort(null);
            assertEquals(1000, seen.size());
            for (long i = 0; i < 1000; i++)
            {
                assertEquals(i, seen.get((int)i));
            }
        }
    }

    @Test
    void shouldGiveAClosedMembersUnacknowledgedMessagesToAnother() throws Exception
    {
        try (DurableQueue<Long> queue = DurableQueue.open(directory, Codecs.longs());
            DurableConsumer<Long> stays = queue.consumer("work"))
        {
            for (long i = 0; i < 5; i++)
            {
                queue.put(i);
            }
            try (DurableConsumer<Long> leaves = queue.consumer("work"))
            {
                assertEquals(0L, leaves.poll().value());
                assertEquals(1L, leaves.poll().value());
                leaves.ack(queue.firstIndex());
            }
            final List<Long> seen = new ArrayList<>();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (seen.size() < 4 && System.nanoTime() < deadline)
            {
                final Message<Long> message = stays.poll(100, TimeUnit.MILLISECONDS);
                if (message != null)
                {
                    seen.add(message.value());
                }
            }
            seen.sort(null);
            assertEquals(List.of(1L, 2L, 3L, 4L), seen, "0 acknowledged; 1 taken, not acknowledged; 2..4 unclaimed");
        }
    }

    @Test
    void shouldReplayFromTheStartAnIndexAndATime() throws Exception
    {
        try (DurableQueue<Long> queue = DurableQueue.open(directory, Codecs.longs()))
        {
            final List<Long> indexes = new ArrayList<>();
            for (long i = 0; i < 50; i++)
            {
                indexes.add(queue.put(i));
            }
            Thread.sleep(20);
            final Instant later = Instant.now();
            Thread.sleep(20);
            for (long i = 50; i < 100; i++)
            {
                indexes.add(queue.put(i));
            }
            try (DurableReader<Long> all = queue.reader())
            {
                for (long i = 0; i < 100; i++)
                {
                    assertEquals(i, all.poll().value());
                }
                assertNull(all.poll());
            }
            try (DurableReader<Long> fromIndex = queue.reader(indexes.get(70)))
            {
                assertEquals(70L, fromIndex.poll().value());
            }
            try (DurableReader<Long> fromTime = queue.reader(later))
            {
                assertEquals(50L, fromTime.poll().value());
            }
            try (DurableReader<Long> fromFuture = queue.reader(Instant.now().plusSeconds(60)))
            {
                assertNull(fromFuture.poll());
                queue.put(100L);
                assertEquals(100L, fromFuture.poll(5, TimeUnit.SECONDS).value());
            }
            assertThrows(IllegalArgumentException.class, () -> queue.reader(indexes.get(99) + 1000));
        }
    }

    @Test
    void shouldWakeAWaitingConsumer() throws Exception
    {
        try (DurableQueue<String> queue = DurableQueue.open(directory, Codecs.strings());
            DurableConsumer<String> consumer = queue.consumer("waiter"))
        {
            final Thread producer = new Thread(() ->
            {
                try
                {
                    Thread.sleep(200);
                    queue.put("late");
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            });
            producer.start();
            final long start = System.nanoTime();
            assertNull(consumer.poll(50, TimeUnit.MILLISECONDS));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(50), "a timeout is never early");
            final Message<String> message = consumer.poll(30, TimeUnit.SECONDS);
            assertEquals("late", message.value());
            producer.join(30_000);
            assertFalse(producer.isAlive());
        }
    }

    @Test
    void shouldHandMessagesToAHandlerWithoutDecoding() throws Exception
    {
        try (DurableQueue<String> queue = DurableQueue.open(directory, Codecs.strings());
            DurableConsumer<String> consumer = queue.consumer("bytes"))
        {
            final List<Long> indexes = new ArrayList<>();
            for (int i = 0; i < 100; i++)
            {
                indexes.add(queue.put("m" + i));
            }
            final List<String> seen = new ArrayList<>();
            final List<Long> seenIndexes = new ArrayList<>();
            final DurableHandler handler = (index, at, buffer, offset, length) ->
            {
                seen.add(Codecs.strings().decode(buffer, offset, length));
                seenIndexes.add(index);
            };
            int total = 0;
            for (int got = consumer.poll(handler, 30); got > 0; got = consumer.poll(handler, 30))
            {
                assertTrue(got <= 30);
                total += got;
            }
            assertEquals(100, total);
            assertEquals(indexes, seenIndexes);
            assertEquals("m0", seen.get(0));
            assertEquals("m99", seen.get(99));
            consumer.ack(indexes.get(49));
            assertEquals(50, consumer.unacknowledged());
        }
    }
}
