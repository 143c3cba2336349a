package dev.jipc.sync;

import static dev.jipc.sync.MutexDescriptor.EVENT_COUNT_OFFSET;
import static dev.jipc.sync.MutexDescriptor.HOLD_COUNT_OFFSET;
import static dev.jipc.sync.MutexDescriptor.OWNER_DEATHS_OFFSET;
import static dev.jipc.sync.MutexDescriptor.OWNER_OFFSET;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.ProcessOwner;
import dev.jipc.core.ProcessRegistry;
import dev.jipc.core.wait.EventCount;
import dev.jipc.core.wait.Futex;
import dev.jipc.core.wait.WaitCondition;
import dev.jipc.core.wait.WaitStrategy;

/**
 * A mutual-exclusion lock in shared memory that survives the death of its holder: the common part of {@link Lock}
 * and {@link RLock}. It implements {@link java.util.concurrent.locks.Lock} and Python's {@code acquire(block,
 * timeout)} / {@code release()}.
 *
 * <h2>Owner death</h2>
 * When the process holding the lock dies (killed, crashed, exited without unlocking), the lock does not stay held: a
 * thread waiting for it notices within about {@value Futex#SLICE_MILLIS} ms and takes it over, and so does any later
 * {@code lock}/{@code tryLock}. The new holder is told: {@link #previousOwnerDied()} returns true until it releases
 * (as a robust {@code pthread} mutex returns {@code EOWNERDEAD}), and {@link #ownerDeaths()} counts recoveries for
 * all to see. The state the dead owner guarded may be half-updated: check it before relying on it. Liveness is
 * judged by the kernel, not by pids (see {@link dev.jipc.core.ProcessRegistry}): it is right between containers
 * that share the segment directory with different pid namespaces. A thread of a living process that ends without
 * unlocking leaves the lock held, as with
 * {@link java.util.concurrent.locks.ReentrantLock}.
 *
 * <h2>Waiting</h2>
 * Uncontended, {@code lock} is one compare-and-set and a store, {@code unlock} one store, a fence and a load:
 * neither enters the kernel. A contended {@code lock} waits with the object's {@link WaitStrategy} in slices of
 * {@value Futex#SLICE_MILLIS} ms, checking between slices whether the owner still lives; every timed form is
 * honoured (never early) and the interruptible forms end with {@link InterruptedException}.
 *
 * <p>Memory consistency effects: actions in a thread (of any process) prior to releasing the lock happen-before
 * actions following a successful acquisition of it in another thread or process, including an acquisition that
 * recovered the lock from a dead owner (which sees whatever the owner wrote before it died, possibly half done).
 */
public abstract class RobustLock extends SyncObject implements java.util.concurrent.locks.Lock
{
    /* Overview
     *
     * Owner is a ProcessOwner word: low int = the process's token in the directory's ProcessRegistry, high int =
     * the thread's id (truncated to an int: unique among the live threads of a JVM until 2^32 threads have run).
     *
     * Unlike Drepper's 0 / 1 / 2 futex mutex, the lock word says who holds the lock (robustness and RLock need it),
     * and the Event Count beside it says whether a release must wake anyone; the futex word is the Event Count's
     * Sequence, so a release with nobody asleep stays out of the kernel.
     *
     * Acquire: CAS Owner 0 -> me (one step publishes everything a waiter needs: there is no record to stall in).
     * Release: release-store Owner = 0; EventCount.signal(1) (a fence and a load of the waiter count: no syscall
     * unless someone sleeps).
     *
     * A waiter that reads Owner = W != 0 between slices asks the registry whether W's process runs, which never
     * judges a live process dead (see ProcessRegistry), in any pid namespace; if it does not, CAS Owner W -> me.
     * The winner counts a death and proceeds as an acquirer; losers of the CAS go on waiting. A dead process cannot
     * write W again, so the CAS cannot succeed on a W that came back to life (no ABA).
     */

    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(Futex.SLICE_MILLIS);

    final int ownerOffset;
    final int holdCountOffset;
    private final ProcessOwner owner;
    private final ProcessRegistry registry;
    private final int deathsOffset;
    private final EventCount eventCount;
    private final WaitCondition acquireCondition = this::tryAcquireWord;
    /** Written by each acquirer while it holds the lock, read by the holder: no race. */
    private boolean previousOwnerDied;
    /** Rate-limits owner liveness checks of failed {@link #tryLock()} calls; a benign race between threads. */
    private long nextLivenessCheck;

