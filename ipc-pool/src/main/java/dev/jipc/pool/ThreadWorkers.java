package dev.jipc.pool;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleUnaryOperator;
import java.util.function.LongUnaryOperator;

/**
 * Workers that are threads of this JVM, for {@link Context#threads()} (Python's {@code multiprocessing.dummy.Pool}):
 * nothing is serialised, jobs and results pass as objects through in-memory queues. A thread cannot be killed, so a
 * cancelled or timed-out job's thread is interrupted instead and carries on with its next job once the function
 * returns; {@link Pool#terminate()} interrupts every worker thread.
 */
final class ThreadWorkers implements WorkerEngine
{
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static final Object STOP = new Object();

    private final Runnable initializer;
    private final LinkedBlockingQueue<WorkerEvent> events = new LinkedBlockingQueue<>();
    private final BooleanSupplier eventThere = () -> !events.isEmpty();
    /** When the result thread last had an event, for its {@link Linger}. */
    private long lastEvent = System.nanoTime();

    ThreadWorkers(final Runnable initializer)
    {
        this.initializer = initializer;
    }

    @Override
    public void prepare(final java.util.Collection<Job> jobs)
    {
    }

    @Override
    public WorkerLink start(final int slot, final int generation)
    {
        final ThreadLink link = new ThreadLink(slot, generation, "PoolWorker-" + NAMES.incrementAndGet());
        link.thread.start();
        return link;
    }

    @Override
    public WorkerEvent poll(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        Linger.awaitWithin(eventThere, lastEvent);
        final WorkerEvent event = events.poll(timeout, unit);
        if (event != null)
        {
            lastEvent = System.nanoTime();
        }
        return event;
    }

    @Override
    public void wake()
    {
        events.add(WorkerEvent.WAKE_UP);
    }

    @Override
    public void close()
    {
    }

    /** One worker thread and its job queue. */
    private final class ThreadLink implements WorkerLink
    {
        private final int slot;
        private final int generation;
        private final String name;
        private final LinkedBlockingQueue<Object> jobs = new LinkedBlockingQueue<>();
        private final AtomicLong started = new AtomicLong(-1);
        private final Thread thread;
        private volatile boolean terminating;
        /** Killed: the pool has taken its jobs back, so it runs none of them and posts no exit. */
        private boolean abandoned;

        ThreadLink(final int slot, final int generation, final String name)
        {
            this.slot = slot;
            this.generation = generation;
            this.name = name;
            this.thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this::work);
        }

        @Override
        public boolean send(final Job job)
        {
            return jobs.offer(job);
        }

        @Override
        public boolean stop()
        {
            return jobs.offer(STOP);
        }

        @Override
        public long startedJob()
        {
            return started.get();
        }

        @Override
        public boolean cancelQueued(final long jobId, final java.util.function.LongPredicate inUse)
        {
            // the job's done flag is its cancel word: set before this, read by the thread after it writes started
            return started.get() == jobId;
        }

        @Override
        public void kill()
        {
            // a thread cannot be killed: abandon it to finish its job, and let a replacement take the jobs behind
            synchronized (this)
            {
                if (abandoned)
                {
                    return;
                }
                abandoned = true;
            }
            thread.interrupt();
            events.add(WorkerEvent.exited(slot, generation, 1));
        }

        @Override
        public void terminate()
        {
            terminating = true;
            thread.interrupt();
        }

        @Override
        public long pid()
        {
            return ProcessHandle.current().pid();
        }

        @Override
        public String name()
        {
            return name;
        }

        @Override
        public void release()
        {
        }

        private void work()
        {
            int exitCode = 0;
            try
            {
                if (initializer != null)
                {
                    initializer.run();
                }
            }
            catch (final Throwable ex)
            {
                events.add(new WorkerEvent(WorkerEvent.Kind.INIT_FAILED, slot, generation, 0, null, ex, 0));
                events.add(WorkerEvent.exited(slot, generation, 1));
                return;
            }
            events.add(new WorkerEvent(WorkerEvent.Kind.READY, slot, generation, 0, null, null, 0));
            try
            {
                final BooleanSupplier jobThere = () -> !jobs.isEmpty();
                long lastJob = System.nanoTime();
                while (!terminating)
                {
                    final Object next;
                    try
                    {
                        Linger.awaitWithin(jobThere, lastJob);
                        next = jobs.take();
                    }
                    catch (final InterruptedException ex)
                    {
                        // a cancel's interrupt that came after its job ended: the next job starts clean
                        continue;
                    }
                    if (next == STOP)
                    {
                        break;
                    }
                    final Job job = (Job)next;
                    synchronized (this)
                    {
                        if (abandoned)
                        {
                            return;
                        }
                        started.set(job.id);
                    }
                    events.add(job.done ? new WorkerEvent(WorkerEvent.Kind.FAILED, slot, generation, job.id, null,
                        new java.util.concurrent.CancellationException(job + " was cancelled"), 0) : run(job));
                    lastJob = System.nanoTime();
                    Thread.interrupted();
                }
            }
            catch (final Throwable ex)
            {
                exitCode = 1;
                Processes.printUncaught(name, ex);
            }
            finally
            {
                synchronized (this)
                {
                    if (!abandoned)
                    {
                        events.add(WorkerEvent.exited(slot, generation, exitCode));
                    }
                }
            }
        }

        private WorkerEvent run(final Job job)
        {
            try
            {
                final Object value = switch (job.kind)
                {
                    case LONG_RANGE -> applyLongs(job);
                    case DOUBLE_RANGE -> applyDoubles(job);
                    default -> JobRunner.run(job.kind, job.fn, job.arg);
                };
                return new WorkerEvent(WorkerEvent.Kind.RESULT, slot, generation, job.id, value, null, 0);
            }
            catch (final Exception | StackOverflowError | AssertionError ex)
            {
                return new WorkerEvent(WorkerEvent.Kind.FAILED, slot, generation, job.id, null, ex, 0);
            }
        }

        private Object applyLongs(final Job job)
        {
            final PrimitiveRange range = (PrimitiveRange)job.arg;
            final long[] in = (long[])range.in();
            final long[] out = (long[])range.out();
            final LongUnaryOperator fn = (LongUnaryOperator)job.fn;
            for (int i = range.from(); i < range.to(); i++)
            {
                out[i] = fn.applyAsLong(in[i]);
            }
            return null;
        }

        private Object applyDoubles(final Job job)
        {
            final PrimitiveRange range = (PrimitiveRange)job.arg;
            final double[] in = (double[])range.in();
            final double[] out = (double[])range.out();
            final DoubleUnaryOperator fn = (DoubleUnaryOperator)job.fn;
            for (int i = range.from(); i < range.to(); i++)
            {
                out[i] = fn.applyAsDouble(in[i]);
            }
            return null;
        }
    }
}
