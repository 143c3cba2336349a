package dev.jipc.durable;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
 * One member of a named consumer of a {@link DurableQueue}: it takes messages at least once and acknowledges them.
 * <p>
 * {@link #take()} and {@link #poll} give the next message; {@link #ack(long)} acknowledges a message and every one
 * this member took before it, {@link #ack()} all it took, and {@link #process} acknowledges after its handler
 * returns. What a member took and did not acknowledge when it dies, or closes, is delivered again: to another member
 * of the name, or to the next one that opens it. What it acknowledged is never delivered to the name again.
 * <p>
 * Members claim messages under the name's lock in batches of up to {@value #BATCH} that are already in the journal
 * (one cycle at a time), copying them out as they claim, so that each message is read once; a member that waits
 * claims each message as it arrives. A member is for one thread at a time, as a Chronicle tailer is.
 * <p>
 * A name whose last claimed message lies past the end of the journal (a cycle file cut short, replaced or removed,
 * so that the next appends would take indexes the name has passed) is refused when a member attaches, and a
 * {@link DurableQueue} handle refuses its first append while such a name exists (see
 * {@link DurableQueue#put}); both name the files to remove to read the journal again. A journal cut while a
 * producer's handle is already appending is not told: its appends take the lost indexes, and the name skips them.
 *
 * @param <E> the element type.
 */
public final class DurableConsumer<E> implements AutoCloseable
{
    /** The most messages one claim takes. */
    public static final int BATCH = 64;
    /** The most bytes one claim copies out of the journal (at least one message, however long). */
    private static final int BATCH_BYTES = 1 << 20;
    /** How often a member that claims looks for members that died holding unacknowledged messages. */
    private static final long ORPHAN_SCAN_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long NONE = Long.MIN_VALUE;

    private final DurableQueue<E> queue;
    private final Codec<E> codec;
    private final ConsumerGroup group;
    private final ConsumerState state;
    private final int slot;
    private final ExcerptTailer tailer;
    private final RollCycle rollCycle;
    private ExcerptTailer rereader;
    private long rereaderNext = NONE;

    /** The index the claiming tailer read last (it stands after it), or NONE when it must be moved first. */
    private long tailerAfter = NONE;
    private long lastOrphanScan;

    /** Messages bufferFrom..bufferTo of the last claim, copied out of the journal. */
    private final ExpandableArrayBuffer data = new ExpandableArrayBuffer(BATCH * 128);
    private final CRC32C crc = new CRC32C();
    private final UnsafeBuffer view = new UnsafeBuffer(0, 0);
    private final long[] times = new long[BATCH];
    private final int[] offsets = new int[BATCH];
    private final int[] lengths = new int[BATCH];
    private long bufferFrom = NONE;
    private long bufferTo = NONE;

    /** Delivery: the ring position being delivered and the index of its next message (NONE: its first). */
    private long deliverPosition;
    private long deliverNext = NONE;
    /**
     * The last index of the range being delivered, as last read: a member's own ranges change only by its own claims
     * (which extend the newest) while it lives, so up to here no shared word needs reading.
     */
    private long deliverTo = NONE;
    /** The highest index this member delivered: acknowledging at or below it again does nothing. */
    private long highestDelivered = NONE;
    private final ClosableMapping mapping;

    DurableConsumer(final DurableQueue<E> queue, final ConsumerGroup group)
    {
        this.queue = queue;
        this.codec = queue.codec();
        this.group = group;
        this.state = group.state();
        this.rollCycle = queue.journal().rollCycle();
        this.mapping = new ClosableMapping(this::release, "consumer '" + group.name() + "' of durable queue " +
            queue.directory() + " is closed");
        ExcerptTailer created = null;
        int taken = -1;
        try
        {
            group.lock();
            try
            {
                group.validate();
                queue.checkNotPastTheJournal(group, "cannot attach");
                taken = group.attach();
                group.adoptOrphans(taken);
                created = queue.journal().createTailer();
                created.singleThreadedCheckDisabled(true);
            }
            catch (final RuntimeException | Error ex)
            {
                if (taken >= 0)
                {
                    group.detach(taken);
                }
                throw ex;
            }
            finally
            {
                group.unlock();
            }
        }
        catch (final RuntimeException | Error ex)
        {
            group.close();
            throw ex;
        }
        this.slot = taken;
        this.tailer = created;
        this.deliverPosition = state.head(slot);
        this.lastOrphanScan = System.nanoTime();
    }

    /**
     * The consumer's name.
     *
     * @return the name.
     */
    public String name()
    {
        return group.name();
    }

    /**
     * Takes the next message if one is there.
     *
     * @return the message, or null.
     */
    public Message<E> poll()
    {
        checkOpen();
        return hasNext() || claim() ? next() : null;
    }

    /**
     * Takes the next message, waiting for one up to a timeout.
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
     * Takes the next message, waiting for one as long as it takes.
     *
     * @return the message.
     * @throws InterruptedException if interrupted while waiting.
     */
    public Message<E> take() throws InterruptedException
    {
        return await(Long.MAX_VALUE);
    }

    /** Waits holding leases on the queue's mapping and this member's, so that closing either ends the wait cleanly. */
    private Message<E> await(final long timeoutNanos) throws InterruptedException
    {
        queue.enter();
        try
        {
            mapping.enter();
            try
            {
                return mapping.await(queue.appended(), this::ready, timeoutNanos, queue.strategy()) ? next() : null;
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
     * Takes up to {@code limit} messages that are there now and hands each to the handler as bytes, without decoding
     * or allocating (Agrona's {@code MessageHandler} style): the buffer is valid only during the call. Acknowledge
     * them as with {@link #take()}.
     *
     * @param handler what to do with each message's encoding.
     * @param limit   the most messages to hand over.
     * @return how many were handed over; 0 when none was there.
     */
    public int poll(final DurableHandler handler, final int limit)
    {
        checkOpen();
        int count = 0;
        while (count < limit && (hasNext() || claim()))
        {
            final long index = deliverNext;
            final int i = load(index);
            delivered(index);
            if (lengths[i] == JournalRecords.NOT_A_RECORD)
            {
                throw notARecord(index);
            }
            handler.onMessage(index, times[i], view, offsets[i], lengths[i]);
            count++;
        }
        return count;
    }

    /**
     * Takes the next message, runs the handler on it and acknowledges it when the handler returns. If the handler
     * throws, the message stays unacknowledged (it is delivered again if this member dies or closes before a later
     * acknowledgement covers it) and the exception propagates.
     *
     * @param handler what to do with the message.
     * @param timeout how long to wait for a message at most.
     * @param unit    its unit.
     * @return true if a message was handled, false if none came in time.
     * @throws InterruptedException if interrupted while waiting.
     */
    public boolean process(final Consumer<? super Message<E>> handler, final long timeout, final TimeUnit unit)
        throws InterruptedException
    {
        Objects.requireNonNull(handler, "handler");
        final Message<E> message = poll(timeout, unit);
        if (message == null)
        {
            return false;
        }
        handler.accept(message);
        ack(message.index());
        return true;
    }

    /**
     * Acknowledges a message this member took, and every message it took before it. Acknowledging one that is
     * already acknowledged (or any index below the highest this member took) does nothing.
     *
     * @param index the message's index.
     * @throws IllegalArgumentException if this member has taken no message at or above that index.
     */
    public void ack(final long index)
    {
        checkOpen();
        final long last = Math.min(deliverPosition, state.tail(slot) - 1);
        for (long position = state.head(slot); position <= last; position++)
        {
            final long from = state.from(slot, position);
            final long to = state.to(slot, position);
            if (index < from || index > to)
            {
                continue;
            }
            if (position == deliverPosition && (deliverNext == NONE || index >= deliverNext))
            {
                break;
            }
            final long count = state.endCount(slot, position) - (to - index);
            if (count > state.acked(slot))
            {
                group.ack(slot, count);
            }
            return;
        }
        if (highestDelivered != NONE && index <= highestDelivered)
        {
            return; // acknowledged already (its range was dropped), or not this member's
        }
        throw new IllegalArgumentException("consumer '" + name() + "' has not taken the message at index 0x" +
            Long.toHexString(index));
    }

    /**
     * Acknowledges every message this member has taken.
     */
    public void ack()
    {
        checkOpen();
        final long delivered = delivered();
        if (delivered > state.acked(slot))
        {
            group.ack(slot, delivered);
        }
    }

    /**
     * How many messages this member took and has not acknowledged.
     *
     * @return the count.
     */
    public long unacknowledged()
    {
        checkOpen();
        return delivered() - state.acked(slot);
    }

    /**
     * Leaves the name: what this member took and did not acknowledge is delivered again to another member. A wait in
     * another thread ends with an {@link IllegalStateException}. Idempotent.
     */
    @Override
    public void close()
    {
        if (!mapping.markClosed())
        {
            return;
        }
        try
        {
            group.lock();
            try
            {
                group.detach(slot);
            }
            finally
            {
                group.unlock();
            }
        }
        finally
        {
            mapping.close();
        }
    }

    /** Runs once the member is closed and no thread waits in it any more. */
    private void release()
    {
        tailer.close();
        if (rereader != null)
        {
            rereader.close();
        }
        group.close();
        queue.forget(this);
    }

    @Override
    public String toString()
    {
        return "DurableConsumer[" + name() + ", slot " + slot + ", " + queue.directory() + "]";
    }

    /** How many messages this slot delivered: those of the ranges before the one being delivered, and its part. */
    private long delivered()
    {
        final long head = state.head(slot);
        final long tail = state.tail(slot);
        if (tail == head || deliverPosition < head)
        {
            return state.acked(slot);
        }
        final long position = Math.min(deliverPosition, tail - 1);
        final long from = state.from(slot, position);
        final long start = state.endCount(slot, position) - (state.to(slot, position) - from + 1);
        return position < deliverPosition ? state.endCount(slot, position) :
            start + (deliverNext == NONE ? 0 : deliverNext - from);
    }

    private boolean ready()
    {
        return hasNext() || claim();
    }

    /** Whether the slot's ranges hold a message not yet delivered; moves the delivery position onto it. */
    private boolean hasNext()
    {
        if (deliverNext != NONE && deliverNext <= deliverTo)
        {
            return true;
        }
        final long head = state.head(slot);
        final long tail = state.tail(slot);
        if (deliverPosition < head)
        {
            deliverPosition = head;
            deliverNext = NONE;
        }
        while (deliverPosition < tail)
        {
            if (deliverNext == NONE)
            {
                // a slot taken over from a dead member starts with ranges whose first messages were acknowledged
                deliverNext = state.firstUnacknowledged(slot, deliverPosition, state.acked(slot));
            }
            deliverTo = state.to(slot, deliverPosition);
            if (deliverNext <= deliverTo)
            {
                return true;
            }
            if (deliverPosition + 1 >= tail)
            {
                return false;
            }
            deliverPosition++;
            deliverNext = NONE;
        }
        return false;
    }

    /**
     * Delivers the message at the delivery position ({@link #hasNext()} returned true). It counts as taken before it
     * is decoded, so that one that cannot be decoded is skipped by the next acknowledgement instead of blocking.
     */
    private Message<E> next()
    {
        final long index = deliverNext;
        final int i = load(index);
        delivered(index);
        if (lengths[i] == JournalRecords.NOT_A_RECORD)
        {
            throw notARecord(index);
        }
        return new Message<>(index, times[i], decode(offsets[i], lengths[i], index));
    }

    private void delivered(final long index)
    {
        deliverNext = index + 1;
        highestDelivered = Math.max(highestDelivered, index);
    }

    private IllegalStateException notARecord(final long index)
    {
        return JournalRecords.notARecord(queue.directory(), index);
    }

    /** Makes sure the message at an index is in the buffer (reading it again if it is not) and says where. */
    private int load(final long index)
    {
        if (index < bufferFrom || index > bufferTo)
        {
            reread(index);
        }
        return (int)(index - bufferFrom);
    }

    private E decode(final int offset, final int length, final long index)
    {
        try
        {
            return codec.decode(view, offset, length);
        }
        catch (final RuntimeException ex)
        {
            throw JournalRecords.undecodable(queue.directory(), index, codec.name(),
                " (it counts as taken: acknowledge it to go on)", ex);
        }
    }

    /** Reads again, into the buffer, a message that this member adopted from one that died or left. */
    private void reread(final long index)
    {
        if (rereader == null)
        {
            rereader = queue.journal().createTailer();
            rereader.singleThreadedCheckDisabled(true);
        }
        bufferFrom = NONE;
        bufferTo = NONE;
        if (rereaderNext != index && !rereader.moveToIndex(index))
        {
            rereaderNext = NONE;
            throw gone(index);
        }
        try (DocumentContext document = rereader.readingDocument())
        {
            if (!document.isPresent() || document.index() != index)
            {
                rereaderNext = NONE;
                throw gone(index);
            }
            final Bytes<?> bytes = document.wire().bytes();
            offsets[0] = 0;
            copyRecord(bytes, 0, 0);
        }
        view.wrap(data.byteArray());
        bufferFrom = index;
        bufferTo = index;
        rereaderNext = index + 1;
    }

    private IllegalStateException gone(final long index)
    {
        return new IllegalStateException("message 0x" + Long.toHexString(index) + " that consumer '" + name() +
            "' must deliver again is no longer in durable queue " + queue.directory());
    }

    /**
     * Claims the messages after the name's cursor, up to {@value #BATCH} of one cycle, under the name's lock, and
     * adopts those of dead members now and then.
     *
     * @return whether this member now has a message to deliver.
     */
    private boolean claim()
    {
        final long now = System.nanoTime();
        final boolean scanDue = now - lastOrphanScan >= ORPHAN_SCAN_NANOS;
        // the tailer stands after the cursor: read the next message before taking the lock, which keeps it if the
        // cursor has not moved meanwhile (no other member claimed it); at the end of the journal a poll that finds
        // nothing takes no lock and writes nothing
        final long peekedAfter = !scanDue && tailerAfter != NONE && tailerAfter == state.cursor() ? tailerAfter : NONE;
        final long peeked = peekedAfter == NONE ? NONE : readAhead();
        if (peekedAfter != NONE && peeked == NONE)
        {
            return false;
        }
        group.lock();
        try
        {
            if (scanDue)
            {
                lastOrphanScan = now;
                if (group.adoptOrphans(slot) > 0 && hasNext())
                {
                    return true;
                }
            }
            if (state.tail(slot) - state.head(slot) >= ConsumerDescriptor.RANGES)
            {
                throw new IllegalStateException("consumer '" + name() + "' holds " + ConsumerDescriptor.RANGES +
                    " ranges of unacknowledged messages: acknowledge what it took before taking more");
            }
            final long cursor = state.cursor();
            int count = 0;
            int used = 0;
            long first = NONE;
            long last = NONE;
            if (peeked != NONE && cursor == peekedAfter)
            {
                count = 1;
                used = Math.max(0, lengths[0]);
                first = peeked;
                last = peeked;
            }
            else
            {
                position(cursor);
            }
            // until the claim is recorded, the tailer may stand past messages nobody claimed
            final long positioned = tailerAfter;
            tailerAfter = NONE;
            while (count < BATCH && used < BATCH_BYTES)
            {
                try (DocumentContext document = tailer.readingDocument())
                {
                    if (!document.isPresent())
                    {
                        break;
                    }
                    final long index = document.index();
                    if (count > 0 && (index != last + 1 || rollCycle.toCycle(index) != rollCycle.toCycle(first)))
                    {
                        document.rollbackOnClose();
                        break;
                    }
                    offsets[count] = used;
                    used += copyRecord(document.wire().bytes(), count, used);
                    if (count == 0)
                    {
                        first = index;
                    }
                    last = index;
                    count++;
                }
            }
            if (count == 0)
            {
                tailerAfter = positioned;
                return false;
            }
            if (!group.recordClaim(slot, first, last))
            {
                throw new IllegalStateException("consumer '" + name() + "': no room to record a claim");
            }
            tailerAfter = last;
            view.wrap(data.byteArray());
            bufferFrom = first;
            bufferTo = last;
            return hasNext();
        }
        finally
        {
            group.unlock();
        }
    }

    /**
     * Reads the claiming tailer's next document, if there is one, into the buffer's first entry, without the lock:
     * the tailer then stands past it, so the caller forgets where the tailer is until it claims.
     *
     * @return its index, or {@link #NONE} (the tailer stays where it is).
     */
    private long readAhead()
    {
        try (DocumentContext document = tailer.readingDocument())
        {
            if (!document.isPresent())
            {
                return NONE;
            }
            tailerAfter = NONE;
            bufferFrom = NONE;
            bufferTo = NONE;
            offsets[0] = 0;
            copyRecord(document.wire().bytes(), 0, 0);
            return document.index();
        }
    }

    /**
     * Copies a journal document into the buffer's entry {@code i} at {@code at}: its time and payload, or the mark of
     * a document that is not a whole jipc record (delivered as an error, never as a message).
     *
     * @return the bytes used in the buffer.
     */
    private int copyRecord(final Bytes<?> bytes, final int i, final int at)
    {
        times[i] = JournalRecords.time(bytes);
        lengths[i] = JournalRecords.copyPayload(bytes, data, at, crc);
        return Math.max(0, lengths[i]);
    }

    /**
     * Puts the claiming tailer just after the cursor (the last message claimed), unless it is there from this
     * member's own last claim: moves to the cursor's message, which exists, and reads past it. The tailer then reads
     * whatever follows, in the same cycle or a later one.
     */
    private void position(final long cursor)
    {
        if (cursor == ConsumerDescriptor.START)
        {
            tailer.toStart();
            return;
        }
        if (tailerAfter == cursor)
        {
            return;
        }
        tailerAfter = NONE;
        if (!tailer.moveToIndex(cursor))
        {
            if (cursor < queue.journal().firstIndex())
            {
                // its cycle was deleted (by hand: retention keeps what a name needs): go on from what is left
                tailer.toStart();
                return;
            }
            throw new IllegalStateException("consumer '" + name() + "': the last message it claimed, index 0x" +
                Long.toHexString(cursor) + ", is not in durable queue " + queue.directory() + " (first 0x" +
                Long.toHexString(queue.journal().firstIndex()) + ")");
        }
        try (DocumentContext document = tailer.readingDocument())
        {
            if (!document.isPresent() || document.index() != cursor)
            {
                throw new IllegalStateException("consumer '" + name() + "': durable queue " + queue.directory() +
                    " has no readable message at index 0x" + Long.toHexString(cursor) + ", its last claim");
            }
        }
        tailerAfter = cursor;
    }

    private void checkOpen()
    {
        mapping.ensureOpen();
        queue.checkOpen();
    }
}
