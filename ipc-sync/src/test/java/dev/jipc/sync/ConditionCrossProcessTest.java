package dev.jipc.sync;

import static dev.jipc.core.ChildProcesses.awaitSuccess;
import static dev.jipc.sync.SyncTestSupport.CHILD_TIMEOUT_SECONDS;
import static dev.jipc.sync.SyncTestSupport.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.ChildProcesses;
import dev.jipc.core.Handles;
import dev.jipc.core.test.ChildLogs;
import dev.jipc.core.test.Names;
import dev.jipc.core.wait.WaitStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A Condition between JVMs: 100,000 hand-offs of a turn through {@code waitFor}, where each JVM waits for its turn,
 * passes it on and notifies (a lost wake-up shows as a wait that times out, which fails the child); and a waiter
 * killed in {@code await}, which must not stay counted.
 */
class ConditionCrossProcessTest
{
    private static final int HAND_OFFS = 100_000;

    @ParameterizedTest
    @EnumSource(value = WaitStrategy.class, names = {"SPIN_THEN_PARK", "PARK"})
    void shouldHandOffATurnBetweenJvmsWithoutALostWakeUp(final WaitStrategy strategy) throws InterruptedException
    {
        try (SyncArena arena = SyncArena.create(Names.unique("handoff"), 8, 1024);
            Condition condition = arena.newCondition();
            LongValue turn = arena.newLongValue(0);
            ChildProcesses children = ChildLogs.group())
        {
            try
            {
                final String conditionHandle = Handles.encode(condition);
                final String turnHandle = Handles.encode(turn);
                final ChildProcesses.Child even = children.start(ChildJvm.of(Player.class)
                    .args(conditionHandle, turnHandle, 0, strategy));
                final ChildProcesses.Child odd = children.start(ChildJvm.of(Player.class)
                    .args(conditionHandle, turnHandle, 1, strategy));
                awaitSuccess(even, CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                awaitSuccess(odd, CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                assertEquals(HAND_OFFS, turn.get());
                assertEquals(0, condition.waiters());
            }
            finally
            {
                arena.unlink();
            }
        }
    }

    @Test
    void shouldStopCountingAWaiterKilledInAwaitAtTheNextNotify() throws Exception
    {
        try (SyncArena arena = SyncArena.create(Names.unique("dead-waiter"), 8, 1024);
            Condition condition = arena.newCondition();
            ChildProcesses children = ChildLogs.group())
        {
            try
            {
                final ChildProcesses.Child child = children.start(ChildJvm.of(Sleeper.class)
                    .args(Handles.encode(condition)));
                awaitTrue(() -> condition.waiters() == 1, 60, TimeUnit.SECONDS, "the child waiting");
                child.process().destroyForcibly();
                assertTrue(child.process().waitFor(30, TimeUnit.SECONDS), "the killed child is gone");

                final CompletableFuture<Boolean> live = awaitNotification(condition);
                awaitTrue(() -> condition.waiters() == 2, 30, TimeUnit.SECONDS, "a live waiter beside the dead one");
                notifyOne(condition);
                assertTrue(live.get(30, TimeUnit.SECONDS), "the live waiter was notified, not timed out");
                assertEquals(0, condition.waiters(), "the dead waiter is no longer counted");
                final String stat = new SyncArenaStat().describe(arena.segment()).values().stream()
                    .filter(fact -> fact.startsWith("CONDITION")).findFirst().orElseThrow();
                assertTrue(stat.contains("waiters=0"), stat);

                final CompletableFuture<Boolean> next = awaitNotification(condition);
                awaitTrue(() -> condition.waiters() == 1, 30, TimeUnit.SECONDS, "the next waiter counted");
                notifyOne(condition);
                assertTrue(next.get(30, TimeUnit.SECONDS), "the next waiter was notified, not timed out");
                assertEquals(0, condition.waiters());
            }
            finally
            {
                arena.unlink();
            }
        }
    }

    /** Waits on the condition on a thread of its own, for at most 30 s; completes with whether it was notified. */
    private static CompletableFuture<Boolean> awaitNotification(final Condition condition)
    {
        return CompletableFuture.supplyAsync(() ->
        {
            condition.getLock().lock();
            try
            {
                return condition.await(Duration.ofSeconds(30));
            }
            catch (final InterruptedException ex)
            {
                throw new CompletionException(ex);
            }
            finally
            {
                condition.getLock().unlock();
            }
        }, SyncTestSupport.THREADS);
    }

    private static void notifyOne(final Condition condition)
    {
        condition.getLock().lock();
        try
        {
            condition.notify(1);
        }
        finally
        {
            condition.getLock().unlock();
        }
    }

    /** Waits on the condition until killed. */
    public static final class Sleeper
    {
        public static void main(final String[] args) throws InterruptedException
        {
            final Condition condition = Handles.decode(args[0]);
            condition.getLock().lock();
            condition.await();
            throw new AssertionError("notified, but nobody notifies");
        }
    }

    /** Takes every turn whose parity is its own, HAND_OFFS / 2 of them. */
    public static final class Player
    {
        public static void main(final String[] args) throws InterruptedException
        {
            final Condition shared = Handles.decode(args[0]);
            final LongValue turn = Handles.decode(args[1]);
            final int parity = Integer.parseInt(args[2]);
            final WaitStrategy strategy = WaitStrategy.valueOf(args[3]);
            try (SyncArena arena = SyncArena.open(shared.directory(), shared.name());
                Condition condition = (Condition)arena.attach(shared.offset(), SyncKind.CONDITION, strategy))
            {
                final RobustLock lock = condition.getLock();
                for (long mine = parity; mine < HAND_OFFS; mine += 2)
                {
                    final long expected = mine;
                    lock.lock();
                    try
                    {
                        if (!condition.waitFor(() -> turn.getRaw() == expected, Duration.ofSeconds(30)))
                        {
                            throw new AssertionError("lost wake-up: waited 30 s for turn=" + expected + ", turn is " +
                                turn.getRaw());
                        }
                        turn.setRaw(expected + 1);
                        condition.notify(1);
                    }
                    finally
                    {
                        lock.unlock();
                    }
                }
            }
        }
    }
}
