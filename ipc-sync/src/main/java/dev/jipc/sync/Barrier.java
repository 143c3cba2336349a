package dev.jipc.sync;

import static dev.jipc.sync.BarrierDescriptor.EVENT_COUNT_OFFSET;
import static dev.jipc.sync.BarrierDescriptor.HISTORY_ENTRIES;
import static dev.jipc.sync.BarrierDescriptor.HISTORY_OFFSET;
import static dev.jipc.sync.BarrierDescriptor.MAX_PARTIES;
import static dev.jipc.sync.BarrierDescriptor.PARTIES_OFFSET;
import static dev.jipc.sync.BarrierDescriptor.STATE_OFFSET;
import static dev.jipc.sync.BarrierDescriptor.arrived;
import static dev.jipc.sync.BarrierDescriptor.entryGeneration;
import static dev.jipc.sync.BarrierDescriptor.entryTripped;
import static dev.jipc.sync.BarrierDescriptor.generation;
import static dev.jipc.sync.BarrierDescriptor.historyEntry;
import static dev.jipc.sync.BarrierDescriptor.isValidEntry;
import static dev.jipc.sync.BarrierDescriptor.previousTripped;
import static dev.jipc.sync.BarrierDescriptor.state;

import java.nio.file.Path;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.jipc.core.SegmentFormatException;
import dev.jipc.core.wait.EventCount;
import dev.jipc.core.wait.WaitCondition;
import dev.jipc.core.wait.WaitStrategy;

/**
 * Python's {@code multiprocessing.Barrier} (and {@link java.util.concurrent.CyclicBarrier}): a fixed number of
 * parties, threads of any processes, wait for each other; when the last arrives they all pass and the barrier is
 * ready for the next round (generation).
 * <p>
 * The optional action is a {@link Runnable} of this process, given to {@link #create(Path, String, int, Runnable,
 * WaitStrategy)} or {@link #withAction(Runnable)}: the last party to arrive runs its own process's action (if it
 * has one) before the others are released. If the action throws, the barrier breaks and the exception reaches that
 * party.
 * <p>
 * <b>Broken state.</b> A wait that times out or is interrupted breaks the barrier, as does {@link #abort()} or a
 * throwing action: every party waiting, and every later arrival, gets {@link BrokenBarrierException} until
 * {@link #reset()}. {@link #reset()} also breaks the generation in progress for the parties waiting in it.
 * <p>
 * <b>Dead parties.</b> A process that dies before arriving leaves the others waiting: give waits a timeout (which
 * breaks the barrier for all) or {@link #abort()} from a supervisor. A process that dies after arriving still counts
 * as arrived, and the barrier trips when the others arrive; so does a party whose handle another thread closes while
 * it waits (its wait ends with {@link IllegalStateException}, the barrier is not broken).
 * <p>
 * Memory consistency effects: actions in a party prior to {@link #await()} happen-before the barrier action, which
 * happens-before the return of {@link #await()} in every party of that generation, in every process.
 */
public final class Barrier extends SyncObject
{
    /* Overview
     *
     * State (one long): Generation, Arrived, T (the previous generation tripped), B (this generation is broken).
     * arrive:  CAS Arrived += 1 unless B. The party that makes Arrived = Parties runs the action, then CASes
     *          (g, Parties, -, 0) -> (g + 1, 0, T=1, 0) and signals; if the CAS fails (broken meanwhile) it reports
     *          broken too. Others wait until Generation != g or B: B -> broken; Generation == g + 1 -> T says how g
     *          ended; Generation > g + 1 (they slept through a whole later generation, possible only with more threads
     *          than parties) -> the history entry of g says (see BarrierDescriptor); if four or more generations
     *          have ended since, the entry is gone and g counts as tripped.
     * history: every CAS that ends a generation (trip or reset) first records the previous generation's outcome,
     *          the state's T, so that entry g exists before any state shows g + 2.
     * break:   CAS B = 1 keeping Generation (timeout, interrupt, abort, throwing action).
     * reset:   CAS (g, *, *, *) -> (g + 1, 0, T=0, 0) unless idle: waiters of g see T=0 and report broken.
     */

