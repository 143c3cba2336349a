package dev.jipc.pool;

/**
 * The pool's end of one worker. Called under the pool's lock, so nothing here may block: a send that finds the
 * worker's task ring full says so and the job waits in the pool.
 */
interface WorkerLink
{
    /**
     * Hands the worker a job, which it runs after those it already holds.
     *
     * @param job the job, {@linkplain WorkerEngine#prepare prepared}.
     * @return false if the worker has no room for it now.
     */
    boolean send(Job job);

    /**
     * Asks the worker to exit once it has run the jobs it holds.
     *
     * @return false if the worker has no room for the request now.
     */
    boolean stop();

    /**
     * The id of the last job the worker started, written by the worker before it runs the job: after its death,
     * the pool tells from this whether the job at the head of the worker's jobs ran.
     *
     * @return the job id, or -1 before its first job.
     */
    long startedJob();

    /**
     * Tells the worker not to run a job it holds: a worker that has not started it skips it (its result is then a
     * cancellation, which the pool drops).
     *
     * @param jobId the job.
     * @param inUse whether a job id in a cancel word is still needed (its job is held and not yet reported).
     * @return whether the worker had already started the job: it is running, or has run.
     */
    boolean cancelQueued(long jobId, java.util.function.LongPredicate inUse);

    /**
     * Ends the worker now, for a cancelled or timed-out job: SIGKILL to a JVM; a thread is abandoned (interrupted,
     * left to finish its job, and replaced). Its exit comes as an event.
     */
    void kill();

    /** Asks the worker to end (SIGTERM), for {@link Pool#terminate()}; its exit comes as an event. */
    void terminate();

    /**
     * The worker's process id (this JVM's for a thread).
     *
     * @return the pid.
     */
    long pid();

    /**
     * The worker's name, such as {@code PoolWorker-3}.
     *
     * @return the name.
     */
    String name();

    /** Releases what the pool holds for this worker after its exit. */
    void release();
}
