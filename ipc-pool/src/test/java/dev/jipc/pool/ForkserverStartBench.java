package dev.jipc.pool;

import java.util.Arrays;

import dev.jipc.core.queue.LongQueue;
import dev.jipc.sync.IntValue;

/**
 * Start-to-running of forkserver processes: from before {@link Process#start()} in the parent to the task's first
 * line in the child ({@link System#nanoTime()}, one clock for every process of a Linux machine), one process at a
 * time with a pause between them so that each finds warmed spares. A measuring harness, not a test: run it on a jar
 * class path (the AOT cache needs jars) with jipc's JVM flags.
 * <pre>
 * java $FLAGS -cp ipc-core.jar:ipc-sync.jar:ipc-pool.jar:bench.jar:agrona.jar:... \
 *     dev.jipc.pool.ForkserverStartBench COUNT bare|segments [PAUSE_MILLIS]
 * </pre>
 * {@code bare}: the task captures the queue it reports on; {@code segments}: a value as well. Each is attached as the
 * task arrives, before its first line.
 * Prints each start ({@code run i micros}) and then p50, min and max over all but the first three.
 */
public final class ForkserverStartBench
{
    private static final int DISCARDED = 3;

    private ForkserverStartBench()
    {
    }

    /**
     * Runs the measurement.
     *
     * @param args count, kind, optional pause in milliseconds (default 1500).
     * @throws Exception on failure.
     */
    public static void main(final String[] args) throws Exception
    {
        final int count = Integer.parseInt(args[0]);
        final boolean segments = "segments".equals(args[1]);
        final long pauseMillis = args.length > 2 ? Long.parseLong(args[2]) : 1500;
        final long[] micros = new long[count];
        try (Context ctx = Context.forkserver(2))
        {
            final LongQueue queue = ctx.longQueue(1024);
            final IntValue value = segments ? ctx.intValue(0) : null;
            ctx.process(() ->
            {
            });
            Thread.sleep(pauseMillis * 2);
            for (int i = 0; i < count; i++)
            {
                final Process process = segments ? ctx.process(() ->
                {
                    final long first = System.nanoTime();
                    value.getAndAdd(1);
                    queue.offer(first);
                }) : ctx.process(() ->
                {
                    final long first = System.nanoTime();
                    queue.offer(first);
                });
                final long t0 = System.nanoTime();
                process.start();
                process.join();
                final long[] first = new long[1];
                if (!queue.poll(taken -> first[0] = taken))
                {
                    throw new IllegalStateException("no start time from " + process.name() + ", exit code " +
                        process.exitCode());
                }
                micros[i] = (first[0] - t0) / 1_000;
                System.out.println("run " + i + " " + micros[i]);
                Thread.sleep(pauseMillis);
            }
        }
        final long[] kept = Arrays.copyOfRange(micros, Math.min(DISCARDED, count - 1), count);
        Arrays.sort(kept);
        System.out.println("start-to-running " + args[1] + ": n=" + kept.length + " p50=" + kept[kept.length / 2] +
            " us min=" + kept[0] + " us max=" + kept[kept.length - 1] + " us");
    }
}
