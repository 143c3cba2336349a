package dev.jipc.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;

import java.lang.invoke.VarHandle;

import dev.jipc.core.wait.AsymmetricFence;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.AtomicBuffer;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The Dekker hand-shake of a single-producer {@code LongQueue} (SlotLongRing, Waiting) on mapped memory: the light
 * side (the producer) stores a slot's sequence with release semantics and then loads the waiter count with no fence,
 * exactly as a put does; the heavy side (a consumer about to sleep) increments the waiter count, runs
 * {@link AsymmetricFence#heavy()} and then loads the sequence. Both missing the other's store is a lost wake-up.
 * Without the heavy fence, x86 allows it (a load may pass an earlier store), and a plain loop of both sides misses
 * about 1 in 500 hand-shakes here; with it, jcstress still sees about 1 in a million on this 2-vCPU VM, cause not
 * found (the membarrier returns success; the light side's store and load stay in program order even interpreted).
 * So the outcome is interesting rather than forbidden, and what makes the ring correct is the bound on the waiter's
 * first sleep after registering ({@code EventCount.HEAVY_FENCE_FIRST_SLEEP_NANOS}): a missed wake-up is late by at
 * most 100 us, never lost. This test keeps the rate in view.
 * <p>
 * Run: {@code ./jipc stress -t AsymmetricFenceTest}.
 * <p>
 * r1: the waiter count the light side read; r2: the sequence the heavy side read.
 */
@JCStressTest
@Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "The waiter registered after the put: it saw the sequence.")
@Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "The waiter registered before the put: the producer saw it.")
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "Each saw the other.")
@Outcome(id = "0, 0", expect = ACCEPTABLE_INTERESTING,
    desc = "Each missed the other in spite of the fence: about once in a million here; the waiter's first sleep " +
    "is then cut short at 100 us (EventCount).")
@State
public class AsymmetricFenceTest
{
    private static final int SEQUENCE = 0;
    private static final int WAITERS = 64;
    private static final boolean LIGHT = AsymmetricFence.registerLight();

    private final AtomicBuffer buffer = MappedSlots.buffer();
    private final int slot = MappedSlots.claim();
    private final long sequenceAddress = buffer.addressOffset() + slot + SEQUENCE;
    private final long waitersAddress = buffer.addressOffset() + slot + WAITERS;

    @Actor
    public void producer(final II_Result r)
    {
        UnsafeApi.putLongRelease(null, sequenceAddress, 1);
        if (!LIGHT)
        {
            VarHandle.fullFence();
        }
        r.r1 = UnsafeApi.getIntVolatile(null, waitersAddress);
    }

    @Actor
    public void waiter(final II_Result r)
    {
        buffer.getAndAddInt(slot + WAITERS, 1);
        AsymmetricFence.heavy();
        r.r2 = (int)UnsafeApi.getLongVolatile(null, sequenceAddress);
    }
}
