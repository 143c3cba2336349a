package dev.jipc.sync;

import static dev.jipc.sync.SyncTestSupport.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.ChildProcesses;
import dev.jipc.core.Handles;
import dev.jipc.core.test.ChildLogs;
import dev.jipc.core.test.Names;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A process killed while it sleeps on a synchroniser is forgotten by the event count it slept on at the next wake
 * that finds fewer sleepers than it asked for (the set of an event, the unlock of a lock nobody else waits for, a
 * release, a notify): {@code jipc stat} no longer shows a sleeper that does not exist. Then a live waiter is counted
 * again in the new epoch and woken as before, so forgetting loses no wake-up.
 */
class DeadSleeperCrossProcessTest
{
    private static final Pattern SLEEPERS = Pattern.compile("sleepers=(\\d+)");

    /** The synchronisers a process can sleep on, each with how to sleep on it and how to wake its sleeper. */
    enum Kind
    {
        EVENT, LOCK, SEMAPHORE, CONDITION
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldForgetASleeperKilledWhileAsleepAtTheNextWake(final Kind kind) throws Exception
    {
        try (SyncArena arena = SyncArena.create(Names.unique("dead-sleeper"), 4, 1024);
            SyncObject object = newObject(arena, kind);
            ChildProcesses children = ChildLogs.group())
        {
            try
            {
                if (kind == Kind.LOCK)
                {
                    ((Lock)object).lock();
                }
                final ChildProcesses.Child child = children.start(ChildJvm.of(Sleeper.class)
                    .args(kind, Handles.encode(object)));
                awaitTrue(() -> sleepers(arena, kind) == 1, 60, TimeUnit.SECONDS, "the child asleep on " + kind);
                assertTrue(child.kill(), "the child was killed");
                assertEquals(1, sleepers(arena, kind), "the dead sleeper is still counted before the wake");

                wake(object, kind, true);
                assertEquals(0, sleepers(arena, kind), "the wake forgot the dead sleeper: " + facts(arena, kind));

                final CompletableFuture<Boolean> live = sleepOnAThread(object, kind);
                awaitTrue(() -> sleepers(arena, kind) == 1, 30, TimeUnit.SECONDS, "a live sleeper counted again");
                wake(object, kind, false);
                assertTrue(live.get(30, TimeUnit.SECONDS), "the live sleeper was woken, not timed out");
                awaitTrue(() -> sleepers(arena, kind) == 0, 30, TimeUnit.SECONDS, "the woken sleeper gone");
            }
            finally
            {
                arena.unlink();
            }
        }
    }

    private static SyncObject newObject(final SyncArena arena, final Kind kind)
    {
        return switch (kind)
        {
            case EVENT -> arena.newEvent();
            case LOCK -> arena.newLock();
            case SEMAPHORE -> arena.newSemaphore(0);
            case CONDITION -> arena.newCondition();
        };
    }

    /** Sleeps on the object, for at most {@code timeout}; true if woken, false if the timeout passed. */
    private static boolean sleep(final SyncObject object, final Kind kind, final Duration timeout)
        throws InterruptedException
    {
        switch (kind)
        {
            case EVENT:
                return ((Event)object).await(timeout);
            case LOCK:
                final Lock lock = (Lock)object;
                if (lock.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS))
                {
                    lock.unlock();
                    return true;
                }
                return false;
            case SEMAPHORE:
                return ((Semaphore)object).tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS);
            case CONDITION:
                final Condition condition = (Condition)object;
                condition.getLock().lock();
                try
                {
                    return condition.await(timeout);
                }
                finally
                {
                    condition.getLock().unlock();
                }
            default:
                throw new AssertionError(kind);
        }
    }

    /**
     * Wakes the object's sleepers as its users would. With {@code reclaim}, what the wake gave away and nobody took
     * (the lock, the permit) is taken back, so that the next sleeper sleeps.
     */
    private static void wake(final SyncObject object, final Kind kind, final boolean reclaim)
        throws InterruptedException
    {
        switch (kind)
        {
            case EVENT:
                final Event event = (Event)object;
                event.set();
                if (reclaim)
                {
                    // nobody sleeps now (the sleeper is dead): clear it so that the next sleeper sleeps; clearing
                    // right after waking a live sleeper could hide the set from it before it looks
                    event.clear();
                }
                break;
            case LOCK:
                final Lock lock = (Lock)object;
                lock.unlock();
                if (reclaim)
                {
                    assertTrue(lock.tryLock(30, TimeUnit.SECONDS), "the unlocked lock taken back");
                }
                break;
            case SEMAPHORE:
                final Semaphore semaphore = (Semaphore)object;
                semaphore.release();
                if (reclaim)
                {
                    assertTrue(semaphore.tryAcquire(30, TimeUnit.SECONDS), "the released permit taken back");
                }
                break;
            case CONDITION:
                final Condition condition = (Condition)object;
                condition.getLock().lock();
                try
                {
                    condition.notify(1);
                }
                finally
                {
                    condition.getLock().unlock();
                }
                break;
            default:
                throw new AssertionError(kind);
        }
    }

    private static CompletableFuture<Boolean> sleepOnAThread(final SyncObject object, final Kind kind)
    {
        final CompletableFuture<Boolean> woken = new CompletableFuture<>();
        final Thread thread = new Thread(() ->
        {
            try
            {
                woken.complete(sleep(object, kind, Duration.ofSeconds(30)));
            }
            catch (final InterruptedException | RuntimeException ex)
            {
                woken.completeExceptionally(new CompletionException(ex));
            }
        }, "live-sleeper");
        thread.setDaemon(true);
        thread.start();
        return woken;
    }

    private static String facts(final SyncArena arena, final Kind kind)
    {
        return new SyncArenaStat().describe(arena.segment()).values().stream()
            .filter(fact -> fact.startsWith(kind.name())).findFirst().orElseThrow();
    }

    private static int sleepers(final SyncArena arena, final Kind kind)
    {
        final String fact = facts(arena, kind);
        final Matcher matcher = SLEEPERS.matcher(fact);
        assertTrue(matcher.find(), fact);
        return Integer.parseInt(matcher.group(1));
    }

    /** Sleeps on the object until killed. */
    public static final class Sleeper
    {
        public static void main(final String[] args) throws InterruptedException
        {
            final Kind kind = Kind.valueOf(args[0]);
            final SyncObject object = Handles.decode(args[1]);
            sleep(object, kind, Duration.ofMinutes(10));
            throw new AssertionError("woken, but nobody wakes it: " + kind);
        }
    }
}
