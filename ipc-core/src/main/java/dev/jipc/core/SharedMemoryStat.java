package dev.jipc.core;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code jipc stat} of a {@link SharedMemory} block: its size. */
public final class SharedMemoryStat implements SegmentStat
{
    @Override
    public SegmentKind kind()
    {
        return SegmentKind.SHARED_MEMORY;
    }

    @Override
    public Map<String, String> describe(final Segment segment)
    {
        final Map<String, String> facts = new LinkedHashMap<>();
        facts.put("size", Long.toString(segment.bodyLength()));
        return facts;
    }
}
