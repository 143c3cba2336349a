package dev.jipc.pool;

import java.io.Serializable;

/**
 * A {@code Runnable} that is also {@link Serializable}: a task with no arguments and no result: the target of a {@link
 * Process}. A lambda written where this type is expected is serialisable with no cast, so it can run in another JVM;
 * what it captures must be serialisable too, which {@link Process#start()} checks in the parent.
 */
@FunctionalInterface
public interface SerializableRunnable extends Runnable, Serializable
{
}
