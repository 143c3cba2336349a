package dev.jipc.sync;

import static dev.jipc.sync.ConditionDescriptor.EVENT_COUNT_OFFSET;
import static dev.jipc.sync.ConditionDescriptor.LOCK_OFFSET_OFFSET;
import static dev.jipc.sync.ConditionDescriptor.WAITERS_OFFSET;
import static dev.jipc.sync.ConditionDescriptor.waiterCount;
import static dev.jipc.sync.ConditionDescriptor.waiterEpoch;
import static dev.jipc.sync.ConditionDescriptor.waitersWord;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Date;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import dev.jipc.core.SegmentFormatException;
import dev.jipc.core.wait.EventCount;
import dev.jipc.core.wait.Futex;
import dev.jipc.core.wait.WaitCondition;
import dev.jipc.core.wait.WaitStrategy;

/**
 * Python's {@code multiprocessing.Condition}, implementing {@link java.util.concurrent.locks.Condition}: threads of
 * any process wait, holding its lock, until another notifies them. The lock is a {@link Lock} or {@link RLock} of the
 * same arena ({@link #getLock()}); {@link #create(String)} makes an {@link RLock}, as Python does.
 * <pre>{@code
 * cond.getLock().lock();
 * try {
 *     cond.waitFor(() -> queue.size() > 0, Duration.ofSeconds(1));
 *     ...
 * } finally {
 *     cond.getLock().unlock();
 * }
 * }</pre>
 * Waiting releases the lock completely (every hold of an {@link RLock}) and re-acquires it before returning, also
 * when the wait ends by timeout or interrupt; if the lock's holder died meanwhile,
 * {@link RobustLock#previousOwnerDied()} says so after the wait. Every wait may return spuriously:
 * {@link #notify(int) notify(n)} wakes at least {@code min(n, waiting)} threads and may also wake threads that had
 * not yet gone to sleep. Wait in a loop, or with
 * {@link #waitFor}. No notification is ever lost: a thread that is waiting when a notification is sent returns.
 * Closing the condition (which closes its lock's handle too) while a thread of this process waits ends that wait
 * with {@link IllegalStateException}, without the lock.
 * <p>
 * {@link Object#notify()} and {@link Object#notifyAll()} are final: Python's {@code notify()} is {@link #signal()} or
 * {@code notify(1)}, and its {@code notify_all()} is {@link #signalAll()}.
 * <p>
 * Memory consistency effects: as for the lock, since waiting and notifying both happen while holding it.
 */
public final class Condition extends SyncObject implements java.util.concurrent.locks.Condition
{
    /* Overview
     *
     * Waiters is a word of two halves, Epoch and Count: Count is the number of threads registered in Epoch and not
     * yet gone. The Event Count's Sequence is what waiters wait on; it advances on every notify.
     *
     * await:  (holding the lock) e = Epoch, Count++ ; s = Sequence ; release the lock ; wait until Sequence != s ;
     *         if Epoch is still e, Count-- (CAS) ; re-acquire.
     * notify: (holding the lock) Sequence++ ; EventCount.signal(n) ; if Count > 0, CAS Waiters -> (Epoch + 1, 0).
     *
     * A notify comes after the waiter's release of the lock and advances Sequence past the s the waiter read (both
     * under the lock): spinning waiters see the change, sleeping ones are woken by the Event Count protocol (or, for
     * those beyond n, at the end of their sleep slice, when the futex word no longer holds s). So every thread
     * registered before a notify is released by it, and the notify can forget them all by starting a new Epoch: a
     * released waiter that finds the Epoch moved on does not decrement. A waiter killed while waiting is therefore
     * counted only until the next notify, never for good; notify does not trust Count for its wake-up (Sequence
     * always advances), so a miscount could only ever mislead monitoring. The Epoch is 16 bits: a released waiter
     * would have to stall through 65,536 notifies that found waiters before it decrements for it to take one off a
     * later Epoch's Count.
     *
     * The Event Count under it forgets a dead sleeper the same way (sleepers in jipc stat): a notify whose
     * futex_wake finds fewer sleepers than it asked for starts a new epoch of that count (see EventCount).
     */

    private final RobustLock lock;
    private final int waitersOffset;
    private final int sequenceOffset;
    private final EventCount eventCount;
    private final ThreadLocal<SequenceChanged> conditions = ThreadLocal.withInitial(SequenceChanged::new);

