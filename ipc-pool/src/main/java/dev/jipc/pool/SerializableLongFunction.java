package dev.jipc.pool;

import java.io.Serializable;
import java.util.function.LongFunction;

/**
 * A {@code LongFunction<R>} that is also {@link Serializable}: a {@code long -> R} task. A lambda written where this
 * type is expected is serialisable with no cast, so it can run in another JVM; what it captures must be serialisable
 * too, which {@link Process#start()} checks in the parent.
 *
 * @param <R> the result type.
 */
@FunctionalInterface
public interface SerializableLongFunction<R> extends LongFunction<R>, Serializable
{
}
