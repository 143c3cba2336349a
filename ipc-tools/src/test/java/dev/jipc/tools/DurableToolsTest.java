package dev.jipc.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.jipc.core.Segment;
import dev.jipc.core.SegmentKind;
import dev.jipc.core.codec.Codecs;
import dev.jipc.durable.DurableConsumer;
import dev.jipc.durable.DurableQueue;
import dev.jipc.durable.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jipc stat, ls and gc on a durable queue's directory: the facts shown, and gc keeping the durable state. */
class DurableToolsTest
{
    @TempDir
    Path dir;

    @Test
    void shouldStatAndListADurableQueueAndKeepItThroughGc() throws IOException
    {
        final long fifth;
        final long last;
        try (DurableQueue<String> queue = DurableQueue.open(dir, Codecs.strings()))
        {
            long index = -1;
            for (int i = 0; i < 10; i++)
            {
                index = queue.put("m" + i);
            }
            last = index;
            try (DurableConsumer<String> audit = queue.consumer("audit"))
            {
                for (int i = 0; i < 10; i++)
                {
                    assertNotNull(audit.poll(), "audit " + i);
                }
                audit.ack();
            }
            try (DurableConsumer<String> consumer = queue.consumer("billing"))
            {
                Message<String> fourth = null;
                Message<String> sixth = null;
                for (int i = 0; i < 6; i++)
                {
                    final Message<String> message = consumer.poll();
                    assertNotNull(message, "message " + i);
                    fourth = i == 3 ? message : fourth;
                    sixth = message;
                }
                consumer.ack(fourth.index());
                fifth = fourth.index() + 1;
                assertEquals(fifth + 1, sixth.index());

                final CommandLineResult stat = run("stat", "--dir", dir.toString(), "consumer.billing");
                assertEquals(0, stat.status(), stat.err());
                assertFact(stat, "kind", "DURABLE_CONSUMER");
                assertFact(stat, "consumer", "billing");
                assertFact(stat, "cursor", hex(last) + " (the last message claimed)");
                assertFact(stat, "floor", hex(fifth));
                // the member claimed all ten in one batch and delivered six: ten taken, four acknowledged
                assertFact(stat, "unacknowledged", "6 (claimed by members, delivered or not, and not acknowledged)");
                assertFact(stat, "live members", "1");
                assertFact(stat, "member 0", "pid " + ProcessHandle.current().pid() + " (alive), claimed=10, " +
                    "acked=4, unacknowledged=6, ranges=1");
                assertFact(stat, "redo log", "clear");
                assertFact(stat, "lock", "free, owner deaths 0");
                assertFact(stat, "lag", "6 messages not acknowledged yet, taken or not");

                final CommandLineResult queueStat = run("stat", "--dir", dir.toString(), "queue.jipc");
                assertEquals(0, queueStat.status(), queueStat.err());
                assertFact(queueStat, "kind", "DURABLE_QUEUE");
                assertFact(queueStat, "codec", "string-utf8 (typeId=" + Codecs.STRING_TYPE_ID + ")");
                assertFact(queueStat, "waiters", "0 (consumers and readers asleep at the journal's end)");
                assertFact(queueStat, "messages", "10");
                assertFact(queueStat, "roll cycle", "FAST_DAILY");
                assertFact(queueStat, "consumers", "2: audit, billing");
                assertFact(queueStat, "consumer audit", "floor=" + hex(last) +
                    ", lag=0, unacknowledged=0, live members=0");
                assertFact(queueStat, "consumer billing", "floor=" + hex(fifth) +
                    ", lag=6, unacknowledged=6, live members=1");
                assertTrue(Pattern.compile("(?m)^cycle files:\\s+1 \\(\\d+ bytes\\)$").matcher(queueStat.out()).find(),
                    queueStat.out());
                assertTrue(Pattern.compile("(?m)^last index:\\s+" + Pattern.quote(hex(last)) + " \\(cycle \\d+, " +
                    "sequence 9\\)$").matcher(queueStat.out()).find(), queueStat.out());

                final CommandLineResult ls = run("ls", "--dir", dir.toString());
                assertEquals(0, ls.status(), ls.err());
                assertTrue(Pattern.compile("(?m)^queue\\.jipc\\s+DURABLE_QUEUE\\s+\\d+\\s+\\d+\\s+creator alive, " +
                    "attached: \\[\\d+\\]$").matcher(ls.out()).find(), ls.out());
                assertTrue(Pattern.compile("(?m)^consumer\\.billing\\s+DURABLE_CONSUMER\\s+").matcher(ls.out()).find(),
                    ls.out());
                assertTrue(Pattern.compile("(?m)^metadata\\.cq4t\\s+\\(journal\\)\\s+\\d+\\s+-\\s+Chronicle Queue " +
                    "file of the durable queue \\(kept by jipc gc\\)$").matcher(ls.out()).find(), ls.out());
                assertTrue(Pattern.compile("(?m)^\\S+\\.cq4\\s+\\(journal\\)\\s+").matcher(ls.out()).find(), ls.out());
            }
        }
        final List<String> before = files();

        final CommandLineResult closed = run("stat", "--dir", dir.toString(), "consumer.billing");
        assertEquals(0, closed.status(), closed.err());
        assertFact(closed, "live members", "0");
        assertFact(closed, "unacknowledged", "6 (claimed by members, delivered or not, and not acknowledged)");
        assertFact(closed, "member 0", "left, claimed=10, acked=4, unacknowledged=6, ranges=1");

        final CommandLineResult ls = run("ls", "--dir", dir.toString());
        assertEquals(0, ls.status(), ls.err());
        assertTrue(Pattern.compile("(?m)^queue\\.jipc\\s+DURABLE_QUEUE\\s+.*attached: none \\(durable: kept by " +
            "jipc gc\\)$").matcher(ls.out()).find(), ls.out());

        final CommandLineResult gc = run("gc", "--dir", dir.toString());
        assertEquals(0, gc.status(), gc.err());
        assertEquals("", gc.err(), "gc skips nothing: the journal's files are not judged as segments");
        final List<String> after = files();
        for (final String kept : List.of("queue.jipc", "consumer.billing", "metadata.cq4t"))
        {
            assertTrue(after.contains(kept), kept + " survives gc: " + after);
        }
        assertEquals(before.stream().filter(f -> !f.startsWith("lock.")).toList(),
            after.stream().filter(f -> !f.startsWith("lock.")).toList(), gc.out());
        assertTrue(after.stream().anyMatch(f -> f.endsWith(".cq4")), after.toString());

        try (DurableQueue<String> queue = DurableQueue.open(dir, Codecs.strings());
            DurableConsumer<String> consumer = queue.consumer("billing"))
        {
            assertEquals("m4", consumer.poll().value(), "what was taken and not acknowledged comes again after gc");
            assertEquals(fifth, consumer.poll().index() - 1);
            queue.put("n1");
            queue.put("n2");
        }
        final CommandLineResult audit = run("stat", "--dir", dir.toString(), "consumer.audit");
        assertEquals(0, audit.status(), audit.err());
        assertFact(audit, "cursor", hex(last) + " (the last message claimed)");
        assertFact(audit, "floor", hex(last));
        assertFact(audit, "unacknowledged", "0 (claimed by members, delivered or not, and not acknowledged)");
        assertFact(audit, "lag", "2 messages not acknowledged yet, taken or not");
    }