    private final int stateOffset;
    private final int historyOffset;
    private final int parties;
    private final EventCount eventCount;
    private final ThreadLocal<GenerationEnded> conditions = ThreadLocal.withInitial(GenerationEnded::new);
    private final Runnable action;

    Barrier(final SyncArena arena, final int offset, final WaitStrategy strategy)
    {
        this(arena, offset, strategy, null);
    }

    private Barrier(final SyncArena arena, final int offset, final WaitStrategy strategy, final Runnable action)
    {
        super(arena, offset, SyncKind.BARRIER, strategy);
        this.stateOffset = offset + STATE_OFFSET;
        this.historyOffset = offset + HISTORY_OFFSET;
        this.parties = buffer.getInt(offset + PARTIES_OFFSET);
        this.eventCount = new EventCount(buffer, offset + EVENT_COUNT_OFFSET);
        this.action = action;
        if (parties < 1 || parties > MAX_PARTIES)
        {
            close();
            throw new SegmentFormatException(arena.path(), "corrupt barrier: offset=" + offset + ", parties=" +
                parties + ", max=" + MAX_PARTIES);
        }
    }

    /**
     * Creates a barrier without an action, in an arena of its own in the default directory.
     *
     * @param name    the arena's name.
     * @param parties how many parties, from 1 to {@value BarrierDescriptor#MAX_PARTIES}.
     * @return the barrier.
     */
    public static Barrier create(final String name, final int parties)
    {
        return create(defaultDirectory(), name, parties, null, WaitStrategy.SPIN_THEN_PARK);
    }

    /**
     * Creates a barrier in an arena of its own.
     *
     * @param directory where the arena goes.
     * @param name      the arena's name.
     * @param parties   how many parties, from 1 to {@value BarrierDescriptor#MAX_PARTIES}.
     * @param action    run by the last arriving party when it is of this process; may be null.
     * @param strategy  how this process waits on it.
     * @return the barrier.
     */
    public static Barrier create(
        final Path directory, final String name, final int parties, final Runnable action,
        final WaitStrategy strategy)
    {
        return SyncObject.createDedicated(directory, name, BarrierDescriptor.LENGTH,
            arena -> new Barrier(arena, arena.allocateBarrier(parties), strategy, action));
    }

    /**
     * Opens a barrier made by {@link #create(String, int)}, without an action.
     *
     * @param name the arena's name.
     * @return the barrier.
     */
    public static Barrier open(final String name)
    {
        return open(defaultDirectory(), name, WaitStrategy.SPIN_THEN_PARK);
    }

    /**
     * Opens a barrier made by {@link #create(Path, String, int, Runnable, WaitStrategy)}, without an action.
     *
     * @param directory where the arena is.
     * @param name      the arena's name.
     * @param strategy  how this process waits on it.
     * @return the barrier.
     */
    public static Barrier open(final Path directory, final String name, final WaitStrategy strategy)
    {
        return (Barrier)SyncObject.openDedicated(directory, name, SyncKind.BARRIER, strategy);
    }

    /**
     * This barrier with an action of this process; closes this view and returns a new one on the same barrier.
     *
     * @param action run by the last arriving party when it is of this process.
     * @return the new view, which the caller closes.
     */
    public Barrier withAction(final Runnable action)
    {
        ensureOpen();
        final Barrier barrier = new Barrier(arena(), offset, strategy, action);
        close();
        return barrier;
    }

    /**
     * Waits until all parties have arrived, as long as it takes.
     *
     * @return this party's arrival index, from 0 (first) to {@code parties() - 1} (last, which ran the action).
     * @throws InterruptedException    if interrupted while waiting; the barrier breaks.
     * @throws BrokenBarrierException  if the barrier is or becomes broken, or is reset, while waiting.
     */
    public int await() throws InterruptedException, BrokenBarrierException
    {
        try
        {
            return await0(Long.MAX_VALUE);
        }
        catch (final TimeoutException ex)
        {
            throw new IllegalStateException("untimed barrier wait timed out: " + this, ex);
        }
    }

