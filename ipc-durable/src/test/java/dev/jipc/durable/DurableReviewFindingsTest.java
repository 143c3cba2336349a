package dev.jipc.durable;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.ChildProcesses;
import dev.jipc.core.Segment;
import dev.jipc.core.SegmentFormatException;
import dev.jipc.core.SegmentKind;
import dev.jipc.core.codec.Codec;
import dev.jipc.core.codec.Codecs;
import dev.jipc.core.test.ChildLogs;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Defects found in review of ipc-durable: each test fails on the code as reviewed. */
class DurableReviewFindingsTest
{
    private final Path directory = DurableTestFiles.newDirectory("durable-review");
    private final Path logs = DurableTestFiles.newLogDirectory(directory);

    @AfterEach
    void removeFiles()
    {
        DurableTestFiles.remove(directory);
        DurableTestFiles.remove(logs);
    }

    /**
     * A claim that fails half way (here a record too short to be a jipc record) has consumed whole messages with the
     * claiming tailer but leaves tailerAfter == cursor, so the next claim does not reposition: the whole messages
     * read before the fault are never recorded nor delivered (at-least-once broken for valid messages).
     */
    @Test
    void aClaimThatFailsHalfWayMustNotSkipTheWholeMessagesItRead() throws Exception
    {
        try (DurableQueue<Long> queue = DurableQueue.open(directory, Codecs.longs());
            DurableConsumer<Long> consumer = queue.consumer("c"))
        {
            queue.put(0L);
            assertEquals(0L, consumer.poll().value());
            consumer.ack();
            queue.put(1L);
            queue.put(2L);
            appendShortRecord(queue);
            queue.put(3L);
            final List<Long> got = new ArrayList<>();
            for (int attempt = 0; attempt < 10; attempt++)
            {
                try
                {
                    final Message<Long> message = consumer.poll();
                    if (message != null)
                    {
                        got.add(message.value());
                    }
                }
                catch (final IllegalStateException ex)
                {
                    // the short record: refusing it is fine, losing 1 and 2 is not
                }
            }
            assertTrue(got.contains(1L) && got.contains(2L), "whole messages 1 and 2 never delivered; got " + got);
        }
    }

    /**
     * Head = Tail = Long.MAX_VALUE passes validate(); the first claim stores Tail = MAX + 1 = MIN_VALUE, so hasNext()
     * never sees the range (deliverPosition MAX is not below MIN) while the cursor moved past the messages: the name
     * loses them. Later positions MIN + k give negative {@code position % RANGES}, which index another slot's ring.
     */
    @Test
    void hostileRingPositionsNearLongMaxMustBeRefusedNotLoseMessages() throws Exception
    {
        try (DurableQueue<Long> queue = DurableQueue.open(directory, Codecs.longs()))
        {
            queue.consumer("g").close();
            try (Segment segment = Segment.open(directory, "consumer.g", SegmentKind.DURABLE_CONSUMER))
            {
                final int slot = segment.bodyOffset() + ConsumerDescriptor.slotOffset(0);
                segment.buffer().putLongVolatile(slot + ConsumerDescriptor.SLOT_HEAD_OFFSET, Long.MAX_VALUE);
                segment.buffer().putLongVolatile(slot + ConsumerDescriptor.SLOT_TAIL_OFFSET, Long.MAX_VALUE);
            }
            queue.put(1L);
            queue.put(2L);
            final DurableConsumer<Long> consumer;
            try
            {
                consumer = queue.consumer("g");
            }
            catch (final SegmentFormatException ex)
            {
                return; // refusing the hostile file is right
            }
            try (consumer)
            {
                final Message<Long> message = consumer.poll(1, TimeUnit.SECONDS);
                assertNotNull(message, "file accepted, messages claimed (cursor=0x" +
                    Long.toHexString(cursorOf("g")) + ") but never delivered");
            }
        }
    }

