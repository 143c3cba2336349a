package dev.jipc.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import dev.jipc.sync.LongValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker JVM that dies mid-task fails that task alone, with a {@link WorkerDiedException} naming its pid and exit;
 * a replacement starts and every other task completes (Python's {@code Pool.map} hangs here, gh-96062). Real worker
 * JVMs of the forkserver, killed with SIGKILL from this test or ended by their own task.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class PoolWorkerDeathTest
{
    private static final long RESULT_SECONDS = PoolContract.RESULT_SECONDS;

    @TempDir
    Path directory;

    private Context context;
    private final List<Pool> pools = new ArrayList<>();

    @BeforeEach
    void createContext()
    {
        context = Context.forkserver(2).directory(directory);
    }

    @AfterEach
    void cleanUp() throws InterruptedException
    {
        try
        {
            for (final Pool pool : pools)
            {
                pool.terminate();
                assertTrue(pool.join(RESULT_SECONDS, TimeUnit.SECONDS), "workers did not end: " + pool);
            }
        }
        finally
        {
            context.close();
        }
    }

    private Pool pool(final PoolBuilder builder)
    {
        final Pool pool = builder.build();
        pools.add(pool);
        return pool;
    }

    @Test
    void shouldFailOnlyTheKilledTaskOfAnImapAndCompleteEveryOther() throws Exception
    {
        final Pool pool = pool(context.poolBuilder().processes(2));
        for (int round = 0; round < 3; round++)
        {
            final LongValue victim = context.longValue(0);
            final int doomed = 5 + round;
            final PoolIterator<Integer> results = pool.imap(x ->
            {
                if (x == doomed)
                {
                    victim.set(ProcessHandle.current().pid());
                    PoolContract.sleepQuietly(TimeUnit.SECONDS.toMillis(RESULT_SECONDS));
                }
                return x * 10;
            }, IntStream.range(0, 20).boxed().toList());
            PoolContract.awaitTrue(() -> victim.get() != 0);
            final long pid = victim.get();
            assertTrue(ProcessHandle.of(pid).orElseThrow().destroyForcibly());
            for (int x = 0; x < 20; x++)
            {
                if (x == doomed)
                {
                    final CompletionException failure = assertThrows(CompletionException.class,
                        () -> results.next(RESULT_SECONDS, TimeUnit.SECONDS));
                    final WorkerDiedException died = assertInstanceOf(WorkerDiedException.class, failure.getCause());
                    assertEquals(pid, died.pid());
                    assertEquals(-9, died.exitCode());
                    assertTrue(died.getMessage().contains("pid " + pid) && died.getMessage().contains("SIGKILL"),
                        died.getMessage());
                }
                else
                {
                    assertEquals(x * 10, results.next(RESULT_SECONDS, TimeUnit.SECONDS));
                }
            }
            victim.close();
        }
        assertEquals(List.of(1, 4), pool.map(x -> x * x, List.of(1, 2)));
    }

    @Test
    void shouldThrowFromMapInsteadOfHangingWhenAWorkerIsKilled() throws Exception
    {
        final Pool pool = pool(context.poolBuilder().processes(2));
        final LongValue victim = context.longValue(0);
        final AsyncResult<List<Integer>> mapped = pool.mapAsync(x ->
        {
            if (x == 3)
            {
                victim.set(ProcessHandle.current().pid());
                PoolContract.sleepQuietly(TimeUnit.SECONDS.toMillis(RESULT_SECONDS));
            }
            return x;
        }, IntStream.range(0, 8).boxed().toList(), 1, null, null);
        PoolContract.awaitTrue(() -> victim.get() != 0);
        final long killedAt = System.nanoTime();
        ProcessHandle.of(victim.get()).orElseThrow().destroyForcibly();
        final ExecutionException thrown = assertThrows(ExecutionException.class,
            () -> mapped.get(RESULT_SECONDS, TimeUnit.SECONDS));
        final long noticedNanos = System.nanoTime() - killedAt;
        assertInstanceOf(WorkerDiedException.class, thrown.getCause());
        // the exit itself is the signal (the JDK's reaper), not a heartbeat: well under this, even on a busy CI box
        assertTrue(noticedNanos < TimeUnit.SECONDS.toNanos(10), "death noticed after " + noticedNanos + " ns");
        assertEquals(List.of(0, 1, 4), pool.map(x -> x * x, List.of(0, 1, 2)));
    }

    @Test
    void shouldBreakThePoolInsteadOfRestartingWorkersThatCannotStart() throws Exception
    {
        final Pool pool = pool(context.poolBuilder().processes(1).jvmOptions("-XX:+NoSuchJipcTestOption"));
        Throwable broken = null;
        try
        {
            pool.apply(() -> 1);
        }
        catch (final ExecutionException ex)
        {
            broken = ex.getCause();
        }
        catch (final IllegalStateException ex)
        {
            broken = ex;
        }
        assertTrue(broken != null && broken.getMessage().contains("exited before they were ready"),
            String.valueOf(broken));
        assertThrows(IllegalStateException.class, () -> pool.applyAsync(() -> 2));
    }

    @Test
    void shouldNameTheExitCodeOfAWorkerThatCalledSystemExit() throws Exception
    {
        final Pool pool = pool(context.poolBuilder().processes(1));
        final ExecutionException thrown = assertThrows(ExecutionException.class, () -> pool.apply(() ->
        {
            System.exit(3);
            return 0;
        }));
        final WorkerDiedException died = assertInstanceOf(WorkerDiedException.class, thrown.getCause());
        assertEquals(3, died.exitCode());
        assertTrue(died.getMessage().contains("exit code 3"), died.getMessage());
        assertEquals(2, pool.apply(() -> 2));
    }

    @Test
    void shouldRunADeadWorkersTaskAgainWhenRetriesAllow() throws Exception
    {
        final LongValue attempts = context.longValue(0);
        final Pool pool = pool(context.poolBuilder().processes(1).retries(1));
        assertEquals(Integer.valueOf(42), pool.<LongValue, Integer>apply(counter ->
        {
            if (counter.getAndAdd(1) == 0)
            {
                Runtime.getRuntime().halt(9);
            }
            return 42;
        }, attempts));
        assertEquals(2, attempts.get());
    }

    @Test
    void shouldFailOnlyTheFutureOfTheDeadWorkerInTheExecutor() throws Exception
    {
        final ProcessPoolExecutor executor = context.executor(2);
        try
        {
            final Future<Integer> dies = executor.submit(() ->
            {
                Runtime.getRuntime().halt(1);
                return 0;
            });
            final Future<Integer> lives = executor.submit(() -> 7);
            final ExecutionException thrown = assertThrows(ExecutionException.class,
                () -> dies.get(RESULT_SECONDS, TimeUnit.SECONDS));
            assertInstanceOf(WorkerDiedException.class, thrown.getCause());
            assertEquals(7, lives.get(RESULT_SECONDS, TimeUnit.SECONDS));
            assertEquals(8, executor.submit(() -> 8).get(RESULT_SECONDS, TimeUnit.SECONDS));
        }
        finally
        {
            executor.shutdownNow();
            assertTrue(executor.awaitTermination(RESULT_SECONDS, TimeUnit.SECONDS));
        }
    }

    @Test
    void shouldKillAndReplaceTheWorkerOfACancelledRunningFuture() throws Exception
    {
        final LongValue running = context.longValue(0);
        final ProcessPoolExecutor executor = context.executor(1);
        try
        {
            final Future<Long> stuck = executor.submit(() ->
            {
                running.set(ProcessHandle.current().pid());
                PoolContract.sleepQuietly(TimeUnit.SECONDS.toMillis(RESULT_SECONDS));
                return 0L;
            });
            PoolContract.awaitTrue(() -> running.get() != 0);
            final long pid = running.get();
            assertTrue(stuck.cancel(true));
            final java.util.Optional<ProcessHandle> worker = ProcessHandle.of(pid);
            if (worker.isPresent())
            {
                worker.get().onExit().get(RESULT_SECONDS, TimeUnit.SECONDS);
            }
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "worker " + pid);
            assertNotEquals(pid, executor.submit(() -> ProcessHandle.current().pid())
                .get(RESULT_SECONDS, TimeUnit.SECONDS));
        }
        finally
        {
            executor.shutdownNow();
            assertTrue(executor.awaitTermination(RESULT_SECONDS, TimeUnit.SECONDS));
        }
    }
}