    RobustLock(final SyncArena arena, final int offset, final SyncKind kind, final WaitStrategy strategy)
    {
        super(arena, offset, kind, strategy);
        this.ownerOffset = offset + OWNER_OFFSET;
        this.registry = arena.segment().registry();
        this.owner = new ProcessOwner(buffer, ownerOffset, registry);
        this.holdCountOffset = offset + HOLD_COUNT_OFFSET;
        this.deathsOffset = offset + OWNER_DEATHS_OFFSET;
        this.eventCount = new EventCount(buffer, offset + EVENT_COUNT_OFFSET);
        this.nextLivenessCheck = System.nanoTime();
    }

    /**
     * Acquires the lock, waiting as long as it takes; an interrupt does not end the wait (the interrupt status is
     * kept).
     */
    @Override
    public void lock()
    {
        ensureOpen();
        final long word = currentOwner();
        if (!acquireFast(word))
        {
            acquireUninterruptibly(word);
        }
    }

    /**
     * Acquires the lock unless the thread is interrupted.
     *
     * @throws InterruptedException if interrupted before or while waiting.
     */
    @Override
    public void lockInterruptibly() throws InterruptedException
    {
        ensureOpen();
        final long word = currentOwner();
        if (acquireFast(word))
        {
            return;
        }
        if (Thread.interrupted())
        {
            throw new InterruptedException("interrupted before acquiring: " + this);
        }
        acquireSlow(word, Long.MAX_VALUE);
    }

    /**
     * Acquires the lock if it is free (or held by a process that has died), without waiting.
     *
     * @return true if acquired.
     */
    @Override
    public boolean tryLock()
    {
        ensureOpen();
        final long word = currentOwner();
        if (acquireFast(word))
        {
            return true;
        }
        final long now = System.nanoTime();
        if (now - nextLivenessCheck >= 0)
        {
            nextLivenessCheck = now + SLICE_NANOS;
            return recoverIfOwnerDead(word);
        }
        return false;
    }

    /**
     * Acquires the lock, waiting at most the timeout.
     *
     * @param time how long to wait; 0 or less tries once.
     * @param unit its unit.
     * @return true if acquired, false if the timeout passed first (never before it).
     * @throws InterruptedException if interrupted before or while waiting.
     */
    @Override
    public boolean tryLock(final long time, final TimeUnit unit) throws InterruptedException
    {
        ensureOpen();
        final long word = currentOwner();
        if (acquireFast(word))
        {
            return true;
        }
        if (Thread.interrupted())
        {
            throw new InterruptedException("interrupted before acquiring: " + this);
        }
        return acquireSlow(word, Math.max(0, unit.toNanos(time)));
    }

    /**
     * Python's {@code acquire()}: waits as long as it takes, interruptibly.
     *
     * @return true.
     * @throws InterruptedException if interrupted while waiting.
     */
    public boolean acquire() throws InterruptedException
    {
        lockInterruptibly();
        return true;
    }