    /** "Acknowledging one that is already acknowledged does nothing": it throws once its range was dropped. */
    @Test
    void acknowledgingTwiceMustDoNothing() throws Exception
    {
        try (DurableQueue<Long> queue = DurableQueue.open(directory, Codecs.longs());
            DurableConsumer<Long> consumer = queue.consumer("c"))
        {
            queue.put(1L);
            queue.put(2L);
            final Message<Long> first = consumer.poll();
            final Message<Long> second = consumer.poll();
            consumer.ack(second.index());
            assertDoesNotThrow(() -> consumer.ack(second.index()), "the same ack again");
            assertDoesNotThrow(() -> consumer.ack(first.index()), "an earlier, already acknowledged message");
        }
    }

    /** A handler that acknowledges its message itself makes process() throw after the message was handled. */
    @Test
    void processMustAcceptAHandlerThatAcknowledges() throws Exception
    {
        try (DurableQueue<Long> queue = DurableQueue.open(directory, Codecs.longs());
            DurableConsumer<Long> consumer = queue.consumer("c"))
        {
            queue.put(1L);
            assertDoesNotThrow(() -> consumer.process(message -> consumer.ack(message.index()), 1, TimeUnit.SECONDS));
        }
    }

    /** Consumer "a"'s lock file consumer.a.lock is consumer "a.lock"'s segment: the two names cannot coexist. */
    @Test
    void consumerNamesEndingInDotLockMustNotCollideWithLocks() throws Exception
    {
        try (DurableQueue<Long> queue = DurableQueue.open(directory, Codecs.longs()))
        {
            queue.consumer("a").close();
            assertDoesNotThrow(() -> queue.consumer("a.lock").close());
        }
    }

    /**
     * consumerNames() skips every consumer.*.lock file, so retention ignores consumer "x.lock" and deletes the cycles
     * it has not read.
     */
    @Test
    void retentionMustNotIgnoreAConsumerWhoseNameEndsInDotLock() throws Exception
    {
        try (DurableQueue<Long> queue = DurableQueue.builder(directory).rollCycle(TestRollCycles.TEST_SECONDLY)
            .retention(Duration.ZERO).open(Codecs.longs());
            DurableConsumer<Long> consumer = queue.consumer("x.lock"))
        {
            DurableTestFiles.nextSecond();
            queue.put(1L);
            DurableTestFiles.nextSecond();
            queue.put(2L);
            DurableTestFiles.nextSecond();
            queue.put(3L);
            queue.deleteRetiredCycles();
            assertEquals(1L, consumer.poll().value(), "x.lock took nothing: it needs every cycle");
        }
    }

    /**
     * put() runs retention after its append; a consumer file retention cannot open (here a corrupt cursor) makes put
     * throw although the message is in the journal: a caller that retries duplicates it. The groups opened before
     * the failing one also leak (groups() throws before the caller's try-with-resources).
     */
    @Test
    void putMustNotFailAfterItsMessageWasAppended() throws Exception
    {
        try (DurableQueue<Long> queue = DurableQueue.builder(directory).rollCycle(TestRollCycles.TEST_SECONDLY)
            .retention(Duration.ZERO).open(Codecs.longs()))
        {
            queue.consumer("bad").close();
            try (Segment segment = Segment.open(directory, "consumer.bad", SegmentKind.DURABLE_CONSUMER))
            {
                segment.buffer().putLongVolatile(segment.bodyOffset() + ConsumerDescriptor.CURSOR_OFFSET, -5);
            }
            DurableTestFiles.nextSecond();
            queue.put(1L);
            DurableTestFiles.nextSecond();
            final long before = queue.lastIndex();
            try
            {
                queue.put(2L);
            }
            catch (final RuntimeException ex)
            {
                fail("put threw " + ex + " but appended: lastIndex 0x" + Long.toHexString(before) + " -> 0x" +
                    Long.toHexString(queue.lastIndex()));
            }
        }
    }

