package dev.jipc.pool;

import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * A {@code Callable<V>} that is also {@link Serializable}: a task that returns a result or throws. A lambda written
 * where this type is expected is serialisable with no cast, so it can run in another JVM; what it captures must be
 * serialisable too, which {@link Process#start()} checks in the parent.
 *
 * @param <V> the result type.
 */
@FunctionalInterface
public interface SerializableCallable<V> extends Callable<V>, Serializable
{
}
