package dev.jipc.sync;

import java.nio.file.Path;
import java.util.function.LongUnaryOperator;

/** The value contract over {@link LongValue}. Wrong kind: a {@link DoubleValue}. */
class LongValueContractTest extends SharedValueContract<LongValue>
{
    @Override
    LongValue create(final Path directory, final String name, final long initial)
    {
        return LongValue.create(directory, name, initial, strategy());
    }

    @Override
    LongValue open(final Path directory, final String name)
    {
        return LongValue.open(directory, name, strategy());
    }

    @Override
    AutoCloseable createOtherKind(final Path directory, final String name)
    {
        final DoubleValue other = DoubleValue.create(directory, name, 0, strategy());
        return () ->
        {
            other.unlink();
            other.close();
        };
    }

    @Override
    long get(final LongValue value)
    {
        return value.get();
    }

    @Override
    void set(final LongValue value, final long newValue)
    {
        value.set(newValue);
    }

    @Override
    long getRaw(final LongValue value)
    {
        return value.getRaw();
    }

    @Override
    void setRaw(final LongValue value, final long newValue)
    {
        value.setRaw(newValue);
    }

    @Override
    long getAndAdd(final LongValue value, final long delta)
    {
        return value.getAndAdd(delta);
    }

    @Override
    boolean compareAndSet(final LongValue value, final long expected, final long newValue)
    {
        return value.compareAndSet(expected, newValue);
    }

    @Override
    long update(final LongValue value, final LongUnaryOperator op)
    {
        return value.update(old -> op.applyAsLong(old));
    }
}