    /**
     * Retention runs only when a thread's producer that already appended sees a new cycle: processes (or threads) that
     * put once and leave never trigger it, so the journal grows without bound.
     */
    @Test
    void retentionMustRunForShortLivedProducers() throws Exception
    {
        for (int round = 0; round < 4; round++)
        {
            try (DurableQueue<Long> queue = DurableQueue.builder(directory).rollCycle(TestRollCycles.TEST_SECONDLY)
                .retention(Duration.ZERO).open(Codecs.longs()))
            {
                queue.put((long)round);
            }
            DurableTestFiles.nextSecond();
        }
        final long kept = DurableTestFiles.cycleFiles(directory);
        assertTrue(kept <= 2, "no named consumer, retention zero, yet " + kept + " cycle files kept");
    }

    /** Every thread that ever put keeps a Producer (a Chronicle appender) in openParts until the queue closes. */
    @Test
    void producersOfThreadsThatEndedMustNotAccumulate() throws Exception
    {
        try (DurableQueue<Long> queue = DurableQueue.open(directory, Codecs.longs()))
        {
            for (int i = 0; i < 300; i++)
            {
                final long value = i;
                Thread.ofVirtual().start(() -> queue.put(value)).join();
            }
            final Field field = DurableQueue.class.getDeclaredField("openParts");
            field.setAccessible(true);
            final int parts = ((Queue<?>)field.get(queue)).size();
            assertTrue(parts < 50, parts + " appenders held for 300 threads that ended");
        }
    }

    /**
     * Two members sharing a name take turns on a trickle of messages: each claim is a new range, and after 256 the
     * member's poll() throws instead of returning a message (or null); a Kafka-like user acknowledging every few
     * hundred messages gets an exception from poll.
     */
    @Test
    void pollMustNotThrowWhenWorkSharingMembersInterleave() throws Exception
    {
        try (DurableQueue<Long> queue = DurableQueue.open(directory, Codecs.longs());
            DurableConsumer<Long> a = queue.consumer("w");
            DurableConsumer<Long> b = queue.consumer("w"))
        {
            for (int i = 0; i < 600; i++)
            {
                queue.put((long)i);
                final DurableConsumer<Long> member = i % 2 == 0 ? a : b;
                final int n = i;
                assertDoesNotThrow(() -> member.poll(), "poll of message " + n);
            }
        }
    }

    /**
     * DurableQueue.close() from one thread while another waits in take(): close unmaps queue.jipc and the consumer's
     * segment under the waiting thread, which then reads unmapped memory (a JVM crash, not an exception).
     */
    @Test
    void closingTheQueueWhileAConsumerWaitsMustNotCrashTheJvm() throws Exception
    {
        try (ChildProcesses children = ChildLogs.group())
        {
            for (int run = 0; run < 3; run++)
            {
                final ChildProcesses.Child child = children.start(ChildJvm.of(CloseWhileTaking.class)
                    .args(directory.resolve("run" + run)));
                final int exit = ChildProcesses.awaitExit(child, 120, TimeUnit.SECONDS);
                assertTrue(exit == 0 && child.output().contains("survived"), "run " + run + ", exit " + exit + ": " +
                    child.output());
            }
        }
    }