    Condition(final SyncArena arena, final int offset, final WaitStrategy strategy)
    {
        super(arena, offset, SyncKind.CONDITION, strategy);
        this.waitersOffset = offset + WAITERS_OFFSET;
        this.sequenceOffset = offset + EVENT_COUNT_OFFSET;
        this.eventCount = new EventCount(buffer, offset + EVENT_COUNT_OFFSET);
        final int lockOffset = buffer.getInt(offset + LOCK_OFFSET_OFFSET);
        try
        {
            final SyncKind lockKind = arena.kindAt(lockOffset);
            if (lockKind == SyncKind.LOCK)
            {
                lock = new Lock(arena, lockOffset, strategy);
            }
            else if (lockKind == SyncKind.RLOCK)
            {
                lock = new RLock(arena, lockOffset, strategy);
            }
            else
            {
                throw new SegmentFormatException(arena.path(), "a condition's lock is not a lock: offset=" + offset +
                    ", lockOffset=" + lockOffset + ", lockKind=" + lockKind);
            }
        }
        catch (final RuntimeException ex)
        {
            close();
            throw ex;
        }
    }

    /**
     * Creates a condition with an {@link RLock} of its own, in an arena of its own in the default directory.
     *
     * @param name the arena's name.
     * @return the condition.
     */
    public static Condition create(final String name)
    {
        return create(defaultDirectory(), name, WaitStrategy.SPIN_THEN_PARK);
    }

    /**
     * Creates a condition with an {@link RLock} of its own, in an arena of its own.
     *
     * @param directory where the arena goes.
     * @param name      the arena's name.
     * @param strategy  how this process waits on it and its lock.
     * @return the condition.
     */
    public static Condition create(final Path directory, final String name, final WaitStrategy strategy)
    {
        return SyncObject.createDedicated(directory, name, MutexDescriptor.LENGTH + ConditionDescriptor.LENGTH,
            arena -> new Condition(arena, arena.allocateCondition(arena.allocateMutex(SyncKind.RLOCK)), strategy));
    }

    /**
     * Opens a condition made by {@link #create(String)}.
     *
     * @param name the arena's name.
     * @return the condition.
     */
    public static Condition open(final String name)
    {
        return open(defaultDirectory(), name, WaitStrategy.SPIN_THEN_PARK);
    }

    /**
     * Opens a condition made by {@link #create(Path, String, WaitStrategy)}.
     *
     * @param directory where the arena is.
     * @param name      the arena's name.
     * @param strategy  how this process waits on it and its lock.
     * @return the condition.
     */
    public static Condition open(final Path directory, final String name, final WaitStrategy strategy)
    {
        return (Condition)SyncObject.openDedicated(directory, name, SyncKind.CONDITION, strategy);
    }

    /**
     * The lock that waiters and notifiers hold; closed with this condition.
     *
     * @return the lock.
     */
    public RobustLock getLock()
    {
        ensureOpen();
        return lock;
    }

    /**
     * Python's {@code acquire(block, timeout)} of the lock.
     *
     * @param block   false to try once.
     * @param timeout the longest wait; null for none.
     * @return true if acquired.
     * @throws InterruptedException if interrupted while waiting.
     */
    public boolean acquire(final boolean block, final Duration timeout) throws InterruptedException
    {
        ensureOpen();
        return lock.acquire(block, timeout);
    }

    /**
     * Python's {@code release()} of the lock.
     *
     * @throws IllegalMonitorStateException as the lock's {@code unlock()} does.
     */
    public void release()
    {
        ensureOpen();
        lock.unlock();
    }

    @Override
    public void await() throws InterruptedException
    {
        awaitNanos0(Long.MAX_VALUE);
    }

