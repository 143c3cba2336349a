package dev.jipc.sync;

import static dev.jipc.core.ChildProcesses.awaitSuccess;
import static dev.jipc.sync.SyncTestSupport.CHILD_TIMEOUT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.ChildProcesses;
import dev.jipc.core.Handles;
import dev.jipc.core.test.ChildLogs;
import dev.jipc.core.test.Names;
import org.junit.jupiter.api.Test;

/**
 * The bounded buffer of every operating-systems course: Semaphore empty = 5, Semaphore filled = 0, a Lock as mutex, an
 * IntArray(5) as the ring; a producer JVM puts 0..9,999 and a consumer JVM receives exactly 0..9,999 in order.
 */
class BoundedBufferCrossProcessTest
{
    private static final int SLOTS = 5;
    private static final int ITEMS = 10_000;

    @Test
    void shouldPassEveryItemInOrderFromAProducerJvmToAConsumerJvm() throws InterruptedException
    {
        try (SyncArena arena = SyncArena.create(Names.unique("buffer"), 8, 1024);
            Semaphore empty = arena.newSemaphore(SLOTS);
            Semaphore filled = arena.newSemaphore(0);
            Lock mutex = arena.newLock();
            IntArray ring = arena.newIntArray(SLOTS);
            IntValue received = arena.newIntValue(0);
            ChildProcesses children = ChildLogs.group())
        {
            try
            {
                final Object[] handles = {
                    Handles.encode(empty), Handles.encode(filled), Handles.encode(mutex),
                    Handles.encode(ring), Handles.encode(received)};
                final ChildProcesses.Child consumer = children.start(ChildJvm.of(Consumer.class).args(handles));
                final ChildProcesses.Child producer = children.start(ChildJvm.of(Producer.class).args(handles));
                awaitSuccess(producer, CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                awaitSuccess(consumer, CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                assertEquals(ITEMS, received.get());
                assertEquals(SLOTS, empty.value());
                assertEquals(0, filled.value());
                assertEquals(false, mutex.isLocked());
            }
            finally
            {
                arena.unlink();
            }
        }
    }

    /** Puts 0..ITEMS-1 into the ring. */
    public static final class Producer
    {
        public static void main(final String[] args) throws InterruptedException
        {
            final Semaphore empty = Handles.decode(args[0]);
            final Semaphore filled = Handles.decode(args[1]);
            final Lock mutex = Handles.decode(args[2]);
            final IntArray ring = Handles.decode(args[3]);
            for (int item = 0; item < ITEMS; item++)
            {
                empty.acquire();
                mutex.lock();
                try
                {
                    ring.set(item % SLOTS, item);
                }
                finally
                {
                    mutex.unlock();
                }
                filled.release();
            }
        }
    }

    /** Takes ITEMS items from the ring and checks that they are 0..ITEMS-1 in order. */
    public static final class Consumer
    {
        public static void main(final String[] args) throws InterruptedException
        {
            final Semaphore empty = Handles.decode(args[0]);
            final Semaphore filled = Handles.decode(args[1]);
            final Lock mutex = Handles.decode(args[2]);
            final IntArray ring = Handles.decode(args[3]);
            final IntValue received = Handles.decode(args[4]);
            for (int expected = 0; expected < ITEMS; expected++)
            {
                filled.acquire();
                final int item;
                mutex.lock();
                try
                {
                    item = ring.get(expected % SLOTS);
                }
                finally
                {
                    mutex.unlock();
                }
                empty.release();
                if (item != expected)
                {
                    throw new AssertionError("out of order: item=" + item + ", expected=" + expected);
                }
                received.getAndAdd(1);
            }
        }
    }
}
