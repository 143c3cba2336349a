package dev.jipc.pool;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import dev.jipc.sync.DoubleArray;
import dev.jipc.sync.LongArray;
import dev.jipc.sync.SharedArray;

/**
 * Python's {@code multiprocessing.Pool}: worker JVMs (or threads, for {@link Context#threads()}) that run tasks.
 * <pre>{@code
 * try (Context ctx = Context.forkserver(); Pool pool = ctx.pool(4)) {
 *     List<Integer> squares = pool.map(x -> x * x, List.of(1, 2, 3));
 *     AsyncResult<String> hello = pool.applyAsync(() -> "hello from " + Processes.currentProcess().name());
 *     System.out.println(squares + " " + hello.get(10, TimeUnit.SECONDS));
 * }
 * }</pre>
 *
 * <h2>When a worker dies</h2>
 * A worker killed mid-task (any signal, {@code System.exit}, running out of memory) fails that one task with a
 * {@link WorkerDiedException} naming the worker's pid, its exit code or signal, and the task; a replacement starts
 * and every other task completes. {@link #map} then throws instead of hanging, as Python's does (gh-96062).
 * {@link PoolBuilder#retries(int)} runs such tasks again instead.
 *
 * <h2>Results and callbacks</h2>
 * Arguments and results cross to the workers as {@link PoolValues} values (the common types with no object stream,
 * anything else serialised); a function that captures nothing is sent to each worker once. Callbacks run on the
 * pool's one result thread, in completion order. A task's exception comes back as the cause of an
 * {@link ExecutionException}, with the worker's stack trace.
 *
 * <h2>Closing</h2>
 * {@link #close()} is Python's {@code close()}: the pool takes no more tasks, and its workers exit once every task
 * has run; {@link #join()} then waits for them. {@link #terminate()} fails every unfinished task with a
 * {@link java.util.concurrent.CancellationException} and ends the workers now. A try-with-resources block therefore
 * lets the tasks it submitted finish (where Python's {@code with Pool()} terminates them: {@code close()} cannot mean
 * both Python's close and its {@code __exit__}, and Python's seeds call {@code close()} then {@code join()}). Closing
 * the context terminates its pools, and so does this JVM's exit.
 * <p>
 * Thread-safe.
 */
public final class Pool implements AutoCloseable
{
    /** Python's {@code Pool} caps its chunks at no size; this one caps an automatic chunk so that it fits a ring. */
    static final int MAX_AUTO_CHUNK = 4096;
    private static final AtomicInteger NUMBERS = new AtomicInteger();

    private final Context context;
    private final PoolCore core;
    private final boolean sharesHeap;
    private final ScratchArrays<LongArray> longScratch;
    private final ScratchArrays<DoubleArray> doubleScratch;

    Pool(final Context context, final PoolCore core)
    {
        this.context = context;
        this.core = core;
        this.sharesHeap = Context.THREADS.equals(context.startMethod());
        this.longScratch = new ScratchArrays<>(context, context::longArray);
        this.doubleScratch = new ScratchArrays<>(context, context::doubleArray);
        core.whenFinished(() ->
        {
            longScratch.releaseKept();
            doubleScratch.releaseKept();
        });
    }

    static int nextNumber()
    {
        return NUMBERS.incrementAndGet();
    }

    /**
     * How many workers the pool keeps.
     *
     * @return the number of processes (threads, for the threads context).
     */
    public int processes()
    {
        return core.size();
    }

    /**
     * Python's {@code map}: applies a function to every item, in chunks of an automatic size.
     *
     * @param fn    the function.
     * @param items the arguments.
     * @param <T>   the argument type.
     * @param <R>   the result type.
     * @return the results, in the order of the items.
     * @throws InterruptedException if interrupted while waiting.
     * @throws ExecutionException   if a task failed; the cause says why.
     */
    public <T, R> List<R> map(final SerializableFunction<? super T, ? extends R> fn, final Iterable<? extends T> items)
        throws InterruptedException, ExecutionException
    {
        return map(fn, items, 0);
    }

