package dev.jipc.pool;

import java.util.function.DoubleUnaryOperator;
import java.util.function.LongUnaryOperator;

/** Runs a job's function on its argument, in a worker JVM or a worker thread alike. */
final class JobRunner
{
    private JobRunner()
    {
    }

    /**
     * Runs a call, a chunk or a callable.
     *
     * @param kind {@link Job.Kind#CALL}, {@link Job.Kind#CHUNK} or {@link Job.Kind#RUN}.
     * @param fn   the function.
     * @param arg  its argument ({@code Object[]} for a chunk).
     * @return its result ({@code Object[]} for a chunk).
     * @throws Exception what the function threw.
     */
    @SuppressWarnings("unchecked")
    static Object run(final Job.Kind kind, final Object fn, final Object arg) throws Exception
    {
        return switch (kind)
        {
            case CALL -> ((SerializableFunction<Object, Object>)fn).apply(arg);
            case CHUNK ->
            {
                final SerializableFunction<Object, Object> function = (SerializableFunction<Object, Object>)fn;
                final Object[] in = (Object[])arg;
                final Object[] out = new Object[in.length];
                for (int i = 0; i < in.length; i++)
                {
                    out[i] = function.apply(in[i]);
                }
                yield out;
            }
            case RUN -> ((SerializableCallable<?>)fn).call();
            default -> throw new IllegalArgumentException("not an object job: " + kind);
        };
    }

    /** Applies a long function to {@code values[0, count)} in place. */
    static void applyLongs(final LongUnaryOperator fn, final long[] values, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            values[i] = fn.applyAsLong(values[i]);
        }
    }

    /** Applies a double function to {@code values[0, count)} in place. */
    static void applyDoubles(final DoubleUnaryOperator fn, final double[] values, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            values[i] = fn.applyAsDouble(values[i]);
        }
    }
}
