package dev.jipc.durable;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.jipc.core.AttachLock;
import dev.jipc.core.ChildJvm;
import dev.jipc.core.ChildProcesses;
import dev.jipc.core.ChronicleDefaults;
import dev.jipc.core.Segment;
import dev.jipc.core.SegmentFormatException;
import dev.jipc.core.SegmentKind;
import dev.jipc.core.codec.Codecs;
import dev.jipc.core.codec.StoredCodec;
import dev.jipc.core.test.ChildLogs;
import dev.jipc.sync.SyncArena;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a durable queue does with input it must refuse: directories that are not a queue's or are not safe, another
 * codec, bad consumer names, closed handles, a message too large, a hostile consumer segment and a damaged journal.
 * Each refusal must be of the documented type and name what was wrong and where.
 */
class DurableQueueBadInputTest
{
    private static final int MIB = 1 << 20;
    private static final Pattern MAX_LENGTH = Pattern.compile("maxLength=(\\d+)");

    private final Path directory = DurableTestFiles.newDirectory("bad-input");

    @AfterEach
    void removeFiles()
    {
        DurableTestFiles.remove(directory);
    }

    @Test
    void shouldRefuseADirectoryOfForeignFiles() throws IOException
    {
        makePrivateDirectory();
        Files.writeString(directory.resolve("notes.txt"), "not a queue");
        final IllegalStateException refused = assertThrows(IllegalStateException.class,
            () -> DurableQueue.open(directory, Codecs.strings()));
        assertContains(refused, "not a durable queue", directory.toString(), "notes.txt", "queue.jipc");
        assertEquals(List.of("notes.txt"), files(), "nothing was made beside the foreign file");
    }

    @Test
    void shouldRefuseAChronicleQueueThatJipcDidNotMake() throws IOException
    {
        makePrivateDirectory();
        ChronicleDefaults.apply();
        try (SingleChronicleQueue raw = SingleChronicleQueueBuilder.single(directory.toFile()).build();
            ExcerptAppender appender = raw.createAppender())
        {
            appender.writeText("someone else's message");
        }
        final IllegalStateException refused = assertThrows(IllegalStateException.class,
            () -> DurableQueue.open(directory, Codecs.strings()));
        assertContains(refused, "not a durable queue", directory.toString(),
            "a Chronicle Queue that jipc did not make");
        assertTrue(Files.notExists(directory.resolve(DurableQueueDescriptor.SEGMENT_NAME)));
    }

    @Test
    void shouldRefuseAnotherCodec()
    {
        try (DurableQueue<String> queue = DurableQueue.open(directory, Codecs.strings()))
        {
            queue.put("text");
        }
        // DurableQueue.Builder.open documents IllegalStateException; StoredCodec.checkSame throws this
        final SegmentFormatException refused = assertThrows(SegmentFormatException.class,
            () -> DurableQueue.open(directory, Codecs.longs()));
        assertContains(refused, "codec mismatch", directory.resolve("queue.jipc").toString(), "string-utf8",
            Codecs.longs().name());
        try (DurableQueue<String> queue = DurableQueue.open(directory, Codecs.strings());
            DurableReader<String> reader = queue.reader())
        {
            assertEquals("text", reader.poll().value(), "the refusal changed nothing");
        }
    }

    @Test
    void shouldRefuseAnotherCodecWithTheDocumentedException()
    {
        try (DurableQueue<String> queue = DurableQueue.open(directory, Codecs.strings()))
        {
            queue.put("text");
        }
        final SegmentFormatException refused = assertThrows(SegmentFormatException.class,
            () -> DurableQueue.open(directory, Codecs.longs()));
        assertContains(refused, "codec mismatch", "string-utf8", "long");
    }

