package dev.jipc.pool;

import java.util.concurrent.CompletableFuture;

/**
 * What a start method made of a started {@link Process}: a child JVM or a thread. The process object holds one and
 * answers its user from it.
 */
interface Running
{
    /**
     * The process id: the child's, or this JVM's for a thread.
     *
     * @return the pid.
     */
    long pid();

    /**
     * Completes with the exit code when the process has ended ({@code -N} after signal N).
     *
     * @return the exit, completed by the start method only.
     */
    CompletableFuture<Integer> exit();

    /** Asks the process to end: SIGTERM to a child JVM. */
    void terminate();

    /** Ends the process now: SIGKILL to a child JVM. */
    void kill();

    /**
     * Whether the process can outlive this JVM unless this JVM ends it at exit: true for a child JVM, false for a
     * thread (the JVM's own exit ends it, or waits for it).
     *
     * @return true for a child JVM.
     */
    boolean isChildJvm();

    /** Releases what this JVM holds for the process once it has ended, such as the pipe to its standard input. */
    void release();
}
