package dev.jipc.tools.demo;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import dev.jipc.pool.AsyncResult;
import dev.jipc.pool.Context;
import dev.jipc.pool.Pool;
import dev.jipc.pool.PoolIterator;
import dev.jipc.pool.SerializableFunction;
import dev.jipc.pool.WorkerDiedException;
import dev.jipc.sync.LongValue;

/**
 * The pool part of {@code jipc demo}: Python's {@code Pool} seeds on a {@link Context#forkserver()} context's worker
 * JVMs, and {@code multiprocessing.dummy}'s thread pool on a {@link Context#threads()} context, each checked; then a
 * worker killed with SIGKILL in the middle of a {@code map}. The tasks are {@link PoolTasks}' static methods.
 */
final class PoolDemo
{
    private static final long TIMEOUT_SECONDS = DemoCommand.TIMEOUT_SECONDS;
    private static final int WORKERS = 4;
    private static final int SEED_003_TASKS = 5;
    private static final int SLEEP_SECONDS = 10;
    private static final long PATIENCE_MILLIS = 1_000;
    /** How soon after the kill map must throw; the pool hears of the death from the JDK's process reaper. */
    private static final long NOTICE_SECONDS = 10;
    private static final int DOOMED = 5;

    private final List<Integer> range10 = IntStream.range(0, 10).boxed().toList();
    private final List<Integer> squares10 = range10.stream().map(PoolTasks::square).toList();
    private final DemoChecks checks = new DemoChecks();

    /**
     * Runs every pool program.
     *
     * @return false if a check failed.
     * @throws Exception if a program failed in a way its checks do not cover.
     */
    boolean run() throws Exception
    {
        try (Context ctx = Context.forkserver())
        {
            applyAsyncThenCloseAndJoin(ctx);
            mapAndTimeout(ctx);
            workerKilledMidMap(ctx);
        }
        try (Context threads = Context.threads())
        {
            threadPool(threads);
        }
        return checks.passed();
    }

