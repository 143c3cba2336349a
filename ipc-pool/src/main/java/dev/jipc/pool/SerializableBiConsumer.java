package dev.jipc.pool;

import java.io.Serializable;
import java.util.function.BiConsumer;

/**
 * A {@code BiConsumer<T, U>} that is also {@link Serializable}: a task of two arguments and no result: a {@link
 * Process} target with two arguments. A lambda written where this type is expected is serialisable with no cast, so it
 * can run in another JVM; what it captures must be serialisable too, which {@link Process#start()} checks in the
 * parent.
 *
 * @param <T> the first argument type.
 * @param <U> the second argument type.
 */
@FunctionalInterface
public interface SerializableBiConsumer<T, U> extends BiConsumer<T, U>, Serializable
{
}
