package dev.jipc.pool;

import java.io.Serializable;
import java.util.function.IntUnaryOperator;

/**
 * A {@code IntUnaryOperator} that is also {@link Serializable}: an {@code int -> int} task, with no boxing. A lambda
 * written where this type is expected is serialisable with no cast, so it can run in another JVM; what it captures
 * must be serialisable too, which {@link Process#start()} checks in the parent.
 */
@FunctionalInterface
public interface SerializableIntUnaryOperator extends IntUnaryOperator, Serializable
{
}
