package dev.jipc.core;

import java.util.Map;

/**
 * Describes the live state of one kind of segment for {@code jipc stat}. Implementations are found with
 * {@link java.util.ServiceLoader} (list them in {@code META-INF/services/dev.jipc.core.SegmentStat}), so the module
 * that defines a kind also knows how to show it.
 */
public interface SegmentStat
{
    /**
     * The kind this describes.
     *
     * @return the segment kind.
     */
    SegmentKind kind();

    /**
     * Reads the state of a segment of {@link #kind()} without changing it.
     *
     * @param segment a mapped segment of this kind.
     * @return ordered {@code name -> value} facts, such as {@code capacity -> 65536}.
     */
    Map<String, String> describe(Segment segment);
}
