package dev.jipc.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.jipc.core.wait.WaitStrategy;
import dev.jipc.sync.IntValue;
import dev.jipc.sync.RLock;
import dev.jipc.sync.SyncKind;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * Python's counter race on an ipc-sync {@link IntValue} in a mapped sync arena: two actors each add 1. Without the
 * lock, updates can be lost (the interesting outcome that the race exists); under the value's embedded lock, or with
 * the lock-free {@link IntValue#getAndAdd}, only the exact total is acceptable.
 * <p>
 * Run: {@code ./jipc stress -t CounterRaceTest}.
 * <p>
 * r1: the value after both actors.
 */
public final class CounterRaceTest
{
    private static final SyncPool<IntValue> VALUES = new SyncPool<>(SyncKind.INT_VALUE, 128, 1, a -> a.newIntValue(0));

    private CounterRaceTest()
    {
    }

    /** {@code value = value + 1} with raw reads and writes: no lock. */
    @JCStressTest
    @Outcome(id = "2", expect = ACCEPTABLE, desc = "The increments happened one after the other.")
    @Outcome(id = "1", expect = ACCEPTABLE_INTERESTING, desc = "Lost update: both read 0. The race Python shows too.")
    @Outcome(expect = FORBIDDEN, desc = "No other outcome exists.")
    @State
    public static class Unlocked
    {
        private final IntValue value = reset(VALUES.take(WaitStrategy.SPIN_THEN_PARK));

        @Actor
        public void actor1()
        {
            value.setRaw(value.getRaw() + 1);
        }

        @Actor
        public void actor2()
        {
            value.setRaw(value.getRaw() + 1);
        }

        @Arbiter
        public void arbiter(final I_Result r)
        {
            r.r1 = value.getRaw();
        }
    }

    /** {@code with value.get_lock(): value.value += 1}, on the value's embedded {@link RLock}. */
    @JCStressTest
    @Outcome(id = "2", expect = ACCEPTABLE, desc = "The lock serialised the increments.")
    @Outcome(id = "1", expect = FORBIDDEN, desc = "Lost update under the lock: it did not exclude or order.")
    @Outcome(expect = FORBIDDEN, desc = "No other outcome exists.")
    @State
    public static class Locked
    {
        private final IntValue value = reset(VALUES.take(WaitStrategy.SPIN_THEN_PARK));

        @Actor
        public void actor1()
        {
            increment();
        }

        @Actor
        public void actor2()
        {
            increment();
        }

        @Arbiter
        public void arbiter(final I_Result r)
        {
            r.r1 = value.getRaw();
        }

        private void increment()
        {
            final RLock lock = value.getLock();
            lock.lock();
            try
            {
                value.set(value.get() + 1);
            }
            finally
            {
                lock.unlock();
            }
        }
    }

    /** {@link IntValue#getAndAdd}: one atomic instruction, no lock. */
    @JCStressTest
    @Outcome(id = "2", expect = ACCEPTABLE, desc = "Atomic adds are never lost.")
    @Outcome(id = "1", expect = FORBIDDEN, desc = "Lost update: getAndAdd was not atomic.")
    @Outcome(expect = FORBIDDEN, desc = "No other outcome exists.")
    @State
    public static class GetAndAdd
    {
        private final IntValue value = reset(VALUES.take(WaitStrategy.SPIN_THEN_PARK));

        @Actor
        public void actor1()
        {
            value.getAndAdd(1);
        }

        @Actor
        public void actor2()
        {
            value.getAndAdd(1);
        }

        @Arbiter
        public void arbiter(final I_Result r)
        {
            r.r1 = value.getRaw();
        }
    }

    private static IntValue reset(final IntValue value)
    {
        value.setRaw(0);
        return value;
    }
}
