package dev.jipc.pool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The settings of a {@link Pool} or {@link ProcessPoolExecutor}, Python's {@code Pool(processes, initializer,
 * initargs, maxtasksperchild)} and a few more: {@code ctx.poolBuilder().processes(4).initializer(...).build()}.
 */
public final class PoolBuilder
{
    /** Jobs a worker holds at once by default: enough to keep it busy between results, few to wait behind one. */
    public static final int DEFAULT_PREFETCH = 8;

    private final Context context;
    private int processes;
    private SerializableRunnable initializer;
    private int maxTasksPerChild;
    private int retries;
    private Duration taskTimeout = Duration.ZERO;
    private int prefetch = DEFAULT_PREFETCH;
    private final List<String> jvmOptions = new ArrayList<>();

    PoolBuilder(final Context context)
    {
        this.context = context;
        // a pool of child JVMs has a bound (see processes(int)); a machine with more CPUs gets that many workers
        this.processes = Context.THREADS.equals(context.startMethod()) ? Processes.cpuCount() :
            Math.min(Processes.cpuCount(), ChildWorkers.MAX_WORKERS);
    }

    /**
     * How many workers: {@link Processes#cpuCount()} unless set, and at most 48 for child JVMs (their results share
     * one queue of 64 producer slots).
     *
     * @param processes at least 1.
     * @return this.
     */
    public PoolBuilder processes(final int processes)
    {
        if (processes < 1)
        {
            throw new IllegalArgumentException("a pool needs at least one process: processes=" + processes);
        }
        this.processes = processes;
        return this;
    }

    /**
     * Runs once in each worker before its first task, as Python's {@code initializer}. If it throws, the pool is
     * broken: its tasks fail with the initializer's exception as the cause, and it takes no more (Python's pool
     * starts failing workers again and again instead).
     *
     * @param initializer the initializer.
     * @return this.
     */
    public PoolBuilder initializer(final SerializableRunnable initializer)
    {
        this.initializer = Objects.requireNonNull(initializer, "initializer");
        return this;
    }

    /**
     * An initializer with an argument, Python's {@code initializer=f, initargs=(a,)}.
     *
     * @param initializer the initializer.
     * @param arg         its argument.
     * @param <T>         its type.
     * @return this.
     */
    public <T> PoolBuilder initializer(final SerializableConsumer<T> initializer, final T arg)
    {
        Objects.requireNonNull(initializer, "initializer");
        return initializer(() -> initializer.accept(arg));
    }

    /**
     * After this many tasks a worker exits and a fresh one takes its place, as Python's {@code maxtasksperchild};
     * 0 (the default) for no limit.
     *
     * @param tasks the limit, or 0.
     * @return this.
     */
    public PoolBuilder maxTasksPerChild(final int tasks)
    {
        if (tasks < 0)
        {
            throw new IllegalArgumentException("maxTasksPerChild must be 0 (no limit) or more: " + tasks);
        }
        this.maxTasksPerChild = tasks;
        return this;
    }

    /**
     * How many times a task whose worker died running it runs again before it fails with a
     * {@link WorkerDiedException}: 0 (the default) for none. Only for idempotent tasks.
     *
     * @param retries the retries.
     * @return this.
     */
    public PoolBuilder retries(final int retries)
    {
        if (retries < 0)
        {
            throw new IllegalArgumentException("retries must be 0 or more: " + retries);
        }
        this.retries = retries;
        return this;
    }

    /**
     * A task that runs longer than this fails with a {@link java.util.concurrent.TimeoutException} and its worker
     * is killed and replaced (a thread worker is interrupted); zero (the default) for no limit.
     *
     * @param timeout the limit.
     * @return this.
     */
    public PoolBuilder taskTimeout(final Duration timeout)
    {
        if (timeout.isNegative())
        {
            throw new IllegalArgumentException("taskTimeout must not be negative: " + timeout);
        }
        this.taskTimeout = timeout;
        return this;
    }

    /**
     * How many tasks a worker holds at once ({@value #DEFAULT_PREFETCH} unless set): more keeps a worker busy
     * while the pool's results travel, fewer lets an idle worker take tasks that would wait behind a long one.
     *
     * @param tasks at least 1.
     * @return this.
     */
    public PoolBuilder prefetch(final int tasks)
    {
        if (tasks < 1)
        {
            throw new IllegalArgumentException("prefetch must be at least 1: " + tasks);
        }
        this.prefetch = tasks;
        return this;
    }

    /**
     * JVM options of the worker JVMs, after the context's.
     *
     * @param options such as {@code -Xmx256m}.
     * @return this.
     */
    public PoolBuilder jvmOptions(final String... options)
    {
        jvmOptions.addAll(List.of(options));
        return this;
    }

    /**
     * Starts the pool's workers.
     *
     * @return the pool.
     */
    public Pool build()
    {
        return new Pool(context, core("Pool"));
    }

    /**
     * Starts an executor's workers.
     *
     * @return the executor.
     */
    public ProcessPoolExecutor buildExecutor()
    {
        return new ProcessPoolExecutor(context, core("ProcessPoolExecutor"));
    }

    private PoolCore core(final String kind)
    {
        final String name = kind + "-" + Pool.nextNumber();
        final WorkerEngine engine = Context.THREADS.equals(context.startMethod()) ? new ThreadWorkers(initializer) :
            new ChildWorkers(context, name, processes, prefetch, initializer, jvmOptions);
        try
        {
            final PoolCore core = new PoolCore(name, engine, processes, prefetch, maxTasksPerChild, retries,
                taskTimeout.toNanos());
            context.adopt(name, core);
            return core;
        }
        catch (final RuntimeException ex)
        {
            engine.close();
            throw ex;
        }
    }
}
