package dev.jipc.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.codec.Codecs;
import dev.jipc.core.pipe.Connection;
import dev.jipc.core.pipe.Pipe;
import dev.jipc.core.queue.Queue;
import dev.jipc.core.wait.Waitable;
import dev.jipc.sync.Event;
import dev.jipc.sync.IntValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a {@link Process} promises whatever its start method: one abstract test, a thin subclass per context
 * ({@link ProcessSpawnTest}, {@link ProcessForkserverTest}, {@link ProcessThreadsTest}), as JCTools'
 * {@code QueueSanityTest}.
 * <p>
 * Every wait is bounded. Objects live in a fresh directory that the context unlinks after each test; child JVMs
 * still running then are killed (a thread that is still running is left to end: a thread cannot be stopped). Task
 * lambdas capture local variables only, never the test instance (which is not serialisable). Timing: a join with a
 * timeout is never early, and late by at most {@link #LATE_MARGIN_NANOS} (CI shares two cores).
 */
abstract class ProcessContract
{
    /** The longest a process that should end may take: a JVM start on two busy shared cores. */
    static final long END_SECONDS = 120;
    static final long LATE_MARGIN_NANOS = TimeUnit.SECONDS.toNanos(2);
    static final long POLL_SECONDS = 60;

    @TempDir
    Path directory;

    private Context context;
    private final List<Process> started = new ArrayList<>();

    /**
     * A new context of the start method under test.
     *
     * @return the context, not yet configured.
     */
    abstract Context newContext();

    @BeforeEach
    void createContext()
    {
        context = newContext().directory(directory);
    }

    @AfterEach
    void cleanUp() throws Exception
    {
        AssertionError stuck = null;
        try
        {
            for (final Process process : started)
            {
                if (!isClosed(process) && process.exitCode() == null && context.startMethod().equals(Context.SPAWN))
                {
                    process.kill();
                }
            }
            for (final Process process : started)
            {
                if (!isClosed(process) && !process.join(END_SECONDS, TimeUnit.SECONDS))
                {
                    stuck = new AssertionError("a process did not end after the test: " + process);
                }
            }
        }
        finally
        {
            context.close();
        }
        if (stuck != null)
        {
            throw stuck;
        }
    }

    private static boolean isClosed(final Process process)
    {
        try
        {
            process.exitCode();
            return false;
        }
        catch (final IllegalStateException ex)
        {
            return true;
        }
    }

    /** The context of this test, in a fresh directory, closed (its objects unlinked) after the test. */
    final Context context()
    {
        return context;
    }

    /** Starts a process and remembers it, so that it is killed if the test fails while it runs. */
    final Process start(final Process process)
    {
        started.add(process);
        process.start();
        return process;
    }

    /** Joins a process that must end, and gives its exit code. */
    static int awaitExit(final Process process) throws InterruptedException
    {
        assertTrue(process.join(END_SECONDS, TimeUnit.SECONDS), "did not end in time: " + process);
        assertFalse(process.isAlive());
        final Integer exit = process.exitCode();
        assertNotNull(exit, "no exit code after join: " + process);
        return exit;
    }

    @Test
    void shouldExitWithZeroWhenRunReturns() throws Exception
    {
        final Process process = context().process(() ->
        {
        });
        assertNull(process.exitCode());
        assertFalse(process.isAlive());
        start(process);
        assertEquals(0, awaitExit(process));
    }

    @Test
    void shouldExitWithOneAfterAnUncaughtException() throws Exception
    {
        final Process process = start(context().process((SerializableRunnable)() ->
        {
            throw new IllegalStateException("expected by the test: uncaught in a process");
        }));
        assertEquals(1, awaitExit(process));
    }

    @Test
    void shouldExitWithOneAfterACheckedExceptionOfACallable() throws Exception
    {
        final Process process = start(context().process(() ->
        {
            throw new java.io.IOException("expected by the test: checked, thrown by a callable");
        }));
        assertEquals(1, awaitExit(process));
    }

    @Test
    void shouldBeAliveWithNoExitCodeWhileRunningAndNeverReturnFromATimedJoinEarly() throws Exception
    {
        final Event release = context().event();
        final Process process = start(context().process(() -> release.await(END_SECONDS, TimeUnit.SECONDS)));
        assertTrue(process.isAlive());
        assertNull(process.exitCode());
        for (final long millis : new long[] {0, 1, 50, 300})
        {
            final long begin = System.nanoTime();
            assertFalse(process.join(millis, TimeUnit.MILLISECONDS), "ended while waiting on the event");
            final long waited = System.nanoTime() - begin;
            assertTrue(waited >= TimeUnit.MILLISECONDS.toNanos(millis), "early: waited=" + waited + "ns, timeout=" +
                millis + "ms");
            assertTrue(waited < TimeUnit.MILLISECONDS.toNanos(millis) + LATE_MARGIN_NANOS, "late: waited=" +
                waited + "ns, timeout=" + millis + "ms");
        }
        assertTrue(process.isAlive());
        assertNull(process.exitCode());
        assertThrows(IllegalStateException.class, process::close, "close of a running process");
        release.set();
        assertEquals(0, awaitExit(process));
    }

    @Test
    void shouldRunALambdaCapturingAQueueAnIntValueAPipeEndAndAString() throws Exception
    {
        final Queue<String> queue = context().queue(Codecs.strings());
        final IntValue value = context().intValue(0);
        final Pipe<String> pipe = context().pipe(true, Codecs.strings());
        final Connection<String> childEnd = pipe.second();
        final String greeting = "hello";
        final Process process = start(context().process(() ->
        {
            queue.put(greeting + " through the queue");
            value.set(42);
            childEnd.send(greeting + " through the pipe");
            return null;
        }));
        assertEquals("hello through the queue", queue.poll(POLL_SECONDS, TimeUnit.SECONDS));
        assertTrue(pipe.first().poll(POLL_SECONDS, TimeUnit.SECONDS), "nothing through the pipe");
        assertEquals("hello through the pipe", pipe.first().recv());
        assertEquals(0, awaitExit(process));
        assertEquals(42, value.get());
    }

    @Test
    void shouldWaitForTheNonDaemonThreadsATaskStartedBeforeItEnds() throws Exception
    {
        final Queue<String> queue = context().queue(Codecs.strings());
        final Process process = start(context().process(() ->
        {
            // Python's child joins the non-daemon threads its target started before it exits
            Thread.ofPlatform().daemon(false).start(() ->
            {
                try
                {
                    Thread.sleep(500);
                    queue.put("from a thread of the task");
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            });
            return null;
        }));
        assertEquals("from a thread of the task", queue.poll(POLL_SECONDS, TimeUnit.SECONDS));
        assertEquals(0, awaitExit(process));
    }

    @Test
    void shouldRunATaskLargerThanThePipeBufferOfTheChildsStdin() throws Exception
    {
        final IntValue value = context().intValue(0);
        final byte[] large = new byte[1 << 20];
        java.util.Arrays.fill(large, (byte)1);
        large[large.length - 1] = 7;
        final Process process = start(context().process(() ->
        {
            int sum = 0;
            for (final byte b : large)
            {
                sum += b;
            }
            value.set(sum);
        }));
        assertEquals(0, awaitExit(process));
        assertEquals(large.length - 1 + 7, value.get());
    }

    @Test
    void shouldPassArgumentsToATarget() throws Exception
    {
        final IntValue value = context().intValue(0);
        final Process one = start(context().process(IntValue::set, value, 7));
        assertEquals(0, awaitExit(one));
        assertEquals(7, value.get());
        final Process two = start(context().process((IntValue v) -> v.getAndAdd(5), value));
        assertEquals(0, awaitExit(two));
        assertEquals(12, value.get());
    }

    @Test
    void shouldRunASubclassThatOverridesRun() throws Exception
    {
        final Queue<String> queue = context().queue(Codecs.strings());
        final Process process = start(new Greeter(context(), queue, "from a subclass"));
        assertEquals("from a subclass", queue.poll(POLL_SECONDS, TimeUnit.SECONDS));
        assertEquals(0, awaitExit(process));
    }

    @Test
    void shouldNameProcessesInOrderAndNameItselfInTheProcess() throws Exception
    {
        final Queue<String> queue = context().queue(Codecs.strings());
        final Process first = context().process(() ->
        {
            queue.put(describeCurrent());
            return null;
        });
        final Process second = context().process(() ->
        {
            queue.put(describeCurrent());
            return null;
        });
        assertTrue(first.name().matches("Process-\\d+"), first.name());
        final int n = Integer.parseInt(first.name().substring("Process-".length()));
        assertEquals("Process-" + (n + 1), second.name());
        second.name("worker").daemon(true);
        start(first);
        assertEquals(first.name() + " pid=" + first.pid() + " daemon=false", queue.poll(POLL_SECONDS,
            TimeUnit.SECONDS));
        start(second);
        assertEquals("worker pid=" + second.pid() + " daemon=true", queue.poll(POLL_SECONDS, TimeUnit.SECONDS));
        assertThrows(IllegalStateException.class, () -> second.name("late"));
        assertThrows(IllegalStateException.class, () -> second.daemon(false));
        awaitExit(first);
        awaitExit(second);
    }

    @Test
    void shouldCompleteOnExitWithTheProcess() throws Exception
    {
        final Process process = start(context().process(() ->
        {
        }));
        assertSame(process, process.onExit().get(END_SECONDS, TimeUnit.SECONDS));
        assertEquals(0, process.exitCode());
    }

    @Test
    void shouldListARunningProcessAmongTheActiveChildrenAndForgetItOnceEnded() throws Exception
    {
        final Event release = context().event();
        final Process process = start(context().process(() -> release.await(END_SECONDS, TimeUnit.SECONDS)));
        assertTrue(Processes.activeChildren().contains(process));
        release.set();
        awaitExit(process);
        assertFalse(Processes.activeChildren().contains(process));
    }

    @Test
    void shouldRefuseASecondStartAndUseAfterClose() throws Exception
    {
        final Process process = start(context().process(() ->
        {
        }));
        assertThrows(IllegalStateException.class, process::start);
        awaitExit(process);
        process.close();
        process.close();
        assertThrows(IllegalStateException.class, process::isAlive);
        assertThrows(IllegalStateException.class, process::join);
        assertThrows(IllegalStateException.class, process::start);
    }

    @Test
    void shouldRefuseToJoinAProcessNotStarted()
    {
        final Process process = context().process(() ->
        {
        });
        assertThrows(IllegalStateException.class, process::join);
        assertThrows(IllegalStateException.class, process::pid);
    }

    @Test
    void shouldCompleteFiftyProcessesStartedAtOnce() throws Exception
    {
        final int count = 50;
        final Queue<Long> queue = context().queue(Codecs.longs());
        final IntValue total = context().intValue(0);
        final List<Process> processes = new ArrayList<>();
        for (int i = 0; i < count; i++)
        {
            final int index = i;
            processes.add(context().process(() ->
            {
                total.getAndAdd(index);
                queue.put(Processes.currentProcess().pid());
                return null;
            }));
        }
        for (final Process process : processes)
        {
            start(process);
        }
        final Set<Long> pids = new HashSet<>();
        for (int i = 0; i < count; i++)
        {
            final Long pid = queue.poll(END_SECONDS, TimeUnit.SECONDS);
            assertNotNull(pid, "only " + i + " of " + count + " processes reported");
            pids.add(pid);
        }
        for (final Process process : processes)
        {
            assertEquals(0, awaitExit(process), process.toString());
        }
        assertEquals(count * (count - 1) / 2, total.get());
        assertEquals(expectedDistinctPids(count), pids.size());
    }

    /** How many distinct pids {@code count} processes report: one each for child JVMs, one in all for threads. */
    abstract int expectedDistinctPids(int count);

    @Test
    void shouldHaveADifferentNameFromTheMainProcess()
    {
        assertNotEquals(Processes.MAIN_PROCESS, context().process(() ->
        {
        }).name());
        assertEquals(Processes.MAIN_PROCESS, Processes.currentProcess().name());
        assertTrue(Processes.parentProcess().isEmpty());
    }

    static String describeCurrent()
    {
        final ProcessInfo self = Processes.currentProcess();
        return self.name() + " pid=" + self.pid() + " daemon=" + self.daemon();
    }

    @Test
    void shouldRefuseASentinelBeforeStartAndAfterCloseAndKeepAnEarlierOneReady() throws Exception
    {
        final Process process = context().process(() ->
        {
        });
        final IllegalStateException notStarted = assertThrows(IllegalStateException.class, process::sentinel);
        assertTrue(notStarted.getMessage().contains("not started"), notStarted.getMessage());
        start(process);
        final Waitable sentinel = process.sentinel();
        assertSame(sentinel, process.sentinel());
        assertEquals(0, awaitExit(process));
        process.close();
        final IllegalStateException closed = assertThrows(IllegalStateException.class, process::sentinel);
        assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
        assertTrue(sentinel.isReady());
        assertEquals(List.of(sentinel), Connection.wait(List.of(sentinel), 0, TimeUnit.SECONDS));
    }

    @Test
    @Timeout(value = 2 * END_SECONDS, unit = TimeUnit.SECONDS)
    void shouldWakeAWaitOnAQuietPipeEndAndTheSentinelWhenTheProcessEnds() throws Exception
    {
        final Pipe<String> quiet = context().pipe(true, Codecs.strings());
        final long sleepMillis = 200;
        final long startedAt = System.nanoTime();
        final Process process = start(context().process(() ->
        {
            Thread.sleep(sleepMillis);
            return null;
        }));
        final CompletableFuture<Long> endedAt = process.onExit().thenApply(ended -> System.nanoTime());
        final Waitable sentinel = process.sentinel();
        final List<Waitable> ready = Connection.wait(List.of(quiet.first(), sentinel), END_SECONDS, TimeUnit.SECONDS);
        final long returnedAt = System.nanoTime();
        assertEquals(List.of(sentinel), ready);
        assertNotNull(process.exitCode(), "ready before the process ended");
        assertTrue(returnedAt - startedAt >= TimeUnit.MILLISECONDS.toNanos(sleepMillis), "ready before the task slept");
        assertEquals(0, awaitExit(process));
        final long lateNanos = returnedAt - endedAt.get(END_SECONDS, TimeUnit.SECONDS);
        assertTrue(lateNanos < LATE_MARGIN_NANOS, "woken late after the exit: lateNanos=" + lateNanos);
    }

    @Test
    @Timeout(value = 2 * END_SECONDS, unit = TimeUnit.SECONDS)
    void shouldReturnThePipeEndAloneWhenTheRunningProcessSends() throws Exception
    {
        final Pipe<String> pipe = context().pipe(true, Codecs.strings());
        final Connection<String> childEnd = pipe.second();
        final Event release = context().event();
        try
        {
            final Process process = start(context().process(() ->
            {
                childEnd.send("hello");
                return release.await(END_SECONDS, TimeUnit.SECONDS);
            }));
            final Connection<String> mine = pipe.first();
            final Waitable sentinel = process.sentinel();
            assertEquals(List.of(mine), Connection.wait(List.of(mine, sentinel), END_SECONDS, TimeUnit.SECONDS));
            assertTrue(process.isAlive());
            assertEquals("hello", mine.recv());
            release.set();
            assertEquals(0, awaitExit(process));
            assertTrue(Connection.wait(List.of(mine, sentinel), 0, TimeUnit.SECONDS).contains(sentinel));
        }
        finally
        {
            release.set();
        }
    }

    @Test
    @Timeout(value = 2 * END_SECONDS, unit = TimeUnit.SECONDS)
    void shouldTimeOutAWaitOnARunningProcessEmptyAndNeverEarly() throws Exception
    {
        final Pipe<String> quiet = context().pipe(true, Codecs.strings());
        final Event release = context().event();
        try
        {
            final Process process = start(context().process(() -> release.await(END_SECONDS, TimeUnit.SECONDS)));
            final Waitable sentinel = process.sentinel();
            final long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(300);
            final long start = System.nanoTime();
            final List<Waitable> ready = Connection.wait(List.of(quiet.first(), sentinel), timeoutNanos,
                TimeUnit.NANOSECONDS);
            final long elapsed = System.nanoTime() - start;
            assertTrue(ready.isEmpty(), "ready=" + ready);
            assertTrue(elapsed >= timeoutNanos, "early: elapsedNanos=" + elapsed);
            assertTrue(elapsed < timeoutNanos + LATE_MARGIN_NANOS, "late: elapsedNanos=" + elapsed);
            assertTrue(process.isAlive());
            release.set();
            assertEquals(List.of(sentinel),
                Connection.wait(List.of(quiet.first(), sentinel), END_SECONDS, TimeUnit.SECONDS));
            assertEquals(0, awaitExit(process));
        }
        finally
        {
            release.set();
        }
    }

    @Test
    @Timeout(value = 2 * END_SECONDS, unit = TimeUnit.SECONDS)
    void shouldMakeTheSentinelOfAProcessThatHasEndedReadyAtOnce() throws Exception
    {
        final Pipe<String> quiet = context().pipe(true, Codecs.strings());
        final Process process = start(context().process(() ->
        {
        }));
        assertEquals(0, awaitExit(process));
        final Waitable sentinel = process.sentinel();
        assertTrue(sentinel.isReady());
        assertEquals(List.of(sentinel), Connection.wait(List.of(quiet.first(), sentinel), 0, TimeUnit.SECONDS));
        final long start = System.nanoTime();
        assertEquals(List.of(sentinel),
            Connection.wait(List.of(quiet.first(), sentinel), END_SECONDS, TimeUnit.SECONDS));
        final long elapsed = System.nanoTime() - start;
        assertTrue(elapsed < LATE_MARGIN_NANOS, "not at once: elapsedNanos=" + elapsed);
    }

    @Test
    @Timeout(value = 3 * END_SECONDS, unit = TimeUnit.SECONDS)
    void shouldTellWhichOfSeveralProcessesHaveEnded() throws Exception
    {
        final List<Event> releases = List.of(context().event(), context().event(), context().event());
        try
        {
            final List<Process> processes = new ArrayList<>();
            final List<Waitable> sentinels = new ArrayList<>();
            for (final Event release : releases)
            {
                final Process process = start(context().process(() -> release.await(END_SECONDS, TimeUnit.SECONDS)));
                processes.add(process);
                sentinels.add(process.sentinel());
            }
            assertTrue(Connection.wait(sentinels, 100, TimeUnit.MILLISECONDS).isEmpty());
            releases.get(1).set();
            assertEquals(List.of(sentinels.get(1)), Connection.wait(sentinels, END_SECONDS, TimeUnit.SECONDS));
            assertTrue(processes.get(0).isAlive() && processes.get(2).isAlive());
            releases.get(2).set();
            releases.get(0).set();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(END_SECONDS);
            List<Waitable> ready = List.of();
            while (ready.size() < sentinels.size() && deadline - System.nanoTime() > 0)
            {
                final List<Waitable> pending = new ArrayList<>(sentinels);
                pending.removeAll(ready);
                assertFalse(Connection.wait(pending, END_SECONDS, TimeUnit.SECONDS).isEmpty(), "none ended");
                ready = Connection.wait(sentinels, 0, TimeUnit.SECONDS);
            }
            assertEquals(sentinels, ready, "all ended, in the given order");
            for (final Process process : processes)
            {
                assertEquals(0, awaitExit(process));
            }
        }
        finally
        {
            for (final Event release : releases)
            {
                release.set();
            }
        }
    }

    /** Python's second style: a subclass that overrides run(), with its state in fields. */
    static final class Greeter extends Process
    {
        private final Queue<String> queue;
        private final String greeting;

        Greeter(final Context context, final Queue<String> queue, final String greeting)
        {
            super(context);
            this.queue = queue;
            this.greeting = greeting;
        }

        @Override
        public void run()
        {
            try
            {
                queue.put(greeting);
            }
            catch (final InterruptedException ex)
            {
                throw new IllegalStateException(ex);
            }
        }
    }
}
