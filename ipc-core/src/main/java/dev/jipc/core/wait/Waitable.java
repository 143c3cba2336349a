package dev.jipc.core.wait;

/**
 * Something {@link Waitables#wait} can sleep on together with others: Python's "waitable object" of
 * {@code multiprocessing.connection.wait}, such as a receiving pipe end (ready when a message or the end of stream
 * is) or a process sentinel (ready once the process has ended).
 * <p>
 * An implementation has a readiness condition that never blocks ({@link #isReady()}) and an {@link EventCount} that
 * is signalled ({@link EventCount#signalAll()} or any signal of its protocol) after something made the condition
 * true. The waiter sleeps on the event count's sequence word with {@code futex_waitv}, registered as its waiter, so
 * the waker pays a syscall only when somebody sleeps. The event count may live in a mapped file (a connection) or in
 * this process's own memory (a sentinel).
 * <p>
 * A waiter calls {@link #enterWait()} before it touches the event count and {@link #exitWait()} after, so that an
 * object whose memory can be released (a connection closed by another thread) keeps it mapped for the waiter.
 */
public interface Waitable
{
    /**
     * Whether the object is ready now. Must not block; may be called many times during a wait.
     *
     * @return true when a wait on this object is over.
     * @throws IllegalStateException if the object is closed, or cannot be waited on (a write-only pipe end).
     */
    boolean isReady();

    /**
     * The event count signalled after {@link #isReady()} may have become true.
     *
     * @return the same event count on every call.
     */
    EventCount readyEvent();

    /**
     * The longest a waiter may sleep before it asks {@link #isReady()} again with no signal: for a condition that
     * can become true without one, such as the death of a pipe's peer, which a waiter learns by checking.
     *
     * @return nanoseconds; {@link Long#MAX_VALUE} when every change is signalled.
     */
    default long recheckNanos()
    {
        return Long.MAX_VALUE;
    }

    /**
     * Takes what a waiter needs to touch this object's memory until {@link #exitWait()} (a lease on a mapping).
     * Call {@code exitWait} in a {@code finally} when this returns normally.
     *
     * @throws IllegalStateException if the object is closed, or cannot be waited on.
     */
    default void enterWait()
    {
    }

    /** Returns what {@link #enterWait()} took. */
    default void exitWait()
    {
    }
}
