package dev.jipc.sync;

import static dev.jipc.core.ChildProcesses.awaitExit;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.ChildProcesses;
import dev.jipc.core.test.ChildLogs;
import dev.jipc.core.test.Names;
import dev.jipc.core.wait.EventCount;
import dev.jipc.core.wait.WaitStrategy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Closing a handle while another thread of the process is blocked on it: the blocked call ends with an
 * {@link IllegalStateException} and the JVM lives. Each case runs in a child JVM, so that the SIGSEGV of an unmap
 * under a sleeper fails the test instead of killing the test JVM. The child makes and unlinks its own arena, so
 * nothing is left behind whatever becomes of it.
 */
class CloseWhileWaitingCrossProcessTest
{
    private static final String OK = "CLOSE-WHILE-WAITING-OK";

    @ParameterizedTest
    @EnumSource(value = Case.class)
    void shouldEndAWaitWithAnExceptionWhenAnotherThreadClosesTheHandle(final Case kind) throws InterruptedException
    {
        try (ChildProcesses children = ChildLogs.group())
        {
            final ChildProcesses.Child child = children.start(ChildJvm.of(Closer.class)
                .jvmArgs("-XX:-CreateCoredumpOnCrash", "-XX:ErrorFile=target/child-logs/hs_err_pid%p.log")
                .args(kind, Names.unique("close-waiting")));
            final int exit = awaitExit(child, 90, TimeUnit.SECONDS);
            assertEquals(0, exit, "child exit code; output:\n" + child.output());
            assertEquals(2, child.output().split(OK, -1).length - 1, child.output());
        }
    }

    /** What blocks, how it is made to block, and how it is let go. */
    enum Case
    {
        LOCK(SyncArena::newLock, MutexDescriptor.EVENT_COUNT_OFFSET)
        {
            @Override
            void prepare(final SyncObject handle)
            {
                ((RobustLock)handle).lock();
            }

            @Override
            void block(final SyncObject handle)
            {
                ((RobustLock)handle).lock();
                ((RobustLock)handle).unlock();
            }

            @Override
            void release(final SyncObject handle)
            {
                ((RobustLock)handle).unlock();
            }
        },
        RLOCK(SyncArena::newRLock, MutexDescriptor.EVENT_COUNT_OFFSET)
        {
            @Override
            void prepare(final SyncObject handle)
            {
                LOCK.prepare(handle);
            }

            @Override
            void block(final SyncObject handle) throws Exception
            {
                LOCK.block(handle);
            }

            @Override
            void release(final SyncObject handle) throws Exception
            {
                LOCK.release(handle);
            }
        },
        INT_VALUE(arena -> arena.newIntValue(0), MutexDescriptor.EVENT_COUNT_OFFSET)
        {
            @Override
            void prepare(final SyncObject handle)
            {
                ((IntValue)handle).getLock().lock();
            }

            @Override
            void block(final SyncObject handle)
            {
                ((IntValue)handle).get();
            }

            @Override
            void release(final SyncObject handle)
            {
                ((IntValue)handle).getLock().unlock();
            }
        },
        SEMAPHORE(arena -> arena.newSemaphore(0), SemaphoreDescriptor.EVENT_COUNT_OFFSET)
        {
            @Override
            void block(final SyncObject handle) throws Exception
            {
                ((Semaphore)handle).acquire();
            }

            @Override
            void release(final SyncObject handle)
            {
                ((Semaphore)handle).release();
            }
        },
        EVENT(SyncArena::newEvent, EventDescriptor.EVENT_COUNT_OFFSET)
        {
            @Override
            void block(final SyncObject handle) throws Exception
            {
                ((Event)handle).await();
            }

            @Override
            void release(final SyncObject handle)
            {
                ((Event)handle).set();
            }
        },
        BARRIER(arena -> arena.newBarrier(3), BarrierDescriptor.EVENT_COUNT_OFFSET)
        {
            @Override
            void block(final SyncObject handle) throws Exception
            {
                ((Barrier)handle).await();
            }

            @Override
            void release(final SyncObject handle) throws Exception
            {
                // the closed party's arrival still counts: this third arrival trips the barrier
                ((Barrier)handle).await(10, TimeUnit.SECONDS);
            }
        },
        CONDITION(SyncArena::newCondition, ConditionDescriptor.EVENT_COUNT_OFFSET)
        {
            @Override
            void block(final SyncObject handle) throws Exception
            {
                final Condition condition = (Condition)handle;
                condition.getLock().lock();
                // closed while waiting: the exception leaves the lock released (its handle is closed too)
                condition.await();
                condition.getLock().unlock();
            }

            @Override
            void release(final SyncObject handle)
            {
                final Condition condition = (Condition)handle;
                condition.getLock().lock();
                condition.signalAll();
                condition.getLock().unlock();
            }
        };

