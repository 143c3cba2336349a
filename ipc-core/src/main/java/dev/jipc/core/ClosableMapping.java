package dev.jipc.core;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A handle's reference to its segment that another thread may close while threads of this process sleep on it: the
 * mapping goes only when the handle is closed and the last of its waiters has left, so a sleeper never wakes up on
 * unmapped memory.
 * <p>
 * {@link #close()} sets the closed flag and then reads the waiter count; {@link #await} increments the waiter count
 * and then reads the closed flag: one of the two sees the other, so either the closer unmaps (nobody waits) or the
 * last waiter does. A thread inside a non-blocking operation while the handle is closed is a caller error (as
 * unmapping is in Agrona): handles refuse new operations once closed.
 */
final class ClosableMapping
{
    private final Segment segment;
    private final String closedMessage;
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicBoolean unmapped = new AtomicBoolean();
    private volatile boolean closed;

    /**
     * @param segment       the handle's reference to the segment, closed when this is.
     * @param closedMessage the message of the {@link IllegalStateException} an operation on the closed handle gets.
     */
    ClosableMapping(final Segment segment, final String closedMessage)
    {
        this.segment = segment;
        this.closedMessage = closedMessage;
    }

    /**
     * Whether the handle is closed.
     *
     * @return true after {@link #markClosed()}.
     */
    boolean isClosed()
    {
        return closed;
    }

    /**
     * Throws if the handle is closed.
     *
     * @throws IllegalStateException with the handle's closed message.
     */
    void ensureOpen()
    {
        if (closed)
        {
            throw new IllegalStateException(closedMessage);
        }
    }

    /**
     * First step of closing: refuses new operations. Wake the handle's sleepers, then call {@link #close()}.
     *
     * @return false if the handle was closed already.
     */
    boolean markClosed()
    {
        if (closed)
        {
            return false;
        }
        closed = true;
        return true;
    }

    /** Last step of closing: unmaps now if nobody waits, else the last waiter to leave does. */
    void close()
    {
        if (waiting.get() == 0)
        {
            unmap();
        }
    }

    /**
     * Waits as {@code strategy} says, counted as a waiter. The caller must call {@link #ensureOpen()} again before it
     * touches the segment after a wait.
     *
     * @return what {@link WaitStrategy#await(EventCount, WaitCondition, long)} returned.
     * @throws IllegalStateException if the handle is closed.
     * @throws InterruptedException  if interrupted while waiting.
     */
    boolean await(final EventCount eventCount, final WaitCondition condition, final long timeoutNanos,
        final WaitStrategy strategy) throws InterruptedException
    {
        enter();
        try
        {
            return strategy.await(eventCount, condition, timeoutNanos);
        }
        finally
        {
            leave();
        }
    }

    /**
     * Counts the caller as a waiter until {@link #leave()}: the mapping stays while it waits, and what it does
     * between the two (a wait, then the operation it waited for) never touches unmapped memory.
     *
     * @throws IllegalStateException if the handle is closed (the caller is then not counted).
     */
    void enter()
    {
        waiting.incrementAndGet();
        if (closed)
        {
            leave();
            ensureOpen();
        }
    }

    /** Ends what {@link #enter()} began; the last waiter to leave a closed handle unmaps it. */
    void leave()
    {
        if (waiting.decrementAndGet() == 0 && closed)
        {
            unmap();
        }
    }

    private void unmap()
    {
        if (unmapped.compareAndSet(false, true))
        {
            segment.close();
        }
    }
}
