package dev.jipc.pool;

/**
 * The AOT training run of a child JVM ({@link dev.jipc.core.AotCache}): what {@link ChildMain} does before its task
 * ({@link Warmup}: segments, the futex layer, queues, pipes and values, a lambda through serialisation), once, so
 * that the JDK records the classes it loads and links and every later child maps them instead.
 */
public final class ChildTraining
{
    private ChildTraining()
    {
    }

    /**
     * Runs the warm-up once.
     *
     * @param args none.
     */
    public static void main(final String[] args)
    {
        Warmup.run();
    }
}
