package dev.jipc.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import dev.jipc.core.codec.Codecs;
import dev.jipc.core.pipe.Connection;
import dev.jipc.core.pipe.Pipe;
import dev.jipc.core.queue.Queue;
import org.junit.jupiter.api.Test;

/**
 * The process contract over the forkserver (fresh JVMs booted ahead of time), and what is its own: a process runs
 * in a spare, the spares are refilled, and one killed while idle is replaced.
 */
class ProcessForkserverTest extends ProcessContract
{
    private static final int SPARES = 2;

    @Override
    Context newContext()
    {
        return Context.forkserver(SPARES);
    }

    @Override
    int expectedDistinctPids(final int count)
    {
        return count;
    }

    private ForkserverLauncher forkserver()
    {
        return (ForkserverLauncher)context().launcher();
    }

    @Test
    void shouldRunAProcessInASpareAndRefillTheSpares() throws Exception
    {
        final Queue<Long> queue = context().queue(Codecs.longs());
        final Process process = context().process(() ->
        {
            queue.put(ProcessHandle.current().pid());
            return null;
        });
        awaitTrue(() -> forkserver().idlePids().size() == SPARES, "spares did not boot");
        final List<Long> spares = forkserver().idlePids();
        start(process);
        assertEquals(spares.getFirst(), process.pid(), "the process did not go to the oldest spare");
        assertEquals(process.pid(), queue.poll(POLL_SECONDS, TimeUnit.SECONDS));
        assertEquals(0, awaitExit(process));
        awaitTrue(() -> forkserver().idlePids().size() == SPARES && !forkserver().idlePids().contains(process.pid()),
            "spares were not refilled: " + forkserver().idlePids());
    }

    @Test
    void shouldTellTheSparesTheShapeOfATaskAndRunTasksOfThatShapeWithTheirOwnValues() throws Exception
    {
        for (int round = 0; round < 3; round++)
        {
            final Pipe<String> pipe = context().pipe(true, Codecs.strings());
            final Connection<String> childEnd = pipe.second();
            final Process process = context().process(sending(childEnd, "round " + round));
            // each start after the first goes to a spare told the shape while idle, or booted knowing it
            awaitTrue(() -> forkserver().idlePids().size() == SPARES, "spares did not boot");
            start(process);
            // Python's idiom: the rehearsal took no pipe end, so the child's is its own from start() on
            childEnd.close();
            assertTrue(pipe.first().poll(POLL_SECONDS, TimeUnit.SECONDS), "nothing from round " + round);
            assertEquals("round " + round, pipe.first().recv());
            assertEquals(0, awaitExit(process));
            awaitTrue(() -> forkserver().shapeCount() == 1, "one shape, learnt once: " + forkserver().shapeCount());
        }
    }

    private static SerializableCallable<Void> sending(final Connection<String> end, final String message)
    {
        return () ->
        {
            end.send(message);
            return null;
        };
    }

    @Test
    void shouldReplaceASpareKilledWhileIdle() throws Exception
    {
        context().process(() ->
        {
        });
        awaitTrue(() -> forkserver().idlePids().size() == SPARES, "spares did not boot");
        final long victim = forkserver().idlePids().getFirst();
        assertTrue(ProcessHandle.of(victim).orElseThrow().destroyForcibly());
        awaitTrue(() -> forkserver().idlePids().size() == SPARES && !forkserver().idlePids().contains(victim),
            "the killed spare was not replaced: " + forkserver().idlePids());
    }

    @Test
    void shouldStopStartingSparesThatCannotBoot() throws Exception
    {
        try (Context broken = Context.forkserver(SPARES).jvmOptions("-XX:+NoSuchJvmFlag"))
        {
            broken.process(() ->
            {
            });
            final ForkserverLauncher launcher = (ForkserverLauncher)broken.launcher();
            // a JVM that refuses an option exits within a second; a refill without a bound starts them for ever
            Thread.sleep(TimeUnit.SECONDS.toMillis(5));
            final int started = launcher.spareStarts();
            assertTrue(started >= 1 && started <= SPARES + 3, "spares started in 5 s: " + started);
            Thread.sleep(TimeUnit.SECONDS.toMillis(1));
            assertEquals(started, launcher.spareStarts(), "the refill gave up, and stays given up");
        }
    }

    @Test
    void shouldSpawnAProcessWithJvmOptionsOfItsOwn() throws Exception
    {
        final Queue<String> queue = context().queue(Codecs.strings());
        final Process process = context().process(() ->
        {
            queue.put(String.valueOf(System.getProperty("jipc.test.own")));
            return null;
        }).jvmOptions("-Djipc.test.own=yes");
        awaitTrue(() -> forkserver().idlePids().size() == SPARES, "spares did not boot");
        final List<Long> spares = forkserver().idlePids();
        start(process);
        assertFalse(spares.contains(process.pid()), "a process with options of its own went to a spare");
        assertEquals("yes", queue.poll(POLL_SECONDS, TimeUnit.SECONDS));
        assertEquals(0, awaitExit(process));
    }

    @Test
    void shouldLetTheIdleSparesGoWhenClosed() throws Exception
    {
        context().process(() ->
        {
        });
        awaitTrue(() -> forkserver().idlePids().size() == SPARES, "spares did not boot");
        final List<Long> spares = forkserver().idlePids();
        context().close();
        for (final long pid : spares)
        {
            final ProcessHandle spare = ProcessHandle.of(pid).orElse(null);
            if (spare != null)
            {
                spare.onExit().get(END_SECONDS, TimeUnit.SECONDS);
            }
        }
        assertTrue(forkserver().idlePids().isEmpty());
    }

    private static void awaitTrue(final BooleanSupplier condition, final String message) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(END_SECONDS);
        while (!condition.getAsBoolean())
        {
            assertTrue(System.nanoTime() - deadline < 0, message);
            Thread.sleep(10);
        }
    }
}
