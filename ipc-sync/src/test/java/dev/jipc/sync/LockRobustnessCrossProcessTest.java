package dev.jipc.sync;

import static dev.jipc.sync.SyncTestSupport.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.ChildProcesses;
import dev.jipc.core.Handles;
import dev.jipc.core.test.ChildLogs;
import dev.jipc.core.test.Names;
import org.junit.jupiter.api.Test;

/** kill -9 of a JVM that holds a lock: another JVM acquires it within a second and is told. */
class LockRobustnessCrossProcessTest
{
    private static final long RECOVERY_BOUND_NANOS = TimeUnit.SECONDS.toNanos(1);

    @Test
    void shouldRecoverALockWhoseHolderWasKilledWhileAnotherJvmWaits() throws Exception
    {
        try (SyncArena arena = SyncArena.create(Names.unique("robust"), 8, 1024);
            Lock lock = arena.newLock();
            RLock rlock = arena.newRLock();
            Condition condition = arena.newCondition();
            ChildProcesses children = ChildLogs.group())
        {
            try
            {
                final ChildProcesses.Child holder = children.start(ChildJvm.of(Holder.class)
                    .args(Handles.encode(lock), Handles.encode(rlock),
                        Handles.encode(condition)));
                awaitTrue(() -> lock.isLocked() && rlock.isLocked() && condition.getLock().isLocked(),
                    60, TimeUnit.SECONDS, "the child to take all three locks");
                assertEquals(holder.pid(), lock.ownerPid());
                assertFalse(lock.tryLock(50, TimeUnit.MILLISECONDS), "held by a live process");

                final long killed = System.nanoTime();
                holder.process().destroyForcibly();
                assertTrue(lock.tryLock(10, TimeUnit.SECONDS), "recovered the lock");
                final long elapsed = System.nanoTime() - killed;
                assertTrue(lock.previousOwnerDied(), "told that the owner died");
                assertEquals(1, lock.ownerDeaths());
                assertTrue(elapsed < RECOVERY_BOUND_NANOS, "recovered within a second: elapsedNanos=" + elapsed);
                lock.unlock();

                rlock.lock();
                assertTrue(rlock.previousOwnerDied());
                assertEquals(1, rlock.holdCount(), "the dead owner's holds are gone");
                rlock.unlock();
                assertFalse(rlock.isLocked());

                condition.getLock().lock();
                assertTrue(condition.getLock().previousOwnerDied());
                condition.getLock().unlock();

                lock.lock();
                assertFalse(lock.previousOwnerDied(), "only the recovering acquisition is told");
                lock.unlock();
            }
            finally
            {
                arena.unlink();
            }
        }
    }

    @Test
    void shouldTellAWaitingJvmWithinASecondOfTheKill() throws Exception
    {
        try (Lock lock = Lock.create(Names.unique("robust-lock"));
            IntValue told = IntValue.create(Names.unique("robust-told"), 0);
            ChildProcesses children = ChildLogs.group())
        {
            try
            {
                final ChildProcesses.Child holder = children.start(ChildJvm.of(Holder.class)
                    .args(Handles.encode(lock)));
                awaitTrue(lock::isLocked, 60, TimeUnit.SECONDS, "the child to take the lock");
                final ChildProcesses.Child waiter = children.start(ChildJvm.of(Waiter.class)
                    .args(Handles.encode(lock), Handles.encode(told)));
                awaitTrue(() -> told.getRaw() == 1, 60, TimeUnit.SECONDS, "the second child to start waiting");
                Thread.sleep(100);
                final long killed = System.nanoTime();
                holder.process().destroyForcibly();
                awaitTrue(() -> told.getRaw() != 1, 10, TimeUnit.SECONDS, "the waiter to acquire");
                final long elapsed = System.nanoTime() - killed;
                assertEquals(2, told.getRaw(), "the waiter acquired and was told the owner died");
                assertTrue(elapsed < RECOVERY_BOUND_NANOS, "within a second: elapsedNanos=" + elapsed);
                ChildProcesses.awaitSuccess(waiter, 60, TimeUnit.SECONDS);
                assertFalse(lock.isLocked());
            }
            finally
            {
                lock.unlink();
                told.unlink();
            }
        }
    }

