package dev.jipc.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.jipc.core.wait.EventCount;
import org.agrona.concurrent.AtomicBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.ZZ_Result;

/**
 * Proves that {@link EventCount} loses no wake-up: the Dekker handshake between a waker that publishes a flag and
 * then looks for waiters, and a waiter that registers, reads the sequence and then looks at the flag (the steps
 * {@link dev.jipc.core.wait.WaitStrategy} takes before it sleeps on that sequence). Either the waiter sees the flag, or
 * the sequence it would sleep on has changed by the time the waker is done (so the sleep returns at once); if
 * neither, the waiter would sleep on a flag it never saw while the waker skipped the wake. The waiter stays
 * registered to the end, as a sleeping waiter does.
 * <p>
 * Run: {@code ./jipc stress -t EventCountWakeupTest} (or
 * {@code java <jipc flags> -jar stress-tests/target/jcstress.jar -t EventCountWakeupTest -jvmArgsPrepend "<jipc flags>"}).
 * Take the full fence out of {@link EventCount#signal(int)} and the forbidden outcome appears on x86.
 * <p>
 * r1: the sequence moved on from the one the waiter read (the waker saw it and will wake it); r2: the waiter saw
 * the flag.
 */
@JCStressTest
@Outcome(id = "true, true", expect = ACCEPTABLE, desc = "Both saw each other.")
@Outcome(id = "true, false", expect = ACCEPTABLE, desc = "The waker saw the waiter: the sleep returns at once.")
@Outcome(id = "false, true", expect = ACCEPTABLE, desc = "The waiter saw the flag: it does not sleep.")
@Outcome(id = "false, false", expect = FORBIDDEN, desc = "Lost wake-up: neither saw the other.")
@Outcome(expect = FORBIDDEN, desc = "No other outcome exists.")
@State
public class EventCountWakeupTest
{
    private static final int FLAG = 0;
    private static final int EVENT_COUNT = 64;

    private final AtomicBuffer buffer = MappedSlots.buffer();
    private final int slot = MappedSlots.claim();
    private final EventCount eventCount = new EventCount(buffer, slot + EVENT_COUNT);
    private int sequenceSeenByWaiter;
    private int registration;

    @Actor
    public void waker()
    {
        buffer.putIntRelease(slot + FLAG, 1);
        eventCount.signalAll();
    }

    @Actor
    public void waiter(final ZZ_Result r)
    {
        registration = eventCount.beginWait();
        sequenceSeenByWaiter = eventCount.sequence();
        r.r2 = buffer.getIntVolatile(slot + FLAG) == 1;
    }

    @Arbiter
    public void arbiter(final ZZ_Result r)
    {
        r.r1 = eventCount.sequence() != sequenceSeenByWaiter;
        eventCount.endWait(registration);
    }
}