    /**
     * Python's {@code map} with a chunk size.
     *
     * @param fn        the function.
     * @param items     the arguments.
     * @param chunksize items per task; 0 for an automatic size (Python's: about four chunks per worker).
     * @param <T>       the argument type.
     * @param <R>       the result type.
     * @return the results, in the order of the items.
     * @throws InterruptedException if interrupted while waiting.
     * @throws ExecutionException   if a task failed; the cause says why.
     */
    public <T, R> List<R> map(final SerializableFunction<? super T, ? extends R> fn, final Iterable<? extends T> items,
        final int chunksize) throws InterruptedException, ExecutionException
    {
        return this.<T, R>mapAsync(fn, items, chunksize, null, null).get();
    }

    /**
     * Python's {@code map_async}.
     *
     * @param fn    the function.
     * @param items the arguments.
     * @param <T>   the argument type.
     * @param <R>   the result type.
     * @return the results to come.
     */
    public <T, R> AsyncResult<List<R>> mapAsync(final SerializableFunction<? super T, ? extends R> fn,
        final Iterable<? extends T> items)
    {
        return mapAsync(fn, items, 0, null, null);
    }

    /**
     * Python's {@code map_async} with a chunk size and callbacks.
     *
     * @param fn            the function.
     * @param items         the arguments.
     * @param chunksize     items per task; 0 for an automatic size.
     * @param callback      called with the results on the result thread, or null.
     * @param errorCallback called with the first failure on the result thread, or null.
     * @param <T>           the argument type.
     * @param <R>           the result type.
     * @return the results to come.
     */
    public <T, R> AsyncResult<List<R>> mapAsync(final SerializableFunction<? super T, ? extends R> fn,
        final Iterable<? extends T> items, final int chunksize, final Consumer<? super List<R>> callback,
        final Consumer<? super Throwable> errorCallback)
    {
        Objects.requireNonNull(fn, "fn");
        final Object[] all = toArray(items);
        int size = chunkSize(all.length, chunksize);
        while (true)
        {
            try
            {
                return submitMap(fn, all, size, callback, errorCallback);
            }
            catch (final ChunkTooLargeException ex)
            {
                // nothing was submitted: an automatic size halves until each chunk fits a task ring
                if (chunksize != 0 || size == 1)
                {
                    throw ex;
                }
                size = (size + 1) / 2;
            }
        }
    }

    private <T, R> AsyncResult<List<R>> submitMap(final SerializableFunction<? super T, ? extends R> fn,
        final Object[] all, final int size, final Consumer<? super List<R>> callback,
        final Consumer<? super Throwable> errorCallback)
    {
        final AsyncResult<List<R>> result = new AsyncResult<>(core, callback, errorCallback);
        final Object[] values = new Object[all.length];
        final int chunks = chunkCount(all.length, size);
        final AtomicInteger left = new AtomicInteger(chunks);
        final List<Job> jobs = new ArrayList<>(chunks);
        for (int c = 0; c < chunks; c++)
        {
            final int offset = c * size;
            final Object[] chunk = Arrays.copyOfRange(all, offset, Math.min(all.length, offset + size));
            jobs.add(new Job(core.newJobId(), Job.Kind.CHUNK, fn, chunk, new JobListener()
            {
                @Override
                public void succeeded(final Job job, final Object value)
                {
                    final Object[] out = (Object[])value;
                    if (out.length != chunk.length)
                    {
                        result.fail(new IllegalStateException(job + " returned " + out.length + " results for " +
                            chunk.length + " items"));
                        return;
                    }
                    System.arraycopy(out, 0, values, offset, out.length);
                    if (left.decrementAndGet() == 0)
                    {
                        result.succeed(listOf(values));
                    }
                }

                @Override
                public void failed(final Job job, final Throwable why)
                {
                    result.fail(why);
                }
            }, "chunk " + c + " of " + chunks + " (items " + offset + " to " + (offset + chunk.length - 1) +
                ") of a map on " + core.name()));
        }
        return submit(result, jobs, () -> result.succeed(listOf(values)));
    }

    /**
     * Python's {@code imap}: the results in the order of the items, each as soon as it is ready, with a chunk size
     * of 1.
     *
     * @param fn    the function.
     * @param items the arguments (all submitted now).
     * @param <T>   the argument type.
     * @param <R>   the result type.
     * @return the results, in order.
     */
    public <T, R> PoolIterator<R> imap(final SerializableFunction<? super T, ? extends R> fn,
        final Iterable<? extends T> items)
    {
        return iterate(fn, items, 1, true);
    }

