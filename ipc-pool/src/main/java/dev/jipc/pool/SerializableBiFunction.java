package dev.jipc.pool;

import java.io.Serializable;
import java.util.function.BiFunction;

/**
 * A {@code BiFunction<T, U, R>} that is also {@link Serializable}: a task of two arguments. A lambda written where
 * this type is expected is serialisable with no cast, so it can run in another JVM; what it captures must be
 * serialisable too, which {@link Process#start()} checks in the parent.
 *
 * @param <T> the first argument type.
 * @param <U> the second argument type.
 * @param <R> the result type.
 */
@FunctionalInterface
public interface SerializableBiFunction<T, U, R> extends BiFunction<T, U, R>, Serializable
{
}