    /**
     * Waits until all parties have arrived or the timeout passes.
     *
     * @param timeout how long to wait.
     * @param unit    its unit.
     * @return this party's arrival index, from 0 (first) to {@code parties() - 1} (last).
     * @throws InterruptedException   if interrupted while waiting; the barrier breaks.
     * @throws BrokenBarrierException if the barrier is or becomes broken, or is reset, while waiting.
     * @throws TimeoutException       if the timeout passed (never before it); the barrier breaks.
     */
    public int await(final long timeout, final TimeUnit unit)
        throws InterruptedException, BrokenBarrierException, TimeoutException
    {
        return await0(Math.max(0, unit.toNanos(timeout)));
    }

    /** Breaks the barrier: parties waiting, and later arrivals, get {@link BrokenBarrierException}. */
    public void abort()
    {
        ensureOpen();
        breakGeneration(generation(buffer.getLongVolatile(stateOffset)));
    }

    /**
     * Returns the barrier to its empty, unbroken state; parties waiting in the generation in progress get
     * {@link BrokenBarrierException}.
     */
    public void reset()
    {
        ensureOpen();
        while (true)
        {
            final long state = buffer.getLongVolatile(stateOffset);
            if (arrived(state) == 0 && !BarrierDescriptor.isBroken(state))
            {
                return;
            }
            recordPreviousOutcome(state);
            if (buffer.compareAndSetLong(stateOffset, state, state(generation(state) + 1, 0, false, false)))
            {
                eventCount.signalAll();
                return;
            }
        }
    }

    /**
     * The number of parties.
     *
     * @return parties, fixed at creation.
     */
    public int parties()
    {
        ensureOpen();
        return parties;
    }

    /**
     * How many parties are waiting in the current generation (Python's {@code n_waiting}).
     *
     * @return the count.
     */
    public int numberWaiting()
    {
        ensureOpen();
        return Math.min(arrived(buffer.getLongVolatile(stateOffset)), parties - 1);
    }

    /**
     * Whether the barrier is broken.
     *
     * @return true until {@link #reset()}.
     */
    public boolean isBroken()
    {
        ensureOpen();
        return BarrierDescriptor.isBroken(buffer.getLongVolatile(stateOffset));
    }

    private int await0(final long timeoutNanos)
        throws InterruptedException, BrokenBarrierException, TimeoutException
    {
        // the lease keeps the arena mapped until this party has learnt how its generation ended
        mapping.enter();
        try
        {
            return arrive(timeoutNanos);
        }
        finally
        {
            mapping.exit();
        }
    }

    private int arrive(final long timeoutNanos)
        throws InterruptedException, BrokenBarrierException, TimeoutException
    {
        while (true)
        {
            final long state = buffer.getLongVolatile(stateOffset);
            final int generation = generation(state);
            final int arrived = arrived(state);
            if (BarrierDescriptor.isBroken(state))
            {
                throw broken(generation);
            }
            if (Thread.interrupted())
            {
                breakGeneration(generation);
                throw new InterruptedException("interrupted before arriving: " + this);
            }
            if (arrived >= parties)
            {
                // the last party of this generation is running the action: wait for the next generation
                final GenerationEnded condition = conditions.get();
                condition.generation = generation;
                if (!waitUntil(eventCount, condition, timeoutNanos))
                {
                    throw new TimeoutException("barrier wait timed out before arriving: parties=" + parties +
                        ", barrier=" + this);
                }
                continue;
            }
            final boolean last = arrived + 1 == parties;
            final long next = state(generation, arrived + 1, previousTripped(state), false);
            if (buffer.compareAndSetLong(stateOffset, state, next))
            {
                if (last)
                {
                    trip(generation);
                }
                else
                {
                    awaitTrip(generation, timeoutNanos);
                }
                return arrived;
            }
        }
    }