    /**
     * Python's {@code imap} with a chunk size.
     *
     * @param fn        the function.
     * @param items     the arguments (all submitted now).
     * @param chunksize items per task, at least 1.
     * @param <T>       the argument type.
     * @param <R>       the result type.
     * @return the results, in order.
     */
    public <T, R> PoolIterator<R> imap(final SerializableFunction<? super T, ? extends R> fn,
        final Iterable<? extends T> items, final int chunksize)
    {
        return iterate(fn, items, chunksize, true);
    }

    /**
     * Python's {@code imap_unordered}: the results in the order they complete.
     *
     * @param fn    the function.
     * @param items the arguments (all submitted now).
     * @param <T>   the argument type.
     * @param <R>   the result type.
     * @return the results, as they complete.
     */
    public <T, R> PoolIterator<R> imapUnordered(final SerializableFunction<? super T, ? extends R> fn,
        final Iterable<? extends T> items)
    {
        return iterate(fn, items, 1, false);
    }

    /**
     * Python's {@code imap_unordered} with a chunk size.
     *
     * @param fn        the function.
     * @param items     the arguments (all submitted now).
     * @param chunksize items per task, at least 1.
     * @param <T>       the argument type.
     * @param <R>       the result type.
     * @return the results, as they complete.
     */
    public <T, R> PoolIterator<R> imapUnordered(final SerializableFunction<? super T, ? extends R> fn,
        final Iterable<? extends T> items, final int chunksize)
    {
        return iterate(fn, items, chunksize, false);
    }

    /**
     * Python's {@code starmap}: applies a function of two arguments to each pair.
     *
     * @param fn    the function.
     * @param pairs the argument pairs, such as {@code Map.entry(a, b)}.
     * @param <T>   the first argument type.
     * @param <U>   the second argument type.
     * @param <R>   the result type.
     * @return the results, in order.
     * @throws InterruptedException if interrupted while waiting.
     * @throws ExecutionException   if a task failed.
     */
    public <T, U, R> List<R> starmap(final SerializableBiFunction<? super T, ? super U, ? extends R> fn,
        final Iterable<? extends Map.Entry<? extends T, ? extends U>> pairs)
        throws InterruptedException, ExecutionException
    {
        return this.<T, U, R>starmapAsync(fn, pairs).get();
    }

    /**
     * Python's {@code starmap_async}.
     *
     * @param fn    the function.
     * @param pairs the argument pairs.
     * @param <T>   the first argument type.
     * @param <U>   the second argument type.
     * @param <R>   the result type.
     * @return the results to come.
     */
    public <T, U, R> AsyncResult<List<R>> starmapAsync(
        final SerializableBiFunction<? super T, ? super U, ? extends R> fn,
        final Iterable<? extends Map.Entry<? extends T, ? extends U>> pairs)
    {
        Objects.requireNonNull(fn, "fn");
        final List<Object[]> arguments = new ArrayList<>();
        for (final Map.Entry<? extends T, ? extends U> pair : pairs)
        {
            arguments.add(new Object[] {pair.getKey(), pair.getValue()});
        }
        return this.<Object[], R>mapAsync(new StarCall<T, U, R>(fn), arguments, 0, null, null);
    }

    /**
     * Python's {@code apply}: runs one task and waits for its result.
     *
     * @param fn  the function.
     * @param arg its argument.
     * @param <T> the argument type.
     * @param <R> the result type.
     * @return the result.
     * @throws InterruptedException if interrupted while waiting.
     * @throws ExecutionException   if the task failed.
     */
    public <T, R> R apply(final SerializableFunction<? super T, ? extends R> fn, final T arg)
        throws InterruptedException, ExecutionException
    {
        return applyAsync(fn, arg).get();
    }

