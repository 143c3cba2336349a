package dev.jipc.core.pipe;

import static dev.jipc.core.pipe.PipeDescriptor.END_CLOSED_OFFSET;
import static dev.jipc.core.pipe.PipeDescriptor.END_OWNER_OFFSET;
import static dev.jipc.core.pipe.PipeDescriptor.FLAGS_OFFSET;
import static dev.jipc.core.pipe.PipeDescriptor.FLAG_DUPLEX;

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
 * {@code jipc stat} of a {@link Pipe}: capacity and codec, each end's owner and closed state, and per direction the
 * bytes in use, producer and consumer positions and waiters. Reads only; every value is a snapshot.
 */
public final class PipeStat implements SegmentStat
{
    @Override
    public SegmentKind kind()
    {
        return SegmentKind.PIPE;
    }

    @Override
    public Map<String, String> describe(final Segment segment)
    {
        final int capacity = PipeDescriptor.validate(segment);
        final AtomicBuffer buffer = segment.buffer();
        final Map<String, String> facts = new LinkedHashMap<>();
        facts.put("capacity", Integer.toString(capacity));
        facts.put("duplex", Boolean.toString((buffer.getInt(FLAGS_OFFSET) & FLAG_DUPLEX) != 0));
        facts.put("codec", PipeDescriptor.CODEC.describe(buffer));
        for (int end = 0; end < 2; end++)
        {
            final int offset = PipeDescriptor.endOffset(end);
            facts.put("end" + end + ".owner", new ProcessOwner(buffer, offset + END_OWNER_OFFSET,
                segment.registry()).describe(buffer.getLongVolatile(offset + END_OWNER_OFFSET)));
            facts.put("end" + end + ".closed",
                Boolean.toString(buffer.getIntVolatile(offset + END_CLOSED_OFFSET) != 0));
        }
        for (int ring = 0; ring < 2; ring++)
        {
            final AtomicBuffer ringBuffer = PipeDescriptor.ringBuffer(buffer, ring, capacity);
            final long head = RingView.headPositionVolatile(ringBuffer, capacity);
            final long tail = RingView.tailPositionVolatile(ringBuffer, capacity);
            final String prefix = "ring" + ring + ".";
            facts.put(prefix + "direction", "end" + ring + " -> end" + (1 - ring));
            facts.put(prefix + "bytesInUse", Long.toString(tail - head));
            facts.put(prefix + "producerPosition", Long.toString(tail));
            facts.put(prefix + "consumerPosition", Long.toString(head));
            facts.put(prefix + "notEmptyWaiters",
                Integer.toString(new EventCount(buffer, PipeDescriptor.notEmptyOffset(ring)).waiters()));
            facts.put(prefix + "notFullWaiters",
                Integer.toString(new EventCount(buffer, PipeDescriptor.notFullOffset(ring)).waiters()));
        }
        return facts;
    }
}
