package dev.jipc.sync;

import java.nio.file.Path;
import java.util.function.LongUnaryOperator;

/** The value contract over {@link IntValue}. Wrong kind: a {@link LongValue}. */
class IntValueContractTest extends SharedValueContract<IntValue>
{
    @Override
    IntValue create(final Path directory, final String name, final long initial)
    {
        return IntValue.create(directory, name, (int)initial, strategy());
    }

    @Override
    IntValue open(final Path directory, final String name)
    {
        return IntValue.open(directory, name, strategy());
    }

    @Override
    AutoCloseable createOtherKind(final Path directory, final String name)
    {
        final LongValue other = LongValue.create(directory, name, 0, strategy());
        return () ->
        {
            other.unlink();
            other.close();
        };
    }

    @Override
    long get(final IntValue value)
    {
        return value.get();
    }

    @Override
    void set(final IntValue value, final long newValue)
    {
        value.set((int)newValue);
    }

    @Override
    long getRaw(final IntValue value)
    {
        return value.getRaw();
    }

    @Override
    void setRaw(final IntValue value, final long newValue)
    {
        value.setRaw((int)newValue);
    }

    @Override
    long getAndAdd(final IntValue value, final long delta)
    {
        return value.getAndAdd((int)delta);
    }

    @Override
    boolean compareAndSet(final IntValue value, final long expected, final long newValue)
    {
        return value.compareAndSet((int)expected, (int)newValue);
    }

    @Override
    long update(final IntValue value, final LongUnaryOperator op)
    {
        return value.update(old -> (int)op.applyAsLong(old));
    }
}
