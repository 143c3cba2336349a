package dev.jipc.pool;

import java.io.Serializable;
import java.util.function.LongBinaryOperator;

/**
 * A {@code LongBinaryOperator} that is also {@link Serializable}: a {@code (long, long) -> long} task, with no boxing.
 * A lambda written where this type is expected is serialisable with no cast, so it can run in another JVM; what it
 * captures must be serialisable too, which {@link Process#start()} checks in the parent.
 */
@FunctionalInterface
public interface SerializableLongBinaryOperator extends LongBinaryOperator, Serializable
{
}
