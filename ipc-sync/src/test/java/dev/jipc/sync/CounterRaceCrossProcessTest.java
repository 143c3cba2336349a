package dev.jipc.sync;

import static dev.jipc.core.ChildProcesses.awaitSuccess;
import static dev.jipc.sync.SyncTestSupport.CHILD_TIMEOUT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.ChildProcesses;
import dev.jipc.core.test.ChildLogs;
import dev.jipc.core.test.Names;
import org.junit.jupiter.api.Test;

/** Python's classic counter race: 10 JVMs each add 1 to a shared IntValue 100,000 times. */
class CounterRaceCrossProcessTest
{
    private static final int JVMS = 10;
    private static final int INCREMENTS = 100_000;

    @Test
    void shouldCountExactlyUnderTheValuesLock() throws InterruptedException
    {
        assertEquals(JVMS * INCREMENTS, race(true));
    }

    @Test
    void shouldNeverCountMoreWithoutTheLock() throws InterruptedException
    {
        final int total = race(false);
        assertTrue(total <= JVMS * INCREMENTS, "total=" + total);
        assertTrue(total >= INCREMENTS, "every JVM counted: total=" + total);
    }

    private static int race(final boolean locked) throws InterruptedException
    {
        final String name = Names.unique("counter");
        try (IntValue counter = IntValue.create(name, 0);
            ChildProcesses children = ChildLogs.group())
        {
            try
            {
                final List<ChildProcesses.Child> started = new ArrayList<>();
                for (int i = 0; i < JVMS; i++)
                {
                    started.add(children.start(ChildJvm.of(Incrementer.class).args(name, INCREMENTS, locked)));
                }
                for (final ChildProcesses.Child child : started)
                {
                    awaitSuccess(child, CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                }
                assertEquals(0, counter.getLock().ownerPid(), "the lock is free at the end");
                return counter.get();
            }
            finally
            {
                counter.unlink();
            }
        }
    }

    /** Opens the counter by name and adds 1 to it, the Python way: {@code with v.get_lock(): v.value += 1}. */
    public static final class Incrementer
    {
        public static void main(final String[] args)
        {
            final int increments = Integer.parseInt(args[1]);
            final boolean locked = Boolean.parseBoolean(args[2]);
            try (IntValue counter = IntValue.open(args[0]))
            {
                final RLock lock = counter.getLock();
                for (int i = 0; i < increments; i++)
                {
                    if (locked)
                    {
                        lock.lock();
                        try
                        {
                            counter.set(counter.get() + 1);
                        }
                        finally
                        {
                            lock.unlock();
                        }
                    }
                    else
                    {
                        counter.set(counter.get() + 1);
                    }
                }
            }
        }
    }
}
