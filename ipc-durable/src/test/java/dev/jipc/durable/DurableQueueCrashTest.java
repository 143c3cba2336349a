package dev.jipc.durable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.ChildProcesses;
import dev.jipc.core.codec.Codecs;
import dev.jipc.core.test.ChildLogs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code kill -9} of producers and consumers: a producer halted inside an append blocks nobody for long and leaves no
 * torn record; a chaos loop kills producer and consumer JVMs at random, and the audit finds every message delivered,
 * none acknowledged twice, and nothing delivered that the journal does not hold.
 */
class DurableQueueCrashTest
{
    private static final long CHILD_SECONDS = 120;
    private static final int CHAOS_ROUNDS = Integer.getInteger("jipc.durable.chaosRounds", 4);

    private final Path directory = DurableTestFiles.newDirectory("durable-crash");
    private final Path logs = DurableTestFiles.newLogDirectory(directory);

    @AfterEach
    void removeFiles()
    {
        DurableTestFiles.remove(directory);
        DurableTestFiles.remove(logs);
    }

    @Test
    void shouldRecoverFromAProducerKilledInTheMiddleOfAnAppend() throws Exception
    {
        try (DurableQueue<Long> queue = DurableQueue.open(directory, Codecs.longs());
            DurableConsumer<Long> consumer = queue.consumer("c");
            ChildProcesses children = ChildLogs.group())
        {
            queue.put(1L);
            assertEquals(1L, consumer.poll(10, TimeUnit.SECONDS).value());
            final ChildProcesses.Child halted = children.start(ChildJvm.of(DurableChildren.HaltMidAppend.class)
                .args(directory));
            ChildProcesses.awaitExit(halted, CHILD_SECONDS, TimeUnit.SECONDS);
            assertTrue(halted.output().contains("halting"), halted.output());

            final long start = System.nanoTime();
            queue.put(2L);
            final long appendMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            final Message<Long> next = consumer.poll(30, TimeUnit.SECONDS);
            assertNotNull(next, "the consumer gets the next whole message");
            assertEquals(2L, next.value(), "the torn record is never delivered");
            // 1.5 x the 1 s append timeout, then Chronicle finds the holder dead; generous for a loaded machine
            assertTrue(appendMillis < 20_000, "the next append waited " + appendMillis + " ms");
            assertEquals(null, consumer.poll());
        }
    }

    @Test
    void shouldLoseNothingWhenProducersAndConsumersAreKilledAtRandom() throws Exception
    {
        final SplittableRandom random = new SplittableRandom(42);
        final List<Path> memberLogs = new ArrayList<>();
        try (ChildProcesses children = ChildLogs.group())
        {
            int producerId = 1;
            ChildProcesses.Child producer = ready(children.start(producer(producerId)));
            final ChildProcesses.Child[] members = new ChildProcesses.Child[2];
            for (int m = 0; m < members.length; m++)
            {
                members[m] = ready(children.start(member(memberLogs)));
            }
            for (int round = 0; round < CHAOS_ROUNDS; round++)
            {
                Thread.sleep(300 + random.nextInt(700));
                final int victim = random.nextInt(3);
                if (victim == 2)
                {
                    producer.kill();
                    producer = ready(children.start(producer(++producerId)));
                }
                else
                {
                    members[victim].kill();
                    members[victim] = ready(children.start(member(memberLogs)));
                }
            }
            Thread.sleep(500);
            producer.kill();
            for (final ChildProcesses.Child member : members)
            {
                member.kill();
            }
            // a last member, never killed, drains what is left and what the killed ones took without acknowledging
            final ChildProcesses.Child drain = children.start(drain(memberLogs));
            ChildProcesses.awaitSuccess(drain, CHILD_SECONDS, TimeUnit.SECONDS);
        }
        try (DurableQueue<Long> queue = DurableQueue.open(directory, Codecs.longs()))
        {
            final Map<Long, Long> journal = DurableQueueCrossProcessTest.journal(queue);
            assertTrue(journal.size() > 100, "the producers appended: " + journal.size());
            assertEquals(List.of(), wholeRuns(journal), "each producer run appended a gapless prefix, nothing torn");
            final DeliveryAudit audit = DeliveryAudit.of(journal, memberLogs);
            System.out.println("chaos: " + CHAOS_ROUNDS + " kills, " + memberLogs.size() + " member runs, " +
                journal.size() + " messages, " + audit.deliveries() + " deliveries, " + audit.duplicates() +
                " delivered again after a member died");
            assertEquals(List.of(), audit.faults(), "deliveries " + audit.deliveries() + ", duplicates " +
                audit.duplicates());
            try (DurableConsumer<Long> after = queue.consumer("work"))
            {
                assertEquals(null, after.poll(), "the drain acknowledged everything");
            }
        }
    }

    /** Faults in the journal: a producer run whose sequences are not 0, 1, 2, ... in index order. */
    private static List<String> wholeRuns(final Map<Long, Long> journal)
    {
        final List<String> faults = new ArrayList<>();
        final Map<Long, Long> next = new HashMap<>();
        journal.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry ->
        {
            final long producer = entry.getValue() / DurableChildren.PER_PRODUCER;
            final long sequence = entry.getValue() % DurableChildren.PER_PRODUCER;
            final long expected = next.getOrDefault(producer, 0L);
            if (sequence != expected)
            {
                faults.add("index 0x" + Long.toHexString(entry.getKey()) + ": producer " + producer + " sequence " +
                    sequence + ", expected " + expected);
            }
            next.put(producer, sequence + 1);
        });
        return faults;
    }

    /** Waits until a child has opened the queue, so that each round kills a JVM that is at work. */
    private static ChildProcesses.Child ready(final ChildProcesses.Child child) throws InterruptedException
    {
        ChildProcesses.awaitOutput(child, "ready", CHILD_SECONDS, TimeUnit.SECONDS);
        return child;
    }

    private ChildJvm producer(final int id)
    {
        return ChildJvm.of(DurableChildren.Producer.class).args(directory, id, 0, 200);
    }

    private ChildJvm member(final List<Path> memberLogs)
    {
        return DurableQueueCrossProcessTest.consumer(directory, "work", newLog(memberLogs), 5);
    }

    /** The last member: everything is in the journal already, so it waits 3 s at most, for its first message too. */
    private ChildJvm drain(final List<Path> memberLogs)
    {
        return ChildJvm.of(DurableChildren.Consumer.class).args(directory, "work", newLog(memberLogs), 5, 3000, 3000);
    }

    private Path newLog(final List<Path> memberLogs)
    {
        final Path log = logs.resolve("member-" + memberLogs.size() + ".log");
        memberLogs.add(log);
        return log;
    }
}
