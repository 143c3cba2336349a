package dev.jipc.pool;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Python's {@code AsyncResult}, and a {@link Future}: the result of {@link Pool#applyAsync}, {@link Pool#mapAsync}
 * and {@link ProcessPoolExecutor#submit}.
 * <p>
 * {@link #get()} returns the value, or throws an {@link ExecutionException} whose cause is what the task threw (with
 * the worker's stack trace in it; a {@link RemoteException} when this JVM cannot rebuild it), a
 * {@link WorkerDiedException} when its worker died running it, or a {@link TimeoutException} when it ran longer than
 * the pool's task timeout. {@link #get(long, TimeUnit)} throws a {@link TimeoutException} when the wait times out,
 * as Python's raises {@code multiprocessing.TimeoutError}; the task carries on. The callbacks run on the pool's
 * result thread, in the order the pool's results complete; they should be quick, as Python's should.
 *
 * @param <T> the result type.
 */
public final class AsyncResult<T> implements Future<T>
{
    private final PoolCore core;
    private final Consumer<? super T> callback;
    private final Consumer<? super Throwable> errorCallback;
    private final CountDownLatch done = new CountDownLatch(1);
    private final AtomicBoolean completed = new AtomicBoolean();
    private List<Job> jobs = List.of();
    private volatile T value;
    private volatile Throwable failure;

    AsyncResult(final PoolCore core, final Consumer<? super T> callback,
        final Consumer<? super Throwable> errorCallback)
    {
        this.core = core;
        this.callback = callback;
        this.errorCallback = errorCallback;
    }

    /** The jobs whose cancel this result's {@link #cancel} asks for; set once, before they are submitted. */
    void jobs(final List<Job> jobs)
    {
        this.jobs = List.copyOf(jobs);
    }

    /** This result as the listener of its one job: the job's value is the result's. */
    JobListener asListener()
    {
        return new JobListener()
        {
            @Override
            @SuppressWarnings("unchecked")
            public void succeeded(final Job job, final Object value)
            {
                succeed((T)value);
            }

            @Override
            public void failed(final Job job, final Throwable why)
            {
                fail(why);
            }
        };
    }

    boolean succeed(final T result)
    {
        if (!completed.compareAndSet(false, true))
        {
            return false;
        }
        value = result;
        done.countDown();
        if (callback != null)
        {
            core.callback(() -> callback.accept(result));
        }
        return true;
    }

    boolean fail(final Throwable why)
    {
        if (!completed.compareAndSet(false, true))
        {
            return false;
        }
        failure = why;
        done.countDown();
        if (errorCallback != null)
        {
            core.callback(() -> errorCallback.accept(why));
        }
        return true;
    }

    /**
     * Waits for the result.
     *
     * @return the value.
     * @throws InterruptedException  if interrupted while waiting.
     * @throws ExecutionException    if the task failed; its cause says why.
     * @throws CancellationException if the task was cancelled or its pool terminated.
     */
    @Override
    public T get() throws InterruptedException, ExecutionException
    {
        ensureNotResultThread();
        if (!Linger.awaitWithin(this::ready, System.nanoTime()))
        {
            done.await();
        }
        return outcome();
    }

    /**
     * Waits at most {@code timeout} for the result.
     *
     * @param timeout the longest wait.
     * @param unit    its unit.
     * @return the value.
     * @throws InterruptedException  if interrupted while waiting.
     * @throws ExecutionException    if the task failed; its cause says why.
     * @throws TimeoutException      if the timeout passed first; the task carries on.
     * @throws CancellationException if the task was cancelled or its pool terminated.
     */
    @Override
    public T get(final long timeout, final TimeUnit unit)
        throws InterruptedException, ExecutionException, TimeoutException
    {
        ensureNotResultThread();
        final long start = System.nanoTime();
        // the linger may outlast a short timeout; then the wait below checks once and the call ends late, not early
        if (!Linger.awaitWithin(this::ready, start) &&
            !done.await(unit.toNanos(timeout) - (System.nanoTime() - start), TimeUnit.NANOSECONDS))
        {
            throw new TimeoutException("no result within " + timeout + " " + unit.name().toLowerCase() + " from " +
                core.name());
        }
        return outcome();
    }

    /**
     * Waits at most {@code timeout} for the result.
     *
     * @param timeout the longest wait.
     * @return the value.
     * @throws InterruptedException if interrupted while waiting.
     * @throws ExecutionException   if the task failed.
     * @throws TimeoutException     if the timeout passed first.
     */
    public T get(final Duration timeout) throws InterruptedException, ExecutionException, TimeoutException
    {
        return get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Python's {@code wait(timeout)}: waits until the result is ready or the timeout passes.
     *
     * @param timeout the longest wait.
     * @param unit    its unit.
     * @return whether it is ready.
     * @throws InterruptedException if interrupted while waiting.
     */
    public boolean await(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return done.await(timeout, unit);
    }

    /**
     * Python's {@code wait()}: waits until the result is ready.
     *
     * @throws InterruptedException if interrupted while waiting.
     */
    public void await() throws InterruptedException
    {
        done.await();
    }

    /**
     * Python's {@code ready()}.
     *
     * @return whether the task has completed, successfully or not.
     */
    public boolean ready()
    {
        return done.getCount() == 0;
    }

    /**
     * Python's {@code successful()}.
     *
     * @return whether the task completed without an exception.
     * @throws IllegalStateException if it is not ready yet, as Python's raises {@code ValueError}.
     */
    public boolean successful()
    {
        if (!ready())
        {
            throw new IllegalStateException("the result of " + core.name() + " is not ready");
        }
        return failure == null;
    }

    /**
     * Cancels the task: one not yet started never runs, and one running has its worker killed and replaced
     * (the other tasks carry on). A thread worker is interrupted instead.
     *
     * @param mayInterruptIfRunning whether a running task is stopped; if false it runs on, and its result is
     *                              dropped.
     * @return false if it had already completed.
     */
    @Override
    public boolean cancel(final boolean mayInterruptIfRunning)
    {
        boolean any = false;
        for (final Job job : jobs)
        {
            any |= core.cancel(job, mayInterruptIfRunning);
        }
        return any;
    }

    /**
     * Cancels the task and stops it if it is running: {@code cancel(true)}.
     *
     * @return false if it had already completed.
     */
    public boolean cancel()
    {
        return cancel(true);
    }

    @Override
    public boolean isCancelled()
    {
        return failure instanceof CancellationException;
    }

    @Override
    public boolean isDone()
    {
        return ready();
    }

    @Override
    public String toString()
    {
        return "AsyncResult{" + (ready() ? failure == null ? "value=" + value : "failure=" + failure : "pending") +
            "}";
    }

    /** A callback that waits for a result that only its own thread can deliver would wait for ever. */
    private void ensureNotResultThread()
    {
        if (!ready() && core.isResultThread())
        {
            throw new IllegalStateException("a callback of " + core.name() + " waits for a result that its result " +
                "thread, which runs the callback, would have to deliver");
        }
    }

    private T outcome() throws ExecutionException
    {
        final Throwable why = failure;
        if (why == null)
        {
            return value;
        }
        if (why instanceof CancellationException cancelled)
        {
            final CancellationException thrown = new CancellationException(cancelled.getMessage());
            thrown.initCause(cancelled);
            throw thrown;
        }
        throw new ExecutionException(why.toString(), why);
    }
}
