package dev.jipc.pool;

import java.io.Serializable;
import java.util.function.Function;

/**
 * A {@code Function<T, R>} that is also {@link Serializable}: a task of one argument. A lambda written where this type
 * is expected is serialisable with no cast, so it can run in another JVM; what it captures must be serialisable too,
 * which {@link Process#start()} checks in the parent.
 *
 * @param <T> the argument type.
 * @param <R> the result type.
 */
@FunctionalInterface
public interface SerializableFunction<T, R> extends Function<T, R>, Serializable
{
}
