package dev.jipc.durable;

import static dev.jipc.durable.ConsumerDescriptor.CURSOR_OFFSET;
import static dev.jipc.durable.ConsumerDescriptor.MAX_VALUE;
import static dev.jipc.durable.ConsumerDescriptor.RANGES;
import static dev.jipc.durable.ConsumerDescriptor.RANGE_END_COUNT_OFFSET;
import static dev.jipc.durable.ConsumerDescriptor.RANGE_FROM_OFFSET;
import static dev.jipc.durable.ConsumerDescriptor.RANGE_TO_OFFSET;
import static dev.jipc.durable.ConsumerDescriptor.REDO_LOG_OFFSET;
import static dev.jipc.durable.ConsumerDescriptor.SLOTS;
import static dev.jipc.durable.ConsumerDescriptor.SLOT_ACKED_OFFSET;
import static dev.jipc.durable.ConsumerDescriptor.SLOT_HEAD_OFFSET;
import static dev.jipc.durable.ConsumerDescriptor.SLOT_OWNER_OFFSET;
import static dev.jipc.durable.ConsumerDescriptor.SLOT_TAIL_OFFSET;
import static dev.jipc.durable.ConsumerDescriptor.START;

import dev.jipc.core.ProcessOwner;
import dev.jipc.core.ProcessRegistry;
import dev.jipc.core.Segment;
import dev.jipc.core.SegmentFormatException;
import org.agrona.concurrent.AtomicBuffer;

/**
 * Reading a consumer segment (see {@link ConsumerDescriptor}): what {@link ConsumerGroup} decides from (under the
 * consumer's lock, or as its owner) and what {@code jipc stat} shows (without the lock, a racy snapshot; it opens no
 * lock and makes no file). Every loop reads a slot's Head and Tail once and checks them first, so a hostile or
 * corrupt segment gives a {@link #fault()}, never a read outside the segment or an endless loop.
 */
final class ConsumerState
{
    /** No such index: {@link #oldestUnacknowledged()} when every message taken is acknowledged. */
    static final long NONE = Long.MIN_VALUE;

    private final Segment segment;
    private final AtomicBuffer buffer;
    private final int base;
    private final ProcessRegistry registry;

    ConsumerState(final Segment segment)
    {
        if (segment.bodyLength() < ConsumerDescriptor.BODY_LENGTH)
        {
            throw new SegmentFormatException(segment.path(), "corrupt consumer state: body length " +
                segment.bodyLength() + " is shorter than a consumer's, " + ConsumerDescriptor.BODY_LENGTH);
        }
        this.segment = segment;
        this.buffer = segment.buffer();
        this.base = segment.bodyOffset();
        this.registry = segment.registry();
    }

    /** The consumer's name, from its segment's. */
    String name()
    {
        return segment.name().substring(ConsumerDescriptor.SEGMENT_PREFIX.length());
    }

    /**
     * What is wrong with the state, checked as {@link ConsumerGroup} checks it when it opens the segment.
     *
     * @return the fault, or null when the state is one jipc could have written.
     */
    String fault()
    {
        final long cursor = cursor();
        if (cursor < START || cursor == Long.MAX_VALUE)
        {
            return "cursor=" + cursor;
        }
        for (int slot = 0; slot < SLOTS; slot++)
        {
            final long head = head(slot);
            final long tail = tail(slot);
            final long acked = acked(slot);
            if (!validRing(head, tail) || tail >= MAX_VALUE || acked < 0 || acked >= MAX_VALUE)
            {
                return "slot " + slot + ": head=" + head + ", tail=" + tail + ", acked=" + acked;
            }
            long previousEnd = -1;
            for (long position = head; position < tail; position++)
            {
                final long from = from(slot, position);
                final long to = to(slot, position);
                final long end = endCount(slot, position);
                final long count = to - from + 1;
                if (from < 0 || to < from || to == Long.MAX_VALUE || count > Integer.MAX_VALUE ||
                    end >= MAX_VALUE || end < count || previousEnd >= 0 && end != previousEnd + count ||
                    position == head && acked < end - count || position == tail - 1 && acked > end)
                {
                    return "slot " + slot + ", range " + position + ": from=" + from + ", to=" + to + ", endCount=" +
                        end + ", acked=" + acked;
                }
                previousEnd = end;
            }
        }
        return null;
    }

    /** The index of the last message claimed, or {@link ConsumerDescriptor#START}. */
    long cursor()
    {
        return buffer.getLongVolatile(base + CURSOR_OFFSET);
    }

    /** The entries of a change that a holder of the lock committed and did not finish (0: none). */
    long pendingRedoEntries()
    {
        return buffer.getLongVolatile(base + REDO_LOG_OFFSET);
    }