    private void trip(final int generation) throws BrokenBarrierException
    {
        if (action != null)
        {
            try
            {
                action.run();
            }
            catch (final RuntimeException | Error ex)
            {
                breakGeneration(generation);
                throw ex;
            }
        }
        while (true)
        {
            final long state = buffer.getLongVolatile(stateOffset);
            if (generation(state) != generation || BarrierDescriptor.isBroken(state))
            {
                throw broken(generation);
            }
            recordPreviousOutcome(state);
            if (buffer.compareAndSetLong(stateOffset, state, state(generation + 1, 0, true, false)))
            {
                eventCount.signalAll();
                return;
            }
        }
    }

    private void awaitTrip(final int generation, final long timeoutNanos)
        throws InterruptedException, BrokenBarrierException, TimeoutException
    {
        final GenerationEnded condition = conditions.get();
        condition.generation = generation;
        final boolean ended;
        try
        {
            ended = waitUntil(eventCount, condition, timeoutNanos);
        }
        catch (final InterruptedException ex)
        {
            if (!breakGeneration(generation))
            {
                Thread.currentThread().interrupt();
                checkOutcome(generation);
                return;
            }
            throw ex;
        }
        if (!ended && breakGeneration(generation))
        {
            throw new TimeoutException("barrier wait timed out: parties=" + parties + ", arrived=" +
                arrived(buffer.getLongVolatile(stateOffset)) + ", barrier=" + this);
        }
        checkOutcome(generation);
    }

    private void checkOutcome(final int generation) throws BrokenBarrierException
    {
        if (!tripped(generation))
        {
            throw broken(generation);
        }
    }

    /**
     * How a generation ended, as its waiting parties learn it.
     *
     * @param generation a generation that was current when the caller arrived.
     * @return true if it tripped; false if it is still current (so it broke) or was reset.
     */
    boolean tripped(final int generation)
    {
        final long state = buffer.getLongVolatile(stateOffset);
        final int now = generation(state);
        if (now == generation)
        {
            return false;
        }
        if (now == generation + 1)
        {
            return previousTripped(state);
        }
        final long entry = buffer.getLongVolatile(historyOffset(generation));
        // an entry of a later generation means four or more have ended since: counted as tripped (see Overview)
        return !isValidEntry(entry) || entryGeneration(entry) != generation || entryTripped(entry);
    }

    /** Before a CAS that ends the state's generation: records how the generation before it ended. */
    private void recordPreviousOutcome(final long state)
    {
        final int previous = generation(state) - 1;
        final long entry = historyEntry(previous, previousTripped(state));
        final int offset = historyOffset(previous);
        while (true)
        {
            final long current = buffer.getLongVolatile(offset);
            // only forward: a writer that read an old state must not replace a later generation's entry
            if (isValidEntry(current) && entryGeneration(current) - previous >= 0)
            {
                return;
            }
            if (buffer.compareAndSetLong(offset, current, entry))
            {
                return;
            }
        }
    }

    private int historyOffset(final int generation)
    {
        return historyOffset + (generation & (HISTORY_ENTRIES - 1)) * Long.BYTES;
    }

    /**
     * Marks a generation broken, if it is still in progress and unbroken.
     *
     * @return true if this call broke it or it was already broken; false if the generation had ended.
     */
    private boolean breakGeneration(final int generation)
    {
        while (true)
        {
            final long state = buffer.getLongVolatile(stateOffset);
            if (generation(state) != generation)
            {
                return false;
            }
            if (BarrierDescriptor.isBroken(state))
            {
                return true;
            }
            if (buffer.compareAndSetLong(stateOffset, state, state | 1))
            {
                eventCount.signalAll();
                return true;
            }
        }
    }

    private BrokenBarrierException broken(final int generation)
    {
        return new BrokenBarrierException("barrier is broken: generation=" + generation + ", parties=" + parties +
            ", barrier=" + this);
    }

    /** "This party's generation has ended or broken": one per waiting thread, reused. */
    private final class GenerationEnded implements WaitCondition
    {
        private int generation;

        @Override
        public boolean isSatisfied()
        {
            final long state = buffer.getLongVolatile(stateOffset);
            return generation(state) != generation || BarrierDescriptor.isBroken(state);
        }
    }
}
