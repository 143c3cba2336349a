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
 * Proves the wake-up protocol of jipc's queues ({@code ManyToManyRing}) loses no wake-up although a producer adds no
 * fence of its own per message: the producer moves the ring's tail with a CAS (as Agrona's
 * {@code ManyToOneRingBuffer.tryClaim} does) and only then reads the not-empty waiter count, deciding there whether
 * it will wake anyone after its commit; a consumer registers as a waiter ({@link EventCount#beginWait()}) and then
 * reads the tail, sleeping only if the tail has not moved. Either the producer sees the waiter or the consumer sees
 * the moved tail; if neither, the consumer would sleep on a record nobody wakes it for.
 * <p>
 * Run: {@code ./jipc stress -t ClaimWakeupTest}. Replace the CAS by a release store of the tail and the forbidden
 * outcome appears on x86.
 * <p>
 * r1: the producer saw a waiter (it will wake); r2: the consumer saw the tail moved (it will not sleep).
 */
@JCStressTest
@Outcome(id = "true, true", expect = ACCEPTABLE, desc = "Both saw each other.")
@Outcome(id = "true, false", expect = ACCEPTABLE, desc = "The producer saw the waiter: it wakes it after the commit.")
@Outcome(id = "false, true", expect = ACCEPTABLE, desc = "The consumer saw the claim: it waits for the commit awake.")
@Outcome(id = "false, false", expect = FORBIDDEN, desc = "Lost wake-up: neither saw the other.")
@Outcome(expect = FORBIDDEN, desc = "No other outcome exists.")
@State
public class ClaimWakeupTest
{
    private static final int TAIL = 0;
    private static final int NOT_EMPTY = 64;
    private static final long RECORD_LENGTH = 16;

    private final AtomicBuffer buffer = MappedSlots.buffer();
    private final int slot = MappedSlots.claim();
    private final EventCount notEmpty = new EventCount(buffer, slot + NOT_EMPTY);
    private int registration;

    @Actor
    public void producer(final ZZ_Result r)
    {
        final long tail = buffer.getLongVolatile(slot + TAIL);
        if (buffer.compareAndSetLong(slot + TAIL, tail, tail + RECORD_LENGTH))
        {
            r.r1 = notEmpty.waiters() != 0;
        }
    }

    @Actor
    public void consumer(final ZZ_Result r)
    {
        registration = notEmpty.beginWait();
        r.r2 = buffer.getLongVolatile(slot + TAIL) != 0;
    }

    @Arbiter
    public void arbiter()
    {
        notEmpty.endWait(registration);
    }
}
