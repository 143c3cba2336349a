package dev.jipc.sync;

import static dev.jipc.sync.SemaphoreDescriptor.BOUND_OFFSET;
import static dev.jipc.sync.SemaphoreDescriptor.EVENT_COUNT_OFFSET;
import static dev.jipc.sync.SemaphoreDescriptor.VALUE_OFFSET;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.SegmentFormatException;
import dev.jipc.core.wait.EventCount;
import dev.jipc.core.wait.WaitCondition;
import dev.jipc.core.wait.WaitStrategy;

/**
 * Python's {@code multiprocessing.Semaphore}: a count of permits in shared memory; {@link #acquire()} takes one,
 * waiting while there is none, and {@link #release()} returns one, from any thread of any process.
 * <p>
 * A semaphore has no owner, so it cannot be robust the way a lock is: <b>a process that dies holding permits does not
 * return them</b>, and the value stays lower by that many (as with POSIX semaphores). Where that matters, guard the
 * resource with a {@link Lock} instead, or release from a {@code finally} and a shutdown hook. A process killed while
 * waiting takes no permit.
 * <p>
 * Memory consistency effects: actions in a thread prior to calling a release method such as {@link #release()}
 * happen-before actions following a successful acquire method such as {@link #acquire()} in another thread or
 * process.
 */
public class Semaphore extends SyncObject
{
    private final int valueOffset;
    private final int bound;
    private final EventCount eventCount;
    private final WaitCondition acquireCondition = this::tryAcquireOne;

    Semaphore(final SyncArena arena, final int offset, final WaitStrategy strategy)
    {
        this(arena, offset, SyncKind.SEMAPHORE, strategy);
    }

    Semaphore(final SyncArena arena, final int offset, final SyncKind kind, final WaitStrategy strategy)
    {
        super(arena, offset, kind, strategy);
        this.valueOffset = offset + VALUE_OFFSET;
        this.bound = buffer.getInt(offset + BOUND_OFFSET);
        this.eventCount = new EventCount(buffer, offset + EVENT_COUNT_OFFSET);
        final boolean bounded = kind == SyncKind.BOUNDED_SEMAPHORE;
        if (bound < 0 || (!bounded && bound != Integer.MAX_VALUE))
        {
            final String fault = "corrupt semaphore bound: offset=" + offset + ", bound=" + bound + ", kind=" + kind;
            close();
            throw new SegmentFormatException(arena.path(), fault);
        }
    }

    /**
     * Creates a semaphore in an arena of its own in the default directory.
     *
     * @param name  the arena's name.
     * @param value the initial number of permits, at least 0.
     * @return the semaphore.
     * @throws java.io.UncheckedIOException if the name exists.
     */
    public static Semaphore create(final String name, final int value)
    {
        return create(defaultDirectory(), name, value, WaitStrategy.SPIN_THEN_PARK);
    }

    /**
     * Creates a semaphore in an arena of its own.
     *
     * @param directory where the arena goes.
     * @param name      the arena's name.
     * @param value     the initial number of permits, at least 0.
     * @param strategy  how this process waits on it.
     * @return the semaphore.
     */
    public static Semaphore create(
        final Path directory, final String name, final int value, final WaitStrategy strategy)
    {
        return SyncObject.createDedicated(directory, name, SemaphoreDescriptor.LENGTH,
            arena -> new Semaphore(arena, arena.allocateSemaphore(SyncKind.SEMAPHORE, value), strategy));
    }

    /**
     * Opens a semaphore made by {@link #create(String, int)}.
     *
     * @param name the arena's name.
     * @return the semaphore.
     */
    public static Semaphore open(final String name)
    {
        return open(defaultDirectory(), name, WaitStrategy.SPIN_THEN_PARK);
    }

