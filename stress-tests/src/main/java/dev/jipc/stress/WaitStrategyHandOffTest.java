package dev.jipc.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.concurrent.TimeUnit;

import dev.jipc.core.wait.EventCount;
import dev.jipc.core.wait.WaitCondition;
import dev.jipc.core.wait.WaitStrategy;
import org.agrona.concurrent.AtomicBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * A value handed from one thread to another through {@link WaitStrategy#PARK}: the waiter returns only once the
 * value is published, sees all of it (a payload written before the flag), and never times out. The wait is bounded
 * (10 s), so a lost wake-up that the periodic re-check did not heal fails the test rather than hanging it.
 * <p>
 * Run: {@code ./jipc stress -t WaitStrategyHandOffTest}.
 * <p>
 * r1: 1 if the wait succeeded, 0 on timeout; r2: the payload the waiter read.
 */
@JCStressTest
@Outcome(id = "1, 42", expect = ACCEPTABLE, desc = "The waiter woke and saw the payload published before the flag.")
@Outcome(id = "1, 0", expect = FORBIDDEN, desc = "The waiter saw the flag but not the payload written before it.")
@Outcome(id = "0, .*", expect = FORBIDDEN, desc = "The wait timed out: a wake-up was lost.")
@Outcome(expect = FORBIDDEN, desc = "No other outcome exists.")
@State
public class WaitStrategyHandOffTest
{
    private static final int PAYLOAD = 0;
    private static final int FLAG = 8;
    private static final int EVENT_COUNT = 64;

    private final AtomicBuffer buffer = MappedSlots.buffer();
    private final int slot = MappedSlots.claim();
    private final EventCount eventCount = new EventCount(buffer, slot + EVENT_COUNT);
    private final WaitCondition published = () -> buffer.getIntAcquire(slot + FLAG) == 1;

    @Actor
    public void publisher()
    {
        buffer.putInt(slot + PAYLOAD, 42);
        buffer.putIntRelease(slot + FLAG, 1);
        eventCount.signalAll();
    }

    @Actor
    public void waiter(final II_Result r)
    {
        try
        {
            r.r1 = WaitStrategy.PARK.await(eventCount, published, TimeUnit.SECONDS.toNanos(10)) ? 1 : 0;
            r.r2 = buffer.getInt(slot + PAYLOAD);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            r.r1 = -1;
        }
    }
}