    @Test
    void shouldRefuseBadConsumerNames() throws IOException
    {
        try (DurableQueue<String> queue = DurableQueue.open(directory, Codecs.strings()))
        {
            final List<String> before = files();
            assertContains(assertThrows(IllegalArgumentException.class, () -> queue.consumer("a/b")),
                "path separator", "name=a/b");
            assertContains(assertThrows(IllegalArgumentException.class, () -> queue.consumer("..")),
                "'..'", "name=..");
            assertContains(assertThrows(IllegalArgumentException.class, () -> queue.consumer("../escape")),
                "name=../escape");
            assertContains(assertThrows(IllegalArgumentException.class, () -> queue.consumer("")), "empty");
            final String tooLong = "n".repeat(ConsumerGroup.MAX_NAME_LENGTH + 1);
            assertContains(assertThrows(IllegalArgumentException.class, () -> queue.consumer(tooLong)),
                "consumer name too long", "length=" + tooLong.length(), "max=" + ConsumerGroup.MAX_NAME_LENGTH);
            assertEquals(before, files(), "a refused name makes no file");
            final String longest = "n".repeat(ConsumerGroup.MAX_NAME_LENGTH);
            try (DurableConsumer<String> consumer = queue.consumer(longest))
            {
                queue.put("x");
                assertEquals("x", consumer.poll().value(), "the longest name works, lock and all");
            }
        }
    }

    @Test
    void shouldNameTheConsumersLimitForAFarTooLongName()
    {
        try (DurableQueue<String> queue = DurableQueue.open(directory, Codecs.strings()))
        {
            // the consumer name's own limit is checked before the segment name's, so the message names the right one
            final String farTooLong = "n".repeat(300);
            assertContains(assertThrows(IllegalArgumentException.class, () -> queue.consumer(farTooLong)),
                "length=300", "max=" + ConsumerGroup.MAX_NAME_LENGTH);
        }
    }

    @Test
    void shouldNotLetAConsumerNamedLikeALockBreakAnother() throws Exception
    {
        try (DurableQueue<String> queue = DurableQueue.open(directory, Codecs.strings()))
        {
            queue.consumer("x.lock").close();
            // a consumer's lock has a prefix of its own: no consumer's segment can be another's lock
            try (DurableConsumer<String> x = queue.consumer("x"))
            {
                queue.put("m");
                assertEquals("m", x.poll().value());
            }
        }
    }

    @Test
    void shouldNameTheFileOfAConsumerLockThatHoldsNoLock()
    {
        // jipc makes a lock before its name appears, so such a file is foreign or damaged: refused at once, named
        try (DurableQueue<String> queue = DurableQueue.open(directory, Codecs.strings());
            SyncArena ignored = SyncArena.create(directory, ConsumerDescriptor.LOCK_PREFIX + "orphan", 4, 256))
        {
            assertContains(assertThrows(IllegalArgumentException.class, () -> queue.consumer("orphan")),
                "kind=LOCK", "matches=0", directory.resolve(ConsumerDescriptor.LOCK_PREFIX + "orphan").toString());
            queue.put("m");
            try (DurableConsumer<String> other = queue.consumer("other"))
            {
                assertEquals("m", other.poll().value(), "another consumer of the queue still works");
            }
        }
    }

    @Test
    void shouldCloseTheGroupsOpenedBeforeACorruptOneWhenRetentionFails() throws Exception
    {
        try (DurableQueue<Long> queue = DurableQueue.builder(directory).retention(Duration.ZERO).open(Codecs.longs()))
        {
            queue.put(1L);
            queue.consumer("a").close();
            queue.consumer("b").close();
            final Path b = directory.resolve(ConsumerDescriptor.SEGMENT_PREFIX + "b");
            writeBodyLong(b, ConsumerDescriptor.CURSOR_OFFSET, -7);
            assertContains(assertThrows(SegmentFormatException.class, queue::deleteRetiredCycles), b.toString(),
                "cursor=-7");
            // retention opens one name at a time and closes each, also when the next one fails
            assertEquals(List.of(), AttachLock.attachers(directory.resolve(ConsumerDescriptor.SEGMENT_PREFIX + "a")),
                "nothing holds consumer a's segment mapped after the failed retention pass");
        }
    }

    @Test
    void shouldNotReportAFailedPutForAMessageItAppended() throws Exception
    {
        try (DurableQueue<Long> queue = DurableQueue.builder(directory).rollCycle(TestRollCycles.TEST_SECONDLY)
            .retention(Duration.ZERO).open(Codecs.longs()))
        {
            queue.put(1L);
            queue.consumer("a").close();
            writeBodyLong(directory.resolve(ConsumerDescriptor.SEGMENT_PREFIX + "a"), ConsumerDescriptor.CURSOR_OFFSET,
                -7);
            Thread.sleep(1_100);
            // the journal rolls: put runs the retention pass, which meets the corrupt consumer
            RuntimeException failure = null;
            try
            {
                queue.put(2L);
            }
            catch (final RuntimeException ex)
            {
                failure = ex;
            }
            try (DurableReader<Long> reader = queue.reader())
            {
                assertEquals(1L, reader.poll().value());
                final Message<Long> second = reader.poll();
                // retention after an append is best effort: a put never throws after its message was appended
                assertTrue(failure == null || second == null, "put threw " + failure + " but appended " + second);
            }
        }
    }

