package dev.jipc.tools;

import static dev.jipc.core.ChildProcesses.awaitSuccess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.ChildProcesses;
import dev.jipc.core.SharedMemory;
import dev.jipc.core.codec.Codecs;
import dev.jipc.core.pipe.Pipe;
import dev.jipc.core.queue.JoinableQueue;
import dev.jipc.core.queue.QueueDescriptor;
import dev.jipc.core.test.ChildLogs;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandLineTest
{
    @TempDir
    Path dir;

    @Test
    void shouldListSegmentsWithKindSizeCreatorAndLiveness() throws IOException
    {
        try (SharedMemory live = SharedMemory.create(dir, "live-one", 100))
        {
            Files.writeString(dir.resolve("stranger"), "not a segment at all, just some text of some length".repeat(4));
            final CommandLineResult result = run("ls", "--dir", dir.toString());
            assertEquals(0, result.status());
            final long self = ProcessHandle.current().pid();
            assertTrue(result.out().matches("(?s).*live-one\\s+SHARED_MEMORY\\s+228\\s+" + self +
                "\\s+creator alive, attached: \\[" + self + "\\].*"), result.out());
            assertTrue(result.out().contains("invalid: not a jipc segment"), result.out());
        }
    }

    @Test
    void shouldCollectOnlySegmentsWhoseCreatorDied() throws InterruptedException
    {
        try (SharedMemory live = SharedMemory.create(dir, "mine", 64);
            ChildProcesses children = ChildLogs.group())
        {
            awaitSuccess(children.start(ChildJvm.of(Creator.class).args(dir, "orphan")), 60, TimeUnit.SECONDS);
            assertTrue(Files.exists(dir.resolve("orphan")));
            final CommandLineResult listing = run("ls", "--dir", dir.toString());
            assertTrue(listing.out().matches("(?s).*orphan\\s+SHARED_MEMORY.*dead.*"), listing.out());

            final CommandLineResult dryRun = run("gc", "--dry-run", "--dir", dir.toString());
            assertTrue(dryRun.out().contains("would remove orphan"), dryRun.out());
            assertTrue(Files.exists(dir.resolve("orphan")));

            final CommandLineResult gc = run("gc", "--dir", dir.toString());
            assertEquals(0, gc.status());
            assertTrue(gc.out().contains("removed 1 segment(s)"), gc.out());
            assertTrue(Files.notExists(dir.resolve("orphan")));
            assertTrue(Files.exists(dir.resolve("mine")), "a live creator's segment stays");
        }
    }

    @Test
    void shouldKeepASegmentWhoseCreatorDiedWhileAnotherProcessHasItMapped() throws Exception
    {
        try (ChildProcesses children = ChildLogs.group())
        {
            awaitSuccess(children.start(ChildJvm.of(Creator.class).args(dir, "kept")), 60, TimeUnit.SECONDS);
            final ChildProcesses.Child consumer = children.start(ChildJvm.of(Attacher.class).args(dir, "kept"));
            ChildProcesses.awaitOutput(consumer, "attached", 60, TimeUnit.SECONDS);
            final CommandLineResult listing = run("ls", "--dir", dir.toString());
            assertTrue(listing.out().matches("(?s).*kept\\s+SHARED_MEMORY.*creator dead, attached: \\[" +
                consumer.pid() + "\\].*"), listing.out());
            final CommandLineResult kept = run("gc", "--dir", dir.toString());
            assertTrue(kept.out().contains("removed 0 segment(s)"), kept.out());
            assertTrue(Files.exists(dir.resolve("kept")), "gc removed a segment a live consumer has mapped");

            consumer.process().destroyForcibly();
            assertTrue(consumer.process().waitFor(20, TimeUnit.SECONDS));
            final CommandLineResult gc = run("gc", "--dir", dir.toString());
            assertTrue(gc.out().contains("removed 1 segment(s)"), gc.out());
            assertTrue(Files.notExists(dir.resolve("kept")));
        }
    }

    @Test
    void shouldRemoveByNameAndRefuseBadNames()
    {
        SharedMemory.create(dir, "doomed", 64).close();
        assertEquals(0, run("rm", "--dir", dir.toString(), "doomed").status());
        assertTrue(Files.notExists(dir.resolve("doomed")));

        final CommandLineResult missing = run("rm", "--dir", dir.toString(), "doomed");
        assertEquals(1, missing.status());
        assertTrue(missing.err().contains("no such segment"), missing.err());

        final CommandLineResult escape = run("rm", "--dir", dir.toString(), "../etc");
        assertTrue(escape.status() != 0);
        assertTrue(escape.err().contains("must not contain"), escape.err());
    }

    @Test
    void shouldStatASharedMemoryBlock()
    {
        try (SharedMemory block = SharedMemory.create(dir, "statted", 512))
        {
            final CommandLineResult result = run("stat", "--dir", dir.toString(), "statted");
            assertEquals(0, result.status(), result.err());
            assertTrue(result.out().matches("(?s).*kind:\\s+SHARED_MEMORY.*size:\\s+512.*"), result.out());
        }
    }

    @Test
    void shouldStatAQueueAndAPipe() throws Exception
    {
        try (JoinableQueue<String> queue = JoinableQueue.create(dir, "orders", 4096, Codecs.strings());
            Pipe<Long> pipe = Pipe.create(dir, "link", 4096, true, Codecs.longs()))
        {
            queue.put("a");
            queue.put("bb");
            final CommandLineResult queueStat = run("stat", "--dir", dir.toString(), "orders");
            assertEquals(0, queueStat.status(), queueStat.err());
            assertTrue(queueStat.out().matches("(?s).*kind:\\s+QUEUE.*capacity:\\s+4096.*codec:\\s+string-utf8.*" +
                "bytesInUse:\\s+32.*producerPosition:\\s+32.*consumerPosition:\\s+0.*messages:\\s+2.*" +
                "notEmptyWaiters:\\s+0.*registeredProducers:\\s+1.*unfinishedTasks:\\s+2.*"), queueStat.out());
            pipe.first().sendLong(7);
            final CommandLineResult pipeStat = run("stat", "--dir", dir.toString(), "link");
            assertEquals(0, pipeStat.status(), pipeStat.err());
            assertTrue(pipeStat.out().matches("(?s).*kind:\\s+PIPE.*duplex:\\s+true" +
                ".*ring0.direction:\\s+end0 -> end1.*" +
                "ring0.bytesInUse:\\s+16.*ring1.bytesInUse:\\s+0.*"), pipeStat.out());
        }
    }

    @Test
    void shouldReportACorruptSegmentOnStat() throws IOException
    {
        Files.write(dir.resolve("garbage"), new byte[300]);
        final CommandLineResult result = run("stat", "--dir", dir.toString(), "garbage");
        assertEquals(1, result.status());
        assertTrue(result.err().startsWith("jipc stat: "), result.err());
        assertTrue(result.err().contains("garbage: not initialised"), result.err());
    }

    @Test
    void shouldReportACorruptRingOnStatAtOnce() throws Exception
    {
        try (JoinableQueue<String> queue = JoinableQueue.create(dir, "wrecked", 4096, Codecs.strings()))
        {
            queue.put("a");
            // a head record as long as the ring and a tail a world away: an unbounded walk would lap the ring for ever
            try (RandomAccessFile file = new RandomAccessFile(dir.resolve("wrecked").toFile(), "rw"))
            {
                file.seek(QueueDescriptor.RING_OFFSET);
                file.writeInt(Integer.reverseBytes(4096));
                file.seek(QueueDescriptor.RING_OFFSET + 4096 + RingBufferDescriptor.TAIL_POSITION_OFFSET);
                file.writeLong(Long.reverseBytes(1L << 62));
            }
            final CommandLineResult result = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> run("stat", "--dir", dir.toString(), "wrecked"));
            assertEquals(1, result.status(), result.out());
            assertTrue(result.err().contains("corrupt ring: head and tail further apart than the ring"), result.err());
        }
    }

    private static CommandLineResult run(final String... args)
    {
        return CommandLineResult.run(args);
    }

    /** Maps a block and stays until killed. */
    public static final class Attacher
    {
        public static void main(final String[] args) throws InterruptedException
        {
            final SharedMemory block = SharedMemory.open(Path.of(args[0]), args[1]);
            System.out.println("attached " + block);
            System.out.flush();
            Thread.sleep(TimeUnit.MINUTES.toMillis(5));
        }
    }

    public static final class Creator
    {
        public static void main(final String[] args)
        {
            SharedMemory.create(Path.of(args[0]), args[1], 64).close();
        }
    }
}
