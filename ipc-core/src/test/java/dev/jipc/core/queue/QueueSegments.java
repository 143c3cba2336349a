package dev.jipc.core.queue;

import dev.jipc.core.Segment;

/**
 * For tests outside this package that need a queue's segment (its consumer lock word, its registry): the ring
 * stays package-private in main code, and this test-only bridge is the one place that reaches it.
 */
public final class QueueSegments
{
    private QueueSegments()
    {
    }

    /**
     * The segment a queue handle maps.
     *
     * @param queue an open queue.
     * @return its segment, owned by the queue.
     */
    public static Segment segment(final Queue<?> queue)
    {
        return queue.ring.segment();
    }
}