        private final Function<SyncArena, SyncObject> factory;
        private final int eventCountOffset;

        Case(final Function<SyncArena, SyncObject> factory, final int eventCountOffset)
        {
            this.factory = factory;
            this.eventCountOffset = eventCountOffset;
        }

        /** Makes {@link #block} block, on the main thread. */
        void prepare(final SyncObject handle)
        {
        }

        abstract void block(SyncObject handle) throws Exception;

        /** Lets a thread in {@link #block} through, on the main thread. */
        abstract void release(SyncObject handle) throws Exception;

        SyncObject attach(final SyncArena arena, final SyncObject object)
        {
            return arena.attach(object.offset(), object.kind(), WaitStrategy.PARK);
        }

        int sleepers(final SyncObject handle)
        {
            return new EventCount(handle.buffer, handle.offset() + eventCountOffset).waiters();
        }
    }

    /**
     * Two cases of one kind: two handles from one arena, one closed under its waiter while the other's waiter
     * carries on and is let through; then a handle that is the arena's last reference, closed under its waiter.
     */
    public static final class Closer
    {
        public static void main(final String[] args) throws Exception
        {
            final Case kind = Case.valueOf(args[0]);
            final SyncArena arena = SyncArena.create(args[1], 16, 8 * 1024);
            arena.unlink();

            try (SyncObject object = kind.factory.apply(arena))
            {
                final SyncObject closed = kind.attach(arena, object);
                final SyncObject kept = kind.attach(arena, object);
                kind.prepare(kept);
                final Waiter first = new Waiter(kind, closed);
                final Waiter second = new Waiter(kind, kept);
                awaitSleepers(kind, kept, 2);
                closed.close();
                first.expectClosedWhileWaiting();
                if (!second.thread.isAlive())
                {
                    fail("the other handle's waiter ended too: " + second.outcome.get());
                }
                kind.release(kept);
                second.expectSuccess();
                kept.close();
            }

            try (SyncObject object = kind.factory.apply(arena))
            {
                final SyncObject last = kind.attach(arena, object);
                object.close();
                arena.close();
                kind.prepare(last);
                final Waiter waiter = new Waiter(kind, last);
                awaitSleepers(kind, last, 1);
                last.close();
                waiter.expectClosedWhileWaiting();
            }
            System.exit(0);
        }

        private static void awaitSleepers(final Case kind, final SyncObject handle, final int sleepers)
            throws InterruptedException
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (kind.sleepers(handle) < sleepers)
            {
                if (System.nanoTime() - deadline > 0)
                {
                    fail("waiters did not go to sleep: sleepers=" + kind.sleepers(handle) + ", expected=" + sleepers);
                }
                Thread.sleep(1);
            }
        }

        private static void fail(final String message)
        {
            System.out.println("FAILED: " + message);
            System.exit(1);
        }
    }

    /** A daemon thread in the blocking call, and how it ended. */
    private static final class Waiter
    {
        private final Thread thread;
        private final AtomicReference<Throwable> outcome = new AtomicReference<>();

        Waiter(final Case kind, final SyncObject handle)
        {
            thread = Thread.ofPlatform().daemon().start(() ->
            {
                try
                {
                    kind.block(handle);
                }
                catch (final Throwable ex)
                {
                    outcome.set(ex);
                }
            });
        }

        void expectClosedWhileWaiting() throws InterruptedException
        {
            thread.join(10_000);
            final Throwable ex = outcome.get();
            if (thread.isAlive())
            {
                Closer.fail("the waiter of a closed handle is still blocked");
            }
            if (!(ex instanceof IllegalStateException) || !ex.getMessage().contains("closed while waiting"))
            {
                Closer.fail("the waiter of a closed handle ended with " + ex);
            }
            System.out.println(OK + ": " + ex.getMessage());
        }

        void expectSuccess() throws InterruptedException
        {
            thread.join(10_000);
            if (thread.isAlive() || outcome.get() != null)
            {
                Closer.fail("the waiter of the open handle did not pass: alive=" + thread.isAlive() + ", outcome=" +
                    outcome.get());
            }
        }
    }
}
