package dev.jipc.sync;

import static dev.jipc.sync.EventDescriptor.EVENT_COUNT_OFFSET;
import static dev.jipc.sync.EventDescriptor.FLAG_OFFSET;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.wait.EventCount;
import dev.jipc.core.wait.WaitCondition;
import dev.jipc.core.wait.WaitStrategy;

/**
 * Python's {@code multiprocessing.Event}: a flag in shared memory that threads of any process wait for. {@link #set()}
 * wakes every waiter; {@link #clear()} resets it; {@link #await()} returns at once while it is set.
 * <p>
 * Memory consistency effects: actions in a thread prior to {@link #set()} happen-before actions following a return
 * from {@link #await()} (or a {@link #isSet()} that returns true) which observed that set, in another thread or
 * process.
 */
public final class Event extends SyncObject
{
    private final int flagOffset;
    private final EventCount eventCount;
    private final WaitCondition isSetCondition = this::isSetNow;

    Event(final SyncArena arena, final int offset, final WaitStrategy strategy)
    {
        super(arena, offset, SyncKind.EVENT, strategy);
        this.flagOffset = offset + FLAG_OFFSET;
        this.eventCount = new EventCount(buffer, offset + EVENT_COUNT_OFFSET);
    }

    /**
     * Creates an event, clear, in an arena of its own in the default directory.
     *
     * @param name the arena's name.
     * @return the event.
     */
    public static Event create(final String name)
    {
        return create(defaultDirectory(), name, WaitStrategy.SPIN_THEN_PARK);
    }

    /**
     * Creates an event, clear, in an arena of its own.
     *
     * @param directory where the arena goes.
     * @param name      the arena's name.
     * @param strategy  how this process waits on it.
     * @return the event.
     */
    public static Event create(final Path directory, final String name, final WaitStrategy strategy)
    {
        return SyncObject.createDedicated(directory, name, EventDescriptor.LENGTH,
            arena -> new Event(arena, arena.allocateEvent(), strategy));
    }

    /**
     * Opens an event made by {@link #create(String)}.
     *
     * @param name the arena's name.
     * @return the event.
     */
    public static Event open(final String name)
    {
        return open(defaultDirectory(), name, WaitStrategy.SPIN_THEN_PARK);
    }

    /**
     * Opens an event made by {@link #create(Path, String, WaitStrategy)}.
     *
     * @param directory where the arena is.
     * @param name      the arena's name.
     * @param strategy  how this process waits on it.
     * @return the event.
     */
    public static Event open(final Path directory, final String name, final WaitStrategy strategy)
    {
        return (Event)SyncObject.openDedicated(directory, name, SyncKind.EVENT, strategy);
    }

    /** Sets the flag and wakes every waiter of every process. */
    public void set()
    {
        ensureOpen();
        buffer.putIntRelease(flagOffset, 1);
        eventCount.signalAll();
    }

    /** Clears the flag: later waits wait until the next {@link #set()}. */
    public void clear()
    {
        ensureOpen();
        buffer.putIntRelease(flagOffset, 0);
    }

    /**
     * Whether the flag is set (Python's {@code is_set()}).
     *
     * @return true if set.
     */
    public boolean isSet()
    {
        ensureOpen();
        return isSetNow();
    }

    /**
     * Waits until the flag is set, as long as it takes.
     *
     * @throws InterruptedException if interrupted while waiting.
     */
    public void await() throws InterruptedException
    {
        ensureOpen();
        waitUntil(eventCount, isSetCondition, Long.MAX_VALUE);
    }

    /**
     * Waits until the flag is set or the timeout passes.
     *
     * @param timeout how long to wait; 0 or less checks once.
     * @param unit    its unit.
     * @return true if the flag is set, false if the timeout passed first (never before it).
     * @throws InterruptedException if interrupted while waiting.
     */
    public boolean await(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        ensureOpen();
        return waitUntil(eventCount, isSetCondition, Math.max(0, unit.toNanos(timeout)));
    }

    /**
     * Python's {@code wait(timeout)}.
     *
     * @param timeout the longest wait; null waits as long as it takes.
     * @return the flag on return: false only if the timeout passed.
     * @throws InterruptedException if interrupted while waiting.
     */
    public boolean await(final Duration timeout) throws InterruptedException
    {
        if (timeout == null)
        {
            await();
            return true;
        }
        return await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * How many threads of all processes sleep waiting for the flag (spinning ones are not counted).
     *
     * @return an estimate, for monitoring.
     */
    public int waiters()
    {
        ensureOpen();
        return eventCount.waiters();
    }

    private boolean isSetNow()
    {
        return buffer.getIntAcquire(flagOffset) != 0;
    }
}
