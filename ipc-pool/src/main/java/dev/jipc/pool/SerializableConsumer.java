package dev.jipc.pool;

import java.io.Serializable;
import java.util.function.Consumer;

/**
 * A {@code Consumer<T>} that is also {@link Serializable}: a task of one argument and no result: a {@link Process}
 * target with an argument. A lambda written where this type is expected is serialisable with no cast, so it can run in
 * another JVM; what it captures must be serialisable too, which {@link Process#start()} checks in the parent.
 *
 * @param <T> the argument type.
 */
@FunctionalInterface
public interface SerializableConsumer<T> extends Consumer<T>, Serializable
{
}
