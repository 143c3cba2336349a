package dev.jipc.core.queue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.jipc.core.ProcessOwner;
import dev.jipc.core.ProcessRegistry;
import dev.jipc.core.wait.ClosableMapping;
import org.agrona.concurrent.AtomicBuffer;

/**
 * The consumer lock of a {@link ManyToManyRing} handle: a {@link ProcessOwner} word at
 * {@link QueueDescriptor#CONSUMER_LOCK_OFFSET} that makes Agrona's single-consumer read many-consumer. A consumer
 * holds it only while it copies records out, never while it waits for one.
 * <p>
 * The uncontended acquire is one compare-and-set from 0 to the caller's word (process token, thread id), the release
 * one store, or an exchange when the caller needs the full fence after its head store (see the ring's Overview,
 * Waiting). A busy lock is waited for by spinning briefly, yielding for {@link #YIELD_NANOS} (a hand-over between
 * consumers is a copy away), then parking in slices that double up to {@link #MAX_PARK_NANOS}: a release wakes no
 * one, so that an uncontended unlock stays one store. Every
 * {@link ManyToManyRing#CHECK_INTERVAL_NANOS} the owner's liveness is checked and the lock taken over from a dead
 * owner, after which the takeover hook finishes what the dead consumer was releasing (see the ring's Overview, Dead
 * consumers).
 * <p>
 * Memory consistency effects: everything a holder wrote before its release happens-before everything the next
 * holder does after its acquire (the word's release store, or exchange, is read by the next compare-and-set).
 */
final class ConsumerLock
{
    /** A deadline that means: take the lock if it comes free within the spin, else give up. */
    static final long NO_WAIT = Long.MIN_VALUE;
    /** Spins on a busy lock before parking: a hold is a copy, usually shorter than this. */
    private static final int SPINS = 256;
    /** After the spins, yields for this long before parking: most holds end within it. */
    private static final long YIELD_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    private static final long MIN_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(20);
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final ProcessOwner owner;
    private final ProcessRegistry registry;
    private final ClosableMapping mapping;
    private final String queueName;
    /** Runs just after a takeover from a dead owner, holding the lock. */
    private final Runnable afterTakeover;
    /** The busy lock's owner as last seen, and since when: benign races between this handle's threads. */
    private long busyOwner;
    private long busySince;

    ConsumerLock(
        final AtomicBuffer buffer, final ProcessRegistry registry, final ClosableMapping mapping,
        final String queueName, final Runnable afterTakeover)
    {
        this.owner = new ProcessOwner(buffer, QueueDescriptor.CONSUMER_LOCK_OFFSET, registry);
        this.registry = registry;
        this.mapping = mapping;
        this.queueName = queueName;
        this.afterTakeover = afterTakeover;
    }

    /**
     * The lock word of the calling thread: the tag tells a thread's own stale hold from another's.
     *
     * @return the caller's owner word.
     */
    long word()
    {
        return ProcessOwner.word(registry, (int)Thread.currentThread().threadId());
    }

    /**
     * One attempt, the hot path.
     *
     * @param word the caller's {@link #word()}.
     * @return true if the caller now holds the lock.
     */
    boolean tryAcquire(final long word)
    {
        return owner.tryAcquire(word);
    }

    /**
     * Waits for the lock, which another consumer holds while it copies records out (or for longer: a slow decode, a
     * GC pause, a stopped process), taking it over from a dead owner.
     *
     * @param word          the caller's {@link #word()}.
     * @param deadline      the {@link System#nanoTime()} to give up at; {@link #NO_WAIT} to spin only.
     * @param interruptible true to end the wait with {@link InterruptedException}.
     * @return true if the caller holds the lock, false if the deadline passed first.
     * @throws InterruptedException  if interruptible and interrupted.
     * @throws IllegalStateException if the handle is closed while waiting, or the calling thread holds the lock
     *                               already (a handler that reads the same queue).
     */
    boolean await(final long word, final long deadline, final boolean interruptible) throws InterruptedException
    {
        long parkNanos = MIN_PARK_NANOS;
        long yieldUntil = 0;
        for (int spins = 0; ; spins++)
        {
            final long current = owner.owner();
            if (current == word)
            {
                throw new IllegalStateException("consumer lock is held by the calling thread (a handler reading " +
                    "the queue it is handed records of): queue=" + queueName);
            }
            if (current == ProcessOwner.FREE && owner.tryAcquire(word))
            {
                return true;
            }
            if (spins < SPINS)
            {
                Thread.onSpinWait();
                continue;
            }
            mapping.ensureOpen();
            if (interruptible && Thread.interrupted())
            {
                throw new InterruptedException("interrupted while waiting for the consumer lock: queue=" + queueName);
            }
            final long now = System.nanoTime();
            if (current != busyOwner)
            {
                busyOwner = current;
                busySince = now;
            }
            else if (now - busySince >= ManyToManyRing.CHECK_INTERVAL_NANOS)
            {
                // the same owner for 10 ms, across calls: empty polls in a loop get here as a timed wait does
                busySince = now;
                if (owner.recoverFrom(current, word))
                {
                    afterTakeover.run();
                    return true;
                }
            }
            final long remaining = deadline == NO_WAIT ? 0 : deadline - now;
            if (remaining <= 0)
            {
                return false;
            }
            if (yieldUntil == 0)
            {
                yieldUntil = now + YIELD_NANOS;
            }
            if (now - yieldUntil < 0)
            {
                // a hand-over between consumers is a copy away: give the holder the core before sleeping a timer
                Thread.yield();
                continue;
            }
            LockSupport.parkNanos(Math.min(parkNanos, remaining));
            parkNanos = Math.min(parkNanos * 2, MAX_PARK_NANOS);
        }
    }

    /**
     * {@link #await} without a deadline, keeping the interrupt status, for a peek.
     *
     * @param word the caller's {@link #word()}.
     */
    void awaitUninterruptibly(final long word)
    {
        try
        {
            if (!await(word, Long.MAX_VALUE, false))
            {
                throw new AssertionError("a wait without a deadline gave up");
            }
        }
        catch (final InterruptedException ex)
        {
            throw new AssertionError("an uninterruptible wait was interrupted", ex);
        }
    }

    /** Releases the lock with a release store: for a read that moved nothing. */
    void release()
    {
        owner.release();
    }

    /** Releases the lock with an exchange: the full fence between a head store and the not-full waiter check. */
    void releaseWithFence()
    {
        owner.releaseWithFence();
    }
}
