package dev.jipc.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;

import dev.jipc.sync.LongArray;
import dev.jipc.sync.LongValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a {@link Pool} promises whatever its start method, with Python's semantics: one abstract test, a subclass
 * per context ({@link PoolForkserverTest}, {@link PoolSpawnTest}, {@link PoolThreadsTest}). Worker deaths have
 * their own test ({@link PoolWorkerDeathTest}), since threads do not die.
 * <p>
 * Every wait is bounded; each test terminates its pool and closes its context, which ends the workers even when the
 * test fails. Lambdas capture locals only, never the test instance.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
abstract class PoolContract
{
    /** The longest a result may take: worker JVMs start on two busy shared cores. */
    static final long RESULT_SECONDS = 120;

    @TempDir
    Path directory;

    private Context context;
    private final List<Pool> pools = new ArrayList<>();

    abstract Context newContext();

    @BeforeEach
    void createContext()
    {
        context = newContext().directory(directory);
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

    final Context context()
    {
        return context;
    }

    final Pool pool(final PoolBuilder builder)
    {
        final Pool pool = builder.build();
        pools.add(pool);
        return pool;
    }

    final Pool pool(final int processes)
    {
        return pool(context.poolBuilder().processes(processes));
    }

    final boolean workersAreJvms()
    {
        return !Context.THREADS.equals(context.startMethod());
    }

    @Test
    void shouldMapInOrderWithAutomaticAndGivenChunkSizes() throws Exception
    {
        final Pool pool = pool(2);
        final List<Integer> items = IntStream.range(0, 1000).boxed().toList();
        final List<Integer> expected = items.stream().map(x -> x * x).toList();
        assertEquals(expected, pool.map(x -> x * x, items));
        assertEquals(expected, pool.map(x -> x * x, items, 7));
        assertEquals(expected, pool.map(x -> x * x, items, 5000));
        assertEquals(List.of(), pool.map(x -> x * x, List.<Integer>of()));
    }

    @Test
    void shouldMapValuesOfEveryKindIncludingSerialisedOnes() throws Exception
    {
        final Pool pool = pool(2);
        final List<Object> items = new ArrayList<>(List.of(1L, 2, 3.5, true, "text", new byte[] {1, 2},
            new long[] {4, 5}, List.of("a", "b")));
        items.add(null);
        final List<Object> echoed = pool.map(x -> x, items, 3);
        assertEquals(items.size(), echoed.size());
        for (int i = 0; i < items.size(); i++)
        {
            if (items.get(i) instanceof byte[] bytes)
            {
                assertTrue(java.util.Arrays.equals(bytes, (byte[])echoed.get(i)));
            }
            else if (items.get(i) instanceof long[] longs)
            {
                assertTrue(java.util.Arrays.equals(longs, (long[])echoed.get(i)));
            }
            else
            {
                assertEquals(items.get(i), echoed.get(i));
            }
        }
        final String suffix = "!";
        assertEquals(List.of("a!", "b!"), pool.map(s -> s + suffix, List.of("a", "b")));
    }

    @Test
    void shouldSplitChunksAndResultsTooLongForOneMessage() throws Exception
    {
        final Pool pool = pool(2);
        // 100,000 strings of 40 chars: an automatic chunk of 4,096 encodes to 180 kB, more than a task ring's message
        final List<String> items = IntStream.range(0, 100_000).mapToObj(i -> String.format("%040d", i)).toList();
        final List<Integer> lengths = pool.map(String::length, items);
        assertEquals(100_000, lengths.size());
        assertEquals(List.of(40), lengths.stream().distinct().toList());
        // 2,000 results of 400 chars from one chunk: 800 kB, more than the result queue's message
        final List<String> wide = pool.map(x -> "x".repeat(400) + x, IntStream.range(0, 2000).boxed().toList(), 2000);
        for (int i = 0; i < wide.size(); i++)
        {
            assertEquals("x".repeat(400) + i, wide.get(i));
        }
        if (workersAreJvms())
        {
            final IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> pool.map(String::length, items, 100_000));
            assertTrue(tooLong.getMessage().contains("smaller chunksize"), tooLong.getMessage());
        }
    }

