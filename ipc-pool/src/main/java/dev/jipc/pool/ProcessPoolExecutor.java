package dev.jipc.pool;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Python's {@code concurrent.futures.ProcessPoolExecutor}, as a {@link ExecutorService}: the workers of a
 * {@link Pool} (child JVMs, or threads for {@link Context#threads()}) behind the JDK's interface, for code that takes
 * an executor. A worker's death fails only the {@link Future} of the task it ran (with a {@link WorkerDiedException}
 * as the cause), where Python's breaks the whole executor; {@code cancel(true)} of a running task kills and replaces
 * its worker.
 * <p>
 * Tasks run in another JVM, so they must be {@link Serializable}: a lambda written where a
 * {@link SerializableCallable} or {@link SerializableRunnable} is expected is, and {@code submit} of a plain
 * {@link Callable} or {@link Runnable} that is not throws a {@link TaskNotSerializableException}. The threads context
 * takes any task.
 */
public final class ProcessPoolExecutor implements ExecutorService
{
    private final PoolCore core;
    private final boolean sharesHeap;

    ProcessPoolExecutor(final Context context, final PoolCore core)
    {
        this.core = core;
        this.sharesHeap = Context.THREADS.equals(context.startMethod());
    }

    /**
     * Submits a serialisable task.
     *
     * @param task the task.
     * @param <T>  its result type.
     * @return its future.
     */
    public <T> AsyncResult<T> submit(final SerializableCallable<T> task)
    {
        return run(task);
    }

    @Override
    public <T> AsyncResult<T> submit(final Callable<T> task)
    {
        return run(task);
    }

    /**
     * Submits a serialisable task with no result.
     *
     * @param task the task.
     * @return its future, whose value is null.
     */
    public AsyncResult<?> submit(final SerializableRunnable task)
    {
        Objects.requireNonNull(task, "task");
        return run(new RunnableCall<>(task, null));
    }

    @Override
    public AsyncResult<?> submit(final Runnable task)
    {
        return run(new RunnableCall<>(task, null));
    }

    @Override
    public <T> AsyncResult<T> submit(final Runnable task, final T result)
    {
        return run(new RunnableCall<>(task, result));
    }

    @Override
    public void execute(final Runnable command)
    {
        submit(command);
    }

    @Override
    public <T> List<Future<T>> invokeAll(final Collection<? extends Callable<T>> tasks) throws InterruptedException
    {
        final List<Future<T>> futures = submitAll(tasks);
        for (final Future<T> future : futures)
        {
            try
            {
                future.get();
            }
            catch (final ExecutionException | CancellationException ignore)
            {
                // the future says so to whoever reads it
            }
        }
        return futures;
    }

    @Override
    public <T> List<Future<T>> invokeAll(final Collection<? extends Callable<T>> tasks, final long timeout,
        final TimeUnit unit) throws InterruptedException
    {
        final long deadline = System.nanoTime() + unit.toNanos(timeout);
        final List<Future<T>> futures = submitAll(tasks);
        for (final Future<T> future : futures)
        {
            final long left = deadline - System.nanoTime();
            try
            {
                if (left <= 0)
                {
                    break;
                }
                future.get(left, TimeUnit.NANOSECONDS);
            }
            catch (final ExecutionException | CancellationException ignore)
            {
                // the future says so to whoever reads it
            }
            catch (final TimeoutException ex)
            {
                break;
            }
        }
        for (final Future<T> future : futures)
        {
            future.cancel(true);
        }
        return futures;
    }

    @Override
    public <T> T invokeAny(final Collection<? extends Callable<T>> tasks)
        throws InterruptedException, ExecutionException
    {
        try
        {
            return any(tasks, -1);
        }
        catch (final TimeoutException ex)
        {
            throw new IllegalStateException("a wait with no timeout timed out", ex);
        }
    }

    @Override
    public <T> T invokeAny(final Collection<? extends Callable<T>> tasks, final long timeout, final TimeUnit unit)
        throws InterruptedException, ExecutionException, TimeoutException
    {
        return any(tasks, Math.max(0, unit.toNanos(timeout)));
    }

    /** Python's {@code shutdown(wait=False)}: no more tasks; the workers exit once those submitted have run. */
    @Override
    public void shutdown()
    {
        core.close();
    }

    /**
     * Fails every unfinished task with a cancellation and ends the workers now.
     *
     * @return the tasks that were never handed to a worker.
     */
    @Override
    public List<Runnable> shutdownNow()
    {
        final List<Runnable> neverRun = new ArrayList<>();
        for (final Job job : core.terminate())
        {
            neverRun.add(new NeverRun(job));
        }
        return neverRun;
    }

    @Override
    public boolean isShutdown()
    {
        return core.state() != PoolCore.State.RUNNING;
    }

    @Override
    public boolean isTerminated()
    {
        return core.isFinished();
    }

    @Override
    public boolean awaitTermination(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        final long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (core.state() == PoolCore.State.RUNNING)
        {
            // as the JDK's executors: before shutdown this waits out its timeout
            final long left = deadline - System.nanoTime();
            if (left <= 0)
            {
                return false;
            }
            TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(10)));
        }
        return core.join(Math.max(0, deadline - System.nanoTime()));
    }

    @Override
    public String toString()
    {
        return core.name() + "{processes=" + core.size() + ", state=" + core.state() + "}";
    }

    private <T> AsyncResult<T> run(final Callable<T> task)
    {
        return run(task, null, null);
    }

    private <T> AsyncResult<T> run(final Callable<T> task, final Consumer<? super T> callback,
        final Consumer<? super Throwable> errorCallback)
    {
        Objects.requireNonNull(task, "task");
        if (!sharesHeap && !(task instanceof Serializable))
        {
            throw new TaskNotSerializableException("cannot send a task to a worker JVM: " + task.getClass()
                .getName() + " is not Serializable; write the lambda where a SerializableCallable is expected, or " +
                "cast it: (Callable<T> & Serializable) () -> ...", null);
        }
        final AsyncResult<T> result = new AsyncResult<>(core, callback, errorCallback);
        final Job job = new Job(core.newJobId(), Job.Kind.RUN, task, null, result.asListener(),
            "a task of " + core.name());
        result.jobs(List.of(job));
        try
        {
            core.submit(List.of(job));
        }
        catch (final IllegalStateException ex)
        {
            throw new RejectedExecutionException(ex.getMessage(), ex);
        }
        return result;
    }

    private <T> List<Future<T>> submitAll(final Collection<? extends Callable<T>> tasks)
    {
        final List<Future<T>> futures = new ArrayList<>(tasks.size());
        for (final Callable<T> task : tasks)
        {
            futures.add(run(task));
        }
        return futures;
    }

    private <T> T any(final Collection<? extends Callable<T>> tasks, final long timeoutNanos)
        throws InterruptedException, ExecutionException, TimeoutException
    {
        if (tasks.isEmpty())
        {
            throw new IllegalArgumentException("invokeAny of no tasks");
        }
        // outcomes in completion order, from the result thread: a value, or the Throwable of a failed task
        final LinkedBlockingQueue<Object[]> outcomes = new LinkedBlockingQueue<>();
        final List<AsyncResult<T>> futures = new ArrayList<>(tasks.size());
        final long deadline = System.nanoTime() + timeoutNanos;
        try
        {
            for (final Callable<T> task : tasks)
            {
                futures.add(run(task, value -> outcomes.add(new Object[] {value, null}),
                    why -> outcomes.add(new Object[] {null, why})));
            }
            Throwable last = null;
            for (int i = 0; i < futures.size(); i++)
            {
                final Object[] outcome = timeoutNanos < 0 ? outcomes.take() :
                    outcomes.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (outcome == null)
                {
                    throw new TimeoutException("no task of invokeAny completed in time on " + core.name());
                }
                if (outcome[1] == null)
                {
                    @SuppressWarnings("unchecked")
                    final T value = (T)outcome[0];
                    return value;
                }
                last = (Throwable)outcome[1];
            }
            throw new ExecutionException("every task of invokeAny failed; the last: " + last, last);
        }
        finally
        {
            for (final AsyncResult<T> future : futures)
            {
                future.cancel(true);
            }
        }
    }

    /** A runnable as a callable, serialisable when the runnable is. */
    private record RunnableCall<T>(Runnable task, T result) implements SerializableCallable<T>
    {
        @Override
        public T call()
        {
            task.run();
            return result;
        }
    }

    /** A task {@link #shutdownNow()} returns: running it runs the task here, as the JDK's executors' would. */
    private record NeverRun(Job job) implements Runnable
    {
        @Override
        public void run()
        {
            try
            {
                ((Callable<?>)job.fn).call();
            }
            catch (final RuntimeException ex)
            {
                throw ex;
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException(job + " threw", ex);
            }
        }
    }
}
