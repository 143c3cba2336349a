package dev.jipc.core.pipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.jipc.core.SegmentDirectory;
import dev.jipc.core.codec.Codecs;
import dev.jipc.core.test.Names;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A sender on a full pipe sleeps and answers interrupts, including when the free space is just short of what
 * Agrona's claim asks for (the record plus a header's worth kept free).
 */
class PipeBackPressureTest
{
    private static final int CAPACITY = 4096;
    private static final long WARM_UP_MILLIS = 300;
    private static final long MEASURE_MILLIS = 500;
    /** A parked sender uses well under a millisecond of this; a spinning one most of the window, even when shared. */
    private static final long MAX_CPU_MILLIS = 100;

    @ParameterizedTest(name = "{0} longs and an empty message, then a send of {1} bytes")
    @CsvSource({
        // a long's record is 24 bytes (header, check, long), an empty message's 16: 169 and one leave 24 free, which
        // a long's record fits and Agrona's claim (the record plus a header's worth kept free) does not
        "169, -1",
        // 165 and one leave 120 free: a 100-byte message's record (120) fits that, Agrona's claim wants 128
        "165, 100"})
    void shouldParkAndAnswerInterruptsWhenTheFreeSpaceIsJustShortOfTheClaim(final int fill, final int length)
        throws Exception
    {
        final String name = Names.unique("pipe-full");
        try (Pipe<byte[]> pipe = Pipe.create(SegmentDirectory.defaultDirectory(), name, CAPACITY, true,
            Codecs.bytes()))
        {
            final Connection<byte[]> sender = pipe.first();
            final Connection<byte[]> receiver = pipe.second();
            final AtomicReference<Throwable> outcome = new AtomicReference<>();
            final Thread blocked = new Thread(() ->
            {
                try
                {
                    if (length < 0)
                    {
                        sender.sendLong(-1);
                    }
                    else
                    {
                        sender.sendBytes(new byte[length], 0, length);
                    }
                }
                catch (final Throwable ex)
                {
                    outcome.set(ex);
                }
            }, "blocked-sender");
            try
            {
                for (int i = 0; i < fill; i++)
                {
                    sender.sendLong(i);
                }
                sender.sendBytes(new byte[0], 0, 0);
                blocked.start();
                Thread.sleep(WARM_UP_MILLIS);
                assertTrue(blocked.isAlive(), "the send did not wait: " + outcome.get());
                final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
                final long cpuBefore = threads.getThreadCpuTime(blocked.threadId());
                Thread.sleep(MEASURE_MILLIS);
                final long cpuMillis = TimeUnit.NANOSECONDS.toMillis(
                    threads.getThreadCpuTime(blocked.threadId()) - cpuBefore);
                assertTrue(cpuMillis < MAX_CPU_MILLIS, "the blocked sender used " + cpuMillis + " ms of CPU in " +
                    MEASURE_MILLIS + " ms: it spins instead of sleeping");
                blocked.interrupt();
                blocked.join(TimeUnit.SECONDS.toMillis(30));
                assertFalse(blocked.isAlive(), "the blocked sender ignored its interrupt");
                assertInstanceOf(InterruptedException.class, outcome.get());
                assertEquals(0, receiver.recvLong(), "what was sent before stays in the pipe");
            }
            finally
            {
                // a sender that did not answer its interrupt is let through before the pipe is unmapped under it
                while (blocked.isAlive() && receiver.poll(1, TimeUnit.SECONDS))
                {
                    receiver.recvBytes();
                }
                blocked.join(TimeUnit.SECONDS.toMillis(30));
                pipe.unlink();
            }
        }
    }
}