    @Test
    void shouldRefuseToUseClosedHandles() throws Exception
    {
        final DurableQueue<String> queue = DurableQueue.open(directory, Codecs.strings());
        final DurableConsumer<String> consumer = queue.consumer("c");
        final DurableConsumer<String> orphan = queue.consumer("d");
        final DurableReader<String> reader = queue.reader();
        queue.put("a");
        consumer.close();
        assertContains(assertThrows(IllegalStateException.class, consumer::poll), "consumer 'c'",
            directory.toString(), "closed");
        assertContains(assertThrows(IllegalStateException.class, () -> consumer.poll(1, TimeUnit.MILLISECONDS)),
            "consumer 'c'", "closed");
        assertContains(assertThrows(IllegalStateException.class, consumer::ack), "consumer 'c'", "closed");
        consumer.close();
        queue.close();
        assertContains(assertThrows(IllegalStateException.class, () -> queue.put("b")), "durable queue",
            directory.toString(), "closed");
        assertContains(assertThrows(IllegalStateException.class, () -> queue.consumer("e")), directory.toString(),
            "closed");
        assertContains(assertThrows(IllegalStateException.class, queue::reader), directory.toString(), "closed");
        assertContains(assertThrows(IllegalStateException.class, orphan::poll), directory.toString(), "closed");
        assertContains(assertThrows(IllegalStateException.class, reader::poll), directory.toString(), "closed");
        queue.close();
        try (DurableQueue<String> again = DurableQueue.open(directory, Codecs.strings());
            DurableConsumer<String> d = again.consumer("d"))
        {
            assertEquals("a", d.poll().value(), "closing the queue left what its consumers had not acknowledged");
        }
    }