    @Test
    void shouldReportACorruptConsumerAndAMissingJournal() throws IOException
    {
        try (DurableQueue<Long> queue = DurableQueue.open(dir, Codecs.longs()))
        {
            queue.put(1L);
            queue.consumer("hostile").close();
        }
        final int body;
        try (Segment segment = Segment.open(dir, "consumer.hostile", SegmentKind.DURABLE_CONSUMER))
        {
            body = segment.bodyOffset();
        }
        try (FileChannel channel = FileChannel.open(dir.resolve("consumer.hostile"), StandardOpenOption.WRITE))
        {
            // the cursor: the body's first long
            channel.write(ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(0, -7), body);
        }
        final CommandLineResult stat = run("stat", "--dir", dir.toString(), "consumer.hostile");
        assertEquals(0, stat.status(), stat.err());
        assertFact(stat, "cursor", "0x" + Long.toHexString(-7));
        assertFact(stat, "state", "corrupt consumer state: cursor=-7");
        final CommandLineResult queueStat = run("stat", "--dir", dir.toString(), "queue.jipc");
        assertEquals(0, queueStat.status(), queueStat.err());
        assertFact(queueStat, "messages", "1");
        assertFact(queueStat, "consumer hostile", "corrupt consumer state: cursor=-7");

        try (Stream<Path> files = Files.list(dir))
        {
            for (final Path file : files.filter(f -> f.getFileName().toString().contains(".cq4")).toList())
            {
                Files.delete(file);
            }
        }
        final CommandLineResult bare = run("stat", "--dir", dir.toString(), "queue.jipc");
        assertEquals(0, bare.status(), bare.err());
        assertFact(bare, "cycle files", "0 (0 bytes)");
        assertFact(bare, "journal", "none: no metadata.cq4t in " + dir);
        assertFact(bare, "consumers", "1: hostile");
        assertEquals(List.of(".jipc-processes", "consumer.hostile", "lock.consumer.hostile", "queue.jipc"), files(),
            "stat made nothing");
    }

    private List<String> files() throws IOException
    {
        try (Stream<Path> files = Files.list(dir))
        {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    private static void assertFact(final CommandLineResult result, final String key, final String value)
    {
        assertTrue(Pattern.compile("(?m)^" + Pattern.quote(key + ":") + "\\s+" + Pattern.quote(value) + "$")
            .matcher(result.out()).find(), "expected " + key + ": " + value + " in\n" + result.out());
    }

    private static String hex(final long index)
    {
        return "0x" + Long.toHexString(index);
    }

    private static CommandLineResult run(final String... args)
    {
        return CommandLineResult.run(args);
    }
}
