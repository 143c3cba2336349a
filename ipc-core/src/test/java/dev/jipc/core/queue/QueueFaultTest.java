package dev.jipc.core.queue;

import static dev.jipc.core.ChildProcesses.awaitExit;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.ChildProcesses;
import dev.jipc.core.ProcessOwner;
import dev.jipc.core.RingView;
import dev.jipc.core.codec.Codecs;
import dev.jipc.core.test.ChildLogs;
import dev.jipc.core.test.Names;
import dev.jipc.core.wait.WaitStrategy;
import org.agrona.concurrent.AtomicBuffer;
import org.junit.jupiter.api.Test;

/**
 * Producers that die mid-put: the consumer must go on, must never see a torn message, and must never give up on a
 * live producer that is merely slow.
 */
class QueueFaultTest
{
    private static final int CAPACITY = 1 << 16;
    private static final byte[] AFTER = "after".getBytes(StandardCharsets.US_ASCII);

    @Test
    void shouldUnblockARecordWhoseProducerDiedBetweenClaimAndCommit() throws Exception
    {
        assertUnblockedAfterDeath("claimed");
    }

    @Test
    void shouldUnblockTheGapOfAProducerThatDiedBetweenTheTailMoveAndTheHeader() throws Exception
    {
        assertUnblockedAfterDeath("gap");
    }

