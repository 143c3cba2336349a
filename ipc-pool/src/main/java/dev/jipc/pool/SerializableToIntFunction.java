package dev.jipc.pool;

import java.io.Serializable;
import java.util.function.ToIntFunction;

/**
 * A {@code ToIntFunction<T>} that is also {@link Serializable}: a {@code T -> int} task. A lambda written where this
 * type is expected is serialisable with no cast, so it can run in another JVM; what it captures must be serialisable
 * too, which {@link Process#start()} checks in the parent.
 *
 * @param <T> the argument type.
 */
@FunctionalInterface
public interface SerializableToIntFunction<T> extends ToIntFunction<T>, Serializable
{
}
