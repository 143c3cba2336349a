package dev.jipc.core.wait;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.jipc.core.Segment;

/**
 * A handle's reference to its mapping that another thread may close while threads of this process wait on it: the
 * reference is released only when the handle is closed and the last of its waiters has left, so a waiter never
 * touches unmapped memory, and a wait on a closed handle ends with {@link IllegalStateException}. Queues, pipes and
 * the synchronisation objects of {@code ipc-sync} share this one protocol.
 * <p>
 * A blocking operation holds a lease ({@link #enter()} ... {@link #exit()}) for as long as it touches the mapping
 * after its fast path, and waits with {@link #await}, which takes a lease of its own. {@link #close()} sets the
 * closed flag and then reads the lease count; {@link #enter()} increments the lease count and then reads the closed
 * flag: one of the two sees the other, so either the closer releases the reference (nobody holds a lease) or the last
 * leaseholder does. A thread inside a non-blocking operation while the handle is closed is a caller error (as
 * unmapping is in Agrona): handles refuse new operations once closed.
 */
public final class ClosableMapping
{
    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(Futex.SLICE_MILLIS);

    private final Runnable release;
    private final String closedMessage;
    private final AtomicInteger leases = new AtomicInteger();
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile boolean closed;

    /**
     * @param release       releases the handle's reference to the mapping (such as {@link Segment#close()}); runs
     *                      once, after {@link #close()}, when no lease is held.
     * @param closedMessage the message of the {@link IllegalStateException} an operation on the closed handle gets,
     *                      naming the handle.
     */
    public ClosableMapping(final Runnable release, final String closedMessage)
    {
        this.release = Objects.requireNonNull(release, "release");
        this.closedMessage = Objects.requireNonNull(closedMessage, "closedMessage");
    }

    /**
     * Whether the handle is closed.
     *
     * @return true after {@link #markClosed()}.
     */
    public boolean isClosed()
    {
        return closed;
    }

    /**
     * Throws if the handle is closed.
     *
     * @throws IllegalStateException with the handle's closed message.
     */
    public void ensureOpen()
    {
        if (closed)
        {
            throw new IllegalStateException(closedMessage);
        }
    }

    /**
     * First step of closing: refuses new operations; waits in {@link #await} end at the end of their current slice.
     * Release what the handle holds in shared memory, then call {@link #close()}.
     *
     * @return false if the handle was closed already.
     */
    public synchronized boolean markClosed()
    {
        if (closed)
        {
            return false;
        }
        closed = true;
        return true;
    }

    /** Last step of closing: releases the reference now if no lease is held, else the last leaseholder does. */
    public void close()
    {
        if (leases.get() == 0)
        {
            releaseOnce();
        }
    }

    /**
     * Takes a lease: the mapping stays until the matching {@link #exit()}. Call {@code exit} in a {@code finally}.
     *
     * @throws IllegalStateException if the handle is closed (no lease is then held).
     */
    public void enter()
    {
        leases.incrementAndGet();
        if (closed)
        {
            exit();
            throw new IllegalStateException(closedMessage);
        }
    }

    /** Returns a lease taken by {@link #enter()}; the last one out of a closed handle releases the mapping. */
    public void exit()
    {
        if (leases.decrementAndGet() == 0 && closed)
        {
            releaseOnce();
        }
    }

    /**
     * Waits as {@code strategy} says, holding a lease, in slices of at most {@value Futex#SLICE_MILLIS} ms with a
     * check of the closed flag between them: closing the handle ends the wait within a slice, as an interrupt does.
     * A condition that holds is reported even if the handle was closed meanwhile, so a wait whose condition took
     * something (a permit, a lock) never loses it.
     *
     * @param eventCount   the event count that wakers signal after making the condition true.
     * @param condition    what to wait for.
     * @param timeoutNanos the longest wait; 0 checks once; {@link Long#MAX_VALUE} waits forever.
     * @param strategy     how to wait.
     * @return true if the condition holds, false if the timeout passed first.
     * @throws IllegalStateException if the handle is closed before or while waiting ("closed while waiting").
     * @throws InterruptedException  if interrupted while waiting.
     */
    public boolean await(final EventCount eventCount, final WaitCondition condition, final long timeoutNanos,
        final WaitStrategy strategy) throws InterruptedException
    {
        enter();
        try
        {
            final long deadline = Futex.deadline(timeoutNanos);
            while (true)
            {
                final long remaining = Math.max(0, deadline - System.nanoTime());
                if (strategy.await(eventCount, condition, Math.min(remaining, SLICE_NANOS)))
                {
                    return true;
                }
                if (closed)
                {
                    throw new IllegalStateException(closedMessage + " (closed while waiting)");
                }
                if (remaining <= SLICE_NANOS)
                {
                    return false;
                }
            }
        }
        finally
        {
            exit();
        }
    }

    private void releaseOnce()
    {
        if (released.compareAndSet(false, true))
        {
            release.run();
        }
    }
}
