package dev.jipc.core.queue;

import static dev.jipc.core.ChildProcesses.awaitSuccess;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.ChildProcesses;
import dev.jipc.core.codec.Codecs;
import dev.jipc.core.test.ChildLogs;
import dev.jipc.core.test.Names;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;

/**
 * {@link Queue#drain(ElementHandler, int)}: elements handed over in place, between real JVMs and at the edges
 * (a handler that throws, a handler that drains again, timeouts, shutdown, a closed handle).
 */
class QueueDrainInPlaceTest
{
    private static final int PRODUCERS = 2;
    private static final int PER_PRODUCER = 200_000;
    private static final int LONGEST = 300;

    @Test
    void shouldHandEveryElementOfTwoProducerJvmsInPlaceOnceInProducerOrderAndWhole() throws Exception
    {
        final String name = Names.unique("in-place");
        try (Queue<byte[]> queue = Queue.create(name, 1 << 16, Codecs.bytes());
            ChildProcesses children = ChildLogs.group())
        {
            try
            {
                final List<ChildProcesses.Child> producers = new ArrayList<>();
                for (int p = 0; p < PRODUCERS; p++)
                {
                    producers.add(children.start(ChildJvm.of(Producer.class).args(name, p, PER_PRODUCER)));
                }
                final int[] next = new int[PRODUCERS];
                final ElementHandler check = (buffer, offset, length) ->
                {
                    final int producer = buffer.getByte(offset);
                    final int sequence = buffer.getInt(offset + 1, ByteOrder.BIG_ENDIAN);
                    if (producer < 0 || producer >= PRODUCERS || sequence != next[producer] ||
                        length != Producer.length(sequence) || !Producer.filled(buffer, offset, length, sequence))
                    {
                        throw new AssertionError("wrong element: producer=" + producer + ", sequence=" + sequence +
                            ", length=" + length);
                    }
                    next[producer]++;
                };
                long taken = 0;
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (taken < (long)PRODUCERS * PER_PRODUCER && System.nanoTime() - deadline < 0)
                {
                    taken += queue.drain(check, 256, 1, TimeUnit.SECONDS);
                }
                for (final ChildProcesses.Child producer : producers)
                {
                    awaitSuccess(producer, 60, TimeUnit.SECONDS);
                }
                assertArrayEquals(new int[] {PER_PRODUCER, PER_PRODUCER}, next, "elements of each producer");
                assertEquals((long)PRODUCERS * PER_PRODUCER, taken);
                assertEquals(0, queue.drain(check, 256), "nothing more");
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    @Test
    void shouldTakeTheElementWhoseHandlerThrewAndLeaveTheRest() throws Exception
    {
        try (Queue<String> queue = Queue.create(Names.unique("in-place-throw"), 1 << 12, Codecs.strings()))
        {
            try
            {
                queue.put("a");
                queue.put("b");
                queue.put("c");
                final List<String> seen = new ArrayList<>();
                final IllegalStateException failure = new IllegalStateException("handler failed");
                assertSame(failure, assertThrows(IllegalStateException.class, () -> queue.drain(
                    (buffer, offset, length) ->
                    {
                        final String value = Codecs.strings().decode(copy(buffer, offset, length), 0, length);
                        seen.add(value);
                        if (value.equals("b"))
                        {
                            throw failure;
                        }
                    }, 10)));
                assertEquals(List.of("a", "b"), seen);
                assertEquals("c", queue.poll(), "the element after the failing one stays");
                assertNull(queue.poll());
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    @Test
    void shouldRefuseAHandlerThatDrainsTheSameQueue() throws Exception
    {
        try (Queue<byte[]> queue = Queue.create(Names.unique("in-place-nested"), 1 << 12, Codecs.bytes()))
        {
            try
            {
                queue.put(new byte[] {1});
                queue.put(new byte[] {2});
                final IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> queue.drain((buffer, offset, length) -> queue.drain(QueueDrainInPlaceTest::ignore, 1), 1));
                assertTrue(refused.getMessage().contains("held by the calling thread"), refused.getMessage());
                final byte[][] rest = new byte[1][];
                assertEquals(1, queue.drain((buffer, offset, length) -> rest[0] = copy(buffer, offset, length)
                    .byteArray(), 5), "the outer handler's element was taken, the next one stays");
                assertArrayEquals(new byte[] {2}, rest[0]);
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    @Test
    void shouldWaitForTheFirstElementNoLessThanTheTimeoutAndEndAtShutdown() throws Exception
    {
        final String name = Names.unique("in-place-wait");
        try (Queue<byte[]> queue = Queue.create(name, 1 << 12, Codecs.bytes()))
        {
            try
            {
                final ElementHandler ignore = QueueDrainInPlaceTest::ignore;
                assertEquals(0, queue.drain(ignore, 0), "a limit of 0 takes nothing");
                assertThrows(NullPointerException.class, () -> queue.drain(null, 1));
                final long start = System.nanoTime();
                assertEquals(0, queue.drain(ignore, 4, 200, TimeUnit.MILLISECONDS));
                assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(200), "returned early");
                queue.put(new byte[] {7});
                queue.shutdown();
                assertEquals(1, queue.drain(ignore, 4, 1, TimeUnit.SECONDS), "what was put before shutdown");
                assertThrows(QueueShutdownException.class, () -> queue.drain(ignore, 4, 1, TimeUnit.SECONDS));
                assertEquals(0, queue.drain(ignore, 4), "a drain without a wait ends with 0");
                final Queue<byte[]> closed = Queue.open(name, Codecs.bytes());
                closed.close();
                assertThrows(IllegalStateException.class, () -> closed.drain(ignore, 4));
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    private static void ignore(final DirectBuffer buffer, final int offset, final int length)
    {
        // takes the element and keeps nothing of it
    }

    private static org.agrona.concurrent.UnsafeBuffer copy(final DirectBuffer buffer, final int offset,
        final int length)
    {
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        return new org.agrona.concurrent.UnsafeBuffer(bytes);
    }

    /** Puts elements of varying length: the producer's number, the sequence, then bytes derived from both. */
    public static final class Producer
    {
        static int length(final int sequence)
        {
            return 5 + sequence % (LONGEST - 5);
        }

        static boolean filled(final DirectBuffer buffer, final int offset, final int length, final int sequence)
        {
            for (int i = 5; i < length; i++)
            {
                if (buffer.getByte(offset + i) != (byte)(sequence + i))
                {
                    return false;
                }
            }
            return true;
        }

        public static void main(final String[] args) throws Exception
        {
            final int producer = Integer.parseInt(args[1]);
            final int count = Integer.parseInt(args[2]);
            final byte[][] messages = new byte[LONGEST][];
            try (Queue<byte[]> queue = Queue.open(args[0], Codecs.bytes()))
            {
                for (int sequence = 0; sequence < count; sequence++)
                {
                    final int length = length(sequence);
                    if (messages[length] == null)
                    {
                        messages[length] = new byte[length];
                    }
                    final byte[] message = messages[length];
                    message[0] = (byte)producer;
                    message[1] = (byte)(sequence >>> 24);
                    message[2] = (byte)(sequence >>> 16);
                    message[3] = (byte)(sequence >>> 8);
                    message[4] = (byte)sequence;
                    for (int i = 5; i < length; i++)
                    {
                        message[i] = (byte)(sequence + i);
                    }
                    queue.put(message);
                }
            }
        }
    }
}
