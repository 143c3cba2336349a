package dev.jipc.pool;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The results of {@link Pool#imap} (in the order of the arguments) or {@link Pool#imapUnordered} (in the order they
 * complete), each available as soon as its chunk has run. A task that failed throws from the {@code next} that
 * reaches it, as Python's {@code IMapIterator} raises; the iteration can go on past it.
 *
 * @param <R> the result type.
 */
public final class PoolIterator<R> implements Iterator<R>
{
    private final PoolCore core;
    private final boolean ordered;
    private final int total;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    /** Ordered: each chunk's outcome by chunk index. */
    private final Object[] chunks;
    private final int[] chunkLengths;
    /** Unordered: the outcomes of elements in completion order. */
    private final ArrayDeque<Object> completed = new ArrayDeque<>();
    private List<Job> jobs = List.of();
    private int returned;
    private int chunk;
    private int inChunk;

    PoolIterator(final PoolCore core, final boolean ordered, final int total, final int[] chunkLengths)
    {
        this.core = core;
        this.ordered = ordered;
        this.total = total;
        this.chunkLengths = chunkLengths;
        this.chunks = new Object[chunkLengths.length];
    }

    void jobs(final List<Job> jobs)
    {
        this.jobs = List.copyOf(jobs);
    }

    /** Called on the result thread when a chunk's job has ended: an {@code Object[]} or a {@link Failure}. */
    void arrived(final int index, final Object outcome)
    {
        lock.lock();
        try
        {
            if (ordered)
            {
                chunks[index] = outcome;
            }
            else if (outcome instanceof Object[] values)
            {
                for (final Object value : values)
                {
                    completed.add(new Value(value));
                }
            }
            else
            {
                for (int i = 0; i < chunkLengths[index]; i++)
                {
                    completed.add(outcome);
                }
            }
            arrived.signalAll();
        }
        finally
        {
            lock.unlock();
        }
    }

    @Override
    public boolean hasNext()
    {
        lock.lock();
        try
        {
            return returned < total;
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * The next result, waiting for it as long as it takes.
     *
     * @return the result.
     * @throws CompletionException    if its task failed; the cause says why.
     * @throws NoSuchElementException if there are no more.
     */
    @Override
    public R next()
    {
        try
        {
            return next(-1);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new CompletionException("interrupted waiting for a result of " + core.name(), ex);
        }
        catch (final TimeoutException ex)
        {
            throw new IllegalStateException("a wait with no timeout timed out", ex);
        }
    }

    /**
     * The next result, waiting at most {@code timeout}: Python's {@code next(timeout)}.
     *
     * @param timeout the longest wait.
     * @param unit    its unit.
     * @return the result.
     * @throws InterruptedException   if interrupted while waiting.
     * @throws TimeoutException       if the timeout passed first; a later call can still get it.
     * @throws CompletionException    if its task failed; the cause says why.
     * @throws NoSuchElementException if there are no more.
     */
    public R next(final long timeout, final TimeUnit unit) throws InterruptedException, TimeoutException
    {
        return next(Math.max(0, unit.toNanos(timeout)));
    }

    /** Cancels every task of this iteration that has not yet run, and stops those running. */
    public void cancel()
    {
        for (final Job job : jobs)
        {
            core.cancel(job, true);
        }
    }

    @SuppressWarnings("unchecked")
    private R next(final long timeoutNanos) throws InterruptedException, TimeoutException
    {
        lock.lock();
        try
        {
            if (returned >= total)
            {
                throw new NoSuchElementException("all " + total + " results of this iteration were returned");
            }
            long left = timeoutNanos;
            Object outcome;
            while ((outcome = peek()) == null)
            {
                if (timeoutNanos < 0)
                {
                    arrived.await();
                }
                else
                {
                    if (left <= 0)
                    {
                        throw new TimeoutException("result " + returned + " of " + total + " from " + core.name() +
                            " not ready in time");
                    }
                    left = arrived.awaitNanos(left);
                }
            }
            advance();
            if (outcome instanceof Failure failure)
            {
                throw new CompletionException(failure.why().toString(), failure.why());
            }
            return (R)((Value)outcome).value();
        }
        finally
        {
            lock.unlock();
        }
    }

    private Object peek()
    {
        if (!ordered)
        {
            return completed.peekFirst();
        }
        final Object outcome = chunks[chunk];
        if (outcome == null)
        {
            return null;
        }
        return outcome instanceof Object[] values ? new Value(values[inChunk]) : outcome;
    }

    private void advance()
    {
        returned++;
        if (!ordered)
        {
            completed.pollFirst();
            return;
        }
        if (++inChunk == chunkLengths[chunk])
        {
            chunks[chunk] = null;
            chunk++;
            inChunk = 0;
        }
    }

    /** A result, boxed so that a null result is not mistaken for none yet. */
    private record Value(Object value)
    {
    }

    /** The failure of a task. */
    record Failure(Throwable why)
    {
    }
}
