package dev.jipc.core.wait;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Waiting on several {@link Waitable}s at once, Python's {@code multiprocessing.connection.wait}, and a waitable over
 * a {@link CompletableFuture} (what a process sentinel is made of).
 *
 * <pre>
 * Overview
 *
 * wait takes each object's lease (enterWait), then loops: check every object (isReady); if none is ready, register
 * as a waiter of each object's event count (beginWait), read each sequence into a futex_waitv list, check every
 * object again, and sleep on the list until one word is woken or differs, the deadline, or the shortest recheck
 * interval of the objects. Every registration is ended (endWait) before the next round and on every way out, and
 * every lease after the last. The order is the event count's protocol for one count (register, read the sequence,
 * check the registration, check the condition, sleep on the sequence read), done for each count before the one
 * sleep: a wake of any of them after its sequence was read makes futex_waitv return at once. A registration that a
 * wake-all forgot before the sleep skips the sleep and registers again.
 *
 * whenDone keeps its event count in 8 bytes of this process's own memory (an automatic arena, freed with the
 * waitable; the completion callback holds the waitable, so the memory outlives any signal). The futex is a shared
 * one on private memory, which the kernel keys by address space: a waiter in this process is woken. The condition is
 * the future's isDone; the callback runs after the completion's store and signals with a full fence.
 * </pre>
 */
public final class Waitables
{
    private Waitables()
    {
    }

    /**
     * Waits until at least one of the objects is ready, or the timeout passes: Python's
     * {@code multiprocessing.connection.wait(object_list, timeout)}. Sleeps on all of them at once with
     * {@code futex_waitv}; a timeout of 0 checks once. Never returns empty before the timeout has passed.
     *
     * @param objects the objects, 1 to {@value Futex#MAX_WAITV}, each counted once per occurrence.
     * @param timeout the longest wait.
     * @param unit    its unit.
     * @param <W>     the type of the objects.
     * @return the objects that are ready, in the given order; empty if the timeout passed.
     * @throws IllegalArgumentException if there are no objects or more than {@value Futex#MAX_WAITV}.
     * @throws IllegalStateException    if an object is closed before or during the wait, or cannot be waited on.
     * @throws InterruptedException     if interrupted while waiting.
     */
    public static <W extends Waitable> List<W> wait(final Collection<? extends W> objects, final long timeout,
        final TimeUnit unit) throws InterruptedException
    {
        final int size = objects.size();
        if (size == 0 || size > Futex.MAX_WAITV)
        {
            throw new IllegalArgumentException("objects to wait on must be 1 to " + Futex.MAX_WAITV + ": size=" +
                size);
        }
        final long deadline = Futex.deadline(unit.toNanos(timeout));
        final List<W> list = List.copyOf(objects);
        int entered = 0;
        try
        {
            for (final W object : list)
            {
                object.enterWait();
                entered++;
            }
            return awaitAny(list, deadline);
        }
        finally
        {
            for (int i = 0; i < entered; i++)
            {
                list.get(i).exitWait();
            }
        }
    }

    /**
     * A waitable that is ready once the future has completed, normally or not: a process sentinel over the future of
     * its exit. Its event count lives in this process's memory, so it can be waited on in this process only.
     *
     * @param future the future.
     * @param name   what {@code toString()} says, naming what the future stands for.
     * @return the waitable.
     */
    public static Waitable whenDone(final CompletableFuture<?> future, final String name)
    {
        return new FutureWaitable(Objects.requireNonNull(future, "future"), Objects.requireNonNull(name, "name"));
    }

    private static <W extends Waitable> List<W> awaitAny(final List<W> list, final long deadline)
        throws InterruptedException
    {
        final int size = list.size();
        final EventCount[] events = new EventCount[size];
        long recheckNanos = Long.MAX_VALUE;
        for (int i = 0; i < size; i++)
        {
            events[i] = Objects.requireNonNull(list.get(i).readyEvent(), "readyEvent");
            recheckNanos = Math.min(recheckNanos, Math.max(0, list.get(i).recheckNanos()));
        }
        final Futex.WaitList waitList = new Futex.WaitList(size);
        final int[] registrations = new int[size];
        while (true)
        {
            List<W> ready = ready(list);
            if (!ready.isEmpty())
            {
                return ready;
            }
            final long remaining = deadline - System.nanoTime();
            if (remaining <= 0)
            {
                return ready;
            }
            waitList.clear();
            int registered = 0;
            try
            {
                boolean forgotten = false;
                for (int i = 0; i < size; i++)
                {
                    final EventCount event = events[i];
                    registrations[i] = event.beginWait();
                    registered++;
                    event.addSequenceTo(waitList);
                    forgotten |= !event.isRegistered(registrations[i]);
                }
                ready = ready(list);
                if (!ready.isEmpty())
                {
                    return ready;
                }
                if (!forgotten)
                {
                    waitList.await(Math.min(remaining, recheckNanos));
                }
            }
            finally
            {
                for (int i = 0; i < registered; i++)
                {
                    events[i].endWait(registrations[i]);
                }
            }
        }
    }

    private static <W extends Waitable> List<W> ready(final List<W> list)
    {
        final List<W> ready = new ArrayList<>();
        for (final W object : list)
        {
            if (object.isReady())
            {
                ready.add(object);
            }
        }
        return ready;
    }

    /** Ready once a future is done; see the overview of {@link Waitables}. */
    private static final class FutureWaitable implements Waitable
    {
        private final CompletableFuture<?> future;
        private final String name;
        private final MemorySegment memory;
        private final EventCount event;

        private FutureWaitable(final CompletableFuture<?> future, final String name)
        {
            this.future = future;
            this.name = name;
            this.memory = Arena.ofAuto().allocate(EventCount.LENGTH, Long.BYTES);
            this.event = new EventCount(new UnsafeBuffer(memory.address(), EventCount.LENGTH), 0);
            future.whenComplete((value, failure) -> signal());
        }

        @Override
        public boolean isReady()
        {
            return future.isDone();
        }

        @Override
        public EventCount readyEvent()
        {
            return event;
        }

        @Override
        public String toString()
        {
            return name;
        }

        private void signal()
        {
            event.signalAll();
            // the event count holds only the address: the memory must stay until the signal is done
            Reference.reachabilityFence(memory);
        }
    }
}
