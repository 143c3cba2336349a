package dev.jipc.sync;

import static dev.jipc.core.ChildProcesses.awaitSuccess;
import static dev.jipc.sync.SyncTestSupport.CHILD_TIMEOUT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.ChildProcesses;
import dev.jipc.core.Handles;
import dev.jipc.core.test.ChildLogs;
import dev.jipc.core.test.Names;
import dev.jipc.core.wait.WaitStrategy;
import org.junit.jupiter.api.Test;

/** Every kind of object, serialised in one JVM, re-attaches in another and works on the same memory. */
class HandleCrossProcessTest
{
    @Test
    void shouldReattachEveryKindInAChildJvm() throws Exception
    {
        try (SyncArena arena = SyncArena.create(Names.unique("handles"), 32, 4096);
            ChildProcesses children = ChildLogs.group())
        {
            try
            {
                final Lock lock = arena.newLock();
                final RLock rlock = arena.newRLock();
                final Semaphore semaphore = arena.newSemaphore(3);
                final BoundedSemaphore bounded = arena.newBoundedSemaphore(2);
                final Condition condition = arena.newCondition(lock);
                final Event event = arena.newEvent();
                final Barrier barrier = arena.newBarrier(2);
                final IntValue intValue = arena.newIntValue(1);
                final LongValue longValue = arena.newLongValue(2);
                final DoubleValue doubleValue = arena.newDoubleValue(3.5);
                final IntArray intArray = arena.newIntArray(3);
                final LongArray longArray = arena.newLongArray(3);
                final DoubleArray doubleArray = arena.newDoubleArray(3);
                final ByteArray byteArray = arena.newByteArray(5);
                final List<SyncObject> objects = List.of(lock, rlock, semaphore, bounded, condition, event, barrier,
                    intValue, longValue, doubleValue, intArray, longArray, doubleArray, byteArray, intValue.getLock());
                final List<Object> handles = new ArrayList<>();
                for (final SyncObject object : objects)
                {
                    final byte[] bytes = Handles.toBytes(object);
                    assertTrue(bytes.length < 1024, "a handle, not the memory: kind=" + object.kind() + ", size=" +
                        bytes.length);
                    handles.add(Handles.encode(object));
                }
                final ChildProcesses.Child child = children.start(ChildJvm.of(Child.class).args(handles.toArray()));
                final int index = barrier.await(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                assertTrue(index == 0 || index == 1, "the child and this JVM met at the barrier: index=" + index);
                awaitSuccess(child, CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS);

                assertTrue(lock.isLocked(), "the child locked it and left it for the parent to release");
                lock.release();
                assertEquals(2, semaphore.value());
                assertEquals(1, bounded.value());
                assertTrue(event.isSet());
                assertEquals(11, intValue.get());
                assertEquals(12L, longValue.get());
                assertEquals(4.0, doubleValue.get());
                assertArrayEquals(new int[]{7, 8, 9}, intArray.toArray());
                assertArrayEquals(new long[]{7, 8, 9}, longArray.toArray());
                assertArrayEquals(new double[]{0.5, 1.5, 2.5}, doubleArray.toArray());
                assertArrayEquals("hello".getBytes(), byteArray.toArray());
                assertEquals(false, rlock.isLocked());
                for (final SyncObject object : objects)
                {
                    object.close();
                }
            }
            finally
            {
                arena.unlink();
            }
        }
    }

    @Test
    void shouldSerialiseTheWaitStrategy()
    {
        try (SyncArena arena = SyncArena.create(Names.unique("handles"), 4, 1024);
            Event event = arena.newEvent();
            Event busy = (Event)arena.attach(event.offset(), SyncKind.EVENT, WaitStrategy.BUSY_SPIN);
            Event copy = (Event)Handles.fromBytes(Handles.toBytes(busy)))
        {
            try
            {
                assertEquals(WaitStrategy.BUSY_SPIN, copy.waitStrategy());
                assertEquals(event.offset(), copy.offset());
                copy.set();
                assertTrue(event.isSet());
            }
            finally
            {
                arena.unlink();
            }
        }
    }

    /** Decodes every handle, checks what the parent wrote, and writes its own. */
    public static final class Child
    {
        public static void main(final String[] args) throws Exception
        {
            int i = 0;
            final Lock lock = Handles.decode(args[i++]);
            final RLock rlock = Handles.decode(args[i++]);
            final Semaphore semaphore = Handles.decode(args[i++]);
            final BoundedSemaphore bounded = Handles.decode(args[i++]);
            final Condition condition = Handles.decode(args[i++]);
            final Event event = Handles.decode(args[i++]);
            final Barrier barrier = Handles.decode(args[i++]);
            final IntValue intValue = Handles.decode(args[i++]);
            final LongValue longValue = Handles.decode(args[i++]);
            final DoubleValue doubleValue = Handles.decode(args[i++]);
            final IntArray intArray = Handles.decode(args[i++]);
            final LongArray longArray = Handles.decode(args[i++]);
            final DoubleArray doubleArray = Handles.decode(args[i++]);
            final ByteArray byteArray = Handles.decode(args[i++]);
            final RLock valueLock = Handles.decode(args[i]);

            check(intValue.get() == 1 && longValue.get() == 2 && doubleValue.get() == 3.5, "values");
            check(semaphore.value() == 3 && bounded.value() == 2 && bounded.bound() == 2, "semaphores");
            check(intArray.length() == 3 && byteArray.length() == 5, "lengths");
            check(condition.getLock().offset() == lock.offset(), "the condition's lock is the lock");
            check(valueLock.offset() == intValue.offset() && valueLock.kind() == SyncKind.RLOCK, "value lock");

            barrier.await(60, TimeUnit.SECONDS);
            valueLock.lock();
            intValue.update(v -> v + 10);
            valueLock.unlock();
            longValue.set(longValue.getAndAdd(10) + 10);
            doubleValue.getAndAdd(0.5);
            intArray.copyFrom(new int[]{7, 8, 9}, 0, 0, 3);
            longArray.copyFrom(new long[]{7, 8, 9}, 0, 0, 3);
            doubleArray.copyFrom(new double[]{0.5, 1.5, 2.5}, 0, 0, 3);
            byteArray.copyFrom("hello".getBytes(), 0, 0, 5);
            check(semaphore.tryAcquire() && bounded.tryAcquire(), "permits");
            rlock.lock();
            rlock.lock();
            rlock.unlock();
            rlock.unlock();
            lock.lock();
            event.set();
        }

        private static void check(final boolean condition, final String what)
        {
            if (!condition)
            {
                throw new AssertionError("wrong after re-attaching: " + what);
            }
        }
    }
}