    /** Seed 003: five applyAsync calls on a Pool(4), then close() and join(), which waits for every task. */
    private void applyAsyncThenCloseAndJoin(final Context ctx) throws InterruptedException, ExecutionException
    {
        DemoCommand.heading("Pool (seed 003): Pool(" + WORKERS + ") of a forkserver context; " +
            "applyAsync(longTimeTask, i) for i in 0.." + (SEED_003_TASKS - 1) + ", sleeps up to " +
            PoolTasks.LONGEST_TASK_MILLIS + " ms; close(), join()");
        final long parent = ProcessHandle.current().pid();
        System.out.println("  Parent process " + parent + ".");
        final long start = System.nanoTime();
        final Pool pool = ctx.pool(WORKERS);
        final List<AsyncResult<String>> results = new ArrayList<>();
        for (int i = 0; i < SEED_003_TASKS; i++)
        {
            results.add(pool.applyAsync(PoolTasks::longTimeTask, i));
        }
        System.out.println("  Waiting for all subprocesses done...");
        System.out.flush();
        pool.close();
        final boolean joined = pool.join(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        final long elapsed = DemoCommand.millisSince(start);
        System.out.println("  All subprocesses done.");
        checks.check(joined, "join() returns within " + TIMEOUT_SECONDS + " s of close()");
        if (!joined)
        {
            pool.terminate();
            return;
        }
        int ready = 0;
        int correct = 0;
        final Set<Long> pids = new HashSet<>();
        for (int i = 0; i < SEED_003_TASKS; i++)
        {
            final AsyncResult<String> result = results.get(i);
            if (!result.ready())
            {
                continue;
            }
            ready++;
            // name pid sleptMillis, as the worker saw them
            final String[] fields = result.get().split(" ");
            final long pid = Long.parseLong(fields[1]);
            pids.add(pid);
            correct += fields[0].equals(Integer.toString(i)) && pid != parent ? 1 : 0;
        }
        boolean refused = false;
        try
        {
            pool.applyAsync(PoolTasks::square, 1);
        }
        catch (final IllegalStateException expected)
        {
            refused = true;
        }
        System.out.printf("  join() returned with %d of %d results ready, from %d worker pids; applyAsync after " +
            "close() %s (%d ms, the workers' start included)%n", ready, SEED_003_TASKS, pids.size(),
            refused ? "is refused" : "was accepted", elapsed);
        checks.check(ready == SEED_003_TASKS, "every task has run when join() returns");
        checks.check(correct == SEED_003_TASKS, "each task ran with its own argument in a worker JVM, not this one");
        checks.check(pids.size() <= WORKERS, "at most " + WORKERS + " workers ran them");
        checks.check(refused, "close() takes no more tasks (Python's ValueError: Pool not running)");
    }

    /** Seed 004: map, imapUnordered, applyAsync, then a get(timeout) that times out, and terminate(). */
    private void mapAndTimeout(final Context ctx) throws Exception
    {
        DemoCommand.heading("Pool (seed 004): Pool(" + WORKERS + "): map(f, range(10)), imapUnordered, " +
            "applyAsync(f, 20), applyAsync(getpid); mapAsync(sleep, [" + SLEEP_SECONDS + "]).get(1 s); terminate()");
        final long parent = ProcessHandle.current().pid();
        final Pool pool = ctx.pool(WORKERS);
        final List<Integer> mapped = pool.map(PoolTasks::square, range10);
        System.out.println("  map(f, range(10)): " + mapped);
        checks.check(squares10.equals(mapped), "map gives f of every item, in order");

        final PoolIterator<Integer> iterator = pool.imapUnordered(PoolTasks::square, range10);
        final List<Integer> unordered = new ArrayList<>();
        while (iterator.hasNext())
        {
            unordered.add(iterator.next(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        }
        System.out.println("  imapUnordered(f, range(10)): " + unordered);
        checks.check(unordered.size() == squares10.size() && new HashSet<>(unordered).equals(new HashSet<>(squares10)),
            "imapUnordered gives the same numbers, in any order");

        final int f20 = pool.applyAsync(PoolTasks::square, 20).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        final long onePid = pool.applyAsync(PoolTasks::pid).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        final List<AsyncResult<Long>> multiple = new ArrayList<>();
        for (int i = 0; i < WORKERS; i++)
        {
            multiple.add(pool.applyAsync(PoolTasks::pid));
        }
        final List<Long> somePids = new ArrayList<>();
        for (final AsyncResult<Long> result : multiple)
        {
            somePids.add(result.get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        }
        final List<Long> workers = pool.workerPids();
        System.out.println("  applyAsync(f, 20): " + f20 + "; applyAsync(getpid): " + onePid + "; " + WORKERS +
            " more: " + somePids + " (the workers: " + workers + ")");
        checks.check(f20 == 400, "applyAsync(f, 20) gives 400");
        checks.check(workers.contains(onePid) && workers.containsAll(somePids) && !workers.contains(parent),
            "each getpid ran in one of the pool's worker JVMs");

        final AsyncResult<List<Integer>> sleeping = pool.mapAsync(PoolTasks::sleepSeconds, List.of(SLEEP_SECONDS));
        final long start = System.nanoTime();
        String outcome;
        boolean timedOut = false;
        try
        {
            outcome = "a result, " + sleeping.get(PATIENCE_MILLIS, TimeUnit.MILLISECONDS);
        }
        catch (final TimeoutException ex)
        {
            timedOut = true;
            outcome = "TimeoutException (" + ex.getMessage() + ")";
        }
        final long waited = DemoCommand.millisSince(start);
        final boolean carriesOn = !sleeping.ready();
        System.out.println("  mapAsync(sleep, [" + SLEEP_SECONDS + "]).get(1 s): after " + waited + " ms, " +
            outcome + ": we lacked patience");
        checks.check(timedOut, "get(1 s) on a " + SLEEP_SECONDS + " s task throws TimeoutException");
        checks.check(waited >= PATIENCE_MILLIS, "the TimeoutException came no earlier than 1 s (" + waited + " ms)");
        checks.check(waited < TimeUnit.SECONDS.toMillis(SLEEP_SECONDS) / 2, "get(1 s) did not wait for the task");
        checks.check(carriesOn, "the task carries on after get() timed out");

        final int more = pool.applyAsync(PoolTasks::square, 7).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        System.out.println("  For the moment, the pool remains available for more work: f(7) = " + more);
        checks.check(more == 49, "the pool still runs tasks while one sleeps");

        final long terminating = System.nanoTime();
        pool.terminate();
        final boolean ended = pool.join(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        final long took = DemoCommand.millisSince(terminating);
        String after;
        boolean cancelled = false;
        try
        {
            after = "a result, " + sleeping.get(0, TimeUnit.SECONDS);
        }
        catch (final CancellationException expected)
        {
            cancelled = true;
            after = "CancellationException";
        }
        catch (final ExecutionException | TimeoutException ex)
        {
            after = ex.toString();
        }
        System.out.println("  terminate(); join(): the workers ended in " + took + " ms, and the sleeping task's " +
            "get() threw " + after);
        checks.check(ended && took < TimeUnit.SECONDS.toMillis(SLEEP_SECONDS) / 2,
            "terminate() ends the workers without waiting for the sleep");
        checks.check(cancelled, "terminate() fails the unfinished task with CancellationException");
    }

    /** multiprocessing.dummy: the same Pool API on threads of this JVM. */
    private void threadPool(final Context threads) throws Exception
    {
        DemoCommand.heading("Thread pool (multiprocessing.dummy): Pool(" + WORKERS + ") of a threads context: " +
            "map(f, range(10)), map(whereAmI, range(10)); close(), join()");
        final long parent = ProcessHandle.current().pid();
        final Pool pool = threads.pool(WORKERS);
        final List<Integer> mapped = pool.map(PoolTasks::square, range10);
        final List<String> where = pool.map(PoolTasks::whereAmI, range10);
        final Set<String> pids = new HashSet<>();
        final Set<String> names = new HashSet<>();
        for (final String line : where)
        {
            // pid threadName
            final int space = line.indexOf(' ');
            pids.add(line.substring(0, space));
            names.add(line.substring(space + 1));
        }
        pool.close();
        final boolean joined = pool.join(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        System.out.println("  map(f, range(10)): " + mapped);
        System.out.println("  map(whereAmI, range(10)) ran in pid " + pids + " (this JVM: " + parent +
            ") on threads " + new ArrayList<>(names).stream().sorted().toList());
        checks.check(squares10.equals(mapped), "map gives f of every item, in order");
        checks.check(pids.equals(Set.of(Long.toString(parent))), "every task ran in this JVM");
        checks.check(names.size() <= WORKERS && !names.contains(Thread.currentThread().getName()),
            "on the pool's threads, not the caller's");
        checks.check(joined, "join() returns after close()");
    }

    /**
     * A worker killed with SIGKILL while it runs an item of a map: map throws instead of hanging, imap gives every
     * other result, and the pool carries on with a replacement worker.
     */
    private void workerKilledMidMap(final Context ctx) throws Exception
    {
        final int workers = 2;
        DemoCommand.heading("Pool: Pool(" + workers + "); item " + DOOMED + "'s worker is killed with SIGKILL " +
            "mid-map (Python's map hangs here, gh-96062), then mid-imap; then the pool maps again");
        final Pool pool = ctx.pool(workers);
        final List<Integer> range8 = IntStream.range(0, 8).boxed().toList();

        final LongValue victim = ctx.longValue(0);
        final CountDownLatch returned = new CountDownLatch(1);
        final AtomicLong killedAt = new AtomicLong();
        final Thread killer = Thread.ofPlatform().name("demo-killer").daemon(true)
            .start(() -> killWhenRecorded(victim, killedAt, returned, pool));
        Throwable thrown = null;
        final long start = System.nanoTime();
        try
        {
            pool.map(hangOn(victim, DOOMED), range8, 1);
        }
        catch (final ExecutionException ex)
        {
            thrown = ex.getCause();
        }
        catch (final CancellationException ex)
        {
            thrown = ex;
        }
        final long threwAt = System.nanoTime();
        returned.countDown();
        killer.join();
        final long killed = victim.get();
        final long noticedMillis = killedAt.get() == 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(threwAt - killedAt.get());
        System.out.println("  map(f, range(8)) threw after " + DemoCommand.millisSince(start) + " ms, " +
            noticedMillis + " ms after the kill of pid " + killed + ": " + thrown);
        checks.check(killed != 0 && killedAt.get() != 0,
            "item " + DOOMED + "'s task recorded its worker's pid, and it was " +
            "killed");
        checks.check(thrown instanceof WorkerDiedException died && died.pid() == killed && died.exitCode() == -9,
            "map throws an ExecutionException caused by a WorkerDiedException naming pid " + killed + " and SIGKILL");
        checks.check(noticedMillis >= 0 && noticedMillis < TimeUnit.SECONDS.toMillis(NOTICE_SECONDS),
            "map threw within " + NOTICE_SECONDS + " s of the kill");

        final LongValue victim2 = ctx.longValue(0);
        final PoolIterator<Integer> results = pool.imap(hangOn(victim2, DOOMED), range8);
        final long killed2 = awaitPid(victim2);
        checks.check(killed2 != 0, "item " + DOOMED + "'s imap task recorded its worker's pid");
        if (killed2 == 0)
        {
            pool.terminate();
            return;
        }
        ProcessHandle.of(killed2).ifPresent(ProcessHandle::destroyForcibly);
        final List<String> shown = new ArrayList<>();
        int others = 0;
        WorkerDiedException died2 = null;
        for (final int x : range8)
        {
            try
            {
                final int square = results.next(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                shown.add(Integer.toString(square));
                others += x != DOOMED && square == x * x ? 1 : 0;
            }
            catch (final CompletionException ex)
            {
                shown.add("[" + ex.getCause() + "]");
                died2 = x == DOOMED && ex.getCause() instanceof WorkerDiedException w ? w : died2;
            }
            catch (final TimeoutException ex)
            {
                shown.add("[no result in " + TIMEOUT_SECONDS + " s]");
            }
        }
        System.out.println("  imap(f, range(8)) with pid " + killed2 + " killed: " + String.join(", ", shown));
        checks.check(others == range8.size() - 1, "imap gives every other item's result");
        checks.check(died2 != null && died2.pid() == killed2, "the killed item's next() throws a WorkerDiedException " +
            "naming pid " + killed2);

        final List<Integer> after = pool.mapAsync(PoolTasks::square, range8).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        final List<Long> pids = pool.workerPids();
        pool.close();
        final boolean joined = pool.join(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        System.out.println("  then map(f, range(8)): " + after + " on workers " + pids);
        checks.check(after.equals(range8.stream().map(PoolTasks::square).toList()),
            "the pool still works after losing two workers");
        checks.check(!pids.contains(killed) && !pids.contains(killed2),
            "replacement workers took the killed ones' places");
        checks.check(joined, "join() returns after close()");
    }

    /** The function of the kill programs: squares, except that the doomed item hangs until its worker is killed. */
    private static SerializableFunction<Integer, Integer> hangOn(final LongValue victim, final int doomed)
    {
        return x -> PoolTasks.squareOrHang(victim, doomed, x);
    }

    /**
     * Kills the worker whose pid the doomed task records, then terminates the pool if map has not returned in time:
     * a map that hangs fails the demo's checks instead of hanging the demo.
     */
    private static void killWhenRecorded(final LongValue victim, final AtomicLong killedAt,
        final CountDownLatch returned, final Pool pool)
    {
        try
        {
            final long pid = awaitPid(victim);
            if (pid != 0)
            {
                killedAt.set(System.nanoTime());
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
            if (!returned.await(pid == 0 ? 0 : NOTICE_SECONDS * 3, TimeUnit.SECONDS))
            {
                System.out.println("  map has not returned: terminating the pool");
                pool.terminate();
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** The pid a doomed task recorded, or 0 if none did within the demo's timeout. */
    private static long awaitPid(final LongValue victim) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (victim.get() == 0 && System.nanoTime() < deadline)
        {
            Thread.sleep(5);
        }
        return victim.get();
    }
}
