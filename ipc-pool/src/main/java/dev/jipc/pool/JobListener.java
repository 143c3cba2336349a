package dev.jipc.pool;

/** Told, on the pool's result thread, how a {@link Job} ended. Exactly one of the two is called, once. */
interface JobListener
{
    /**
     * The job's worker returned a value.
     *
     * @param job   the job.
     * @param value what the function returned ({@code Object[]} for a chunk, null for a primitive range).
     */
    void succeeded(Job job, Object value);

    /**
     * The job failed: its function threw (the cause of an {@link java.util.concurrent.ExecutionException}), its
     * worker died ({@link WorkerDiedException}), it was cancelled or timed out, or the pool was terminated.
     *
     * @param job     the job.
     * @param failure why.
     */
    void failed(Job job, Throwable failure);
}