    @Test
    void shouldIterateInOrderWithImapAndCompletelyWithImapUnordered() throws Exception
    {
        final Pool pool = pool(2);
        final List<Integer> items = IntStream.range(0, 40).boxed().toList();
        final PoolIterator<Integer> ordered = pool.imap(x ->
        {
            sleepQuietly(x % 3 == 0 ? 20 : 0);
            return x + 1;
        }, items);
        final List<Integer> inOrder = new ArrayList<>();
        while (ordered.hasNext())
        {
            inOrder.add(ordered.next(RESULT_SECONDS, TimeUnit.SECONDS));
        }
        assertEquals(items.stream().map(x -> x + 1).toList(), inOrder);
        assertThrows(java.util.NoSuchElementException.class, ordered::next);

        final PoolIterator<Integer> unordered = pool.imapUnordered(x -> x * 2, items, 3);
        final Set<Integer> seen = new HashSet<>();
        while (unordered.hasNext())
        {
            assertTrue(seen.add(unordered.next(RESULT_SECONDS, TimeUnit.SECONDS)));
        }
        assertEquals(items.stream().map(x -> x * 2).collect(java.util.stream.Collectors.toSet()), seen);
    }

    @Test
    void shouldTimeOutImapNextNeverEarlyAndGiveTheResultLater() throws Exception
    {
        final Pool pool = pool(1);
        pool.apply(() -> 0);
        final PoolIterator<Integer> slow = pool.imap(x ->
        {
            sleepQuietly(1500);
            return x;
        }, List.of(7));
        final long start = System.nanoTime();
        assertThrows(TimeoutException.class, () -> slow.next(200, TimeUnit.MILLISECONDS));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(200), "next(timeout) was early");
        assertEquals(7, slow.next(RESULT_SECONDS, TimeUnit.SECONDS));
    }

    @Test
    void shouldRaiseATaskFailureFromImapNextAndCarryOn() throws Exception
    {
        final Pool pool = pool(2);
        final PoolIterator<Integer> results = pool.imap(x ->
        {
            if (x == 2)
            {
                throw new IllegalArgumentException("no twos");
            }
            return x;
        }, List.of(0, 1, 2, 3));
        assertEquals(0, results.next(RESULT_SECONDS, TimeUnit.SECONDS));
        assertEquals(1, results.next(RESULT_SECONDS, TimeUnit.SECONDS));
        final CompletionException failure = assertThrows(CompletionException.class,
            () -> results.next(RESULT_SECONDS, TimeUnit.SECONDS));
        assertInstanceOf(IllegalArgumentException.class, failure.getCause());
        assertEquals(3, results.next(RESULT_SECONDS, TimeUnit.SECONDS));
    }

    @Test
    void shouldStarmapPairs() throws Exception
    {
        final Pool pool = pool(2);
        assertEquals(List.of(3, 12, 30), pool.starmap((Integer a, Integer b) -> a * b,
            List.of(Map.entry(1, 3), Map.entry(3, 4), Map.entry(5, 6))));
    }

    @Test
    void shouldApplyAndRunCallbacksOnOneResultThreadInCompletionOrder() throws Exception
    {
        final Pool pool = pool(2);
        assertEquals(Integer.valueOf(42), pool.<Integer, Integer>apply(x -> x * 2, 21));
        assertEquals("hi", pool.apply(() -> "hi"));
        final ConcurrentLinkedQueue<String> threads = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Integer> order = new ConcurrentLinkedQueue<>();
        final CountDownLatch all = new CountDownLatch(10);
        final List<AsyncResult<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 10; i++)
        {
            results.add(pool.applyAsync(x -> x, i, value ->
            {
                threads.add(Thread.currentThread().getName());
                order.add(value);
                all.countDown();
            }, null));
        }
        assertTrue(all.await(RESULT_SECONDS, TimeUnit.SECONDS));
        assertEquals(1, new HashSet<>(threads).size(), "callbacks ran on threads " + threads);
        assertTrue(threads.peek().endsWith("-results"), threads.peek());
        assertEquals(10, new HashSet<>(order).size());
        for (final AsyncResult<Integer> result : results)
        {
            assertTrue(result.ready());
            assertTrue(result.successful());
        }
    }

    @Test
    void shouldCallTheErrorCallbackAndSayNotSuccessful() throws Exception
    {
        final Pool pool = pool(1);
        final CountDownLatch called = new CountDownLatch(1);
        final Throwable[] seen = new Throwable[1];
        final AsyncResult<Object> result = pool.applyAsync(() ->
        {
            throw new IllegalStateException("broken task");
        }, null, why ->
        {
            seen[0] = why;
            called.countDown();
        });
        assertTrue(called.await(RESULT_SECONDS, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, seen[0]);
        assertFalse(result.successful());
        final ExecutionException thrown = assertThrows(ExecutionException.class, result::get);
        assertEquals("broken task", thrown.getCause().getMessage());
    }

    @Test
    void shouldThrowFromSuccessfulBeforeReadyAndTimeOutGetNeverEarly() throws Exception
    {
        final Pool pool = pool(1);
        final AsyncResult<Integer> slow = pool.applyAsync(() ->
        {
            sleepQuietly(1500);
            return 1;
        });
        assertThrows(IllegalStateException.class, slow::successful);
        final long start = System.nanoTime();
        assertThrows(TimeoutException.class, () -> slow.get(300, TimeUnit.MILLISECONDS));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(300), "get(timeout) was early");
        // the task sleeps 1.5 s and only 300 ms have passed since it was submitted: a short wait ends not ready
        assertFalse(slow.await(1, TimeUnit.MILLISECONDS));
        assertFalse(slow.ready());
        assertEquals(1, slow.get(RESULT_SECONDS, TimeUnit.SECONDS));
        assertTrue(slow.successful());
    }

    @Test
    void shouldCarryTheRemoteStackTraceOfATaskException() throws Exception
    {
        final Pool pool = pool(1);
        final ExecutionException thrown = assertThrows(ExecutionException.class, () -> pool.apply(x ->
        {
            throw new IllegalArgumentException("bad " + x);
        }, 7));
        final Throwable cause = thrown.getCause();
        assertInstanceOf(IllegalArgumentException.class, cause);
        assertEquals("bad 7", cause.getMessage());
        final boolean inLambda = java.util.Arrays.stream(cause.getStackTrace())
            .anyMatch(frame -> frame.getClassName().equals(PoolContract.class.getName()) &&
            frame.getMethodName().startsWith("lambda$"));
        assertTrue(inLambda, "no frame of the task's lambda in " + java.util.Arrays.toString(cause.getStackTrace()));
    }

    @Test
    void shouldReportAnExceptionThatCannotBeRebuiltAsText() throws Exception
    {
        final Pool pool = pool(1);
        final ExecutionException thrown = assertThrows(ExecutionException.class, () -> pool.apply(() ->
        {
            throw new UnsendableException("held by " + Processes.currentProcess().name());
        }));
        if (workersAreJvms())
        {
            final RemoteException remote = assertInstanceOf(RemoteException.class, thrown.getCause());
            assertEquals(UnsendableException.class.getName(), remote.remoteClassName());
            assertTrue(remote.getMessage().contains("held by PoolWorker-"), remote.getMessage());
            assertTrue(remote.getStackTrace().length > 0);
        }
        else
        {
            assertInstanceOf(UnsendableException.class, thrown.getCause());
        }
    }

    @Test
    void shouldRunTheInitializerOncePerWorker() throws Exception
    {
        final LongValue runs = context.longValue(0);
        final Pool pool = pool(context.poolBuilder().processes(2).initializer(counter ->
        {
            counter.getAndAdd(1);
            Initialized.value = "yes";
        }, runs));
        final List<String> seen = pool.map(x -> Initialized.value, IntStream.range(0, 50).boxed().toList(), 1);
        assertEquals(List.of("yes"), seen.stream().distinct().toList());
        assertEquals(2, runs.get());
    }

    @Test
    void shouldBreakThePoolWhenTheInitializerFails() throws Exception
    {
        final Pool pool = pool(context.poolBuilder().processes(1).initializer(() ->
        {
            throw new IllegalStateException("no database");
        }));
        // the task fails, or its submit does when the pool already knows it is broken
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
        assertTrue(broken != null && broken.getMessage().contains("initializer failed"), String.valueOf(broken));
        assertEquals("no database", broken.getCause().getMessage());
        final IllegalStateException refused = assertThrows(IllegalStateException.class,
            () -> pool.applyAsync(() -> 2));
        assertEquals("no database", refused.getCause().getMessage());
    }

    @Test
    void shouldRecycleWorkersAfterMaxTasksPerChildAndLoseNoTask() throws Exception
    {
        final Pool pool = pool(context.poolBuilder().processes(1).maxTasksPerChild(2));
        final List<Long> pids = pool.map(x -> ProcessHandle.current().pid() * 1000 + Thread.currentThread()
            .threadId() % 1000, IntStream.range(0, 6).boxed().toList(), 1);
        assertEquals(6, pids.size());
        // three workers in turn, each of two tasks: a JVM each, or a thread each for the threads context
        assertEquals(3, new HashSet<>(pids).size(), "workers " + pids);
    }

    @Test
    void shouldCancelAPendingTaskAndARunningOneFreeingItsWorker() throws Exception
    {
        final LongValue running = context.longValue(0);
        final Pool pool = pool(1);
        final AsyncResult<Integer> stuck = pool.applyAsync(flag ->
        {
            flag.set(1);
            sleepQuietly(TimeUnit.SECONDS.toMillis(RESULT_SECONDS));
            return 1;
        }, running);
        final AsyncResult<Integer> waiting = pool.applyAsync(() -> 2);
        awaitTrue(() -> running.get() == 1);
        assertTrue(waiting.cancel());
        assertTrue(stuck.cancel());
        assertFalse(stuck.cancel());
        assertTrue(stuck.isCancelled());
        assertThrows(CancellationException.class, stuck::get);
        assertThrows(CancellationException.class, waiting::get);
        final long start = System.nanoTime();
        assertEquals(3, pool.apply(() -> 3));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(RESULT_SECONDS));
    }

    @Test
    void shouldNeverRunATaskCancelledBeforeItStarted() throws Exception
    {
        final LongValue ran = context.longValue(0);
        final LongValue blocking = context.longValue(0);
        final Pool pool = pool(1);
        final AsyncResult<Integer> blocker = pool.applyAsync(flag ->
        {
            flag.set(1);
            sleepQuietly(1000);
            return 1;
        }, blocking);
        // handed to the same worker behind the blocker (prefetch), not started
        final AsyncResult<Integer> queued = pool.applyAsync(counter ->
        {
            counter.getAndAdd(1);
            return 2;
        }, ran);
        awaitTrue(() -> blocking.get() == 1);
        assertTrue(queued.cancel());
        assertEquals(1, blocker.get(RESULT_SECONDS, TimeUnit.SECONDS));
        assertEquals(3, pool.apply(() -> 3));
        assertEquals(0, ran.get(), "a task cancelled before it started ran");
    }

    @Test
    void shouldSendTheCapturedValuesOfEachCallAfresh() throws Exception
    {
        final Pool pool = pool(2);
        final int[] factor = {2};
        final SerializableFunction<Integer, Integer> times = x -> x * factor[0];
        assertEquals(List.of(2, 4, 6), pool.map(times, List.of(1, 2, 3)));
        factor[0] = 10;
        assertEquals(List.of(10, 20, 30), pool.map(times, List.of(1, 2, 3)));
    }

    @Test
    void shouldNotCarryATasksInterruptIntoTheNextTask() throws Exception
    {
        final Pool pool = pool(1);
        assertEquals(1, pool.apply(() ->
        {
            Thread.currentThread().interrupt();
            return 1;
        }));
        assertEquals(2, pool.apply(() ->
        {
            Thread.sleep(10);
            return 2;
        }));
    }

    @Test
    void shouldRunTheTasksBehindATimedOutOneThatIgnoresInterrupts() throws Exception
    {
        final Pool pool = pool(context.poolBuilder().processes(1).taskTimeout(java.time.Duration.ofMillis(300)));
        pool.apply(() -> 0);
        final AsyncResult<Integer> stubborn = pool.applyAsync(() ->
        {
            final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < end)
            {
                Thread.onSpinWait();
            }
            return 1;
        });
        final AsyncResult<Integer> behind = pool.applyAsync(() -> 2);
        final long start = System.nanoTime();
        assertEquals(2, behind.get(RESULT_SECONDS, TimeUnit.SECONDS));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(15), "waited for the stubborn task");
        final ExecutionException thrown = assertThrows(ExecutionException.class, stubborn::get);
        assertInstanceOf(TimeoutException.class, thrown.getCause());
    }

    @Test
    void shouldFailATaskThatRunsLongerThanTheTaskTimeout() throws Exception
    {
        final Pool pool = pool(context.poolBuilder().processes(1).taskTimeout(java.time.Duration.ofMillis(500)));
        pool.apply(() -> 0);
        final long start = System.nanoTime();
        final ExecutionException thrown = assertThrows(ExecutionException.class, () -> pool.apply(() ->
        {
            sleepQuietly(TimeUnit.SECONDS.toMillis(RESULT_SECONDS));
            return 1;
        }));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(500), "timed out early");
        assertInstanceOf(TimeoutException.class, thrown.getCause());
        assertEquals(2, pool.apply(() -> 2));
    }

    @Test
    void shouldCloseThenJoinAfterEveryTaskRanAndRefuseNewTasks() throws Exception
    {
        final Pool pool = pool(2);
        assertThrows(IllegalStateException.class, pool::join);
        final List<AsyncResult<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 20; i++)
        {
            final int n = i;
            results.add(pool.applyAsync(() ->
            {
                sleepQuietly(10);
                return n;
            }));
        }
        pool.close();
        assertThrows(IllegalStateException.class, () -> pool.applyAsync(() -> 1));
        assertTrue(pool.join(RESULT_SECONDS, TimeUnit.SECONDS));
        for (int i = 0; i < 20; i++)
        {
            assertEquals(i, results.get(i).get(0, TimeUnit.SECONDS));
        }
        assertEquals(List.of(), pool.workerPids());
    }

    @Test
    void shouldLeaveNothingOfThePoolInTheContextOnceJoined() throws Exception
    {
        final List<String> before = context.createdNames();
        final Pool pool = pool(context.poolBuilder().processes(2).maxTasksPerChild(1));
        assertEquals(List.of(1, 4, 9), pool.map(x -> x * x, List.of(1, 2, 3), 1));
        assertEquals(3, pool.mapToLong(x -> x + 1, new long[] {2})[0]);
        pool.close();
        assertTrue(pool.join(RESULT_SECONDS, TimeUnit.SECONDS));
        // the task rings of retired workers, the result queue, the started slots and the primitive map's arrays
        assertEquals(before, context.createdNames());
    }

    @Test
    void shouldTerminateRunningTasksAndLeaveNoWorkerBehind() throws Exception
    {
        final Pool pool = pool(2);
        final List<Long> pids = new ArrayList<>(pool.map(x -> ProcessHandle.current().pid(), List.of(1, 2), 1));
        final AsyncResult<Integer> running = pool.applyAsync(() ->
        {
            sleepQuietly(TimeUnit.SECONDS.toMillis(RESULT_SECONDS));
            return 1;
        });
        pool.terminate();
        assertThrows(CancellationException.class, () -> running.get(RESULT_SECONDS, TimeUnit.SECONDS));
        assertTrue(pool.join(RESULT_SECONDS, TimeUnit.SECONDS));
        if (workersAreJvms())
        {
            for (final long pid : pids)
            {
                assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid);
            }
        }
    }

    @Test
    void shouldMapPrimitivesThroughSharedArrays() throws Exception
    {
        final Pool pool = pool(2);
        final long[] args = java.util.stream.LongStream.range(0, 100_000).toArray();
        final long[] squares = pool.mapToLong(x -> x * x, args);
        for (int i = 0; i < args.length; i++)
        {
            assertEquals((long)i * i, squares[i]);
        }
        final double[] halves = pool.mapToDouble(x -> x / 2, new double[] {1, 2, 3});
        assertEquals(0.5, halves[0]);
        assertEquals(1.5, halves[2]);
        final LongArray shared = context.longArray(1000);
        shared.copyFrom(java.util.stream.LongStream.range(0, 1000).toArray(), 0, 0, 1000);
        final LongArray doubled = pool.mapToLong(x -> x * 2, shared);
        assertEquals(1998, doubled.get(999));
        assertEquals(0, pool.mapToLong(x -> x, new long[0]).length);
    }

    @Test
    void shouldRefuseATaskThatCapturesWhatCannotBeSentInTheParent() throws Exception
    {
        final Pool pool = pool(1);
        final Object notSerializable = new Object();
        if (workersAreJvms())
        {
            final TaskNotSerializableException thrown = assertThrows(TaskNotSerializableException.class,
                () -> pool.applyAsync(() -> notSerializable.hashCode()));
            assertTrue(thrown.getMessage().contains("java.lang.Object"), thrown.getMessage());
        }
        else
        {
            // threads share the heap: nothing is serialised, as in Python's multiprocessing.dummy
            assertEquals(notSerializable.hashCode(), pool.apply(() -> notSerializable.hashCode()));
        }
    }

    @Test
    void shouldRunAnExecutorWithTheJdkContract() throws Exception
    {
        final ProcessPoolExecutor executor = context.executor(2);
        try
        {
            assertEquals(5, executor.submit(() -> 5).get(RESULT_SECONDS, TimeUnit.SECONDS));
            final List<java.util.concurrent.Future<Integer>> all = executor.invokeAll(List.of(
                (SerializableCallable<Integer>)() -> 1, (SerializableCallable<Integer>)() -> 2));
            assertEquals(1, all.get(0).get());
            assertEquals(2, all.get(1).get());
            assertEquals(9, executor.invokeAny(List.of((SerializableCallable<Integer>)() ->
            {
                throw new IllegalStateException("first fails");
            }, (SerializableCallable<Integer>)() -> 9)));
            assertFalse(executor.awaitTermination(100, TimeUnit.MILLISECONDS));
            executor.shutdown();
            assertTrue(executor.isShutdown());
            assertThrows(java.util.concurrent.RejectedExecutionException.class, () -> executor.submit(() -> 1));
            assertTrue(executor.awaitTermination(RESULT_SECONDS, TimeUnit.SECONDS));
            assertTrue(executor.isTerminated());
        }
        finally
        {
            executor.shutdownNow();
        }
    }

    static void sleepQuietly(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    static void awaitTrue(final java.util.function.BooleanSupplier condition) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(RESULT_SECONDS);
        while (!condition.getAsBoolean())
        {
            assertTrue(System.nanoTime() < deadline, "condition not met in time");
            Thread.sleep(5);
        }
    }

    /** What an initializer sets in each worker, read by its tasks. */
    static final class Initialized
    {
        static volatile String value = "no";

        private Initialized()
        {
        }
    }

    /** An exception a worker cannot send: it holds a value that is not serialisable. */
    static final class UnsendableException extends RuntimeException
    {
        private static final long serialVersionUID = 1L;
        @SuppressWarnings("serial")
        private final Object held = new Object();

        UnsendableException(final String message)
        {
            super(message);
        }

        @Override
        public String toString()
        {
            return super.toString() + held.getClass().getSimpleName();
        }
    }
}
