package dev.jipc.sync;

import java.nio.file.Path;
import java.util.function.LongUnaryOperator;

/** The value contract over {@link DoubleValue}. Wrong kind: an {@link IntValue}. */
class DoubleValueContractTest extends SharedValueContract<DoubleValue>
{
    @Override
    DoubleValue create(final Path directory, final String name, final long initial)
    {
        return DoubleValue.create(directory, name, initial, strategy());
    }

    @Override
    DoubleValue open(final Path directory, final String name)
    {
        return DoubleValue.open(directory, name, strategy());
    }

    @Override
    AutoCloseable createOtherKind(final Path directory, final String name)
    {
        final IntValue other = IntValue.create(directory, name, 0, strategy());
        return () ->
        {
            other.unlink();
            other.close();
        };
    }

    @Override
    long get(final DoubleValue value)
    {
        return (long)value.get();
    }

    @Override
    void set(final DoubleValue value, final long newValue)
    {
        value.set(newValue);
    }

    @Override
    long getRaw(final DoubleValue value)
    {
        return (long)value.getRaw();
    }

    @Override
    void setRaw(final DoubleValue value, final long newValue)
    {
        value.setRaw(newValue);
    }

    @Override
    long getAndAdd(final DoubleValue value, final long delta)
    {
        return (long)value.getAndAdd(delta);
    }

    @Override
    boolean compareAndSet(final DoubleValue value, final long expected, final long newValue)
    {
        return value.compareAndSet(expected, newValue);
    }

    @Override
    long update(final DoubleValue value, final LongUnaryOperator op)
    {
        return (long)value.update(old -> (long)op.applyAsLong((long)old));
    }
}
