package dev.jipc.durable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.ChildProcesses;
import dev.jipc.core.codec.Codecs;
import dev.jipc.core.test.ChildLogs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Producers and consumers in separate JVMs: work sharing within a name, fan-out across names, resuming. */
class DurableQueueCrossProcessTest
{
    private static final long CHILD_SECONDS = 120;
    private static final int PER_PRODUCER = 5_000;

    private final Path directory = DurableTestFiles.newDirectory("durable-xp");
    private final Path logs = DurableTestFiles.newLogDirectory(directory);

    @AfterEach
    void removeFiles()
    {
        DurableTestFiles.remove(directory);
        DurableTestFiles.remove(logs);
    }

    @Test
    void shouldShareANameBetweenTwoJvmsAndGiveAnotherNameEverything() throws Exception
    {
        try (DurableQueue<Long> queue = DurableQueue.open(directory, Codecs.longs());
            ChildProcesses children = ChildLogs.group())
        {
            final Path workA = logs.resolve("work-a.log");
            final Path workB = logs.resolve("work-b.log");
            final Path audit = logs.resolve("audit.log");
            final List<ChildProcesses.Child> consumers = List.of(
                children.start(consumer(directory, "work", workA, 7)),
                children.start(consumer(directory, "work", workB, 7)),
                children.start(consumer(directory, "audit", audit, 100)));
            for (final ChildProcesses.Child consumer : consumers)
            {
                ChildProcesses.awaitOutput(consumer, "ready", CHILD_SECONDS, TimeUnit.SECONDS);
            }
            final List<ChildProcesses.Child> producers = List.of(
                children.start(ChildJvm.of(DurableChildren.Producer.class).args(directory, 1, PER_PRODUCER, 20)),
                children.start(ChildJvm.of(DurableChildren.Producer.class).args(directory, 2, PER_PRODUCER, 20)));
            for (final ChildProcesses.Child child : producers)
            {
                ChildProcesses.awaitSuccess(child, CHILD_SECONDS, TimeUnit.SECONDS);
            }
            for (final ChildProcesses.Child child : consumers)
            {
                ChildProcesses.awaitSuccess(child, CHILD_SECONDS, TimeUnit.SECONDS);
            }
            final Map<Long, Long> journal = journal(queue);
            assertEquals(2 * PER_PRODUCER, journal.size());
            for (final long producer : new long[] {1, 2})
            {
                final List<Long> sequences = new ArrayList<>();
                journal.values().stream().filter(v -> v / DurableChildren.PER_PRODUCER == producer)
                    .forEach(v -> sequences.add(v % DurableChildren.PER_PRODUCER));
                assertEquals(PER_PRODUCER, sequences.size(), "producer " + producer);
            }

            final DeliveryAudit shared = DeliveryAudit.of(journal, List.of(workA, workB));
            assertEquals(List.of(), shared.faults());
            assertEquals(0, shared.duplicates(), "no member died: each message went to exactly one member");
            final long toA = Files.readAllLines(workA).stream().filter(line -> line.startsWith("D ")).count();
            final long toB = Files.readAllLines(workB).stream().filter(line -> line.startsWith("D ")).count();
            assertEquals(2 * PER_PRODUCER, toA + toB);
            assertTrue(toA > 0 && toB > 0, "both members took a share: " + toA + " and " + toB);

            final DeliveryAudit fanOut = DeliveryAudit.of(journal, List.of(audit));
            assertEquals(List.of(), fanOut.faults());
            assertEquals(0, fanOut.duplicates());
        }
    }

    @Test
    void shouldResumeWhereANameAcknowledgedInAnotherJvm() throws Exception
    {
        try (DurableQueue<Long> queue = DurableQueue.open(directory, Codecs.longs());
            ChildProcesses children = ChildLogs.group())
        {
            for (long i = 0; i < 100; i++)
            {
                queue.put(i);
            }
            final Path log = logs.resolve("first.log");
            ChildProcesses.awaitSuccess(children.start(consumer(directory, "resume", log, 30)), CHILD_SECONDS,
                TimeUnit.SECONDS);
            try (DurableConsumer<Long> consumer = queue.consumer("resume"))
            {
                assertTrue(consumer.poll() == null, "the child acknowledged everything at its end");
                queue.put(100L);
                assertEquals(100L, consumer.poll(10, TimeUnit.SECONDS).value());
            }
        }
    }

    /**
     * A consumer child that waits up to a minute for its first message (producers may be slow to start on a loaded
     * machine), then stops after 3 s without one.
     */
    static ChildJvm consumer(final Path directory, final String name, final Path log, final int ackEvery)
    {
        return ChildJvm.of(DurableChildren.Consumer.class).args(directory, name, log, ackEvery, 3000, 60_000);
    }

    static Map<Long, Long> journal(final DurableQueue<Long> queue)
    {
        final Map<Long, Long> journal = new HashMap<>();
        try (DurableReader<Long> reader = queue.reader())
        {
            for (Message<Long> message = reader.poll(); message != null; message = reader.poll())
            {
                journal.put(message.index(), message.value());
            }
        }
        return journal;
    }
}
