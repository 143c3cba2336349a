package dev.jipc.core.wait;

import dev.jipc.core.FirstMappingTask;

/**
 * Links the futex downcall (the FFM linker, the downcall handle and a first probing call, all in {@link Futex}'s
 * class initialisation: 66-100 ms) when the process maps its first segment, so that the first wake or wait, often
 * in a latency-critical hand-off, does not pay for it. A thread that needs {@link Futex} while the link-up runs waits
 * for it, as it would have waited for its own. Registered in {@code META-INF/services/dev.jipc.core.FirstMappingTask}.
 */
public final class FutexLinkTask implements FirstMappingTask
{
    /** Called by {@link java.util.ServiceLoader}. */
    public FutexLinkTask()
    {
    }

    @Override
    public void run()
    {
        Futex.isNative();
    }
}
