package dev.jipc.pool;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The engine of a {@link Pool} and a {@link ProcessPoolExecutor}: which worker holds which job, dispatch, results,
 * and what a worker's death does.
 *
 * <h2>Who holds what</h2>
 * Jobs wait in {@code pending} until a worker has room ({@code window} jobs at most, so that a long job holds few
 * others behind it), then sit in that worker's {@code jobs}, in the order the worker runs them. Its results come
 * back in that order, so a result is always for the head. The worker writes a job's id to its started slot before
 * it runs it, which is how the pool knows, after the worker's death, whether the head ran:
 * <ul>
 *   <li>the head ran (its id is the started one): it fails with a {@link WorkerDiedException}, or runs again when
 *   {@code retries} allow;</li>
 *   <li>every job behind it never started: they go back to the front of {@code pending}, in order, and run on the
 *   other workers or the replacement;</li>
 *   <li>a worker the pool killed for a cancelled or timed-out job may have moved on to the next job in the instant
 *   before the signal: that job runs again, without counting as a retry, since its own code did not fail.</li>
 * </ul>
 *
 * <h2>Threads</h2>
 * One result thread takes every {@link WorkerEvent} and does all the bookkeeping under {@link #lock}; submitting
 * threads dispatch under it too. Nothing under the lock blocks: a send to a full task ring leaves the job pending.
 * User callbacks never run under the lock: they queue in completion order and the result thread runs them.
 */
final class PoolCore
{
    /** A pool's lifecycle, Python's RUN, CLOSE and TERMINATE. */
    enum State
    {
        RUNNING,
        CLOSED,
        TERMINATED
    }

    /** Workers in a row that die before they are ready, after which the pool is broken instead of starting more. */
    private static final int UNREADY_EXITS_TO_BREAK = 3;
    /** How long a worker has after {@link #terminate()}'s SIGTERM before SIGKILL, as at this JVM's exit. */
    private static final long TERMINATE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final String name;
    private final WorkerEngine engine;
    private final int window;
    private final int maxTasksPerChild;
    private final int retries;
    private final long taskTimeoutNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Job> pending = new ArrayDeque<>();
    private final Worker[] workers;
    private final AtomicLong ids = new AtomicLong();
    private final ConcurrentLinkedQueue<Runnable> callbacks = new ConcurrentLinkedQueue<>();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final ConcurrentLinkedQueue<Runnable> whenFinished = new ConcurrentLinkedQueue<>();
    private final Thread resultThread;
    private State state = State.RUNNING;
    private RuntimeException broken;
    private int liveWorkers;
    /** Workers in a row that exited before they said they were ready. */
    private int unreadyExits;
    private long terminatedAt;
    private boolean killedAfterTerminate;

    PoolCore(final String name, final WorkerEngine engine, final int size, final int window,
        final int maxTasksPerChild, final int retries, final long taskTimeoutNanos)
    {
        this.name = name;
        this.engine = engine;
        this.window = window;
        this.maxTasksPerChild = maxTasksPerChild;
        this.retries = retries;
        this.taskTimeoutNanos = taskTimeoutNanos;
        this.workers = new Worker[size];
        lock.lock();
        try
        {
            for (int slot = 0; slot < size; slot++)
            {
                workers[slot] = new Worker(slot);
                startWorker(workers[slot]);
            }
        }
        catch (final RuntimeException ex)
        {
            for (final Worker worker : workers)
            {
                if (worker != null && worker.alive)
                {
                    worker.link.kill();
                }
            }
            throw ex;
        }
        finally
        {
            lock.unlock();
        }
        resultThread = Thread.ofPlatform().name(name + "-results").daemon(true).start(this::runResults);
    }

    /** Runs once every worker has exited and the engine is closed (at once if that has happened already). */
    void whenFinished(final Runnable action)
    {
        whenFinished.add(action);
        if (isFinished())
        {
            runWhenFinished();
        }
    }

    /** Each action runs once, in whichever thread takes it from the queue. */
    private void runWhenFinished()
    {
        Runnable action;
        while ((action = whenFinished.poll()) != null)
        {
            action.run();
        }
    }

    long newJobId()
    {
        return ids.incrementAndGet();
    }

    int size()
    {
        return workers.length;
    }

    String name()
    {
        return name;
    }

    /**
     * Queues jobs to run, prepared in the calling thread first.
     *
     * @param jobs the jobs, in the order they should start.
     * @throws IllegalStateException if the pool is closed, terminated or broken.
     */
    void submit(final Collection<Job> jobs)
    {
        engine.prepare(jobs);
        lock.lock();
        try
        {
            ensureRunning();
            pending.addAll(jobs);
            dispatch();
        }
        finally
        {
            lock.unlock();
        }
        if (taskTimeoutNanos > 0)
        {
            // the result thread's wait was timed before these jobs: it must time their deadlines
            engine.wake();
        }
    }

    /** Runs a user callback on the result thread, after those queued before it. */
    void callback(final Runnable callback)
    {
        callbacks.add(callback);
        if (Thread.currentThread() != resultThread)
        {
            engine.wake();
        }
    }

    /**
     * Cancels a job: one still pending never runs; one running has its worker killed and replaced when {@code stop}
     * says so; one handed to a worker but not started still runs there, and its result is dropped.
     *
     * @param job  the job.
     * @param stop whether a running job's worker is killed (a thread worker: interrupted).
     * @return false if it had already ended.
     */
    boolean cancel(final Job job, final boolean stop)
    {
        lock.lock();
        try
        {
            if (job.done)
            {
                return false;
            }
            // a pending job is skipped by the dispatch: marking it is enough, and O(1) for a large imap's cancel
            job.done = true;
            if (job.heldBy >= 0)
            {
                final Worker worker = workers[job.heldBy];
                final boolean running = worker.alive && worker.link.cancelQueued(job.id, id -> holdsCancelled(worker,
                    id));
                if (running && stop)
                {
                    kill(worker, job.id);
                }
            }
            job.listener.failed(job, new CancellationException(job + " was cancelled"));
            return true;
        }
        finally
        {
            lock.unlock();
        }
    }

    /** Whether a cancel word's job is still held by the worker, cancelled and not yet reported. */
    private static boolean holdsCancelled(final Worker worker, final long jobId)
    {
        for (final Job held : worker.jobs)
        {
            if (held.id == jobId)
            {
                return held.done;
            }
        }
        return false;
    }

    /** Kills a worker for one of its jobs: it takes no more jobs, and its exit re-runs or fails the rest. */
    private void kill(final Worker worker, final long jobId)
    {
        worker.killedFor = jobId;
        worker.stopping = true;
        worker.link.kill();
    }

    /** Python's {@code close()}: no more jobs; workers exit once every job has run. */
    void close()
    {
        lock.lock();
        try
        {
            if (state == State.RUNNING)
            {
                state = State.CLOSED;
            }
        }
        finally
        {
            lock.unlock();
        }
        engine.wake();
    }

    /**
     * Python's {@code terminate()}: every job not yet ended fails with a {@link CancellationException} and every
     * worker is asked to end now.
     *
     * @return the jobs that had not been handed to a worker.
     */
    List<Job> terminate()
    {
        final List<Job> neverStarted = new ArrayList<>();
        lock.lock();
        try
        {
            if (state == State.TERMINATED)
            {
                return neverStarted;
            }
            state = State.TERMINATED;
            terminatedAt = System.nanoTime();
            for (final Job job : pending)
            {
                if (!job.done)
                {
                    neverStarted.add(job);
                }
            }
            failAll(() -> new CancellationException("pool " + name + " was terminated"));
            for (final Worker worker : workers)
            {
                if (worker.alive)
                {
                    worker.link.terminate();
                }
            }
        }
        finally
        {
            lock.unlock();
        }
        engine.wake();
        return neverStarted;
    }

    /**
     * Terminates the pool and waits a while for its workers to end: what closing its context does.
     *
     * @param timeoutNanos the longest wait.
     */
    void terminateAndWait(final long timeoutNanos)
    {
        terminate();
        if (Thread.currentThread() == resultThread)
        {
            return;
        }
        try
        {
            join(timeoutNanos);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits until every worker has exited, after {@link #close()} or {@link #terminate()}.
     *
     * @param timeoutNanos the longest wait; negative for no limit.
     * @return false if the timeout passed first.
     * @throws InterruptedException  if interrupted while waiting.
     * @throws IllegalStateException if the pool is still running, as Python's {@code join()} raises.
     */
    boolean join(final long timeoutNanos) throws InterruptedException
    {
        lock.lock();
        try
        {
            if (state == State.RUNNING)
            {
                throw new IllegalStateException("pool " + name + " is still running: close() or terminate() it " +
                    "before join()");
            }
        }
        finally
        {
            lock.unlock();
        }
        if (Thread.currentThread() == resultThread)
        {
            throw new IllegalStateException("join() from a callback of pool " + name + " would wait for itself");
        }
        if (timeoutNanos < 0)
        {
            finished.await();
            return true;
        }
        return finished.await(timeoutNanos, TimeUnit.NANOSECONDS);
    }

    State state()
    {
        lock.lock();
        try
        {
            return state;
        }
        finally
        {
            lock.unlock();
        }
    }

    boolean isResultThread()
    {
        return Thread.currentThread() == resultThread;
    }

    boolean isFinished()
    {
        return finished.getCount() == 0;
    }

    /** The pids of the live workers, for tests and {@code toString}. */
    List<Long> workerPids()
    {
        lock.lock();
        try
        {
            final List<Long> pids = new ArrayList<>();
            for (final Worker worker : workers)
            {
                if (worker.alive)
                {
                    pids.add(worker.link.pid());
                }
            }
            return pids;
        }
        finally
        {
            lock.unlock();
        }
    }

    private void runResults()
    {
        try
        {
            boolean over = false;
            while (!over)
            {
                final WorkerEvent event = engine.poll(pollNanos(), TimeUnit.NANOSECONDS);
                lock.lock();
                try
                {
                    if (event != null)
                    {
                        handle(event);
                    }
                    expireTimedOut();
                    killWorkersThatIgnoreTerminate();
                    dispatch();
                    stopIdleWorkers();
                    over = state != State.RUNNING && liveWorkers == 0;
                }
                finally
                {
                    lock.unlock();
                }
                runCallbacks();
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        catch (final RuntimeException | Error ex)
        {
            System.err.println("jipc: result thread of pool " + name + " failed; its jobs fail: " + ex);
            ex.printStackTrace();
            lock.lock();
            try
            {
                breakPool("its result thread failed", ex);
            }
            finally
            {
                lock.unlock();
            }
        }
        finally
        {
            try
            {
                engine.close();
            }
            finally
            {
                runCallbacks();
                // before join() returns, so that the pool's segments are gone when it does
                runWhenFinished();
                finished.countDown();
                runWhenFinished();
            }
        }
    }

    private void runCallbacks()
    {
        Runnable callback;
        while ((callback = callbacks.poll()) != null)
        {
            try
            {
                callback.run();
            }
            catch (final RuntimeException ex)
            {
                // as Python's result handler, a callback's exception does not stop the pool
                System.err.println("jipc: a callback of pool " + name + " threw: " + ex);
                ex.printStackTrace();
            }
        }
    }

    private void handle(final WorkerEvent event)
    {
        if (event.kind() == WorkerEvent.Kind.WAKE)
        {
            return;
        }
        final Worker worker = workers[event.slot()];
        if (worker.generation != event.generation())
        {
            return;
        }
        worker.blocked = false;
        switch (event.kind())
        {
            case READY -> worker.ready(System.nanoTime());
            case RESULT, FAILED -> completeHead(worker, event);
            case INIT_FAILED -> breakPool(worker.link.name() + "'s initializer failed", event.failure());
            case EXITED -> workerExited(worker, event.exitCode());
            default -> throw new IllegalStateException("unknown event " + event);
        }
    }

    private void completeHead(final Worker worker, final WorkerEvent event)
    {
        final Job job = worker.jobs.peekFirst();
        if (job == null || job.id != event.jobId())
        {
            // only a hostile or corrupt writer of the result queue gets here: this worker's bookkeeping is lost
            System.err.println("jipc: pool " + name + " got a result for job " + event.jobId() + " from " +
                worker.link.name() + ", whose next job is " + job + "; the worker is killed and its jobs re-run");
            kill(worker, Long.MAX_VALUE);
            return;
        }
        worker.jobs.pollFirst();
        worker.headSince = System.nanoTime();
        if (job.done)
        {
            return;
        }
        job.done = true;
        if (event.kind() == WorkerEvent.Kind.RESULT)
        {
            job.listener.succeeded(job, event.value());
        }
        else
        {
            job.listener.failed(job, event.failure());
        }
    }

    private void workerExited(final Worker worker, final int exitCode)
    {
        worker.alive = false;
        liveWorkers--;
        final long started = worker.link.startedJob();
        final List<Job> again = new ArrayList<>();
        boolean head = true;
        for (final Job job : worker.jobs)
        {
            if (!job.done)
            {
                // a job that ran fails (or runs again if retries allow) even when the pool killed its worker for
                // another job that had just ended: it may have done part of its work
                final boolean ran = head && job.id == started;
                if (!ran)
                {
                    job.heldBy = -1;
                    again.add(job);
                }
                else if (job.retried < retries)
                {
                    job.retried++;
                    job.heldBy = -1;
                    again.add(job);
                }
                else
                {
                    job.done = true;
                    job.listener.failed(job, new WorkerDiedException(worker.link.name(), worker.link.pid(),
                        exitCode, job.description));
                }
            }
            head = false;
        }
        worker.jobs.clear();
        for (int i = again.size() - 1; i >= 0; i--)
        {
            pending.addFirst(again.get(i));
        }
        worker.link.release();
        if (worker.readySince == 0 && state != State.TERMINATED)
        {
            // died before it could take a task: a bad JVM option, a class path it cannot start with, ...
            if (++unreadyExits >= UNREADY_EXITS_TO_BREAK)
            {
                breakPool(unreadyExits + " workers in a row exited before they were ready, the last, " +
                    worker.link.name() + " (pid " + worker.link.pid() + "), with " +
                    WorkerDiedException.describeExit(exitCode) + "; see their stderr", null);
            }
        }
        else
        {
            unreadyExits = 0;
        }
        if (state != State.TERMINATED && broken == null && (state == State.RUNNING || !pending.isEmpty()))
        {
            try
            {
                startWorker(worker);
            }
            catch (final RuntimeException ex)
            {
                breakPool("a replacement for " + worker.link.name() + " could not be started", ex);
            }
        }
    }

    private void breakPool(final String why, final Throwable cause)
    {
        if (broken == null)
        {
            broken = new IllegalStateException("pool " + name + " is broken: " + why, cause);
        }
        failAll(() -> broken);
        for (final Worker each : workers)
        {
            if (each.alive)
            {
                each.link.terminate();
            }
        }
        if (state == State.RUNNING)
        {
            state = State.CLOSED;
        }
    }

    private void startWorker(final Worker worker)
    {
        worker.generation++;
        worker.link = engine.start(worker.slot, worker.generation);
        worker.alive = true;
        worker.readySince = 0;
        worker.sent = 0;
        worker.stopping = false;
        worker.stopSent = false;
        worker.blocked = false;
        worker.killedFor = -1;
        liveWorkers++;
    }

    private void dispatch()
    {
        while (!pending.isEmpty() && state != State.TERMINATED && broken == null)
        {
            final Job job = pending.peekFirst();
            if (job.done)
            {
                pending.pollFirst();
                continue;
            }
            final Worker worker = leastLoaded();
            if (worker == null)
            {
                return;
            }
            if (!worker.link.send(job))
            {
                worker.blocked = true;
                continue;
            }
            pending.pollFirst();
            job.heldBy = worker.slot;
            worker.jobs.addLast(job);
            if (worker.jobs.size() == 1)
            {
                worker.headSince = worker.readySince == 0 ? Long.MAX_VALUE : System.nanoTime();
            }
            worker.sent++;
            if (maxTasksPerChild > 0 && worker.sent >= maxTasksPerChild)
            {
                worker.stopping = true;
            }
        }
    }

    private Worker leastLoaded()
    {
        Worker best = null;
        for (final Worker worker : workers)
        {
            if (worker.alive && !worker.stopping && !worker.stopSent && !worker.blocked &&
                worker.jobs.size() < window &&
                (best == null || worker.jobs.size() < best.jobs.size()))
            {
                best = worker;
            }
        }
        return best;
    }

    private void stopIdleWorkers()
    {
        final boolean drained = state != State.RUNNING && pending.isEmpty();
        for (final Worker worker : workers)
        {
            if (worker.alive && !worker.stopSent && worker.jobs.isEmpty() && (worker.stopping || drained))
            {
                worker.stopSent = worker.link.stop();
            }
        }
    }

    /** After {@link #terminate()}'s SIGTERM, SIGKILL for a worker still there after a grace period. */
    private void killWorkersThatIgnoreTerminate()
    {
        if (state != State.TERMINATED || killedAfterTerminate ||
            System.nanoTime() - terminatedAt < TERMINATE_GRACE_NANOS)
        {
            return;
        }
        killedAfterTerminate = true;
        for (final Worker worker : workers)
        {
            if (worker.alive)
            {
                worker.link.kill();
            }
        }
    }

    private void expireTimedOut()
    {
        if (taskTimeoutNanos <= 0)
        {
            return;
        }
        final long now = System.nanoTime();
        for (final Worker worker : workers)
        {
            final Job head = worker.jobs.peekFirst();
            if (worker.alive && head != null && !head.done && worker.killedFor != head.id &&
                now - worker.headSince >= taskTimeoutNanos && worker.link.startedJob() == head.id)
            {
                head.done = true;
                head.listener.failed(head, new TimeoutException(head + " ran longer than " +
                    TimeUnit.NANOSECONDS.toMillis(taskTimeoutNanos) + " ms in " + worker.link.name() + " (pid " +
                    worker.link.pid() + "), which was killed (a thread: abandoned) and replaced"));
                kill(worker, head.id);
            }
        }
    }

    /** Until the next task timeout, or a long while when none can expire. */
    private long pollNanos()
    {
        lock.lock();
        try
        {
            long next = TimeUnit.SECONDS.toNanos(60);
            if (state == State.TERMINATED && !killedAfterTerminate)
            {
                next = Math.max(TimeUnit.MILLISECONDS.toNanos(1), terminatedAt + TERMINATE_GRACE_NANOS -
                    System.nanoTime());
            }
            if (taskTimeoutNanos <= 0)
            {
                return next;
            }
            final long now = System.nanoTime();
            for (final Worker worker : workers)
            {
                if (worker.alive && !worker.jobs.isEmpty() && worker.headSince != Long.MAX_VALUE)
                {
                    next = Math.min(next, Math.max(TimeUnit.MILLISECONDS.toNanos(1),
                        worker.headSince + taskTimeoutNanos - now));
                }
            }
            return next;
        }
        finally
        {
            lock.unlock();
        }
    }

    private void failAll(final java.util.function.Supplier<? extends Throwable> why)
    {
        final List<Job> all = new ArrayList<>(pending);
        pending.clear();
        for (final Worker worker : workers)
        {
            all.addAll(worker.jobs);
        }
        for (final Job job : all)
        {
            if (!job.done)
            {
                job.done = true;
                job.listener.failed(job, why.get());
            }
        }
    }

    void ensureRunning()
    {
        if (broken != null)
        {
            throw new IllegalStateException(broken.getMessage(), broken.getCause());
        }
        if (state != State.RUNNING)
        {
            throw new IllegalStateException("pool " + name + " is " + (state == State.CLOSED ? "closed" :
                "terminated") + ": it takes no more tasks");
        }
    }

    /** The pool's bookkeeping of one worker place; guarded by the pool's lock. */
    private static final class Worker
    {
        final int slot;
        final ArrayDeque<Job> jobs = new ArrayDeque<>();
        int generation;
        WorkerLink link;
        boolean alive;
        /** When the worker said it was ready; 0 before. */
        long readySince;
        /** When the head job could start: the previous one's result, or the worker being ready. */
        long headSince;
        int sent;
        /** No more jobs: it has had {@code maxTasksPerChild}. */
        boolean stopping;
        boolean stopSent;
        /** Its task ring was full at the last send; cleared by its next event. */
        boolean blocked;
        /** The job the pool killed it for, or -1. */
        long killedFor = -1;

        Worker(final int slot)
        {
            this.slot = slot;
        }

        void ready(final long now)
        {
            readySince = now;
            if (!jobs.isEmpty())
            {
                headSince = now;
            }
        }
    }
}
