package dev.jipc.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import dev.jipc.core.ProcessOwner;
import dev.jipc.core.ProcessRegistry;
import dev.jipc.core.SegmentDirectory;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.ZZ_Result;

/**
 * The ownership protocol of every robust lock, consumer lock, producer slot and pipe end ({@link ProcessOwner}), on
 * owner words in a mapped segment, judged by the real {@link ProcessRegistry}.
 * <p>
 * Run: {@code ./jipc stress -t ProcessOwnerTest}.
 */
public final class ProcessOwnerTest
{
    private static final ProcessRegistry REGISTRY = ProcessRegistry.of(SegmentDirectory.defaultDirectory());
    /** A token of incarnation 0, which no process is ever given: always a dead owner. */
    private static final long DEAD = (long)(ProcessRegistry.SLOTS - 1) << 20;
    private static final long A = ProcessOwner.word(REGISTRY, 1);
    private static final long B = ProcessOwner.word(REGISTRY, 2);

    private ProcessOwnerTest()
    {
    }

    /**
     * Two waiters found the same dead owner and both try to take the word over: exactly one does, and the word names
     * it. Breaks if recovery were a check followed by a plain store instead of a compare-and-set of the dead word.
     * <p>
     * r1, r2: whether each actor recovered (1) or not (0); r3: the final owner (1 = actor 1, 2 = actor 2).
     */
    @JCStressTest
    @Outcome(id = "1, 0, 1", expect = ACCEPTABLE, desc = "Actor 1 took the dead owner's word over.")
    @Outcome(id = "0, 1, 2", expect = ACCEPTABLE, desc = "Actor 2 took the dead owner's word over.")
    @Outcome(id = "1, 1, .*", expect = FORBIDDEN, desc = "Both took it over: two owners at once.")
    @Outcome(expect = FORBIDDEN, desc = "No other outcome exists.")
    @State
    public static class RecoverRace
    {
        private final ProcessOwner owner = new ProcessOwner(MappedSlots.buffer(), claimWith(DEAD), REGISTRY);

        @Actor
        public void actor1(final III_Result r)
        {
            r.r1 = owner.recoverFrom(DEAD, A) ? 1 : 0;
        }

        @Actor
        public void actor2(final III_Result r)
        {
            r.r2 = owner.recoverFrom(DEAD, B) ? 1 : 0;
        }

        @Arbiter
        public void arbiter(final III_Result r)
        {
            final long word = owner.owner();
            r.r3 = word == A ? 1 : word == B ? 2 : 0;
        }
    }

    /**
     * A live owner releases and another thread acquires at once, while a waiter that read the live owner's word
     * tries to recover from it: the waiter never succeeds. Breaks if liveness judged a live process dead, or if the
     * recovery's compare-and-set accepted a word that had changed.
     * <p>
     * r1: whether the waiter recovered; r2: whether the acquirer got the released word.
     */
    @JCStressTest
    @Outcome(id = "false, true", expect = ACCEPTABLE, desc = "The waiter saw a live owner; the acquirer got it.")
    @Outcome(id = "true, .*", expect = FORBIDDEN, desc = "A live owner was judged dead.")
    @Outcome(expect = FORBIDDEN, desc = "No other outcome exists.")
    @State
    public static class LiveOwnerIsNeverRecovered
    {
        private final ProcessOwner owner = new ProcessOwner(MappedSlots.buffer(), claimWith(A), REGISTRY);

        @Actor
        public void waiter(final ZZ_Result r)
        {
            r.r1 = owner.recoverFrom(A, B);
        }

        @Actor
        public void ownerReleasesAndAnotherAcquires(final ZZ_Result r)
        {
            owner.release();
            r.r2 = owner.tryAcquire(B);
        }
    }

    private static int claimWith(final long word)
    {
        final int offset = MappedSlots.claim();
        MappedSlots.buffer().putLongVolatile(offset, word);
        return offset;
    }
}
