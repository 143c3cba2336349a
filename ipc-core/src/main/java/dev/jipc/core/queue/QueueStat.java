package dev.jipc.core.queue;

import static dev.jipc.core.queue.QueueDescriptor.CONSUMER_LOCK_OFFSET;
import static dev.jipc.core.queue.QueueDescriptor.FLAGS_OFFSET;
import static dev.jipc.core.queue.QueueDescriptor.FLAG_JOINABLE;
import static dev.jipc.core.queue.QueueDescriptor.PRODUCER_SLOTS;
import static dev.jipc.core.queue.QueueDescriptor.SHUTDOWN_OFFSET;
import static dev.jipc.core.queue.QueueDescriptor.SLOT_OWNER_OFFSET;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.jipc.core.ProcessOwner;
import dev.jipc.core.RingView;
import dev.jipc.core.Segment;
import dev.jipc.core.SegmentKind;
import dev.jipc.core.SegmentStat;
import dev.jipc.core.wait.EventCount;
import org.agrona.concurrent.AtomicBuffer;

/**
 * {@code jipc stat} of a {@link Queue} (and, through {@link LongQueueStat}, a {@link LongQueue}): capacity, bytes in
 * use, producer and consumer positions, messages, waiters, registered producers, the consumer lock owner, shutdown
 * and, for a joinable queue, unfinished tasks and the taken tasks each process holds (a dead one's stay there).
 * Reads only; every value is a snapshot.
 */
public class QueueStat implements SegmentStat
{
    @Override
    public SegmentKind kind()
    {
        return SegmentKind.QUEUE;
    }

    @Override
    public Map<String, String> describe(final Segment segment)
    {
        final int capacity = QueueDescriptor.validate(segment);
        final AtomicBuffer buffer = segment.buffer();
        final AtomicBuffer ring = QueueDescriptor.ringBuffer(buffer, capacity);
        final long head = RingView.headPositionVolatile(ring, capacity);
        final long tail = RingView.tailPositionVolatile(ring, capacity);
        int producers = 0;
        for (int slot = 0; slot < PRODUCER_SLOTS; slot++)
        {
            final long owner = buffer.getLongVolatile(QueueDescriptor.slotOffset(slot) + SLOT_OWNER_OFFSET);
            if (owner != 0 && segment.registry().isAlive(ProcessOwner.token(owner)))
            {
                producers++;
            }
        }
        final Map<String, String> facts = new LinkedHashMap<>();
        facts.put("capacity", Integer.toString(capacity));
        if ((buffer.getInt(FLAGS_OFFSET) & QueueDescriptor.FLAG_SINGLE_PRODUCER) != 0)
        {
            describeSlots(segment, capacity, head, tail, facts);
            return facts;
        }
        facts.put("maxMessageLength", Integer.toString(RingView.maxMessageLength(capacity)));
        facts.put("codec", QueueDescriptor.CODEC.describe(buffer));
        facts.put("bytesInUse", Long.toString(tail - head));
        facts.put("producerPosition", Long.toString(tail));
        facts.put("consumerPosition", Long.toString(head));
        final int messages = ManyToManyRing.countMessages(segment.path(), ring, capacity);
        facts.put("messages", Integer.toString(messages));
        facts.put("notEmptyWaiters",
            Integer.toString(new EventCount(buffer, QueueDescriptor.NOT_EMPTY_OFFSET).waiters()));
        facts.put("notFullWaiters",
            Integer.toString(new EventCount(buffer, QueueDescriptor.NOT_FULL_OFFSET).waiters()));
        if ((buffer.getInt(FLAGS_OFFSET) & QueueDescriptor.FLAG_SINGLE_PRODUCER_RECORDS) != 0)
        {
            facts.put("producers", "one");
            describeProducer(buffer, segment, facts);
        }
        else
        {
            facts.put("registeredProducers", Integer.toString(producers));
        }
        facts.put("consumerLockOwner", new ProcessOwner(buffer, CONSUMER_LOCK_OFFSET, segment.registry())
            .describe(buffer.getLongVolatile(CONSUMER_LOCK_OFFSET)));
        facts.put("shutdown", Boolean.toString(buffer.getIntVolatile(SHUTDOWN_OFFSET) != 0));
        if ((buffer.getInt(FLAGS_OFFSET) & FLAG_JOINABLE) != 0)
        {
            TaskCounter.describe(segment, messages, facts);
            facts.put("joinWaiters",
                Integer.toString(new EventCount(buffer, QueueDescriptor.ALL_DONE_OFFSET).waiters()));
        }
        return facts;
    }

    /** A single-producer long queue: its positions count 16-byte slots, and its one producer is slot 0's owner. */
    private static void describeSlots(
        final Segment segment, final int capacity, final long head, final long tail, final Map<String, String> facts)
    {
        final AtomicBuffer buffer = segment.buffer();
        facts.put("producers", "one");
        facts.put("slots", Integer.toString(capacity / SlotLongRing.SLOT_LENGTH));
        facts.put("producerPosition", Long.toString(tail));
        facts.put("consumerPosition", Long.toString(head));
        facts.put("messages", Long.toString(tail - head));
        facts.put("notEmptyWaiters",
            Integer.toString(new EventCount(buffer, QueueDescriptor.NOT_EMPTY_OFFSET).waiters()));
        facts.put("notFullWaiters",
            Integer.toString(new EventCount(buffer, QueueDescriptor.NOT_FULL_OFFSET).waiters()));
        describeProducer(buffer, segment, facts);
        facts.put("consumerLockOwner", new ProcessOwner(buffer, CONSUMER_LOCK_OFFSET, segment.registry())
            .describe(buffer.getLongVolatile(CONSUMER_LOCK_OFFSET)));
        facts.put("shutdown", Boolean.toString(buffer.getIntVolatile(SHUTDOWN_OFFSET) != 0));
    }

    /** The one producer of a {@link Producers#ONE} queue (slot 0's owner) and whether it must fence each put. */
    private static void describeProducer(
        final AtomicBuffer buffer, final Segment segment, final Map<String, String> facts)
    {
        final int producerOffset = QueueDescriptor.slotOffset(0) + SLOT_OWNER_OFFSET;
        facts.put("producer", new ProcessOwner(buffer, producerOffset, segment.registry())
            .describe(buffer.getLongVolatile(producerOffset)));
        facts.put("producerFences",
            Boolean.toString(buffer.getIntVolatile(QueueDescriptor.PRODUCER_FENCES_OFFSET) != 0));
    }
}