    /**
     * Python's {@code apply} of a task with no argument.
     *
     * @param task the task.
     * @param <R>  the result type.
     * @return the result.
     * @throws InterruptedException if interrupted while waiting.
     * @throws ExecutionException   if the task failed.
     */
    public <R> R apply(final SerializableCallable<? extends R> task) throws InterruptedException, ExecutionException
    {
        return applyAsync(task).get();
    }

    /**
     * Python's {@code apply_async}.
     *
     * @param fn  the function.
     * @param arg its argument.
     * @param <T> the argument type.
     * @param <R> the result type.
     * @return the result to come.
     */
    public <T, R> AsyncResult<R> applyAsync(final SerializableFunction<? super T, ? extends R> fn, final T arg)
    {
        return applyAsync(fn, arg, null, null);
    }

    /**
     * Python's {@code apply_async} with callbacks.
     *
     * @param fn            the function.
     * @param arg           its argument.
     * @param callback      called with the result on the result thread, or null.
     * @param errorCallback called with the failure on the result thread, or null.
     * @param <T>           the argument type.
     * @param <R>           the result type.
     * @return the result to come.
     */
    public <T, R> AsyncResult<R> applyAsync(final SerializableFunction<? super T, ? extends R> fn, final T arg,
        final Consumer<? super R> callback, final Consumer<? super Throwable> errorCallback)
    {
        Objects.requireNonNull(fn, "fn");
        return single(Job.Kind.CALL, fn, arg, callback, errorCallback, "a task of " + core.name());
    }

    /**
     * Python's {@code apply_async} of a task with no argument.
     *
     * @param task the task.
     * @param <R>  the result type.
     * @return the result to come.
     */
    public <R> AsyncResult<R> applyAsync(final SerializableCallable<? extends R> task)
    {
        return applyAsync(task, null, null);
    }

    /**
     * Python's {@code apply_async} of a task with no argument, with callbacks.
     *
     * @param task          the task.
     * @param callback      called with the result on the result thread, or null.
     * @param errorCallback called with the failure on the result thread, or null.
     * @param <R>           the result type.
     * @return the result to come.
     */
    public <R> AsyncResult<R> applyAsync(final SerializableCallable<? extends R> task,
        final Consumer<? super R> callback, final Consumer<? super Throwable> errorCallback)
    {
        Objects.requireNonNull(task, "task");
        return single(Job.Kind.RUN, task, null, callback, errorCallback, "a task of " + core.name());
    }

    /**
     * Applies a {@code long} function to every element, with no boxing and no per-element serialisation: the
     * arguments and results cross in shared {@link LongArray}s, and each task names a range of them.
     *
     * @param fn   the function.
     * @param args the arguments.
     * @return the results, in order.
     * @throws InterruptedException if interrupted while waiting.
     * @throws ExecutionException   if a task failed.
     */
    public long[] mapToLong(final SerializableLongUnaryOperator fn, final long[] args)
        throws InterruptedException, ExecutionException
    {
        Objects.requireNonNull(fn, "fn");
        if (args.length == 0)
        {
            return new long[0];
        }
        if (sharesHeap)
        {
            final long[] out = new long[args.length];
            ranges(Job.Kind.LONG_RANGE, fn, args, out, args.length);
            return out;
        }
        final SharedArray[] pair = longScratch.borrow(args.length);
        try
        {
            ((LongArray)pair[0]).copyFrom(args, 0, 0, args.length);
            ranges(Job.Kind.LONG_RANGE, fn, pair[0].name(), pair[1].name(), args.length);
            final long[] results = new long[args.length];
            ((LongArray)pair[1]).copyTo(0, results, 0, args.length);
            return results;
        }
        finally
        {
            longScratch.giveBack(pair);
        }
    }

    /**
     * Applies a {@code long} function to every element of a shared array, which stays in shared memory: the
     * workers read it and write the results to a new shared array, with no copy through this JVM.
     *
     * @param fn   the function.
     * @param args the arguments.
     * @return a new array of the context, unlinked when it closes.
     * @throws InterruptedException if interrupted while waiting.
     * @throws ExecutionException   if a task failed.
     */
    public LongArray mapToLong(final SerializableLongUnaryOperator fn, final LongArray args)
        throws InterruptedException, ExecutionException
    {
        Objects.requireNonNull(fn, "fn");
        final LongArray out = context.longArray(args.length());
        if (args.length() == 0)
        {
            return out;
        }
        if (sharesHeap)
        {
            final long[] values = args.toArray();
            final long[] results = new long[values.length];
            ranges(Job.Kind.LONG_RANGE, fn, values, results, values.length);
            out.copyFrom(results, 0, 0, results.length);
        }
        else
        {
            ranges(Job.Kind.LONG_RANGE, fn, args.name(), out.name(), args.length());
        }
        return out;
    }