    @Test
    void shouldNotRecoverALockFromALiveHolderInAnotherPidNamespace() throws Exception
    {
        final List<String> ownNamespace = List.of("unshare", "--pid", "--fork", "--kill-child", "--mount-proc");
        assumeTrue(runs(ownNamespace, "true"), "needs unshare --pid (root or user namespaces)");
        try (Lock lock = Lock.create(Names.unique("ns-lock"));
            ChildProcesses children = ChildLogs.group())
        {
            try
            {
                final ChildProcesses.Child holder = children.start(ChildJvm.of(Holder.class)
                    .args(Handles.encode(lock)).launcher(ownNamespace.toArray(String[]::new)));
                awaitTrue(lock::isLocked, 60, TimeUnit.SECONDS, "the child to take the lock");
                // judged by pid, the holder (pid 1 in its namespace) was this namespace's init: not the same process
                assertFalse(lock.tryLock(500, TimeUnit.MILLISECONDS), "taken from a live holder in another namespace");
                assertEquals(0, lock.ownerDeaths());
                holder.process().destroyForcibly();
                assertTrue(lock.tryLock(10, TimeUnit.SECONDS), "recovered once the holder died");
                assertTrue(lock.previousOwnerDied());
                lock.unlock();
            }
            finally
            {
                lock.unlink();
            }
        }
    }

    @Test
    void shouldNotRecoverALockFromAStoppedHolder() throws Exception
    {
        try (Lock lock = Lock.create(Names.unique("stopped-lock"));
            ChildProcesses children = ChildLogs.group())
        {
            try
            {
                final ChildProcesses.Child holder = children.start(ChildJvm.of(Holder.class)
                    .args(Handles.encode(lock)));
                awaitTrue(lock::isLocked, 60, TimeUnit.SECONDS, "the child to take the lock");
                // a stopped owner is an owner stalled at any step: the one CAS that made it owner is all there is
                assertTrue(runs(List.of("kill", "-STOP", Long.toString(holder.pid()))));
                try
                {
                    assertFalse(lock.tryLock(500, TimeUnit.MILLISECONDS), "taken from a stopped, live holder");
                }
                finally
                {
                    runs(List.of("kill", "-CONT", Long.toString(holder.pid())));
                }
                assertEquals(0, lock.ownerDeaths());
                holder.process().destroyForcibly();
                assertTrue(lock.tryLock(10, TimeUnit.SECONDS));
                lock.unlock();
            }
            finally
            {
                lock.unlink();
            }
        }
    }

    private static boolean runs(final List<String> command, final String... more) throws InterruptedException
    {
        final List<String> all = new ArrayList<>(command);
        all.addAll(List.of(more));
        try
        {
            final Process process = new ProcessBuilder(all).inheritIO().start();
            return process.waitFor(20, TimeUnit.SECONDS) && process.exitValue() == 0;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    /** Takes every lock it is given and holds them until killed. */
    public static final class Holder
    {
        public static void main(final String[] args) throws InterruptedException
        {
            for (final String handle : args)
            {
                final Object object = Handles.decode(handle);
                if (object instanceof Condition condition)
                {
                    condition.getLock().lock();
                }
                else
                {
                    ((RobustLock)object).lock();
                }
            }
            Thread.sleep(TimeUnit.MINUTES.toMillis(5));
        }
    }

    /** Says it is waiting (told = 1), waits for the lock, says whether it was told the owner died (2) or not (3). */
    public static final class Waiter
    {
        public static void main(final String[] args) throws InterruptedException
        {
            final Lock lock = Handles.decode(args[0]);
            final IntValue told = Handles.decode(args[1]);
            told.setRaw(1);
            if (!lock.acquire(true, Duration.ofSeconds(30)))
            {
                throw new AssertionError("did not acquire the lock of a dead owner");
            }
            told.setRaw(lock.previousOwnerDied() ? 2 : 3);
            lock.release();
        }
    }
}
