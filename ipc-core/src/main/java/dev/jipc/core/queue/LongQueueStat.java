package dev.jipc.core.queue;

import dev.jipc.core.SegmentKind;

/** {@code jipc stat} of a {@link LongQueue}: the same facts as {@link QueueStat}. */
public final class LongQueueStat extends QueueStat
{
    @Override
    public SegmentKind kind()
    {
        return SegmentKind.PRIMITIVE_QUEUE;
    }
}