    /**
     * Python's {@code acquire(block, timeout)}.
     *
     * @param block   false to try once without waiting (the timeout is then ignored).
     * @param timeout the longest wait when blocking; null waits as long as it takes.
     * @return true if acquired.
     * @throws InterruptedException if interrupted while waiting.
     */
    public boolean acquire(final boolean block, final Duration timeout) throws InterruptedException
    {
        if (!block)
        {
            return tryLock();
        }
        if (timeout == null)
        {
            lockInterruptibly();
            return true;
        }
        return tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * Python's {@code release()}: the same as {@link #unlock()}.
     *
     * @throws IllegalMonitorStateException as {@link #unlock()} does.
     */
    public void release()
    {
        unlock();
    }

    /**
     * Whether the acquisition that gave the calling thread this lock took it over from a process that had died
     * holding it. Valid while the caller holds the lock.
     *
     * @return true if the previous owner died holding the lock.
     */
    public boolean previousOwnerDied()
    {
        return previousOwnerDied;
    }

    /**
     * How many times, over the lock's life, a process took it over from a dead owner.
     *
     * @return the count, in shared memory.
     */
    public int ownerDeaths()
    {
        ensureOpen();
        return buffer.getIntVolatile(deathsOffset);
    }

    /**
     * Whether any thread of any process holds the lock (a dead owner included, until someone recovers it).
     *
     * @return true if held.
     */
    public boolean isLocked()
    {
        ensureOpen();
        return buffer.getLongVolatile(ownerOffset) != 0;
    }

    /**
     * Whether the calling thread holds the lock.
     *
     * @return true if held by this thread.
     */
    public boolean isHeldByCurrentThread()
    {
        ensureOpen();
        return buffer.getLongVolatile(ownerOffset) == currentOwner();
    }

    /**
     * The pid of the process holding the lock.
     *
     * @return the pid, or 0 if free.
     */
    public long ownerPid()
    {
        ensureOpen();
        final long word = owner.owner();
        return word == ProcessOwner.FREE ? 0 : registry.pid(ProcessOwner.token(word));
    }

    /**
     * A new {@link Condition} bound to this lock, allocated in this lock's arena (an arena made by
     * {@code create(name)} has room for three).
     *
     * @return the condition.
     * @throws IllegalStateException if the arena is full.
     */
    @Override
    public Condition newCondition()
    {
        ensureOpen();
        return arena().newCondition(this);
    }

    /**
     * Takes the lock for a thread that already holds it, if the lock is reentrant.
     *
     * @param word the caller's owner word.
     * @return true if the caller held it and now holds it once more.
     */
    abstract boolean reenter(long word);

    /**
     * Releases the lock completely for {@link Condition#await()}.
     *
     * @return what {@link #reacquire(int)} needs to restore the hold.
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock.
     */
    abstract int releaseFully();

    /**
     * Re-acquires the lock after {@link #releaseFully()}, uninterruptibly.
     *
     * @param holds what {@link #releaseFully()} returned.
     */
    void reacquire(final int holds)
    {
        final long word = currentOwner();
        if (owner.tryAcquire(word))
        {
            acquired(word, false);
        }
        else
        {
            acquireUninterruptibly(word);
        }
        buffer.putInt(holdCountOffset, holds);
    }

    /**
     * The owner word of the calling thread.
     *
     * @return the process's token and the thread's id.
     */
    final long currentOwner()
    {
        return ProcessOwner.word(registry, (int)Thread.currentThread().threadId());
    }

    /** Frees the lock that the calling thread holds and wakes a waiter, if any sleeps. */
    final void releaseOwned()
    {
        owner.release();
        eventCount.signal(1);
    }

    /**
     * Frees the lock held by another thread or process (Python's {@code Lock.release} allows it).
     *
     * @throws IllegalMonitorStateException if the lock is not held.
     */
    final void releaseForeign()
    {
        while (true)
        {
            final long holder = owner.owner();
            if (holder == ProcessOwner.FREE)
            {
                throw new IllegalMonitorStateException("release of a lock that is not held: " + this);
            }
            if (owner.releaseIfOwner(holder))
            {
                eventCount.signal(1);
                return;
            }
        }
    }

    final String describeOwner(final long word)
    {
        return "owner=" + owner.describe(word) + ", ownerThread=" + ProcessOwner.tag(word) + ", callerPid=" +
            ProcessHandle.current().pid() + ", callerThread=" + ProcessOwner.tag(currentOwner());
    }

    private boolean tryAcquireWord()
    {
        // test before test-and-set: a spinning waiter reads the line shared instead of stealing it from the holder
        return owner.owner() == ProcessOwner.FREE && owner.tryAcquire(currentOwner());
    }

    /** The uncontended path of every acquire: re-entry, or one compare-and-set on a free lock. */
    private boolean acquireFast(final long word)
    {
        if (reenter(word))
        {
            return true;
        }
        if (owner.tryAcquire(word))
        {
            acquired(word, false);
            return true;
        }
        return false;
    }

    private void acquired(final long word, final boolean ownerDied)
    {
        buffer.putInt(holdCountOffset, 1);
        previousOwnerDied = ownerDied;
    }

    private void acquireUninterruptibly(final long word)
    {
        boolean interrupted = false;
        while (true)
        {
            try
            {
                acquireSlow(word, Long.MAX_VALUE);
                break;
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }

    private boolean acquireSlow(final long word, final long timeoutNanos) throws InterruptedException
    {
        // the lease keeps the arena mapped while this thread waits and recovers; closing the handle ends the wait
        mapping.enter();
        try
        {
            return awaitOwnership(word, timeoutNanos);
        }
        finally
        {
            mapping.exit();
        }
    }

    private boolean awaitOwnership(final long word, final long timeoutNanos) throws InterruptedException
    {
        final long deadline = Futex.deadline(timeoutNanos);
        while (true)
        {
            final long remaining = Math.max(0, deadline - System.nanoTime());
            final long slice = Math.min(remaining, SLICE_NANOS);
            if (waitUntil(eventCount, acquireCondition, slice))
            {
                acquired(word, false);
                return true;
            }
            if (recoverIfOwnerDead(word))
            {
                return true;
            }
            if (remaining <= SLICE_NANOS)
            {
                return false;
            }
        }
    }

    private boolean recoverIfOwnerDead(final long word)
    {
        final long holder = owner.owner();
        if (holder == ProcessOwner.FREE || holder == word || !owner.recoverFrom(holder, word))
        {
            return false;
        }
        buffer.getAndAddInt(deathsOffset, 1);
        acquired(word, true);
        return true;
    }
}
