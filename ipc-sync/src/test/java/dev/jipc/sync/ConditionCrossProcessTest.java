package dev.jipc.sync;

import static dev.jipc.core.test.ChildProcesses.awaitSuccess;
import static dev.jipc.sync.SyncTestSupport.CHILD_TIMEOUT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.WaitStrategy;
import dev.jipc.core.test.ChildProcesses;
import dev.jipc.core.test.Names;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * 100,000 hand-offs of a turn between two JVMs through a Condition and {@code waitFor}: each JVM waits for its turn,
 * passes it on and notifies. A lost wake-up shows as a wait that times out, which fails the child.
 */
class ConditionCrossProcessTest
{
    private static final int HAND_OFFS = 100_000;

    @ParameterizedTest
    @EnumSource(value = WaitStrategy.class, names = {"SPIN_THEN_PARK", "PARK"})
    void shouldHandOffATurnBetweenJvmsWithoutALostWakeUp(final WaitStrategy strategy)
    {
        try (SyncArena arena = SyncArena.create(Names.unique("handoff"), 8, 1024);
            Condition condition = arena.newCondition();
            LongValue turn = arena.newLongValue(0);
            ChildProcesses children = new ChildProcesses())
        {
            try
            {
                final String conditionHandle = SyncTestSupport.encode(condition);
                final String turnHandle = SyncTestSupport.encode(turn);
                final ChildProcesses.Child even = children.start(ChildJvm.of(Player.class)
                    .args(conditionHandle, turnHandle, 0, strategy));
                final ChildProcesses.Child odd = children.start(ChildJvm.of(Player.class)
                    .args(conditionHandle, turnHandle, 1, strategy));
                awaitSuccess(even, CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                awaitSuccess(odd, CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                assertEquals(HAND_OFFS, turn.get());
                assertEquals(0, condition.waiters());
            }
            finally
            {
                arena.unlink();
            }
        }
    }

    /** Takes every turn whose parity is its own, HAND_OFFS / 2 of them. */
    public static final class Player
    {
        public static void main(final String[] args) throws InterruptedException
        {
            final Condition shared = SyncTestSupport.decode(args[0]);
            final LongValue turn = SyncTestSupport.decode(args[1]);
            final int parity = Integer.parseInt(args[2]);
            final WaitStrategy strategy = WaitStrategy.valueOf(args[3]);
            try (SyncArena arena = SyncArena.open(shared.directory(), shared.name());
                Condition condition = (Condition)arena.attach(shared.offset(), SyncKind.CONDITION, strategy))
            {
                final RobustLock lock = condition.getLock();
                for (long mine = parity; mine < HAND_OFFS; mine += 2)
                {
                    final long expected = mine;
                    lock.lock();
                    try
                    {
                        if (!condition.waitFor(() -> turn.getRaw() == expected, Duration.ofSeconds(30)))
                        {
                            throw new AssertionError("lost wake-up: waited 30 s for turn=" + expected + ", turn is " +
                                turn.getRaw());
                        }
                        turn.setRaw(expected + 1);
                        condition.notify(1);
                    }
                    finally
                    {
                        lock.unlock();
                    }
                }
            }
        }
    }
}
