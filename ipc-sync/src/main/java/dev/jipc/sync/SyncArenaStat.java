package dev.jipc.sync;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.jipc.core.ProcessOwner;
import dev.jipc.core.ProcessRegistry;
import dev.jipc.core.Segment;
import dev.jipc.core.SegmentKind;
import dev.jipc.core.SegmentStat;
import dev.jipc.core.wait.EventCount;
import org.agrona.concurrent.AtomicBuffer;

/**
 * {@code jipc stat} of a {@link SyncArena}: one line per object, with a lock's owner (pid, Java thread id, whether
 * the process lives), hold count and sleeping waiters, a semaphore's value, an event's flag, a barrier's parties and
 * arrivals, a condition's waiters, a value's current value and an array's length. Reads without taking any lock, so
 * the facts are a racy snapshot.
 */
public final class SyncArenaStat implements SegmentStat
{
    @Override
    public SegmentKind kind()
    {
        return SegmentKind.SYNC_ARENA;
    }

    @Override
    public Map<String, String> describe(final Segment segment)
    {
        final AtomicBuffer buffer = segment.buffer();
        final Map<String, String> facts = new LinkedHashMap<>();
        facts.put("capacity", Integer.toString(buffer.getInt(SyncArenaDescriptor.ENTRY_CAPACITY_OFFSET)));
        final var entries = SyncArena.entries(segment);
        facts.put("objects", Integer.toString(entries.size()));
        for (final SyncArena.Entry entry : entries)
        {
            facts.put("object " + entry.index(), entry.kind() + " offset=" + entry.offset() + ", " +
                describe(segment.registry(), buffer, entry.kind(), entry.offset()));
        }
        return facts;
    }

    private static String describe(
        final ProcessRegistry registry, final AtomicBuffer buffer, final SyncKind kind, final int offset)
    {
        return switch (kind)
        {
            case LOCK, RLOCK -> mutex(registry, buffer, offset);
            case SEMAPHORE, BOUNDED_SEMAPHORE -> "value=" +
                buffer.getIntVolatile(offset + SemaphoreDescriptor.VALUE_OFFSET) +
                (kind == SyncKind.BOUNDED_SEMAPHORE ?
                    ", bound=" + buffer.getIntVolatile(offset + SemaphoreDescriptor.BOUND_OFFSET) : "") +
                ", sleepers=" + sleepers(buffer, offset + SemaphoreDescriptor.EVENT_COUNT_OFFSET);
            case CONDITION -> "lockOffset=" + buffer.getIntVolatile(offset + ConditionDescriptor.LOCK_OFFSET_OFFSET) +
                ", waiters=" +
                ConditionDescriptor.waiterCount(buffer.getIntVolatile(offset + ConditionDescriptor.WAITERS_OFFSET)) +
                ", sleepers=" + sleepers(buffer, offset + ConditionDescriptor.EVENT_COUNT_OFFSET);
            case EVENT -> "set=" + (buffer.getIntVolatile(offset + EventDescriptor.FLAG_OFFSET) != 0) +
                ", sleepers=" + sleepers(buffer, offset + EventDescriptor.EVENT_COUNT_OFFSET);
            case BARRIER ->
            {
                final long state = buffer.getLongVolatile(offset + BarrierDescriptor.STATE_OFFSET);
                yield "parties=" + buffer.getIntVolatile(offset + BarrierDescriptor.PARTIES_OFFSET) +
                    ", arrived=" + BarrierDescriptor.arrived(state) +
                    ", generation=" + BarrierDescriptor.generation(state) +
                    ", broken=" + BarrierDescriptor.isBroken(state) +
                    ", sleepers=" + sleepers(buffer, offset + BarrierDescriptor.EVENT_COUNT_OFFSET);
            }
            case INT_VALUE -> "value=" + buffer.getIntVolatile(offset + ValueDescriptor.VALUE_OFFSET) + ", lock: " +
                mutex(registry, buffer, offset);
            case LONG_VALUE -> "value=" + buffer.getLongVolatile(offset + ValueDescriptor.VALUE_OFFSET) + ", lock: " +
                mutex(registry, buffer, offset);
            case DOUBLE_VALUE -> "value=" +
                Double.longBitsToDouble(buffer.getLongVolatile(offset + ValueDescriptor.VALUE_OFFSET)) + ", lock: " +
                mutex(registry, buffer, offset);
            case INT_ARRAY, LONG_ARRAY, DOUBLE_ARRAY, BYTE_ARRAY -> "length=" +
                buffer.getIntVolatile(offset + ValueDescriptor.LENGTH_OFFSET) + ", lock: " +
                mutex(registry, buffer, offset);
        };
    }

    private static String mutex(final ProcessRegistry registry, final AtomicBuffer buffer, final int offset)
    {
        final long owner = buffer.getLongVolatile(offset + MutexDescriptor.OWNER_OFFSET);
        final String sleepers = "sleepers=" + sleepers(buffer, offset + MutexDescriptor.EVENT_COUNT_OFFSET) +
            ", ownerDeaths=" + buffer.getIntVolatile(offset + MutexDescriptor.OWNER_DEATHS_OFFSET);
        if (owner == ProcessOwner.FREE)
        {
            return "owner=none, " + sleepers;
        }
        final int token = ProcessOwner.token(owner);
        return "ownerPid=" + registry.pid(token) + ", ownerThread=" + ProcessOwner.tag(owner) + ", ownerAlive=" +
            registry.isAlive(token) + ", holds=" + buffer.getIntVolatile(offset + MutexDescriptor.HOLD_COUNT_OFFSET) +
            ", " + sleepers;
    }

    private static int sleepers(final AtomicBuffer buffer, final int eventCountOffset)
    {
        return new EventCount(buffer, eventCountOffset).waiters();
    }
}