    /**
     * Applies a {@code double} function to every element, as {@link #mapToLong(SerializableLongUnaryOperator,
     * long[])} does.
     *
     * @param fn   the function.
     * @param args the arguments.
     * @return the results, in order.
     * @throws InterruptedException if interrupted while waiting.
     * @throws ExecutionException   if a task failed.
     */
    public double[] mapToDouble(final SerializableDoubleUnaryOperator fn, final double[] args)
        throws InterruptedException, ExecutionException
    {
        Objects.requireNonNull(fn, "fn");
        if (args.length == 0)
        {
            return new double[0];
        }
        if (sharesHeap)
        {
            final double[] out = new double[args.length];
            ranges(Job.Kind.DOUBLE_RANGE, fn, args, out, args.length);
            return out;
        }
        final SharedArray[] pair = doubleScratch.borrow(args.length);
        try
        {
            ((DoubleArray)pair[0]).copyFrom(args, 0, 0, args.length);
            ranges(Job.Kind.DOUBLE_RANGE, fn, pair[0].name(), pair[1].name(), args.length);
            final double[] results = new double[args.length];
            ((DoubleArray)pair[1]).copyTo(0, results, 0, args.length);
            return results;
        }
        finally
        {
            doubleScratch.giveBack(pair);
        }
    }

    /** Python's {@code close()}: no more tasks; the workers exit once every task has run. */
    @Override
    public void close()
    {
        core.close();
    }

    /** Python's {@code terminate()}: every unfinished task fails with a cancellation, and the workers end now. */
    public void terminate()
    {
        core.terminate();
    }

    /**
     * Python's {@code join()}: waits until every worker has exited.
     *
     * @throws InterruptedException  if interrupted while waiting.
     * @throws IllegalStateException if the pool was neither closed nor terminated.
     */
    public void join() throws InterruptedException
    {
        core.join(-1);
    }

    /**
     * Waits at most {@code timeout} until every worker has exited.
     *
     * @param timeout the longest wait.
     * @param unit    its unit.
     * @return false if the timeout passed first.
     * @throws InterruptedException  if interrupted while waiting.
     * @throws IllegalStateException if the pool was neither closed nor terminated.
     */
    public boolean join(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return core.join(Math.max(0, unit.toNanos(timeout)));
    }

    /**
     * The process ids of the live workers (this JVM's, once per thread, for the threads context).
     *
     * @return the pids.
     */
    public List<Long> workerPids()
    {
        return core.workerPids();
    }

    @Override
    public String toString()
    {
        return core.name() + "{processes=" + core.size() + ", state=" + core.state() + ", context=" +
            context.startMethod() + "}";
    }

    private <R> AsyncResult<R> single(final Job.Kind kind, final Object fn, final Object arg,
        final Consumer<? super R> callback, final Consumer<? super Throwable> errorCallback, final String what)
    {
        final AsyncResult<R> result = new AsyncResult<>(core, callback, errorCallback);
        final Job job = new Job(core.newJobId(), kind, fn, arg, result.asListener(), what);
        return submit(result, List.of(job), null);
    }

    private <R> AsyncResult<R> submit(final AsyncResult<R> result, final List<Job> jobs, final Runnable ifNone)
    {
        if (jobs.isEmpty())
        {
            core.ensureRunning();
            ifNone.run();
            return result;
        }
        result.jobs(jobs);
        core.submit(jobs);
        return result;
    }

