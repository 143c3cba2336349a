package dev.jipc.core.queue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.jipc.core.SegmentFormatException;
import dev.jipc.core.codec.Codec;
import dev.jipc.core.codec.Codecs;
import dev.jipc.core.pipe.Connection;
import dev.jipc.core.pipe.Pipe;
import dev.jipc.core.test.Names;
import dev.jipc.core.wait.WaitStrategy;
import org.junit.jupiter.api.Test;

/** Queue, JoinableQueue, SimpleQueue and LongQueue in one JVM: the contract, the bounds and the errors. */
class QueueTest
{
    private static final int CAPACITY = 4096;

    @Test
    void shouldTakeWhatWasPutInOrder() throws Exception
    {
        try (Queue<String> queue = Queue.create(Names.unique("q"), CAPACITY, Codecs.strings()))
        {
            try
            {
                assertTrue(queue.isEmpty());
                for (int i = 0; i < 10; i++)
                {
                    queue.put("message-" + i);
                }
                assertEquals(10, queue.size());
                assertFalse(queue.isEmpty());
                assertEquals("message-0", queue.peek());
                for (int i = 0; i < 10; i++)
                {
                    assertEquals("message-" + i, queue.take());
                }
                assertNull(queue.poll());
                assertNull(queue.poll(20, TimeUnit.MILLISECONDS));
                assertTrue(queue.isEmpty());
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    @Test
    void shouldNeverReportEmptyWhileARecordWaitsPastThePaddingAtTheEndOfTheRing()
    {
        // 56-byte records do not divide the 1024-byte ring: every lap ends in a padding record.
        try (Queue<byte[]> queue = Queue.create(Names.unique("padding"), 1024, Codecs.bytes()))
        {
            try
            {
                for (int i = 0; i < 100; i++)
                {
                    final byte[] element = new byte[48];
                    java.util.Arrays.fill(element, (byte)i);
                    assertTrue(queue.offer(element), "offer " + i);
                    assertArrayEquals(element, queue.peek(), "peek " + i);
                    assertArrayEquals(element, queue.poll(), "poll " + i);
                }
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    @Test
    void shouldServeManyMoreShortLivedProducerThreadsThanRegistrySlots() throws Exception
    {
        // A thread per task: every thread registers a producer slot and ends; their slots must come back.
        final int threads = QueueDescriptor.PRODUCER_SLOTS * 4;
        try (LongQueue queue = LongQueue.create(Names.unique("threads"), CAPACITY))
        {
            try
            {
                final AtomicReference<Throwable> failure = new AtomicReference<>();
                for (int i = 0; i < threads && failure.get() == null; i++)
                {
                    final long value = i;
                    final Thread producer = Thread.ofPlatform().start(() ->
                    {
                        try
                        {
                            queue.put(value);
                        }
                        catch (final Throwable ex)
                        {
                            failure.set(ex);
                        }
                    });
                    producer.join(TimeUnit.SECONDS.toMillis(10));
                    final long[] taken = new long[1];
                    assertTrue(queue.poll(v -> taken[0] = v, 10, TimeUnit.SECONDS), "value " + i);
                    assertEquals(value, taken[0]);
                }
                assertNull(failure.get(), () -> "a producer thread failed: " + failure.get());
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    @Test
    void shouldCarryEveryBuiltInCodec() throws Exception
    {
        roundTrip(Codecs.longs(), Long.MIN_VALUE);
        roundTrip(Codecs.ints(), -7);
        roundTrip(Codecs.doubles(), Math.PI);
        roundTrip(Codecs.strings(), "héllo wörld ✓");
        final byte[] bytes = roundTrip(Codecs.bytes(), new byte[]{1, 2, 3});
        assertArrayEquals(new byte[]{1, 2, 3}, bytes);
        final ByteBuffer source = ByteBuffer.wrap("xyz".getBytes(StandardCharsets.US_ASCII));
        source.position(1);
        final ByteBuffer decoded = roundTrip(Codecs.byteBuffers(), source);
        assertEquals("yz", StandardCharsets.US_ASCII.decode(decoded).toString());
        assertEquals(1, source.position(), "encoding must not move the source position");
        final ArrayList<String> list = new ArrayList<>(List.of("a", "b"));
        assertEquals(list, roundTrip(Codecs.serializable("java.util.ArrayList"), list));
    }

    private static <E> E roundTrip(final Codec<E> codec, final E element) throws Exception
    {
        try (Queue<E> queue = Queue.create(Names.unique("codec"), CAPACITY, codec))
        {
            try
            {
                queue.put(element);
                final E taken = queue.take();
                if (!(element instanceof byte[]) && !(element instanceof ByteBuffer))
                {
                    assertEquals(element, taken);
                }
                return taken;
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    @Test
    void shouldRefuseAMessageLargerThanTheRingCanHoldNamingBothSizes()
    {
        try (Queue<byte[]> queue = Queue.create(Names.unique("big"), CAPACITY, Codecs.bytes()))
        {
            try
            {
                final IllegalArgumentException ex = assertThrows(
                    IllegalArgumentException.class, () -> queue.put(new byte[CAPACITY / 8 + 1]));
                assertTrue(ex.getMessage().contains("length=" + (CAPACITY / 8 + 1)), ex.getMessage());
                assertTrue(ex.getMessage().contains("maxMessageLength=" + CAPACITY / 8), ex.getMessage());
                assertTrue(queue.offer(new byte[CAPACITY / 8]), "the largest message fits");
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    @Test
    void shouldReportFullAndTimeOutWithoutLosingAnything() throws Exception
    {
        try (LongQueue queue = LongQueue.create(Names.unique("full"), QueueDescriptor.MIN_CAPACITY))
        {
            try
            {
                int puts = 0;
                while (queue.offer(puts))
                {
                    puts++;
                }
                assertEquals(QueueDescriptor.MIN_CAPACITY / 16, puts, "16 bytes a record");
                final long start = System.nanoTime();
                assertFalse(queue.offer(-1, 50, TimeUnit.MILLISECONDS));
                assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(50), "never early");
                final long[] sum = new long[1];
                assertEquals(puts, queue.drain(value -> sum[0] += value, Integer.MAX_VALUE));
                assertEquals((long)puts * (puts - 1) / 2, sum[0]);
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    @Test
    void shouldWakeABlockedProducerWhenAConsumerMakesRoom() throws Exception
    {
        try (LongQueue queue = LongQueue.create(Names.unique("room"), QueueDescriptor.MIN_CAPACITY)
            .waitStrategy(WaitStrategy.PARK))
        {
            try
            {
                while (queue.offer(1))
                {
                    // fill
                }
                final CountDownLatch done = new CountDownLatch(1);
                final Thread producer = Thread.ofPlatform().start(() ->
                {
                    try
                    {
                        queue.put(42);
                        done.countDown();
                    }
                    catch (final InterruptedException ignore)
                    {
                        // the test fails on the latch
                    }
                });
                assertFalse(done.await(50, TimeUnit.MILLISECONDS), "the producer must wait while full");
                assertEquals(1, queue.take());
                assertTrue(done.await(10, TimeUnit.SECONDS));
                producer.join(10_000);
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    @Test
    void shouldEndTheStreamAfterShutdownOnceDrained() throws Exception
    {
        try (Queue<String> queue = Queue.create(Names.unique("shutdown"), CAPACITY, Codecs.strings()))
        {
            try
            {
                queue.put("last");
                final AtomicReference<Throwable> blocked = new AtomicReference<>();
                queue.shutdown();
                assertTrue(queue.isShutdown());
                assertThrows(QueueShutdownException.class, () -> queue.put("more"));
                assertEquals("last", queue.take(), "what was put before shutdown is still delivered");
                assertThrows(QueueShutdownException.class, queue::take);
                assertNull(queue.poll());
                try (Queue<String> other = Queue.open(queue.name(), Codecs.strings()))
                {
                    assertThrows(QueueShutdownException.class, () -> other.offer("x"));
                }
                assertNull(blocked.get());
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    @Test
    void shouldWakeABlockedConsumerOnShutdown() throws Exception
    {
        try (Queue<String> queue = Queue.create(Names.unique("wake"), CAPACITY, Codecs.strings())
            .waitStrategy(WaitStrategy.PARK))
        {
            try
            {
                final AtomicReference<Throwable> outcome = new AtomicReference<>();
                final Thread consumer = Thread.ofPlatform().start(() ->
                {
                    try
                    {
                        queue.take();
                    }
                    catch (final Throwable ex)
                    {
                        outcome.set(ex);
                    }
                });
                Thread.sleep(50);
                queue.shutdown();
                consumer.join(10_000);
                assertFalse(consumer.isAlive());
                assertTrue(outcome.get() instanceof QueueShutdownException, String.valueOf(outcome.get()));
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    @Test
    void shouldRefuseEveryOperationOnAClosedHandleOnly() throws Exception
    {
        final String name = Names.unique("closed");
        try (Queue<String> queue = Queue.create(name, CAPACITY, Codecs.strings());
            Queue<String> other = Queue.open(name, Codecs.strings()))
        {
            try
            {
                queue.close();
                assertThrows(IllegalStateException.class, () -> queue.put("x"));
                assertThrows(IllegalStateException.class, queue::take);
                assertThrows(IllegalStateException.class, queue::poll);
                other.put("still open");
                assertEquals("still open", other.take());
            }
            finally
            {
                other.unlink();
            }
        }
    }

    /**
     * Once the last handle of a process is closed the segment is unmapped: a state query or operation that read the
     * shared words anyway would crash the JVM (SIGSEGV), so each must throw first.
     */
    @Test
    void shouldThrowRatherThanTouchTheUnmappedSegmentOnceTheLastHandleIsClosed() throws Exception
    {
        final Queue<String> queue = Queue.create(Names.unique("unmapped"), CAPACITY, Codecs.strings());
        queue.unlink();
        queue.close();
        assertThrows(IllegalStateException.class, queue::isShutdown);
        assertThrows(IllegalStateException.class, queue::isEmpty);
        assertThrows(IllegalStateException.class, queue::size);
        assertThrows(IllegalStateException.class, queue::remainingCapacity);
        assertThrows(IllegalStateException.class, queue::peek);
        assertThrows(IllegalStateException.class, queue::shutdown);
        assertThrows(IllegalStateException.class, () -> queue.offer("x"));
        assertThrows(IllegalStateException.class, () -> queue.drainTo(new ArrayList<>()));

        final LongQueue longs = LongQueue.create(Names.unique("unmapped-long"), CAPACITY);
        longs.unlink();
        longs.close();
        assertThrows(IllegalStateException.class, longs::isShutdown);
        assertThrows(IllegalStateException.class, longs::isEmpty);
        assertThrows(IllegalStateException.class, longs::size);
        assertThrows(IllegalStateException.class, () -> longs.offer(1));
        assertThrows(IllegalStateException.class, () -> longs.drain(value -> {}, 1));

        final DoubleQueue doubles = DoubleQueue.create(Names.unique("unmapped-double"), CAPACITY);
        doubles.unlink();
        doubles.close();
        assertThrows(IllegalStateException.class, doubles::isShutdown);
        assertThrows(IllegalStateException.class, () -> doubles.offer(1.0));

        final JoinableQueue<String> joinable = JoinableQueue.create(Names.unique("unmapped-joinable"), CAPACITY,
            Codecs.strings());
        joinable.unlink();
        joinable.close();
        assertThrows(IllegalStateException.class, joinable::isShutdown);
        assertThrows(IllegalStateException.class, joinable::unfinishedTasks);
        assertThrows(IllegalStateException.class, joinable::taskDone);
        assertThrows(IllegalStateException.class, () -> joinable.join(1, TimeUnit.MILLISECONDS));

        final SimpleQueue<String> simple = SimpleQueue.create(Names.unique("unmapped-simple"), CAPACITY,
            Codecs.strings());
        simple.unlink();
        simple.close();
        assertThrows(IllegalStateException.class, simple::isEmpty);
        assertThrows(IllegalStateException.class, () -> simple.put("x"));
    }

    @Test
    void shouldWakeThreadsBlockedOnAHandleThatAnotherThreadCloses() throws Exception
    {
        final String name = Names.unique("close-blocked");
        try (LongQueue keeper = LongQueue.create(name, QueueDescriptor.MIN_CAPACITY))
        {
            try
            {
                final LongQueue consumerHandle = LongQueue.open(name).waitStrategy(WaitStrategy.PARK);
                final AtomicReference<Throwable> outcome = new AtomicReference<>();
                final Thread consumer = Thread.ofPlatform().start(() ->
                {
                    try
                    {
                        consumerHandle.take();
                    }
                    catch (final Throwable ex)
                    {
                        outcome.set(ex);
                    }
                });
                Thread.sleep(50);
                consumerHandle.close();
                consumer.join(10_000);
                assertFalse(consumer.isAlive(), "a take blocked on a closed handle must end");
                assertTrue(outcome.get() instanceof IllegalStateException, String.valueOf(outcome.get()));
                keeper.put(7);
                assertEquals(7, keeper.take(), "other handles carry on");
            }
            finally
            {
                keeper.unlink();
            }
        }
    }

    @Test
    void shouldInterruptABlockedTake() throws Exception
    {
        try (LongQueue queue = LongQueue.create(Names.unique("interrupt"), CAPACITY))
        {
            try
            {
                final AtomicReference<Throwable> outcome = new AtomicReference<>();
                final Thread consumer = Thread.ofPlatform().start(() ->
                {
                    try
                    {
                        queue.take();
                    }
                    catch (final Throwable ex)
                    {
                        outcome.set(ex);
                    }
                });
                Thread.sleep(50);
                consumer.interrupt();
                consumer.join(10_000);
                assertTrue(outcome.get() instanceof InterruptedException, String.valueOf(outcome.get()));
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    @Test
    void shouldRefuseToOpenWithAnotherCodecOrKind()
    {
        final String name = Names.unique("mismatch");
        try (Queue<String> queue = Queue.create(name, CAPACITY, Codecs.strings()))
        {
            try
            {
                final SegmentFormatException codec =
                    assertThrows(SegmentFormatException.class, () -> Queue.open(name, Codecs.longs()));
                assertTrue(codec.getMessage().contains("codec mismatch"), codec.getMessage());
                assertTrue(codec.getMessage().contains("string-utf8"), codec.getMessage());
                final SegmentFormatException kind =
                    assertThrows(SegmentFormatException.class, () -> LongQueue.open(name));
                assertTrue(kind.getMessage().contains("wrong kind"), kind.getMessage());
                assertThrows(SegmentFormatException.class, () -> JoinableQueue.open(name, Codecs.strings()));
                assertThrows(SegmentFormatException.class, () -> Connection.open(name, 0, Codecs.strings()));
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    @Test
    void shouldNameBothCodecsWhenARecordWasWrittenByAnother() throws Exception
    {
        try (Pipe<String> pipe = Pipe.create(true, Codecs.strings()))
        {
            try
            {
                pipe.first().sendLong(7);
                final IllegalStateException ex = assertThrows(IllegalStateException.class, pipe.second()::recv);
                assertTrue(ex.getMessage().contains("typeId=1 (long)"), ex.getMessage());
                assertTrue(ex.getMessage().contains("string-utf8"), ex.getMessage());
                assertEquals(7, pipe.second().recvLong(), "the refused message stays in the pipe");
            }
            finally
            {
                pipe.unlink();
            }
        }
    }

    @Test
    void shouldCountTasksAndRefuseTooManyTaskDones() throws Exception
    {
        try (JoinableQueue<Long> queue = JoinableQueue.create(Names.unique("joinable"), CAPACITY, Codecs.longs()))
        {
            try
            {
                queue.put(1L);
                queue.put(2L);
                assertEquals(2, queue.unfinishedTasks());
                assertFalse(queue.join(20, TimeUnit.MILLISECONDS));
                queue.take();
                queue.taskDone();
                queue.take();
                queue.taskDone();
                assertTrue(queue.join(1, TimeUnit.SECONDS));
                final IllegalStateException ex = assertThrows(IllegalStateException.class, queue::taskDone);
                assertTrue(ex.getMessage().contains("unfinished=0"), ex.getMessage());
                assertEquals(0, queue.unfinishedTasks());
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    @Test
    void shouldAcceptATaskDoneForAnElementStillInTheQueue() throws Exception
    {
        // a drain hands elements to a sink that other threads may finish before the drain has counted them taken
        try (JoinableQueue<Long> queue = JoinableQueue.create(Names.unique("early"), CAPACITY, Codecs.longs()))
        {
            try
            {
                queue.put(1L);
                queue.taskDone();
                assertEquals(0, queue.unfinishedTasks());
                assertEquals(1L, queue.take());
                assertTrue(queue.join(1, TimeUnit.SECONDS));
                assertThrows(IllegalStateException.class, queue::taskDone);
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    @Test
    void shouldGiveBackTheTaskOfAFailedOffer()
    {
        try (JoinableQueue<byte[]> queue = JoinableQueue.create(Names.unique("giveback"), QueueDescriptor.MIN_CAPACITY,
            Codecs.bytes()))
        {
            try
            {
                int puts = 0;
                while (queue.offer(new byte[100]))
                {
                    puts++;
                }
                assertEquals(puts, queue.unfinishedTasks());
                assertThrows(IllegalArgumentException.class, () -> queue.offer(new byte[QueueDescriptor.MIN_CAPACITY]));
                assertEquals(puts, queue.unfinishedTasks());
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    @Test
    void shouldNeverDeliverARecordWhoseInPlaceEncodingFailed() throws Exception
    {
        final Codec<byte[]> liar = new Codec<>()
        {
            @Override
            public int typeId()
            {
                return 1000;
            }

            @Override
            public String name()
            {
                return "liar";
            }

            @Override
            public int encodedLength(final byte[] element)
            {
                return element.length == 3 ? 2 : element.length;
            }

            @Override
            public int encode(final byte[] element, final org.agrona.MutableDirectBuffer buffer, final int offset)
            {
                buffer.putBytes(offset, element);
                return element.length;
            }

            @Override
            public byte[] decode(final org.agrona.DirectBuffer buffer, final int offset, final int length)
            {
                final byte[] bytes = new byte[length];
                buffer.getBytes(offset, bytes);
                return bytes;
            }
        };
        try (JoinableQueue<byte[]> queue = JoinableQueue.create(Names.unique("liar"), CAPACITY, liar))
        {
            try
            {
                assertThrows(IndexOutOfBoundsException.class, () -> queue.put(new byte[]{1, 2, 3}),
                    "a write past the announced length stays inside the record and fails");
                assertEquals(0, queue.unfinishedTasks(), "the aborted put gives its task back");
                queue.put(new byte[]{4, 5});
                assertArrayEquals(new byte[]{4, 5}, queue.poll(1, TimeUnit.SECONDS), "only the whole record arrives");
                assertNull(queue.poll());
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    @Test
    void shouldWorkAsASimpleQueue() throws Exception
    {
        try (SimpleQueue<String> queue = SimpleQueue.create(Names.unique("simple"), CAPACITY, Codecs.strings()))
        {
            try
            {
                assertTrue(queue.isEmpty());
                queue.put("a");
                assertFalse(queue.isEmpty());
                assertEquals("a", queue.get());
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    @Test
    void shouldDrainToACollection() throws Exception
    {
        try (Queue<Integer> queue = Queue.create(Names.unique("drain"), CAPACITY, Codecs.ints()))
        {
            try
            {
                for (int i = 0; i < 5; i++)
                {
                    queue.put(i);
                }
                final List<Integer> sink = new ArrayList<>();
                assertEquals(3, queue.drainTo(sink, 3));
                assertEquals(2, queue.drainTo(sink));
                assertEquals(List.of(0, 1, 2, 3, 4), sink);
                assertThrows(UnsupportedOperationException.class, queue::iterator);
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    @Test
    void shouldRefuseASerialisedClassOutsideTheAllowListAndRunNothing() throws Exception
    {
        Gadget.ran = false;
        final String name = Names.unique("gadget");
        try (Queue<java.io.Serializable> writer = Queue.create(name, CAPACITY,
                Codecs.serializable("dev.jipc.core.queue.*"));
            Queue<java.io.Serializable> reader = Queue.open(name, Codecs.serializable("java.util.ArrayList")))
        {
            try
            {
                writer.put(new Gadget());
                assertThrows(IllegalArgumentException.class, reader::peek, "peek refuses it too");
                assertFalse(reader.isEmpty(), "and leaves it in the ring");
                final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, reader::take);
                assertTrue(ex.getMessage().contains("allow-list"), ex.getMessage());
                assertFalse(Gadget.ran, "the gadget's readObject must never run");
                writer.put(new ArrayList<>(List.of("ok")));
                assertEquals(List.of("ok"), reader.take(), "the queue goes on after a refused record");
            }
            finally
            {
                writer.unlink();
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Codecs.serializable());
        assertThrows(IllegalArgumentException.class, () -> Codecs.serializable("!java.util.*"));
    }

    @Test
    void shouldSerialiseAsASmallHandle() throws Exception
    {
        final String name = Names.unique("handle");
        try (Queue<String> queue = Queue.create(name, CAPACITY, Codecs.strings()))
        {
            try
            {
                final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                try (ObjectOutputStream out = new ObjectOutputStream(bytes))
                {
                    out.writeObject(queue);
                }
                assertTrue(bytes.size() < 1024, "a handle, not the ring: size=" + bytes.size());
                try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray())))
                {
                    @SuppressWarnings("unchecked")
                    final Queue<String> copy = (Queue<String>)in.readObject();
                    try (copy)
                    {
                        copy.put("through the copy");
                        assertEquals("through the copy", queue.take());
                    }
                }
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    @Test
    void shouldMoveEveryValueExactlyOnceBetweenThreads() throws Exception
    {
        final int producers = 3;
        final int perProducer = 100_000;
        try (LongQueue queue = LongQueue.create(Names.unique("threads"), 8192))
        {
            try
            {
                final List<Thread> threads = new ArrayList<>();
                for (int p = 0; p < producers; p++)
                {
                    final long base = (long)p << 32;
                    threads.add(Thread.ofPlatform().start(() ->
                    {
                        try
                        {
                            for (int i = 0; i < perProducer; i++)
                            {
                                queue.put(base | i);
                            }
                        }
                        catch (final InterruptedException ex)
                        {
                            Thread.currentThread().interrupt();
                        }
                    }));
                }
                final int[] next = new int[producers];
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                int received = 0;
                while (received < producers * perProducer)
                {
                    assertTrue(System.nanoTime() < deadline, "timed out: received=" + received);
                    final long[] value = new long[1];
                    if (queue.poll(v -> value[0] = v, 100, TimeUnit.MILLISECONDS))
                    {
                        final int producer = (int)(value[0] >>> 32);
                        assertEquals(next[producer], (int)value[0], "order of producer " + producer);
                        next[producer]++;
                        received++;
                    }
                }
                for (final Thread thread : threads)
                {
                    thread.join(10_000);
                }
                assertTrue(queue.isEmpty());
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    @Test
    void shouldCarryDoublesBitForBitAndRefuseALongQueuesSegment() throws Exception
    {
        final String name = Names.unique("doubles");
        try (DoubleQueue queue = DoubleQueue.create(name, CAPACITY))
        {
            try
            {
                final double nanWithPayload = Double.longBitsToDouble(0x7ff8_0000_dead_beefL);
                final double[] values = {Math.PI, -0.0, Double.MIN_VALUE, Double.NEGATIVE_INFINITY, nanWithPayload};
                for (final double value : values)
                {
                    queue.put(value);
                }
                assertEquals(values.length, queue.size());
                assertEquals(Double.doubleToRawLongBits(Math.PI), Double.doubleToRawLongBits(queue.take()));
                final double[] next = new double[1];
                assertTrue(queue.poll(value -> next[0] = value));
                assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(next[0]));
                final List<Double> rest = new ArrayList<>();
                assertEquals(3, queue.drain(rest::add, 10));
                assertEquals(Double.doubleToRawLongBits(nanWithPayload), Double.doubleToRawLongBits(rest.get(2)));
                final SegmentFormatException ex =
                    assertThrows(SegmentFormatException.class, () -> LongQueue.open(name));
                assertTrue(ex.getMessage().contains("codec mismatch") && ex.getMessage().contains("double"),
                    ex.getMessage());
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    @Test
    void shouldRefuseInvalidCapacities()
    {
        assertThrows(IllegalArgumentException.class, () -> Queue.create(Names.unique("cap"), 1000, Codecs.longs()));
        assertThrows(IllegalArgumentException.class, () -> LongQueue.create(Names.unique("cap"), 512));
    }

    /** A class whose deserialisation has a visible side effect, standing in for a gadget. */
    static final class Gadget implements java.io.Serializable
    {
        @java.io.Serial
        private static final long serialVersionUID = 1L;
        static volatile boolean ran;

        @java.io.Serial
        private void readObject(final ObjectInputStream in) throws IOException, ClassNotFoundException
        {
            ran = true;
            in.defaultReadObject();
        }
    }
}