    /**
     * A member killed after the first store of a claim that extends its newest range (To moved, End Count not yet):
     * validate() runs at open, before the lock is taken and the redo log recovered, and refuses the torn range, so
     * no process can ever open the name again (DurableConsumerCrashTest covers only claims that start a new range,
     * whose torn stores lie past Tail).
     */
    @Test
    void aMemberKilledInsideARangeExtendingClaimMustNotMakeTheNameUnopenable() throws Exception
    {
        try (DurableQueue<Long> queue = DurableQueue.open(directory, Codecs.longs());
            ChildProcesses children = ChildLogs.group())
        {
            for (long i = 0; i < 10; i++)
            {
                queue.put(i);
            }
            final ChildProcesses.Child child = children.start(ChildJvm.of(HaltInExtension.class).args(directory));
            assertEquals(0, ChildProcesses.awaitExit(child, 120, TimeUnit.SECONDS), child.output());
            try (DurableConsumer<Long> next = queue.consumer("c"))
            {
                final List<Long> seen = new ArrayList<>();
                for (Message<Long> message = next.poll(); message != null; message = next.poll())
                {
                    seen.add(message.value());
                }
                assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), seen);
            }
        }
    }

    /** Child: claims 0..2, then halts holding the lock after one store of the claim that extends it to 0..5. */
    static final class HaltInExtension
    {
        private HaltInExtension()
        {
        }

        /**
         * Entry point.
         *
         * @param args the queue directory.
         */
        public static void main(final String[] args)
        {
            final DurableQueue<Long> queue = DurableQueue.open(Path.of(args[0]), Codecs.longs());
            final ConsumerGroup group = ConsumerGroup.openOrCreate(queue.directory(), "c");
            group.lock();
            final int slot = group.attach();
            final long first = queue.firstIndex();
            group.recordClaim(slot, first, first + 2);
            final RedoLog extension = group.prepareClaim(slot, first + 3, first + 5);
            if (extension.size() != 3)
            {
                Runtime.getRuntime().halt(3);
            }
            extension.publish();
            extension.apply(1);
            Runtime.getRuntime().halt(0);
        }
    }

    /**
     * Every one of the 32 slots held by a member that died with an unacknowledged message (a pool of workers killed
     * together, a reboot): attach() takes only slots with no ranges and adoption needs an attached member, so no
     * member can ever open the name again and the unacknowledged messages are never redelivered.
     */
    @Test
    void aNameWhoseEveryMemberDiedHoldingMessagesMustStillOpen() throws Exception
    {
        try (DurableQueue<Long> queue = DurableQueue.open(directory, Codecs.longs());
            ChildProcesses children = ChildLogs.group())
        {
            final ChildProcesses.Child child = children.start(ChildJvm.of(FullPoolDies.class).args(directory));
            assertEquals(0, ChildProcesses.awaitExit(child, 120, TimeUnit.SECONDS), child.output());
            try (DurableConsumer<Long> next = queue.consumer("p"))
            {
                final List<Long> seen = new ArrayList<>();
                for (Message<Long> message = next.poll(); message != null; message = next.poll())
                {
                    seen.add(message.value());
                }
                assertEquals(ConsumerDescriptor.SLOTS, seen.size(), "redelivered: " + seen);
            }
        }
    }

    /** Child: 32 members of one name each take one message, then the JVM halts without acknowledging. */
    static final class FullPoolDies
    {
        private FullPoolDies()
        {
        }

        /**
         * Entry point.
         *
         * @param args the queue directory.
         */
        public static void main(final String[] args)
        {
            final DurableQueue<Long> queue = DurableQueue.open(Path.of(args[0]), Codecs.longs());
            for (int member = 0; member < ConsumerDescriptor.SLOTS; member++)
            {
                final DurableConsumer<Long> consumer = queue.consumer("p");
                queue.put((long)member);
                if (consumer.poll() == null)
                {
                    Runtime.getRuntime().halt(3);
                }
            }
            Runtime.getRuntime().halt(0);
        }
    }

    /** Child: threads wait in take() while main closes the queue. */
    static final class CloseWhileTaking
    {
        private static final int THREADS = 4;

        private CloseWhileTaking()
        {
        }

        /**
         * Entry point.
         *
         * @param args the queue directory.
         * @throws Exception on failure.
         */
        public static void main(final String[] args) throws Exception
        {
            final DurableQueue<Long> queue = DurableQueue.open(Path.of(args[0]), Codecs.longs());
            for (int i = 0; i < THREADS; i++)
            {
                final DurableConsumer<Long> consumer = queue.consumer("c" + i);
                final Thread taker = new Thread(() ->
                {
                    try
                    {
                        consumer.take();
                    }
                    catch (final InterruptedException | RuntimeException ex)
                    {
                        System.out.println("consumer ended: " + ex);
                    }
                });
                taker.setDaemon(true);
                taker.start();
            }
            Thread.sleep(400);
            queue.close();
            Thread.sleep(1000);
            System.out.println("survived");
        }
    }

    /**
     * A message its codec cannot decode is a poison pill: next() throws before moving past it, it cannot be
     * acknowledged (it was never delivered), so the member, and every member that adopts it, is stuck on it forever
     * and the messages after it are never delivered.
     */
    @Test
    void aMessageThatCannotBeDecodedMustNotBlockTheNameForever() throws Exception
    {
        try (DurableQueue<Long> queue = DurableQueue.open(directory, new PoisonCodec());
            DurableConsumer<Long> consumer = queue.consumer("c"))
        {
            queue.put(PoisonCodec.POISON);
            queue.put(14L);
            final List<Long> got = new ArrayList<>();
            for (int attempt = 0; attempt < 5; attempt++)
            {
                try
                {
                    final Message<Long> message = consumer.poll();
                    if (message != null)
                    {
                        got.add(message.value());
                    }
                }
                catch (final IllegalStateException ex)
                {
                    // the poison: refusing it is fine, being stuck on it is not
                }
            }
            assertTrue(got.contains(14L), "stuck on the undecodable message: got " + got);
        }
    }

    /** A consumer file whose body is shorter than the layout: refused with an IndexOutOfBoundsException. */
    @Test
    void aShortConsumerFileMustBeRefusedAsAFormatFault() throws Exception
    {
        try (DurableQueue<Long> queue = DurableQueue.open(directory, Codecs.longs()))
        {
            queue.consumer("s").close();
            Files.delete(directory.resolve("consumer.s"));
            Segment.create(directory, "consumer.s", SegmentKind.DURABLE_CONSUMER, 1024, created ->
            {
            }).close();
            try
            {
                queue.consumer("s").close();
                fail("a short consumer file was accepted");
            }
            catch (final SegmentFormatException ex)
            {
                // refused, with the file named
            }
            catch (final RuntimeException ex)
            {
                fail("refused with " + ex);
            }
        }
    }

    /** Longs, whose decoder refuses one value. */
    static final class PoisonCodec implements Codec<Long>
    {
        static final long POISON = 13L;
        private final Codec<Long> longs = Codecs.longs();

        @Override
        public int typeId()
        {
            return longs.typeId();
        }

        @Override
        public String name()
        {
            return longs.name();
        }

        @Override
        public int encode(final Long element, final MutableDirectBuffer buffer, final int offset)
        {
            return longs.encode(element, buffer, offset);
        }

        @Override
        public Long decode(final DirectBuffer buffer, final int offset, final int length)
        {
            final Long value = longs.decode(buffer, offset, length);
            if (value == POISON)
            {
                throw new IllegalArgumentException("poison");
            }
            return value;
        }
    }

    private long cursorOf(final String name)
    {
        try (Segment segment = Segment.open(directory, "consumer." + name, SegmentKind.DURABLE_CONSUMER))
        {
            return segment.buffer().getLongVolatile(segment.bodyOffset() + ConsumerDescriptor.CURSOR_OFFSET);
        }
    }

    private static void appendShortRecord(final DurableQueue<Long> queue) throws InterruptedException
    {
        final Thread writer = Thread.ofPlatform().start(() ->
        {
            try (ExcerptAppender appender = queue.journal().createAppender();
                DocumentContext document = appender.writingDocument())
            {
                document.wire().bytes().writeShort((short)7);
            }
        });
        writer.join();
    }
}