    private <T, R> PoolIterator<R> iterate(final SerializableFunction<? super T, ? extends R> fn,
        final Iterable<? extends T> items, final int chunksize, final boolean ordered)
    {
        Objects.requireNonNull(fn, "fn");
        if (chunksize < 1)
        {
            throw new IllegalArgumentException("chunksize must be at least 1: " + chunksize);
        }
        final Object[] all = toArray(items);
        final int chunks = chunkCount(all.length, chunksize);
        final int[] lengths = new int[chunks];
        for (int c = 0; c < chunks; c++)
        {
            lengths[c] = Math.min(chunksize, all.length - c * chunksize);
        }
        final PoolIterator<R> iterator = new PoolIterator<>(core, ordered, all.length, lengths);
        final List<Job> jobs = new ArrayList<>(chunks);
        for (int c = 0; c < chunks; c++)
        {
            final int index = c;
            final Object[] chunk = Arrays.copyOfRange(all, c * chunksize, c * chunksize + lengths[c]);
            jobs.add(new Job(core.newJobId(), Job.Kind.CHUNK, fn, chunk, new JobListener()
            {
                @Override
                public void succeeded(final Job job, final Object value)
                {
                    iterator.arrived(index, value);
                }

                @Override
                public void failed(final Job job, final Throwable why)
                {
                    iterator.arrived(index, new PoolIterator.Failure(why));
                }
            }, "chunk " + c + " of " + chunks + " of an imap on " + core.name()));
        }
        if (jobs.isEmpty())
        {
            core.ensureRunning();
            return iterator;
        }
        iterator.jobs(jobs);
        core.submit(jobs);
        return iterator;
    }

    /** Runs a primitive map as ranges of about four per worker, and waits for them all. */
    private void ranges(final Job.Kind kind, final Object fn, final Object in, final Object out, final int length)
        throws InterruptedException, ExecutionException
    {
        final int size = Math.max(1, (length + 4 * core.size() - 1) / (4 * core.size()));
        final int chunks = chunkCount(length, size);
        final AsyncResult<Void> result = new AsyncResult<>(core, null, null);
        final AtomicInteger left = new AtomicInteger(chunks);
        final List<Job> jobs = new ArrayList<>(chunks);
        for (int c = 0; c < chunks; c++)
        {
            final int from = c * size;
            final int to = Math.min(length, from + size);
            jobs.add(new Job(core.newJobId(), kind, fn, new PrimitiveRange(in, out, from, to), new JobListener()
            {
                @Override
                public void succeeded(final Job job, final Object value)
                {
                    if (left.decrementAndGet() == 0)
                    {
                        result.succeed(null);
                    }
                }

                @Override
                public void failed(final Job job, final Throwable why)
                {
                    result.fail(why);
                }
            }, "elements " + from + " to " + (to - 1) + " of a primitive map on " + core.name()));
        }
        submit(result, jobs, null).get();
    }

    /** Python's {@code _map_async}: four chunks per worker, rounded up; here capped to fit a task ring. */
    private int chunkSize(final int length, final int chunksize)
    {
        if (chunksize < 0)
        {
            throw new IllegalArgumentException("chunksize must be 0 (automatic) or more: " + chunksize);
        }
        if (chunksize > 0)
        {
            return chunksize;
        }
        final int perChunk = Math.max(1, (length + 4 * core.size() - 1) / (4 * core.size()));
        return Math.min(MAX_AUTO_CHUNK, perChunk);
    }

    private static int chunkCount(final int length, final int size)
    {
        return (length + size - 1) / size;
    }

    private static Object[] toArray(final Iterable<?> items)
    {
        Objects.requireNonNull(items, "items");
        if (items instanceof Collection<?> collection)
        {
            return collection.toArray();
        }
        final List<Object> all = new ArrayList<>();
        items.forEach(all::add);
        return all.toArray();
    }

    @SuppressWarnings("unchecked")
    private static <R> List<R> listOf(final Object[] values)
    {
        return (List<R>)new ArrayList<>(Arrays.asList(values));
    }

    /** Python's {@code starmap}'s unpacking: a two-argument function applied to an {@code Object[]} pair. */
    private record StarCall<T, U, R>(SerializableBiFunction<? super T, ? super U, ? extends R> fn)
        implements SerializableFunction<Object[], R>
    {
        @Override
        @SuppressWarnings("unchecked")
        public R apply(final Object[] pair)
        {
            return fn.apply((T)pair[0], (U)pair[1]);
        }
    }
}