    /**
     * Opens a semaphore made by {@link #create(Path, String, int, WaitStrategy)}.
     *
     * @param directory where the arena is.
     * @param name      the arena's name.
     * @param strategy  how this process waits on it.
     * @return the semaphore.
     */
    public static Semaphore open(final Path directory, final String name, final WaitStrategy strategy)
    {
        return (Semaphore)SyncObject.openDedicated(directory, name, SyncKind.SEMAPHORE, strategy);
    }

    /**
     * Takes a permit, waiting as long as it takes.
     *
     * @throws InterruptedException if interrupted while waiting.
     */
    public void acquire() throws InterruptedException
    {
        if (!tryAcquire())
        {
            waitUntil(eventCount, acquireCondition, Long.MAX_VALUE);
        }
    }

    /**
     * Takes a permit, waiting as long as it takes; an interrupt does not end the wait (the interrupt status is
     * kept).
     */
    public void acquireUninterruptibly()
    {
        if (tryAcquire())
        {
            return;
        }
        boolean interrupted = false;
        while (true)
        {
            try
            {
                waitUntil(eventCount, acquireCondition, Long.MAX_VALUE);
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

    /**
     * Takes a permit if one is available, without waiting.
     *
     * @return true if taken.
     */
    public boolean tryAcquire()
    {
        ensureOpen();
        return tryAcquireOne();
    }

    /**
     * Takes a permit, waiting at most the timeout.
     *
     * @param timeout how long to wait; 0 or less tries once.
     * @param unit    its unit.
     * @return true if taken, false if the timeout passed first (never before it).
     * @throws InterruptedException if interrupted while waiting.
     */
    public boolean tryAcquire(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return tryAcquire() || waitUntil(eventCount, acquireCondition, Math.max(0, unit.toNanos(timeout)));
    }

    /**
     * Python's {@code acquire(block, timeout)}.
     *
     * @param block   false to try once without waiting (the timeout is then ignored).
     * @param timeout the longest wait when blocking; null waits as long as it takes.
     * @return true if a permit was taken.
     * @throws InterruptedException if interrupted while waiting.
     */
    public boolean acquire(final boolean block, final Duration timeout) throws InterruptedException
    {
        if (!block)
        {
            return tryAcquire();
        }
        if (timeout == null)
        {
            acquire();
            return true;
        }
        return tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Returns a permit and wakes a waiter, if one sleeps. */
    public void release()
    {
        release(1);
    }

    /**
     * Returns permits and wakes as many waiters, if any sleep.
     *
     * @param permits how many, at least 1.
     * @throws IllegalStateException if the value would exceed the bound of a {@link BoundedSemaphore}, or
     *                               {@link Integer#MAX_VALUE}; the value is then unchanged.
     */
    public void release(final int permits)
    {
        ensureOpen();
        if (permits < 1)
        {
            throw new IllegalArgumentException("permits must be positive: permits=" + permits);
        }
        while (true)
        {
            final int value = buffer.getIntVolatile(valueOffset);
            if (permits > bound - value)
            {
                throw new IllegalStateException("semaphore released too many times: value=" + value + ", permits=" +
                    permits + ", bound=" + bound + ", semaphore=" + this);
            }
            if (buffer.compareAndSetInt(valueOffset, value, value + permits))
            {
                break;
            }
        }
        eventCount.signal(permits);
    }

    /**
     * The number of permits available now (Python's {@code get_value()}).
     *
     * @return the value.
     */
    public int value()
    {
        ensureOpen();
        return buffer.getIntVolatile(valueOffset);
    }

    /**
     * How many threads sleep waiting for a permit (spinning ones are not counted).
     *
     * @return an estimate, for monitoring.
     */
    public int waiters()
    {
        ensureOpen();
        return eventCount.waiters();
    }

    private boolean tryAcquireOne()
    {
        while (true)
        {
            final int value = buffer.getIntVolatile(valueOffset);
            if (value <= 0)
            {
                return false;
            }
            if (buffer.compareAndSetInt(valueOffset, value, value - 1))
            {
                return true;
            }
        }
    }
}
