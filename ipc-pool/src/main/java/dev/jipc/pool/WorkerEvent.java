package dev.jipc.pool;

/**
 * What a pool's result thread learns about a worker, in the order it happened: that it is ready, a job's result,
 * its failure, the failure of the worker's initializer, the worker's exit, or a wake-up with nothing to say (the
 * pool's state changed). A worker's results always come before its exit.
 *
 * @param kind       which event.
 * @param slot       the worker's place in the pool.
 * @param generation which worker of that place: a replacement has the next generation.
 * @param jobId      the job, for {@link Kind#RESULT} and {@link Kind#FAILED}.
 * @param value      the result, for {@link Kind#RESULT}.
 * @param failure    the exception, for {@link Kind#FAILED} and {@link Kind#INIT_FAILED}.
 * @param exitCode   the exit code, for {@link Kind#EXITED}.
 */
record WorkerEvent(Kind kind, int slot, int generation, long jobId, Object value, Throwable failure, int exitCode)
{
    /** Which event. */
    enum Kind
    {
        /** The worker has started and run its initializer. */
        READY,
        RESULT,
        FAILED,
        INIT_FAILED,
        EXITED,
        WAKE,
        /** The first results of a chunk too long for one message; the RESULT that follows has the rest. */
        RESULT_PART
    }

    static final WorkerEvent WAKE_UP = new WorkerEvent(Kind.WAKE, -1, -1, 0, null, null, 0);

    static WorkerEvent exited(final int slot, final int generation, final int exitCode)
    {
        return new WorkerEvent(Kind.EXITED, slot, generation, 0, null, null, exitCode);
    }
}
