package dev.jipc.core.queue;

import static dev.jipc.core.queue.QueueDescriptor.ALL_DONE_OFFSET;
import static dev.jipc.core.queue.QueueDescriptor.HOLDER_OWNER_OFFSET;
import static dev.jipc.core.queue.QueueDescriptor.HOLDER_SLOTS;
import static dev.jipc.core.queue.QueueDescriptor.HOLDER_TASKS_OFFSET;
import static dev.jipc.core.queue.QueueDescriptor.TASKS_DONE_OFFSET;
import static dev.jipc.core.queue.QueueDescriptor.TASKS_TAKEN_OFFSET;
import static dev.jipc.core.queue.QueueDescriptor.holderOffset;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntSupplier;

import dev.jipc.core.ProcessOwner;
import dev.jipc.core.ProcessRegistry;
import dev.jipc.core.Segment;
import dev.jipc.core.wait.EventCount;
import org.agrona.concurrent.AtomicBuffer;

/**
 * The unfinished-task accounting of a {@link JoinableQueue}, beside its {@link ManyToManyRing}: how many tasks were
 * taken, how many were marked done, and which process holds how many taken tasks that are not done.
 *
 * <pre>
 * Overview
 *
 * A task is unfinished while its message is in the ring, or once taken until a taskDone() marks it done:
 * unfinished = messages in the ring + taken - done. Producers count nothing: a put is counted by its message being
 * in the ring, so a producer that dies between claim and commit (its record is unblocked into padding) or between
 * any two of its steps leaves nothing to balance. Taken is written only by the holder of the consumer lock, as the
 * value announced in the release fields before the head moves (see ManyToManyRing, Dead consumers), so a consumer
 * that takes over from a dead one sets it again to the same value: counted once whichever step the dead one reached.
 * Done is a CAS that never passes taken + messages in the ring (a taskDone may come before the release that counts
 * its task taken: a drain hands elements to a sink that other threads read before the release).
 *
 * Join waits for "no message in the ring, then taken == done", read in that order: a task put before the join began
 * is either seen in the ring or was taken before taken is read, so done == taken then covers it. Wakers: a taskDone
 * that brings done to taken, and a release (by a consumer) after which done equals taken, signal all-done.
 *
 * A process that takes a task and dies before its taskDone() leaves it unfinished for good: its work was not done,
 * so join() goes on waiting (join(timeout) returns false). To say why, each consuming process has a holder entry
 * (taken by this process minus its taskDone calls; a ProcessOwner word, 0 -> -1 -> token) that
 * `jipc stat` shows with the owner's liveness. The holders are an explanation, not the count: a process whose holder
 * could not be set up (all taken by live processes) is simply not shown.
 *
 * Memory ordering: taken and done are release stores / CASes read with volatile loads.
 * </pre>
 */
final class TaskCounter
{
    /** {@link #holder} before this handle looked for one: holder offsets are positive. */
    private static final int NOT_LOOKED_UP = 0;
    /** {@link #holder} when every entry was held by a live process: looked for once per handle, not per take. */
    private static final int NO_HOLDER = -1;

    private final Segment segment;
    private final AtomicBuffer buffer;
    private final EventCount allDone;
    private final ProcessRegistry registry;
    private final long holderWord;
    private final IntSupplier messages;
    /** Written once under this object's lock; a stale read finds NOT_LOOKED_UP and takes the lock. */
    private int holder = NOT_LOOKED_UP;

    /**
     * @param segment  the queue's segment.
     * @param messages counts the messages in the queue's ring.
     */
    TaskCounter(final Segment segment, final IntSupplier messages)
    {
        this.segment = segment;
        this.buffer = segment.buffer();
        this.allDone = new EventCount(buffer, ALL_DONE_OFFSET);
        this.registry = segment.registry();
        this.holderWord = ProcessOwner.word(registry, 0);
        this.messages = messages;
    }

    EventCount allDone()
    {
        return allDone;
    }

    long taken()
    {
        return buffer.getLongVolatile(TASKS_TAKEN_OFFSET);
    }

    long done()
    {
        return buffer.getLongVolatile(TASKS_DONE_OFFSET);
    }

    /**
     * Under the consumer lock, once the release that takes {@code messages} tasks is announced and before the records
     * are zeroed: counts them taken, so that each task is in the ring or counted taken at every moment.
     *
     * @param takenAfter the tasks-taken count announced for after the release.
     * @param messages   how many of them this process took, 0 when finishing a dead consumer's release.
     */
    void taken(final long takenAfter, final int messages)
    {
        buffer.putLongRelease(TASKS_TAKEN_OFFSET, takenAfter);
        if (messages > 0)
        {
            addHeld(messages);
        }
    }

