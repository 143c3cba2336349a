package dev.jipc.pool;

import java.util.concurrent.TimeUnit;

/**
 * How a {@link Pool} runs its workers: child JVMs fed through jipc queues ({@link ChildWorkers}), or threads of
 * this JVM ({@link ThreadWorkers}). The pool's dispatch, its bookkeeping of which worker holds which job, and its
 * handling of deaths are the same for both; only this differs.
 */
interface WorkerEngine extends AutoCloseable
{
    /**
     * Readies the jobs of one submit in the thread that submits them, before the pool's lock: a child JVM's engine
     * encodes them here, so that a value that cannot be sent fails the submit, and the encoding costs no other
     * thread anything. A function the jobs share is encoded once for them, and again for the next submit (it may
     * hold values that changed since).
     *
     * @param jobs the jobs.
     * @throws TaskNotSerializableException if a job's function or argument cannot be sent to a worker.
     */
    void prepare(java.util.Collection<Job> jobs);

    /**
     * Starts a worker. Its events, and its exit, reach {@link #poll}.
     *
     * @param slot       its place in the pool.
     * @param generation its generation in that place.
     * @return the worker.
     */
    WorkerLink start(int slot, int generation);

    /**
     * The next event of any worker.
     *
     * @param timeout the longest wait.
     * @param unit    its unit.
     * @return the event, or null if the timeout passed.
     * @throws InterruptedException if interrupted while waiting.
     */
    WorkerEvent poll(long timeout, TimeUnit unit) throws InterruptedException;

    /** Makes {@link #poll} return {@link WorkerEvent#WAKE_UP} soon, from any thread. */
    void wake();

    /** Releases what the engine shares among its workers, once every worker has exited. */
    @Override
    void close();
}