    /**
     * The lowest journal index the consumer may still need, as {@link ConsumerGroup#floor()} computes it: the oldest
     * unacknowledged message, or the cursor (the last message claimed) when everything taken is acknowledged.
     */
    long floor()
    {
        final long oldest = oldestUnacknowledged();
        return oldest != NONE ? oldest : cursor();
    }

    /**
     * The first message of a slot's range that the slot's acknowledged count leaves unacknowledged, or the one after
     * the range when the count covers all of it.
     *
     * @param acked the slot's acknowledged count ({@link #acked(int)}).
     */
    long firstUnacknowledged(final int slot, final long position, final long acked)
    {
        final long from = from(slot, position);
        final long to = to(slot, position);
        final long end = endCount(slot, position);
        // acked - start < the range's count when not all of it is acknowledged: no sum overflows
        return acked >= end ? to + 1 : from + Math.max(0, acked - (end - (to - from + 1)));
    }

    /** The index of the oldest message taken and not acknowledged, by a live member or an orphaned slot; or NONE. */
    long oldestUnacknowledged()
    {
        long oldest = NONE;
        for (int slot = 0; slot < SLOTS; slot++)
        {
            final long head = head(slot);
            final long tail = tail(slot);
            if (!validRing(head, tail))
            {
                continue;
            }
            final long acked = acked(slot);
            for (long position = head; position < tail; position++)
            {
                final long end = endCount(slot, position);
                if (acked >= end)
                {
                    continue;
                }
                final long firstUnacked = firstUnacknowledged(slot, position, acked);
                if (oldest == NONE || firstUnacked < oldest)
                {
                    oldest = firstUnacked;
                }
            }
        }
        return oldest;
    }

    /** How many messages the slots hold taken and not acknowledged, by live members or orphaned. */
    long unacknowledged()
    {
        long total = 0;
        for (int slot = 0; slot < SLOTS; slot++)
        {
            total += unacknowledged(slot);
        }
        return total;
    }

    /** How many messages one slot holds taken and not acknowledged. */
    long unacknowledged(final int slot)
    {
        return Math.max(0, claimed(slot) - acked(slot));
    }

    /** How many messages a slot has taken (claimed, delivered or not) since it was last empty: its Acked and more. */
    long claimed(final int slot)
    {
        final long head = head(slot);
        final long tail = tail(slot);
        return validRing(head, tail) && tail > head ? endCount(slot, tail - 1) : acked(slot);
    }

    /** How many slots belong to live processes. */
    int liveMembers()
    {
        int live = 0;
        for (int slot = 0; slot < SLOTS; slot++)
        {
            if (isLive(slot))
            {
                live++;
            }
        }
        return live;
    }

    /** Whether a slot has an owner that lives. */
    boolean isLive(final int slot)
    {
        final long owner = owner(slot);
        return owner != ProcessOwner.FREE && registry.isAlive(ProcessOwner.token(owner));
    }

    /** Whether a slot is held, by a live or a dead process, or keeps ranges that a member left. */
    boolean isUsed(final int slot)
    {
        return owner(slot) != ProcessOwner.FREE || head(slot) != tail(slot);
    }

    /** The pid of a slot's owner, or 0 when it is free. */
    long ownerPid(final int slot)
    {
        final long owner = owner(slot);
        return owner == ProcessOwner.FREE ? 0 : registry.pid(ProcessOwner.token(owner));
    }

    long owner(final int slot)
    {
        return buffer.getLongVolatile(slotField(slot, SLOT_OWNER_OFFSET));
    }

    long acked(final int slot)
    {
        return buffer.getLongVolatile(slotField(slot, SLOT_ACKED_OFFSET));
    }

    long head(final int slot)
    {
        return buffer.getLongVolatile(slotField(slot, SLOT_HEAD_OFFSET));
    }

    long tail(final int slot)
    {
        return buffer.getLongVolatile(slotField(slot, SLOT_TAIL_OFFSET));
    }

    long from(final int slot, final long position)
    {
        return buffer.getLongVolatile(rangeField(slot, position, RANGE_FROM_OFFSET));
    }

    long to(final int slot, final long position)
    {
        return buffer.getLongVolatile(rangeField(slot, position, RANGE_TO_OFFSET));
    }

    long endCount(final int slot, final long position)
    {
        return buffer.getLongVolatile(rangeField(slot, position, RANGE_END_COUNT_OFFSET));
    }

    private static boolean validRing(final long head, final long tail)
    {
        return head >= 0 && tail >= head && tail - head <= RANGES;
    }

    private int slotField(final int slot, final int field)
    {
        return base + ConsumerDescriptor.slotOffset(slot) + field;
    }

    private int rangeField(final int slot, final long position, final int field)
    {
        return base + ConsumerDescriptor.rangeOffset(slot, position) + field;
    }
}
