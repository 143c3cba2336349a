package dev.jipc.core.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;

import dev.jipc.core.codec.Codecs;
import dev.jipc.core.pipe.Connection;
import dev.jipc.core.pipe.Pipe;
import dev.jipc.core.test.Names;
import org.junit.jupiter.api.Test;

/**
 * The primitive and raw-bytes hot paths allocate nothing: {@code ThreadMXBean} allocated bytes around a warmed-up
 * loop of 100,000 operations stay under 1 KiB (a single boxed value per operation would be 1.6 MB). A
 * {@code Queue<byte[]>} allocates the arrays it hands out and nothing else: no handler, no buffer per call.
 */
class AllocationTest
{
    private static final int WARM_UP = 200_000;
    private static final int MEASURED = 100_000;
    private static final long TOLERANCE = 1024;
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    @Test
    void shouldAllocateNothingToPutAndTakeLongs() throws Exception
    {
        try (LongQueue queue = LongQueue.create(Names.unique("alloc-long"), 1 << 16))
        {
            try
            {
                final long[] sum = new long[1];
                final java.util.function.LongConsumer adder = value -> sum[0] += value;
                longRounds(queue, adder, WARM_UP);
                final long before = THREADS.getCurrentThreadAllocatedBytes();
                longRounds(queue, adder, MEASURED);
                final long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
                assertTrue(allocated < TOLERANCE, "LongQueue allocated " + allocated + " bytes in " + MEASURED +
                    " rounds");
                assertTrue(sum[0] > 0);
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    private static void longRounds(final LongQueue queue, final java.util.function.LongConsumer adder,
        final int rounds) throws InterruptedException
    {
        for (int i = 0; i < rounds; i++)
        {
            queue.put(i);
            queue.put(i + 1);
            assertEquals(i, queue.take());
            queue.drain(adder, 1);
        }
    }

    @Test
    void shouldAllocateOnlyTheElementToPutAndTakeByteArrays() throws Exception
    {
        try (Queue<byte[]> queue = Queue.create(Names.unique("alloc-bytes"), 1 << 16, Codecs.bytes()))
        {
            try
            {
                final byte[] message = new byte[64];
                final java.util.List<byte[]> sink = new java.util.ArrayList<>(4);
                bytesRounds(queue, message, sink, WARM_UP);
                final long before = THREADS.getCurrentThreadAllocatedBytes();
                bytesRounds(queue, message, sink, MEASURED);
                final long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
                // take, poll, peek and drainTo each hand out one array: its header (16 bytes) and its payload
                final long elements = MEASURED * 4L;
                final long elementBytes = 16 + message.length;
                assertTrue(allocated <= elements * elementBytes + TOLERANCE, "Queue<byte[]> allocated " +
                    allocated + " bytes in " + MEASURED + " rounds: " + (double)allocated / elements +
                    " bytes per element handed out, the element itself being " + elementBytes);
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    private static void bytesRounds(final Queue<byte[]> queue, final byte[] message, final java.util.List<byte[]> sink,
        final int rounds) throws InterruptedException
    {
        for (int i = 0; i < rounds; i++)
        {
            message[0] = (byte)i;
            queue.put(message);
            queue.put(message);
            queue.put(message);
            if (queue.take()[0] != (byte)i || queue.peek()[0] != (byte)i || queue.poll()[0] != (byte)i)
            {
                throw new AssertionError("wrong bytes at round " + i);
            }
            if (queue.drainTo(sink, 1) != 1 || sink.get(0)[0] != (byte)i)
            {
                throw new AssertionError("wrong drain at round " + i);
            }
            sink.clear();
        }
    }

    @Test
    void shouldAllocateNothingToPutAndDrainByteArraysInPlace() throws Exception
    {
        try (Queue<byte[]> queue = Queue.create(Names.unique("alloc-bytes-in-place"), 1 << 16, Codecs.bytes()))
        {
            try
            {
                final byte[] message = new byte[64];
                final long[] sum = new long[1];
                final ElementHandler adder = (buffer, offset, length) -> sum[0] += buffer.getByte(offset) + length;
                inPlaceRounds(queue, message, adder, WARM_UP);
                final long before = THREADS.getCurrentThreadAllocatedBytes();
                inPlaceRounds(queue, message, adder, MEASURED);
                final long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
                assertTrue(allocated < TOLERANCE, "Queue<byte[]> drain(handler) allocated " + allocated +
                    " bytes in " + MEASURED + " rounds");
                assertTrue(sum[0] > 0);
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    private static void inPlaceRounds(final Queue<byte[]> queue, final byte[] message, final ElementHandler adder,
        final int rounds) throws InterruptedException
    {
        for (int i = 0; i < rounds; i++)
        {
            message[0] = (byte)i;
            queue.put(message);
            queue.put(message);
            if (queue.drain(adder, 2) != 2)
            {
                throw new AssertionError("wrong drain at round " + i);
            }
        }
    }

    @Test
    void shouldAllocateNothingToPutAndTakeDoubles() throws Exception
    {
        try (DoubleQueue queue = DoubleQueue.create(Names.unique("alloc-double"), 1 << 16))
        {
            try
            {
                final double[] sum = new double[1];
                final java.util.function.DoubleConsumer adder = value -> sum[0] += value;
                doubleRounds(queue, adder, WARM_UP);
                final long before = THREADS.getCurrentThreadAllocatedBytes();
                doubleRounds(queue, adder, MEASURED);
                final long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
                assertTrue(allocated < TOLERANCE, "DoubleQueue allocated " + allocated + " bytes in " + MEASURED +
                    " rounds");
                assertTrue(sum[0] > 0);
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    private static void doubleRounds(final DoubleQueue queue, final java.util.function.DoubleConsumer adder,
        final int rounds) throws InterruptedException
    {
        for (int i = 0; i < rounds; i++)
        {
            queue.put(i);
            queue.put(i + 0.5);
            if (queue.take() != i)
            {
                throw new AssertionError("wrong double at round " + i);
            }
            queue.drain(adder, 1);
        }
    }

    @Test
    void shouldAllocateNothingToSendAndReceiveRawBytesAndLongs() throws Exception
    {
        try (Pipe<String> pipe = Pipe.create(true, Codecs.strings()))
        {
            try
            {
                final byte[] message = new byte[64];
                final byte[] received = new byte[64];
                pipeRounds(pipe, message, received, WARM_UP);
                final long before = THREADS.getCurrentThreadAllocatedBytes();
                pipeRounds(pipe, message, received, MEASURED);
                final long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
                assertTrue(allocated < TOLERANCE, "Pipe allocated " + allocated + " bytes in " + MEASURED +
                    " rounds");
            }
            finally
            {
                pipe.unlink();
            }
        }
    }

    private static void pipeRounds(final Pipe<String> pipe, final byte[] message, final byte[] received,
        final int rounds) throws Exception
    {
        final Connection<String> a = pipe.first();
        final Connection<String> b = pipe.second();
        for (int i = 0; i < rounds; i++)
        {
            message[0] = (byte)i;
            a.sendBytes(message, 0, message.length);
            if (b.recvBytes(received, 0) != message.length || received[0] != (byte)i)
            {
                throw new AssertionError("wrong bytes at round " + i);
            }
            b.sendLong(i);
            if (a.recvLong() != i)
            {
                throw new AssertionError("wrong long at round " + i);
            }
        }
    }
}