    /**
     * After a release moved the head: wakes joiners if every task taken is done, since the ring may now hold none
     * (what it released was padding, or tasks already marked done while still in the ring).
     *
     * @param takenAfter the tasks-taken count of the release.
     */
    void released(final long takenAfter)
    {
        if (allDone.waiters() != 0 && done() == takenAfter)
        {
            allDone.signalAll();
        }
    }

    /**
     * Marks {@code count} tasks done.
     *
     * @param count how many.
     * @throws IllegalStateException if that is more than are unfinished.
     */
    void done(final long count)
    {
        while (true)
        {
            final long done = done();
            final long taken = taken();
            if (taken - done < count)
            {
                // walked only when the taken tasks do not cover the count; taken is read again after the walk, since
                // a release counts its tasks taken before it zeroes them
                final long unfinished = messages.getAsInt() + taken() - done;
                if (unfinished < count)
                {
                    throw new IllegalStateException("taskDone() called more times than items were put: unfinished=" +
                        unfinished + ", queue=" + segment.name());
                }
            }
            if (buffer.compareAndSetLong(TASKS_DONE_OFFSET, done, done + count))
            {
                addHeld(-count);
                if (done + count == taken)
                {
                    allDone.signalAll();
                }
                return;
            }
        }
    }

    private void addHeld(final long delta)
    {
        final int holder = this.holder != NOT_LOOKED_UP ? this.holder : lookUpHolder();
        if (holder != NO_HOLDER)
        {
            buffer.getAndAddLong(holder + HOLDER_TASKS_OFFSET, delta);
        }
    }

    private synchronized int lookUpHolder()
    {
        if (holder == NOT_LOOKED_UP)
        {
            holder = registerHolder();
        }
        return holder;
    }

    /** This process's holder entry: its own, a free one, or that of a dead process that held nothing. */
    private int registerHolder()
    {
        for (int pass = 0; pass < 3; pass++)
        {
            for (int entry = 0; entry < HOLDER_SLOTS; entry++)
            {
                final int offset = holderOffset(entry);
                final long owner = buffer.getLongVolatile(offset + HOLDER_OWNER_OFFSET);
                if (pass == 0 && owner == holderWord)
                {
                    return offset;
                }
                // -1 (set up by a process that died before it published) is never reclaimed: a lost entry only
                // means one process is not named in stat
                final boolean free = (pass == 1 && owner == 0) || (pass == 2 && owner > 0 &&
                    buffer.getLongVolatile(offset + HOLDER_TASKS_OFFSET) == 0 &&
                    !registry.isAlive(ProcessOwner.token(owner)));
                if (free && buffer.compareAndSetLong(offset + HOLDER_OWNER_OFFSET, owner, -1))
                {
                    buffer.putLongVolatile(offset + HOLDER_TASKS_OFFSET, 0);
                    buffer.putLongRelease(offset + HOLDER_OWNER_OFFSET, holderWord);
                    return offset;
                }
            }
        }
        return NO_HOLDER;
    }

    /**
     * Adds the facts of a joinable queue's accounting to a {@code jipc stat} listing.
     *
     * @param segment  the queue segment.
     * @param messages the messages counted in its ring.
     * @param facts    where to add them.
     */
    static void describe(final Segment segment, final int messages, final Map<String, String> facts)
    {
        final AtomicBuffer buffer = segment.buffer();
        final ProcessRegistry registry = segment.registry();
        final long taken = buffer.getLongVolatile(TASKS_TAKEN_OFFSET);
        final long done = buffer.getLongVolatile(TASKS_DONE_OFFSET);
        facts.put("unfinishedTasks", Long.toString(messages + taken - done));
        facts.put("tasksTaken", Long.toString(taken));
        facts.put("tasksDone", Long.toString(done));
        // two handles of one process may each have set up an entry: a process's entries are summed
        final Map<Integer, Long> held = new LinkedHashMap<>();
        for (int entry = 0; entry < HOLDER_SLOTS; entry++)
        {
            final int offset = holderOffset(entry);
            final long owner = buffer.getLongVolatile(offset + HOLDER_OWNER_OFFSET);
            if (owner > 0)
            {
                held.merge(ProcessOwner.token(owner), buffer.getLongVolatile(offset + HOLDER_TASKS_OFFSET), Long::sum);
            }
        }
        held.forEach((token, tasks) ->
        {
            if (tasks != 0)
            {
                // a dead process's entry names the pid it had; pid() knows it only while the slot is not reused
                final long pid = registry.pid(token);
                facts.put("tasksHeld.pid" + (pid == 0 ? "?" + Integer.toHexString(token) : pid),
                    tasks + (registry.isAlive(token) ? " (alive)" : " (dead: taken, never done)"));
            }
        });
    }
}
