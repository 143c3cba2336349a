package dev.jipc.pool;

import java.io.Serializable;
import java.util.function.Supplier;

/**
 * A {@code Supplier<T>} that is also {@link Serializable}: a task that supplies a result. A lambda written where this
 * type is expected is serialisable with no cast, so it can run in another JVM; what it captures must be serialisable
 * too, which {@link Process#start()} checks in the parent.
 *
 * @param <T> the result type.
 */
@FunctionalInterface
public interface SerializableSupplier<T> extends Supplier<T>, Serializable
{
}