    private static void assertUnblockedAfterDeath(final String mode) throws Exception
    {
        final String name = Names.unique("dead-" + mode);
        try (Queue<byte[]> queue = Queue.create(name, CAPACITY, Codecs.bytes());
            ChildProcesses children = ChildLogs.group())
        {
            try
            {
                final ChildProcesses.Child child = children.start(ChildJvm.of(DyingProducer.class).args(name, mode));
                assertEquals(0, awaitExit(child, 60, TimeUnit.SECONDS), child.output());
                assertTrue(child.output().contains("died holding a claim"), child.output());
                queue.put(AFTER);
                final long start = System.nanoTime();
                final byte[] taken = queue.poll(10, TimeUnit.SECONDS);
                assertNotNull(taken, "the consumer stayed blocked behind the dead producer's record");
                assertArrayEquals(AFTER, taken, "only the whole message after the dead record is delivered");
                assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
                assertTrue(queue.isEmpty());
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    @Test
    void shouldSkipWhatADeadConsumerHadReadAndHalfZeroedWithoutMisreadingIt() throws Exception
    {
        final String name = Names.unique("dead-consumer");
        try (Queue<byte[]> queue = Queue.create(name, CAPACITY, Codecs.bytes());
            ChildProcesses children = ChildLogs.group())
        {
            try
            {
                // A's payload holds, 8-aligned, what looks like a whole record: misread, it would be delivered
                final ByteBuffer first = ByteBuffer.allocate(64).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                first.putInt(8, 16).putInt(12, Codecs.BYTES_TYPE_ID)
                    .put(16, "GARBAGE!".getBytes(StandardCharsets.US_ASCII));
                queue.put(first.array());
                queue.put("B".getBytes(StandardCharsets.US_ASCII));
                queue.put(AFTER);
                final ChildProcesses.Child child = children.start(ChildJvm.of(DyingConsumer.class).args(name));
                assertEquals(0, awaitExit(child, 60, TimeUnit.SECONDS), child.output());
                assertTrue(child.output().contains("died releasing"), child.output());
                final byte[] taken = queue.poll(10, TimeUnit.SECONDS);
                assertNotNull(taken, "the consumer lock of the dead consumer was never taken over");
                assertArrayEquals(AFTER, taken, "what the dead consumer had read is skipped, nothing is misread");
                assertTrue(queue.isEmpty());
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    @Test
    void shouldWaitForALiveProducerThatIsSlowBetweenClaimAndCommit() throws Exception
    {
        final String name = Names.unique("slow");
        try (Queue<byte[]> queue = Queue.create(name, CAPACITY, Codecs.bytes());
            ChildProcesses children = ChildLogs.group())
        {
            try
            {
                final ChildProcesses.Child child = children.start(ChildJvm.of(SlowProducer.class).args(name));
                ChildProcesses.awaitOutput(child, "claimed", 60, TimeUnit.SECONDS);
                queue.put(AFTER);
                final byte[] first = queue.poll(30, TimeUnit.SECONDS);
                assertNotNull(first);
                assertArrayEquals(SlowProducer.MESSAGE, first,
                    "the slow producer's record was given up on although its producer lives");
                assertArrayEquals(AFTER, queue.poll(10, TimeUnit.SECONDS));
                assertEquals(0, awaitExit(child, 30, TimeUnit.SECONDS), child.output());
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    @Test
    void shouldGoOnReceivingOnlyWholeMessagesWhileProducerJvmsAreKilledAgainAndAgain() throws Exception
    {
        final String name = Names.unique("kill");
        final int steadyMessages = 20_000;
        try (Queue<byte[]> queue = Queue.create(name, CAPACITY, Codecs.bytes());
            ChildProcesses children = ChildLogs.group())
        {
            try
            {
                final ChildProcesses.Child steady = children.start(ChildJvm.of(ChecksummedProducer.class)
                    .args(name, 0, steadyMessages, 2));
                long steadyNext = 0;
                long victims = 0;
                long received = 0;
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
                for (int round = 0; round < 8; round++)
                {
                    final ChildProcesses.Child victim = children.start(ChildJvm.of(ChecksummedProducer.class)
                        .args(name, round + 1, Integer.MAX_VALUE, 0));
                    final long killAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(
                        400 + ThreadLocalRandom.current().nextInt(400));
                    long victimMessages = 0;
                    while (System.nanoTime() < killAt || victimMessages == 0)
                    {
                        assertTrue(System.nanoTime() < deadline, "victim " + round + " never published:\n" +
                            victim.output());
                        final byte[] message = queue.poll(10, TimeUnit.SECONDS);
                        assertNotNull(message, "the consumer hung");
                        final long producer = verify(message);
                        if (producer == 0)
                        {
                            assertEquals(steadyNext++, ByteBuffer.wrap(message).getLong(8), "steady order");
                        }
                        else if (producer == round + 1)
                        {
                            victimMessages++;
                        }
                        received++;
                    }
                    victim.process().destroyForcibly();
                    assertTrue(victim.process().waitFor(30, TimeUnit.SECONDS));
                    victims += victimMessages;
                }
                while (steadyNext < steadyMessages)
                {
                    assertTrue(System.nanoTime() < deadline, "steady producer stalled at " + steadyNext);
                    final byte[] message = queue.poll(10, TimeUnit.SECONDS);
                    assertNotNull(message, "the consumer hung after the kills at steady=" + steadyNext +
                        "; steady output:\n" + steady.output());
                    if (verify(message) == 0)
                    {
                        assertEquals(steadyNext++, ByteBuffer.wrap(message).getLong(8), "steady order");
                    }
                    received++;
                }
                assertEquals(0, awaitExit(steady, 60, TimeUnit.SECONDS), steady.output());
                assertTrue(victims > 0, "the killed producers published nothing: received=" + received);
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    /** Checks a message's CRC and returns its producer id; fails on a torn message. */
    private static long verify(final byte[] message)
    {
        assertTrue(message.length >= 24, "short message: length=" + message.length);
        final CRC32 crc = new CRC32();
        crc.update(message, 0, message.length - 8);
        assertEquals(crc.getValue(), ByteBuffer.wrap(message).getLong(message.length - 8), "torn message");
        return ByteBuffer.wrap(message).getLong(0);
    }

    /** Dies holding a claim: after writing a record's header ("claimed") or before it ("gap"). */
    public static final class DyingProducer
    {
        public static void main(final String[] args)
        {
            final Queue<byte[]> queue = Queue.open(args[0], Codecs.bytes());
            final ManyToManyRing ring = queue.ring;
            final ProducerRegistry.Producer producer = ring.producer();
            if (args[1].equals("claimed"))
            {
                final int index;
                try
                {
                    index = ring.claim(producer, 100, 0, WaitStrategy.BUSY_SPIN);
                }
                catch (final InterruptedException ex)
                {
                    throw new AssertionError(ex);
                }
                ring.ringBuffer().putLong(index, 0xDEADL);
            }
            else
            {
                // what tryClaim does up to its tail CAS, then nothing: a zeroed gap
                final AtomicBuffer ringBuffer = ring.ringBuffer();
                ring.segment().buffer().putIntRelease(producer.slotOffset + QueueDescriptor.SLOT_CLAIM_OFFSET,
                    QueueDescriptor.CLAIM_CLAIMING);
                final int tailOffset = ring.capacity() + RingView.TAIL_POSITION_OFFSET;
                final long tail = ringBuffer.getLongVolatile(tailOffset);
                ringBuffer.compareAndSetLong(tailOffset, tail, tail + 128 + RingView.RECORD_HEADER_LENGTH);
            }
            System.out.println("died holding a claim");
            System.out.flush();
            Runtime.getRuntime().halt(0);
        }
    }

    /**
     * Does what a consumer does up to the middle of releasing the first two records (lock taken, release announced,
     * first 16 bytes zeroed), then dies.
     */
    public static final class DyingConsumer
    {
        public static void main(final String[] args)
        {
            final Queue<byte[]> queue = Queue.open(args[0], Codecs.bytes());
            final AtomicBuffer buffer = queue.ring.segment().buffer();
            final AtomicBuffer ringBuffer = queue.ring.ringBuffer();
            final ProcessOwner lock = new ProcessOwner(buffer, QueueDescriptor.CONSUMER_LOCK_OFFSET,
                queue.ring.segment().registry());
            if (!lock.tryAcquire(ProcessOwner.word(lock.registry(), 1)))
            {
                throw new AssertionError("consumer lock busy");
            }
            final int firstLength = org.agrona.BitUtil.align(ringBuffer.getInt(0), RingView.RECORD_ALIGNMENT);
            final int secondLength =
                org.agrona.BitUtil.align(ringBuffer.getInt(firstLength), RingView.RECORD_ALIGNMENT);
            buffer.putLong(QueueDescriptor.RELEASE_POSITION_OFFSET, 0);
            buffer.putIntRelease(QueueDescriptor.RELEASE_LENGTH_OFFSET, firstLength + secondLength);
            ringBuffer.setMemory(0, 16, (byte)0);
            System.out.println("died releasing " + (firstLength + secondLength) + " bytes");
            System.out.flush();
            Runtime.getRuntime().halt(0);
        }
    }

    /** Claims a record, announces it, sleeps well past the consumer's check interval, then commits. */
    public static final class SlowProducer
    {
        static final byte[] MESSAGE = "slow but alive".getBytes(StandardCharsets.US_ASCII);

        public static void main(final String[] args) throws Exception
        {
            try (Queue<byte[]> queue = Queue.open(args[0], Codecs.bytes()))
            {
                final ManyToManyRing ring = queue.ring;
                final ProducerRegistry.Producer producer = ring.producer();
                final int index = ring.claim(producer, MESSAGE.length, 0, WaitStrategy.BUSY_SPIN);
                System.out.println("claimed");
                System.out.flush();
                Thread.sleep(300);
                ring.ringBuffer().putBytes(index, MESSAGE);
                ring.commit(producer, index);
            }
        }
    }

    /**
     * Puts messages of random length: producer id, sequence, random bytes, CRC32 of all before it. Sleeps
     * {@code pauseMicros} between messages.
     */
    public static final class ChecksummedProducer
    {
        public static void main(final String[] args) throws Exception
        {
            final long id = Long.parseLong(args[1]);
            final int count = Integer.parseInt(args[2]);
            final long pauseNanos = TimeUnit.MICROSECONDS.toNanos(Long.parseLong(args[3]));
            final ThreadLocalRandom random = ThreadLocalRandom.current();
            try (Queue<byte[]> queue = Queue.open(args[0], Codecs.bytes()))
            {
                for (long sequence = 0; sequence < count; sequence++)
                {
                    final byte[] message = new byte[24 + random.nextInt(2000)];
                    random.nextBytes(message);
                    final ByteBuffer view = ByteBuffer.wrap(message);
                    view.putLong(0, id).putLong(8, sequence);
                    final CRC32 crc = new CRC32();
                    crc.update(message, 0, message.length - 8);
                    view.putLong(message.length - 8, crc.getValue());
                    queue.put(message);
                    if (pauseNanos > 0)
                    {
                        final long until = System.nanoTime() + pauseNanos;
                        while (System.nanoTime() < until)
                        {
                            Thread.onSpinWait();
                        }
                    }
                }
            }
        }
    }
}
