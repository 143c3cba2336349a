package dev.jipc.durable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;

import dev.jipc.core.codec.Codecs;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Retention deletes only the cycles that every named consumer has acknowledged past, and never the current one. */
class DurableQueueRetentionTest
{
    private final Path directory = DurableTestFiles.newDirectory("durable-retention");

    @AfterEach
    void removeFiles()
    {
        DurableTestFiles.remove(directory);
    }

    @Test
    void shouldDeleteOnlyCyclesEveryConsumerPassed() throws Exception
    {
        try (DurableQueue<Long> queue = DurableQueue.builder(directory).rollCycle(TestRollCycles.TEST_SECONDLY)
            .retention(Duration.ZERO).open(Codecs.longs());
            DurableConsumer<Long> fast = queue.consumer("fast");
            DurableConsumer<Long> slow = queue.consumer("slow"))
        {
            final long[] firstOfCycle = new long[3];
            for (int cycle = 0; cycle < 3; cycle++)
            {
                DurableTestFiles.nextSecond();
                firstOfCycle[cycle] = queue.put(cycle * 10L);
                queue.put(cycle * 10L + 1);
            }
            assertEquals(3, DurableTestFiles.cycleFiles(directory), "one file per second");
            assertEquals(0, queue.deleteRetiredCycles(), "no consumer has taken anything");

            for (int i = 0; i < 6; i++)
            {
                fast.poll();
            }
            fast.ack();
            assertEquals(0, queue.deleteRetiredCycles(), "slow has taken nothing: it needs every cycle");

            assertEquals(0L, slow.poll().value());
            assertEquals(1L, slow.poll().value());
            assertEquals(10L, slow.poll().value());
            slow.ack(firstOfCycle[0] + 1);
            assertEquals(1, queue.deleteRetiredCycles(), "both passed the first cycle; slow still holds 10 unacked");
            assertEquals(2, DurableTestFiles.cycleFiles(directory));

            slow.ack();
            assertEquals(11L, slow.poll().value());
            assertEquals(20L, slow.poll().value());
            assertEquals(21L, slow.poll().value());
            slow.ack();
            assertEquals(1, queue.deleteRetiredCycles(), "the second cycle; never the current one");
            assertEquals(1, DurableTestFiles.cycleFiles(directory));
            try (DurableReader<Long> reader = queue.reader())
            {
                assertEquals(20L, reader.poll().value(), "replay starts at the oldest cycle kept");
            }
            DurableTestFiles.nextSecond();
            queue.put(30L);
            assertEquals(30L, slow.poll().value(), "consumers carry on after their cycles were deleted");
        }
    }

    @Test
    void shouldKeepEverythingWithoutARetentionLimit() throws Exception
    {
        try (DurableQueue<Long> queue = DurableQueue.builder(directory).rollCycle(TestRollCycles.TEST_SECONDLY)
            .open(Codecs.longs());
            DurableConsumer<Long> consumer = queue.consumer("only"))
        {
            queue.put(1L);
            DurableTestFiles.nextSecond();
            queue.put(2L);
            consumer.poll();
            consumer.poll();
            consumer.ack();
            assertEquals(0, queue.deleteRetiredCycles());
            assertTrue(DurableTestFiles.cycleFiles(directory) >= 2);
        }
    }
}