    @Test
    void shouldRefuseAMessageLongerThanTheJournalHoldsNamingBothSizes() throws Exception
    {
        try (DurableQueue<byte[]> queue = DurableQueue.open(directory, Codecs.bytes()))
        {
            final byte[] huge = new byte[17 * MIB];
            final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> queue.put(huge));
            assertContains(refused, "message too large", directory.toString(), "length=" + huge.length, "maxLength=");
            final Matcher max = MAX_LENGTH.matcher(refused.getMessage());
            assertTrue(max.find(), refused.getMessage());
            final int maxLength = Integer.parseInt(max.group(1));
            assertTrue(maxLength > 15 * MIB && maxLength < huge.length, "about 16 MiB: " + maxLength);

            final byte[] justTooLong = new byte[maxLength + 1];
            assertContains(assertThrows(IllegalArgumentException.class, () -> queue.put(justTooLong)),
                "length=" + justTooLong.length, "maxLength=" + maxLength);

            final byte[] largest = new byte[maxLength];
            Arrays.fill(largest, (byte)0x5A);
            largest[largest.length - 1] = 1;
            final long index = queue.put(largest);
            queue.put(new byte[] {7});
            try (DurableReader<byte[]> reader = queue.reader())
            {
                final Message<byte[]> read = reader.poll();
                assertEquals(index, read.index(), "the refused messages left nothing in the journal");
                assertArrayEquals(largest, read.value(), "the largest message a journal takes comes back whole");
                assertArrayEquals(new byte[] {7}, reader.poll().value());
                assertNull(reader.poll());
            }
        }
    }

    @Test
    void shouldRefuseACorruptConsumerSegmentNamingTheFile() throws Exception
    {
        final int slot0 = ConsumerDescriptor.slotOffset(0);
        assertCorruptionRefused(ConsumerDescriptor.CURSOR_OFFSET, -7, "cursor=-7");
        assertCorruptionRefused(slot0 + ConsumerDescriptor.SLOT_HEAD_OFFSET, 5, "slot 0: head=5, tail=1");
        assertCorruptionRefused(slot0 + ConsumerDescriptor.SLOT_TAIL_OFFSET, 2000, "slot 0: head=0, tail=2000");
        assertCorruptionRefused(slot0 + ConsumerDescriptor.SLOT_HEAD_OFFSET, -1, "slot 0: head=-1");
        assertCorruptionRefused(slot0 + ConsumerDescriptor.SLOT_ACKED_OFFSET, -3, "acked=-3");
        assertCorruptionRefused(ConsumerDescriptor.rangeOffset(0, 0) + ConsumerDescriptor.RANGE_TO_OFFSET, 0,
            "slot 0, range 0: from=");
        assertCorruptionRefused(ConsumerDescriptor.rangeOffset(0, 0) + ConsumerDescriptor.RANGE_END_COUNT_OFFSET, 2,
            "slot 0, range 0: from=");
    }

    @Test
    void shouldRefuseAnAcknowledgedCountBeyondWhatTheSlotTook() throws Exception
    {
        // Acked is checked against the slot's ranges: Long.MAX_VALUE would overflow from + (acked - start)
        assertCorruptionRefused(ConsumerDescriptor.slotOffset(0) + ConsumerDescriptor.SLOT_ACKED_OFFSET,
            Long.MAX_VALUE, "acked=" + Long.MAX_VALUE);
    }

    @Test
    void shouldRefuseAConsumerSegmentTooShortForAConsumer() throws Exception
    {
        try (DurableQueue<String> queue = DurableQueue.open(directory, Codecs.strings()))
        {
            // a segment of the right kind whose body holds the cursor and the redo log, not the member slots
            Segment.create(directory, "consumer.short", SegmentKind.DURABLE_CONSUMER, 512, created ->
                created.buffer().putLong(created.bodyOffset() + ConsumerDescriptor.CURSOR_OFFSET,
                    ConsumerDescriptor.START)).close();
            final Path file = directory.resolve("consumer.short");
            // the body length is checked before any field is read: a named fault, not an IndexOutOfBoundsException
            final RuntimeException refused = assertThrows(RuntimeException.class, () -> queue.consumer("short"));
            assertTrue(refused instanceof SegmentFormatException, "a SegmentFormatException, got " + refused);
            assertContains(refused, file.toString());
        }
    }

    @Test
    void shouldRefuseAQueueSegmentTooShortForAQueue() throws Exception
    {
        makePrivateDirectory();
        // the codec, and no room for the event count
        Segment.create(directory, DurableQueueDescriptor.SEGMENT_NAME, SegmentKind.DURABLE_QUEUE, 32, created ->
            DurableQueueDescriptor.storedCodec(created.bodyOffset()).write(created.buffer(),
                Codecs.strings().typeId(), StoredCodec.nameBytes(Codecs.strings().name()))).close();
        final RuntimeException refused = assertThrows(RuntimeException.class,
            () -> DurableQueue.open(directory, Codecs.strings()).close());
        assertTrue(refused instanceof SegmentFormatException || refused instanceof IllegalStateException,
            "a named refusal, got " + refused);
        assertContains(refused, directory.resolve(DurableQueueDescriptor.SEGMENT_NAME).toString());
    }

    @Test
    void shouldReadTheIntactPrefixOfATruncatedCycleFileOrFailClearly() throws Exception
    {
        long last = -1;
        try (DurableQueue<String> queue = DurableQueue.open(directory, Codecs.strings()))
        {
            for (int i = 0; i < 100; i++)
            {
                last = queue.put(TruncatedReader.value(i));
            }
            try (DurableConsumer<String> billing = queue.consumer("billing"))
            {
                for (int i = 0; i < 100; i++)
                {
                    assertEquals(TruncatedReader.value(i), billing.poll().value());
                }
                billing.ack();
            }
        }
        final Path cycle;
        try (Stream<Path> files = Files.list(directory))
        {
            cycle = files.filter(f -> f.getFileName().toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
        final byte[] content = Files.readAllBytes(cycle);
        final int at = indexOf(content, TruncatedReader.value(50).getBytes(StandardCharsets.UTF_8));
        assertTrue(at > 0, "message 50 is in " + cycle);
        try (FileChannel channel = FileChannel.open(cycle, StandardOpenOption.WRITE))
        {
            // the cut falls inside message 50's payload: its header, which says how long it is, stays whole
            channel.truncate(at + 5);
        }
        // in a child JVM: a read past the end of a truncated mapping may be a SIGBUS, which must not take the test
        // JVM down with it
        try (ChildProcesses children = ChildLogs.group())
        {
            final ChildProcesses.Child child = children.start(ChildJvm.of(TruncatedReader.class).args(directory,
                last));
            final int exit = ChildProcesses.awaitExit(child, 120, TimeUnit.SECONDS);
            final String output = child.output().replace("\0", "\\0");
            System.out.println("truncated cycle file, child said:\n" + output);
            assertEquals(0, exit, "the JVM survived: " + output);
            final Matcher prefix = Pattern.compile("RESULT read=(\\d+)").matcher(output);
            assertTrue(prefix.find(), output);
            final String lastHex = Long.toHexString(last);
            // Chronicle zero-fills the cut file, so message 50's header still says how long it was: its length and
            // CRC-32C refuse it. What lay after the cut is gone, and the next append takes the lost indexes again
            // (Chronicle's index follows what the file holds), so a consumer that had read past the cut is refused
            // and an append is refused while it is so, rather than leave it to skip the new messages there.
            assertAll("a truncated cycle file gives its intact prefix and a clear exception",
                () -> assertFalse(output.contains("TORN"), "no torn record: " + output),
                () -> assertEquals(50, Integer.parseInt(prefix.group(1)), "what lay before the cut: " + output),
                () -> assertTrue(output.contains("is not a whole jipc record"), "the cut record named: " + output),
                () -> assertTrue(output.contains("BILLING refused: java.lang.IllegalStateException: cannot attach: " +
                    "consumer 'billing' of durable queue " + directory + " has read up to index 0x" + lastHex +
                    ", past the journal's last message"), "the consumer that read past the cut: " + output),
                () -> assertTrue(output.contains("PUT refused: java.lang.IllegalStateException: cannot append: " +
                    "consumer 'billing' of durable queue " + directory + " has read up to index 0x" + lastHex),
                    "the append after the cut, which would take an index billing has passed: " + output),
                () -> assertFalse(output.contains("REUSED") || output.contains("PUT index"), output),
                () -> assertTrue(output.contains(directory.resolve("consumer.billing").toString()), output));
        }
    }

    @Test
    void shouldRefuseAnUnsafeDirectory() throws IOException
    {
        makePrivateDirectory();
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        final IllegalStateException refused = assertThrows(IllegalStateException.class,
            () -> DurableQueue.open(directory, Codecs.strings()));
        assertContains(refused, directory.toString(), "open to group or others", "mode=0755", "chmod 700");
        assertEquals(List.of(), files(), "nothing was made in it");
    }

    @Test
    void shouldRefuseAFileAsTheDirectory() throws IOException
    {
        Files.createDirectories(directory.getParent());
        Files.writeString(directory, "a file");
        final IllegalStateException refused = assertThrows(IllegalStateException.class,
            () -> DurableQueue.open(directory, Codecs.strings()));
        assertContains(refused, directory.toString(), "not a directory");
        Files.delete(directory);
    }

    /** Makes a queue whose consumer "c" took ten and acknowledged four, writes a hostile value and opens "c". */
    private void assertCorruptionRefused(final int bodyOffset, final long value, final String fault) throws Exception
    {
        DurableTestFiles.remove(directory);
        try (DurableQueue<Long> queue = DurableQueue.open(directory, Codecs.longs()))
        {
            for (long i = 0; i < 10; i++)
            {
                queue.put(i);
            }
            try (DurableConsumer<Long> consumer = queue.consumer("c"))
            {
                for (int i = 0; i < 4; i++)
                {
                    assertNotNull(consumer.poll());
                }
                consumer.ack();
            }
        }
        final Path file = directory.resolve(ConsumerDescriptor.SEGMENT_PREFIX + "c");
        writeBodyLong(file, bodyOffset, value);
        try (DurableQueue<Long> queue = DurableQueue.open(directory, Codecs.longs()))
        {
            final SegmentFormatException refused = assertThrows(SegmentFormatException.class, () ->
            {
                try (DurableConsumer<Long> consumer = queue.consumer("c"))
                {
                    consumer.poll();
                }
            }, "opening consumer c after writing " + value + " at body offset " + bodyOffset);
            assertContains(refused, file.toString(), "corrupt consumer state", fault);
            try (DurableConsumer<Long> other = queue.consumer("other"))
            {
                assertEquals(0L, other.poll().value(), "the refusal left the queue usable");
            }
            assertThrows(SegmentFormatException.class, () -> queue.consumer("c"), "refused again, not repaired");
        }
    }

    /** Writes a little-endian long into a consumer segment's body, as a hostile process could. */
    private static void writeBodyLong(final Path file, final int bodyOffset, final long value) throws IOException
    {
        final int base;
        try (Segment segment = Segment.open(file.getParent(), file.getFileName().toString(),
            SegmentKind.DURABLE_CONSUMER))
        {
            base = segment.bodyOffset();
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            final ByteBuffer bytes = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value);
            channel.write(bytes, base + bodyOffset);
        }
    }

    private void makePrivateDirectory() throws IOException
    {
        Files.createDirectories(directory.getParent());
        Files.createDirectory(directory,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    private List<String> files() throws IOException
    {
        try (Stream<Path> files = Files.list(directory))
        {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    private static int indexOf(final byte[] content, final byte[] wanted)
    {
        outer:
        for (int i = 0; i + wanted.length <= content.length; i++)
        {
            for (int j = 0; j < wanted.length; j++)
            {
                if (content[i + j] != wanted[j])
                {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static void assertContains(final Throwable thrown, final String... parts)
    {
        final String message = thrown.getMessage();
        assertNotNull(message, thrown.toString());
        for (final String part : parts)
        {
            assertTrue(message.contains(part), "expected '" + part + "' in: " + message);
        }
    }

    /**
     * Reads a queue whose cycle file was cut, printing {@code TORN} for any value that is not what was appended and
     * {@code RESULT read=N} with how many came back, or the exception that stopped it.
     */
    static final class TruncatedReader
    {
        static String value(final int i)
        {
            return String.format("message-%04d-%s", i, "x".repeat(40));
        }

        public static void main(final String[] args) throws Exception
        {
            int read = 0;
            String stop = "end of journal";
            try (DurableQueue<String> queue = DurableQueue.open(Path.of(args[0]), Codecs.strings());
                DurableReader<String> reader = queue.reader())
            {
                try
                {
                    for (Message<String> message = reader.poll(); message != null; message = reader.poll())
                    {
                        if (!value(read).equals(message.value()))
                        {
                            System.out.println("TORN at " + read + ": " + message.value().replace("\0", "\\0"));
                        }
                        read++;
                    }
                }
                catch (final RuntimeException | Error ex)
                {
                    stop = ex.toString();
                }
                System.out.println("RESULT read=" + read + ", stopped by " + stop);
                // before any append: the journal's end is below what the consumer read, which is how it is told
                try (DurableConsumer<String> billing = queue.consumer("billing"))
                {
                    System.out.println("BILLING attached, unacknowledged=" + billing.unacknowledged());
                }
                catch (final RuntimeException | Error ex)
                {
                    System.out.println("BILLING refused: " + ex);
                }
                final long lastBefore = Long.parseLong(args[1]);
                try
                {
                    final long index = queue.put("after the cut");
                    System.out.println((index <= lastBefore ? "REUSED " : "PUT ") + "index 0x" +
                        Long.toHexString(index) + " (the last before the cut was 0x" + Long.toHexString(lastBefore) +
                        ")");
                }
                catch (final RuntimeException | Error ex)
                {
                    System.out.println("PUT refused: " + ex);
                }
                try (DurableConsumer<String> consumer = queue.consumer("after-cut"))
                {
                    int taken = 0;
                    try
                    {
                        for (Message<String> message = consumer.poll(); message != null; message = consumer.poll())
                        {
                            if (!value(taken).equals(message.value()))
                            {
                                System.out.println("TORN consumer at " + taken + ": " +
                                    message.value().replace("\0", "\\0"));
                            }
                            taken++;
                        }
                        System.out.println("CONSUMER took=" + taken);
                    }
                    catch (final RuntimeException | Error ex)
                    {
                        System.out.println("CONSUMER took=" + taken + ", stopped by " + ex);
                    }
                }
            }
            System.out.flush();
        }
    }
}
