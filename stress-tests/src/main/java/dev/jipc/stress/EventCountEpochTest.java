package dev.jipc.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.jipc.core.wait.EventCount;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * The waiter epochs of {@link EventCount}: a wake that reaches every registered waiter forgets them all (so that a
 * waiter killed while registered is not counted for good), and forgetting must never leave a live waiter asleep
 * uncounted, where the next waker, finding a count of 0, would skip its wake-up.
 * <p>
 * The waiter actors take the steps {@link dev.jipc.core.wait.WaitStrategy} takes before it sleeps: register, read
 * Sequence, register again if the registration was forgotten, and would then sleep on the Sequence read. The arbiter
 * judges that sleep: it would block if Sequence is still the one read, and then the waiter must be counted.
 * <p>
 * Run: {@code ./jipc stress -t EventCountEpochTest}. Move the epoch's CAS in {@link EventCount#wakeAllUnfenced()}
 * after the Sequence increment, or drop the waiter's re-check of its registration, and "1, 0, 0" appears.
 * <p>
 * r1: the waiter's sleep would block (1) or return at once (0); r2: the waiter count after the waiter's steps;
 * r3: the count after the waiter deregistered.
 */
public class EventCountEpochTest
{
    private EventCountEpochTest()
    {
    }

    /** What a waiter does before it sleeps; returns the registration it would sleep with. */
    static int registerBeforeSleep(final EventCount eventCount, final int[] sequenceRead)
    {
        int registration = eventCount.beginWait();
        while (true)
        {
            final int sequence = eventCount.sequence();
            if (eventCount.isRegistered(registration))
            {
                sequenceRead[0] = sequence;
                return registration;
            }
            registration = eventCount.beginWait();
        }
    }

    /** A wake-all against a waiter on its way to sleep. */
    @JCStressTest
    @Outcome(id = "1, 1, 0", expect = ACCEPTABLE, desc = "The waiter sleeps counted (registered after the wake).")
    @Outcome(id = "0, 1, 0", expect = ACCEPTABLE, desc = "Counted in the new epoch; its sleep returns at once.")
    @Outcome(id = "0, 0, 0", expect = ACCEPTABLE, desc = "Forgotten, but its sleep returns at once.")
    @Outcome(id = "1, 0, .*", expect = FORBIDDEN, desc = "Lost wake-up: asleep and not counted.")
    @Outcome(expect = FORBIDDEN, desc = "A count left behind or taken from another epoch.")
    @State
    public static class WakeAll
    {
        private final EventCount eventCount = new EventCount(MappedSlots.buffer(), MappedSlots.claim());
        private final int[] sequenceRead = new int[1];
        private int registration;

        @Actor
        public void waker()
        {
            eventCount.signalAll();
        }

        @Actor
        public void waiter()
        {
            registration = registerBeforeSleep(eventCount, sequenceRead);
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            r.r1 = eventCount.sequence() == sequenceRead[0] ? 1 : 0;
            r.r2 = eventCount.waiters();
            eventCount.endWait(registration);
            r.r3 = eventCount.waiters();
        }
    }

    /**
     * A waiter killed while registered (registered in the constructor, never deregistered), a live waiter on its way
     * to sleep, and a wake of one that finds no sleeper in the kernel: the dead registration is always forgotten.
     */
    @JCStressTest
    @Outcome(id = "1, 1, 0", expect = ACCEPTABLE, desc = "The live waiter sleeps counted in the new epoch.")
    @Outcome(id = "0, 1, 0", expect = ACCEPTABLE, desc = "Counted in the new epoch; its sleep returns at once.")
    @Outcome(id = "0, 0, 0", expect = ACCEPTABLE, desc = "Forgotten, but its sleep returns at once.")
    @Outcome(id = "1, 0, .*", expect = FORBIDDEN, desc = "Lost wake-up: asleep and not counted.")
    @Outcome(id = ".*, 2, .*", expect = FORBIDDEN, desc = "The dead waiter is still counted.")
    @Outcome(expect = FORBIDDEN, desc = "A count left behind or taken from another epoch.")
    @State
    public static class DeadWaiterForgotten
    {
        private final EventCount eventCount = new EventCount(MappedSlots.buffer(), MappedSlots.claim());
        private final int[] sequenceRead = new int[1];
        private int registration;

        public DeadWaiterForgotten()
        {
            eventCount.beginWait();
        }

        @Actor
        public void waker()
        {
            eventCount.signal(1);
        }

        @Actor
        public void waiter()
        {
            registration = registerBeforeSleep(eventCount, sequenceRead);
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            r.r1 = eventCount.sequence() == sequenceRead[0] ? 1 : 0;
            r.r2 = eventCount.waiters();
            eventCount.endWait(registration);
            r.r3 = eventCount.waiters();
        }
    }

    /**
     * A woken waiter deregisters while a wake-all forgets it: either order leaves a count of 0, never a count
     * decremented below 0 into the epoch, nor one left behind. Breaks if the decrement were a plain getAndAdd.
     */
    @JCStressTest
    @Outcome(id = "0", expect = ACCEPTABLE, desc = "Deregistered once, by one of the two.")
    @Outcome(expect = FORBIDDEN, desc = "A count left behind, or one taken twice.")
    @State
    public static class EndWaitRacesForget
    {
        private final EventCount eventCount = new EventCount(MappedSlots.buffer(), MappedSlots.claim());
        private final int registration = eventCount.beginWait();

        @Actor
        public void waiter()
        {
            eventCount.endWait(registration);
        }

        @Actor
        public void waker()
        {
            eventCount.wakeAllUnfenced();
        }

        @Arbiter
        public void arbiter(final I_Result r)
        {
            r.r1 = eventCount.waiters();
        }
    }
}
