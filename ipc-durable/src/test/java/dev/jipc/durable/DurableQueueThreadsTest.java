package dev.jipc.durable;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.codec.Codecs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A supplement to the cross-process tests: members of one name on threads, racing a producer thread. */
class DurableQueueThreadsTest
{
    private final Path directory = DurableTestFiles.newDirectory("durable-threads");

    @AfterEach
    void removeFiles()
    {
        DurableTestFiles.remove(directory);
    }

    @Test
    void shouldSplitMessagesBetweenRacingMembers() throws Exception
    {
        final int messages = 20_000;
        try (DurableQueue<Long> queue = DurableQueue.open(directory, Codecs.longs()))
        {
            final List<Long> seen = Collections.synchronizedList(new ArrayList<>());
            final List<Thread> members = new ArrayList<>();
            for (int m = 0; m < 2; m++)
            {
                final Thread member = new Thread(() ->
                {
                    try (DurableConsumer<Long> consumer = queue.consumer("work"))
                    {
                        int taken = 0;
                        for (Message<Long> message = consumer.poll(2, TimeUnit.SECONDS); message != null;
                            message = consumer.poll(2, TimeUnit.SECONDS))
                        {
                            seen.add(message.value());
                            if (++taken % 7 == 0)
                            {
                                consumer.ack(message.index());
                            }
                        }
                        consumer.ack();
                    }
                    catch (final InterruptedException ex)
                    {
                        Thread.currentThread().interrupt();
                    }
                });
                member.start();
                members.add(member);
            }
            for (long i = 0; i < messages; i++)
            {
                queue.put(i);
            }
            for (final Thread member : members)
            {
                member.join(60_000);
            }
            final List<Long> sorted = new ArrayList<>(seen);
            sorted.sort(null);
            final List<Long> missing = new ArrayList<>();
            for (long i = 0, j = 0; i < messages; i++)
            {
                while (j < sorted.size() && sorted.get((int)j) < i)
                {
                    j++;
                }
                if (j >= sorted.size() || sorted.get((int)j) != i)
                {
                    missing.add(i);
                }
            }
            assertEquals(List.of(), missing.size() > 30 ? missing.subList(0, 30) : missing, "missing of " + messages);
            assertEquals(messages, sorted.size(), "no duplicates");
        }
    }
}
