package dev.jipc.pool;

import java.io.Serializable;
import java.util.function.LongUnaryOperator;

/**
 * A {@code LongUnaryOperator} that is also {@link Serializable}: a {@code long -> long} task, with no boxing. A lambda
 * written where this type is expected is serialisable with no cast, so it can run in another JVM; what it captures
 * must be serialisable too, which {@link Process#start()} checks in the parent.
 */
@FunctionalInterface
public interface SerializableLongUnaryOperator extends LongUnaryOperator, Serializable
{
}