    /**
     * Waits until notified (or woken spuriously), whatever interrupts come; the interrupt status is kept. An
     * interrupt during the wait ends it as a spurious wake-up would, rather than starting a new wait that could
     * miss a notification sent meanwhile.
     */
    @Override
    public void awaitUninterruptibly()
    {
        final boolean interrupted = Thread.interrupted();
        try
        {
            awaitNanos0(Long.MAX_VALUE);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public long awaitNanos(final long nanosTimeout) throws InterruptedException
    {
        return awaitNanos0(Math.max(0, nanosTimeout));
    }

    @Override
    public boolean await(final long time, final TimeUnit unit) throws InterruptedException
    {
        return awaitNanos0(Math.max(0, unit.toNanos(time))) > 0;
    }

    @Override
    public boolean awaitUntil(final Date deadline) throws InterruptedException
    {
        final long millis = deadline.getTime() - System.currentTimeMillis();
        return awaitNanos0(Math.max(0, TimeUnit.MILLISECONDS.toNanos(millis))) > 0;
    }

    /**
     * Python's {@code wait(timeout)}.
     *
     * @param timeout the longest wait; null waits until notified.
     * @return false if the timeout passed, true if notified (or woken spuriously).
     * @throws InterruptedException         if interrupted while waiting (the lock is held again).
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock.
     */
    public boolean await(final Duration timeout) throws InterruptedException
    {
        return awaitNanos0(timeout == null ? Long.MAX_VALUE : Math.max(0, timeout.toNanos())) > 0;
    }

    /**
     * Python's {@code wait_for(predicate, timeout)}: waits until the predicate holds, re-checking it after every
     * wake-up, with the lock held.
     *
     * @param predicate what to wait for; evaluated with the lock held.
     * @param timeout   the longest wait in total; null waits as long as it takes.
     * @return the predicate's last value: false only if the timeout passed.
     * @throws InterruptedException         if interrupted while waiting (the lock is held again).
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock.
     */
    public boolean waitFor(final BooleanSupplier predicate, final Duration timeout) throws InterruptedException
    {
        Objects.requireNonNull(predicate, "predicate");
        if (timeout == null)
        {
            while (!predicate.getAsBoolean())
            {
                awaitNanos0(Long.MAX_VALUE);
            }
            return true;
        }
        final long deadline = Futex.deadline(Math.max(0, timeout.toNanos()));
        boolean result = predicate.getAsBoolean();
        while (!result)
        {
            final long remaining = deadline - System.nanoTime();
            if (remaining <= 0)
            {
                break;
            }
            awaitNanos0(remaining);
            result = predicate.getAsBoolean();
        }
        return result;
    }

    /**
     * Wakes one waiting thread, of any process (Python's {@code notify()}).
     *
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock.
     */
    @Override
    public void signal()
    {
        notify(1);
    }

    /**
     * Wakes every waiting thread, of every process (Python's {@code notify_all()}).
     *
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock.
     */
    @Override
    public void signalAll()
    {
        notify(Integer.MAX_VALUE);
    }

    /**
     * Python's {@code notify(n)}: wakes at least {@code min(n, waiting)} waiting threads.
     *
     * @param n how many to wake, at least 1.
     * @throws IllegalMonitorStateException if the calling thread does not hold the lock.
     */
    public void notify(final int n)
    {
        ensureOpen();
        if (n < 1)
        {
            throw new IllegalArgumentException("n must be positive: n=" + n);
        }
        if (!lock.isHeldByCurrentThread())
        {
            throw new IllegalMonitorStateException("notify without holding the lock: condition=" + this);
        }
        buffer.getAndAddInt(sequenceOffset, 1);
        eventCount.signal(n);
        while (true)
        {
            // every waiter registered so far is released: a new epoch, with none (a waiter's CAS may race this one)
            final int word = buffer.getIntVolatile(waitersOffset);
            if (waiterCount(word) == 0 ||
                buffer.compareAndSetInt(waitersOffset, word, waitersWord(waiterEpoch(word) + 1, 0)))
            {
                return;
            }
        }
    }

    /**
     * How many threads of all processes are waiting (a killed waiter stays counted until the next notify).
     *
     * @return the count, for monitoring.
     */
    public int waiters()
    {
        ensureOpen();
        return waiterCount(buffer.getIntVolatile(waitersOffset));
    }

    @Override
    void onClose()
    {
        if (lock != null)
        {
            lock.close();
        }
    }

    private long awaitNanos0(final long timeoutNanos) throws InterruptedException
    {
        ensureOpen();
        if (!lock.isHeldByCurrentThread())
        {
            throw new IllegalMonitorStateException("await without holding the lock: condition=" + this);
        }
        if (Thread.interrupted())
        {
            throw new InterruptedException("interrupted before waiting: " + this);
        }
        final long start = System.nanoTime();
        // the lease keeps the arena mapped until this thread has deregistered and holds the lock again
        mapping.enter();
        try
        {
            final SequenceChanged condition = conditions.get();
            final int epoch = waiterEpoch(buffer.getAndAddInt(waitersOffset, 1));
            condition.expected = eventCount.sequence();
            final int holds = lock.releaseFully();
            try
            {
                waitUntil(eventCount, condition, timeoutNanos);
            }
            finally
            {
                deregister(epoch);
                // closing this condition closes its lock's handle too: the lock is not taken again through it
                if (!mapping.isClosed())
                {
                    lock.reacquire(holds);
                }
            }
            ensureOpen();
        }
        finally
        {
            mapping.exit();
        }
        return timeoutNanos - (System.nanoTime() - start);
    }

    /** Takes the caller off the count of its epoch, unless a notify has started a new epoch since it registered. */
    private void deregister(final int epoch)
    {
        while (true)
        {
            final int word = buffer.getIntVolatile(waitersOffset);
            if (waiterEpoch(word) != epoch || waiterCount(word) == 0 ||
                buffer.compareAndSetInt(waitersOffset, word, word - 1))
            {
                return;
            }
        }
    }

    /** "The sequence has moved on": one per waiting thread, reused, so that waiting allocates nothing. */
    private final class SequenceChanged implements WaitCondition
    {
        private int expected;

        @Override
        public boolean isSatisfied()
        {
            return buffer.getIntVolatile(sequenceOffset) != expected;
        }
    }
}
