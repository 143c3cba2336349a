package dev.jipc.sync;

import dev.jipc.core.wait.WaitStrategy;

/**
 * What the typed values share: one slot of {@code int}, {@code long} or {@code double} behind the embedded lock, as
 * Python's {@code multiprocessing.Value}. See {@link SharedData} for which operations take the lock; the arrays are
 * the sibling {@link SharedArray}.
 */
public abstract class SharedValue extends SharedData
{
    SharedValue(final SyncArena arena, final int offset, final SyncKind kind, final WaitStrategy strategy)
    {
        super(arena, offset, kind, strategy);
    }
}
