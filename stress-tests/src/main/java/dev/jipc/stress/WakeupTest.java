package dev.jipc.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import dev.jipc.core.wait.WaitStrategy;
import dev.jipc.sync.Condition;
import dev.jipc.sync.Event;
import dev.jipc.sync.RobustLock;
import dev.jipc.sync.SyncKind;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * No lost wake-up in ipc-sync's {@link Condition} and {@link Event} (in mapped sync arenas, waiters parking at once):
 * one actor makes the condition true and notifies, the other waits for it with a 10 s bound, so a lost wake-up shows
 * as a timed-out wait rather than a hang.
 * <p>
 * Run: {@code ./jipc stress -t WakeupTest}.
 * <p>
 * r1: 1 if the waiter saw the condition, 0 if its wait timed out.
 */
public final class WakeupTest
{
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final SyncPool<Condition> CONDITIONS =
        new SyncPool<>(SyncKind.CONDITION, 128, 2, a -> a.newCondition());
    private static final SyncPool<Event> EVENTS = new SyncPool<>(SyncKind.EVENT, 64, 1, a -> a.newEvent());

    private WakeupTest()
    {
    }

    /** {@code notify} under the lock against {@code waitFor(predicate, timeout)}. */
    @JCStressTest
    @Outcome(id = "1", expect = ACCEPTABLE, desc = "The waiter saw the flag (before waiting, or woken).")
    @Outcome(id = "0", expect = FORBIDDEN, desc = "Lost wake-up: the wait timed out with the flag set.")
    @Outcome(expect = FORBIDDEN, desc = "No other outcome exists.")
    @State
    public static class ConditionNotify
    {
        private final Condition condition = CONDITIONS.take(WaitStrategy.PARK);
        private final RobustLock lock = condition.getLock();
        private final BooleanSupplier flagSet = () -> this.flag == 1;
        private int flag;

        @Actor
        public void notifier()
        {
            lock.lock();
            try
            {
                flag = 1;
                condition.notify(1);
            }
            finally
            {
                lock.unlock();
            }
        }

        @Actor
        public void waiter(final I_Result r)
        {
            lock.lock();
            try
            {
                r.r1 = condition.waitFor(flagSet, TIMEOUT) ? 1 : 0;
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                r.r1 = -1;
            }
            finally
            {
                lock.unlock();
            }
        }
    }

    /** {@link Event#set()} against {@link Event#await(long, TimeUnit)}; the arbiter clears it for reuse. */
    @JCStressTest
    @Outcome(id = "1", expect = ACCEPTABLE, desc = "The waiter saw the event set (before waiting, or woken).")
    @Outcome(id = "0", expect = FORBIDDEN, desc = "Lost wake-up: the wait timed out with the event set.")
    @Outcome(expect = FORBIDDEN, desc = "No other outcome exists.")
    @State
    public static class EventSet
    {
        private final Event event = EVENTS.take(WaitStrategy.PARK);

        @Actor
        public void setter()
        {
            event.set();
        }

        @Actor
        public void waiter(final I_Result r)
        {
            try
            {
                r.r1 = event.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS) ? 1 : 0;
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                r.r1 = -1;
            }
        }

        @Arbiter
        public void arbiter(final I_Result r)
        {
            event.clear();
        }
    }
}
