package dev.jipc.sync;

import static dev.jipc.core.ChildProcesses.awaitSuccess;
import static dev.jipc.sync.SyncTestSupport.CHILD_TIMEOUT_SECONDS;
import static dev.jipc.sync.SyncTestSupport.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.ChildProcesses;
import dev.jipc.core.Handles;
import dev.jipc.core.test.ChildLogs;
import dev.jipc.core.test.Names;
import org.junit.jupiter.api.Test;

/** Event, Barrier and Semaphore between real JVMs. */
class EventBarrierSemaphoreCrossProcessTest
{
    private static final int ROUNDS = 1_000;
    private static final int PARTIES = 3;
    private static final int SEMAPHORE_JVMS = 4;
    private static final int SEMAPHORE_ENTRIES = 20_000;

    @Test
    void shouldWakeWaitersInThreeJvmsWhenAnEventIsSet() throws InterruptedException
    {
        try (SyncArena arena = SyncArena.create(Names.unique("event"), 4, 1024);
            Event event = arena.newEvent();
            IntValue woken = arena.newIntValue(0);
            ChildProcesses children = ChildLogs.group())
        {
            try
            {
                final List<ChildProcesses.Child> waiters = new ArrayList<>();
                for (int i = 0; i < 3; i++)
                {
                    waiters.add(children.start(ChildJvm.of(EventWaiter.class)
                        .args(Handles.encode(event), Handles.encode(woken))));
                }
                awaitTrue(() -> event.waiters() == 3, 60, TimeUnit.SECONDS, "three JVMs asleep on the event");
                assertEquals(0, woken.getRaw(), "nobody passes a clear event");
                event.set();
                for (final ChildProcesses.Child waiter : waiters)
                {
                    awaitSuccess(waiter, 30, TimeUnit.SECONDS);
                }
                assertEquals(3, woken.getRaw());
                assertTrue(event.isSet());
            }
            finally
            {
                arena.unlink();
            }
        }
    }

    @Test
    void shouldHoldThreeJvmsTogetherAtABarrierForAThousandRounds() throws InterruptedException
    {
        try (SyncArena arena = SyncArena.create(Names.unique("barrier"), 4, 1024);
            Barrier barrier = arena.newBarrier(PARTIES);
            IntValue arrivals = arena.newIntValue(0);
            ChildProcesses children = ChildLogs.group())
        {
            try
            {
                final List<ChildProcesses.Child> parties = new ArrayList<>();
                for (int i = 0; i < PARTIES; i++)
                {
                    parties.add(children.start(ChildJvm.of(BarrierParty.class)
                        .args(Handles.encode(barrier), Handles.encode(arrivals))));
                }
                for (final ChildProcesses.Child party : parties)
                {
                    awaitSuccess(party, CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                }
                assertEquals(PARTIES * ROUNDS, arrivals.getRaw());
                assertFalse(barrier.isBroken());
                assertEquals(0, barrier.numberWaiting());
            }
            finally
            {
                arena.unlink();
            }
        }
    }

    @Test
    void shouldNeverLetAThirdPartyIntoASemaphoreOfTwo() throws InterruptedException
    {
        try (SyncArena arena = SyncArena.create(Names.unique("semaphore"), 4, 1024);
            Semaphore semaphore = arena.newSemaphore(2);
            IntArray inside = arena.newIntArray(2);
            ChildProcesses children = ChildLogs.group())
        {
            try
            {
                final List<ChildProcesses.Child> parties = new ArrayList<>();
                for (int i = 0; i < SEMAPHORE_JVMS; i++)
                {
                    parties.add(children.start(ChildJvm.of(SemaphoreParty.class)
                        .args(Handles.encode(semaphore), Handles.encode(inside))));
                }
                for (final ChildProcesses.Child party : parties)
                {
                    awaitSuccess(party, CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                }
                assertEquals(0, inside.getRaw(0), "everyone left");
                final int most = inside.getRaw(1);
                assertTrue(most >= 1 && most <= 2, "at most two inside at once: most=" + most);
                assertEquals(2, semaphore.value());
            }
            finally
            {
                arena.unlink();
            }
        }
    }

    /** Waits for the event and counts itself woken. */
    public static final class EventWaiter
    {
        public static void main(final String[] args) throws InterruptedException
        {
            final Event event = Handles.decode(args[0]);
            final IntValue woken = Handles.decode(args[1]);
            if (!event.await(60, TimeUnit.SECONDS))
            {
                throw new AssertionError("the event was not set within 60 s");
            }
            woken.getAndAdd(1);
        }
    }

    /** Counts its arrival, waits at the barrier, and checks that all parties of the round arrived before it passed. */
    public static final class BarrierParty
    {
        public static void main(final String[] args) throws Exception
        {
            final Barrier barrier = Handles.decode(args[0]);
            final IntValue arrivals = Handles.decode(args[1]);
            for (int round = 0; round < ROUNDS; round++)
            {
                arrivals.getAndAdd(1);
                final int index = barrier.await(30, TimeUnit.SECONDS);
                final int seen = arrivals.getRaw();
                // every party of this round arrived; the others may have arrived at the next round already
                if (seen < PARTIES * (round + 1) || seen > PARTIES * (round + 1) + PARTIES - 1)
                {
                    throw new AssertionError("passed the barrier early: round=" + round + ", arrivals=" + seen);
                }
                if (index < 0 || index >= PARTIES)
                {
                    throw new AssertionError("bad arrival index: index=" + index);
                }
            }
        }
    }

    /** Enters the semaphore many times, counting the parties inside and recording the most seen. */
    public static final class SemaphoreParty
    {
        public static void main(final String[] args) throws InterruptedException
        {
            final Semaphore semaphore = Handles.decode(args[0]);
            final IntArray inside = Handles.decode(args[1]);
            for (int i = 0; i < SEMAPHORE_ENTRIES; i++)
            {
                semaphore.acquire();
                try
                {
                    final int now = inside.getAndAdd(0, 1) + 1;
                    int most = inside.getRaw(1);
                    while (now > most && !inside.compareAndSet(1, most, now))
                    {
                        most = inside.getRaw(1);
                    }
                    if (now > 2)
                    {
                        throw new AssertionError("a third party got in: inside=" + now);
                    }
                    Thread.onSpinWait();
                    inside.getAndAdd(0, -1);
                }
                finally
                {
                    semaphore.release();
                }
            }
        }
    }
}
