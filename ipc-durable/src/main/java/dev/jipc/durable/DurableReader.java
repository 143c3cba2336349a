package dev.jipc.durable;

import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

import dev.jipc.core.codec.Codec;
import dev.jipc.core.wait.ClosableMapping;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Replays a {@link DurableQueue}'s journal from a position, in order, acknowledging nothing: for history, audits and
 * rebuilding state. It waits at the end of the journal as a consumer does. For one thread at a time; another thread
 * may close it (or its queue) while it waits, which then ends with an {@link IllegalStateException}. A document that
 * is not a whole jipc record is read as an {@link IllegalStateException} naming its index, and the reader moves past
 * it.
 *
 * @param <E> the element type.
 */
public final class DurableReader<E> implements AutoCloseable
{
    private final DurableQueue<E> queue;
    private final Codec<E> codec;
    private final ExcerptTailer tailer;
    private final ExpandableArrayBuffer data = new ExpandableArrayBuffer(256);
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final CRC32C crc = new CRC32C();
    private final ClosableMapping mapping;
    private Message<E> pending;
    private long badRecord = -1;

    DurableReader(final DurableQueue<E> queue, final ExcerptTailer tailer)
    {
        this.queue = queue;
        this.codec = queue.codec();
        this.tailer = tailer;
        this.mapping = new ClosableMapping(this::release, "reader of durable queue " + queue.directory() +
            " is closed");
        tailer.singleThreadedCheckDisabled(true);
    }

    /**
     * The next message if there is one.
     *
     * @return the message, or null at the end of the journal.
     */
    public Message<E> poll()
    {
        checkOpen();
        return read() ? takePending() : null;
    }

    /** Waits holding leases on the queue's mapping and this reader's, so that closing either ends the wait. */
    private Message<E> await(final long timeoutNanos) throws InterruptedException
    {
        queue.enter();
        try
        {
            mapping.enter();
            try
            {
                return mapping.await(queue.appended(), this::read, timeoutNanos, queue.strategy()) ?
                    takePending() : null;
            }
            finally
            {
                mapping.exit();
            }
        }
        finally
        {
            queue.exit();
        }
    }

    /**
     * The next message, waiting up to a timeout at the end of the journal.
     *
     * @param timeout how long to wait at most.
     * @param unit    its unit.
     * @return the message, or null if none came in time.
     * @throws InterruptedException if interrupted while waiting.
     */
    public Message<E> poll(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return await(unit.toNanos(timeout));
    }

    /**
     * The next message, waiting as long as it takes.
     *
     * @return the message.
     * @throws InterruptedException if interrupted while waiting.
     */
    public Message<E> take() throws InterruptedException
    {
        return await(Long.MAX_VALUE);
    }

    /**
     * The index of the message this reader reads next (or would, once appended).
     *
     * @return the index.
     */
    public long index()
    {
        checkOpen();
        return pending != null ? pending.index() : tailer.index();
    }

    @Override
    public void close()
    {
        if (mapping.markClosed())
        {
            mapping.close();
        }
    }

    private void release()
    {
        tailer.close();
        queue.forget(this);
    }

    /** Moves to the first message appended at or after a time: a binary search by sequence in its cycle. */
    void seek(final long epochMillis)
    {
        final RollCycle rollCycle = queue.journal().rollCycle();
        final long first = queue.journal().firstIndex();
        if (first == Long.MAX_VALUE)
        {
            tailer.toEnd();
            return;
        }
        final long cycleLength = rollCycle.lengthInMillis();
        // bounded in long before the cast: a time far in the past or future must not wrap to another cycle
        final long wanted = Math.floorDiv(Math.subtractExact(epochMillis, queue.journal().epoch()), cycleLength);
        final int lastCycle = queue.journal().lastCycle();
        if (wanted > lastCycle)
        {
            tailer.toEnd();
            return;
        }
        // Chronicle lists between two cycles that have files
        for (final long cycle : queue.journal().listCyclesBetween(rollCycle.toCycle(first), lastCycle))
        {
            if (cycle < wanted)
            {
                continue;
            }
            final long last = lastSequence((int)cycle);
            if (last < 0 || timeAt(rollCycle.toIndex((int)cycle, last)) < epochMillis)
            {
                continue;
            }
            long low = 0;
            long high = last;
            while (low < high)
            {
                final long middle = (low + high) >>> 1;
                if (timeAt(rollCycle.toIndex((int)cycle, middle)) < epochMillis)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle;
                }
            }
            tailer.moveToIndex(rollCycle.toIndex((int)cycle, low));
            return;
        }
        tailer.toEnd();
    }

    /** The last sequence number written in a cycle, or -1: found by doubling, then halving, with moveToIndex. */
    private long lastSequence(final int cycle)
    {
        final RollCycle rollCycle = queue.journal().rollCycle();
        if (!exists(rollCycle.toIndex(cycle, 0)))
        {
            return -1;
        }
        long present = 0;
        long absent = 1;
        while (exists(rollCycle.toIndex(cycle, absent)))
        {
            present = absent;
            absent *= 2;
        }
        while (absent - present > 1)
        {
            final long middle = (present + absent) >>> 1;
            if (exists(rollCycle.toIndex(cycle, middle)))
            {
                present = middle;
            }
            else
            {
                absent = middle;
            }
        }
        return present;
    }

    private boolean exists(final long index)
    {
        return tailer.moveToIndex(index);
    }

    private long timeAt(final long index)
    {
        tailer.moveToIndex(index);
        try (DocumentContext document = tailer.readingDocument())
        {
            document.rollbackOnClose();
            return document.isPresent() ? JournalRecords.time(document.wire().bytes()) : Long.MAX_VALUE;
        }
    }

    private boolean read()
    {
        if (pending != null || badRecord >= 0)
        {
            return true;
        }
        try (DocumentContext document = tailer.readingDocument())
        {
            if (!document.isPresent())
            {
                return false;
            }
            final long index = document.index();
            final Bytes<?> bytes = document.wire().bytes();
            final long time = JournalRecords.time(bytes);
            final int length = JournalRecords.copyPayload(bytes, data, 0, crc);
            if (length == JournalRecords.NOT_A_RECORD)
            {
                badRecord = index;
                return true;
            }
            view.wrap(data.byteArray());
            final E value;
            try
            {
                value = codec.decode(view, 0, length);
            }
            catch (final RuntimeException ex)
            {
                throw JournalRecords.undecodable(queue.directory(), index, codec.name(), "", ex);
            }
            pending = new Message<>(index, time, value);
            return true;
        }
    }

    private Message<E> takePending()
    {
        if (badRecord >= 0)
        {
            final long index = badRecord;
            badRecord = -1;
            throw JournalRecords.notARecord(queue.directory(), index);
        }
        final Message<E> message = pending;
        pending = null;
        return message;
    }

    private void checkOpen()
    {
        mapping.ensureOpen();
        queue.checkOpen();
    }
}
