package dev.jipc.pool;

import dev.jipc.core.queue.LongQueue;
import dev.jipc.sync.IntValue;

/**
 * TEMPORARY harness: start-to-running of forkserver processes, split by ChildMain's probes. Prints one line per
 * process, "P i t0 t1" from the parent (before and after start()) and "C i read bytes decoded run first" from the
 * child (System.nanoTime, the same clock across processes on Linux). Arguments: count, and "bare" for a task that
 * captures only an int, "segments" for one that also captures a queue and a value.
 */
public final class ForkserverStartBench
{
    private ForkserverStartBench()
    {
    }

    /**
     * Runs the measurement.
     *
     * @param args count, kind.
     * @throws Exception on failure.
     */
    public static void main(final String[] args) throws Exception
    {
        final int count = Integer.parseInt(args[0]);
        final boolean segments = "segments".equals(args[1]);
        final long pauseMillis = args.length > 2 ? Long.parseLong(args[2]) : 1500;
        try (Context ctx = Context.forkserver(2))
        {
            final String options = System.getProperty("bench.jvm", "");
            if (!options.isBlank())
            {
                ctx.jvmOptions(options.split(" "));
            }
            final LongQueue queue = segments ? ctx.longQueue(1024) : null;
            final IntValue value = segments ? ctx.intValue(0) : null;
            ctx.process(() ->
            {
            });
            Thread.sleep(pauseMillis * 2);
            for (int i = 0; i < count; i++)
            {
                final int index = i;
                final Process process = segments ? ctx.process(() ->
                {
                    final long first = System.nanoTime();
                    value.getAndAdd(1);
                    queue.offer(first);
                    report(index, first);
                }) : ctx.process(() ->
                {
                    final long first = System.nanoTime();
                    report(index, first);
                });
                final long t0 = System.nanoTime();
                process.start();
                final long t1 = System.nanoTime();
                process.join();
                System.out.println("P " + i + " " + t0 + " " + t1 + " " + process.exitCode());
                Thread.sleep(pauseMillis);
            }
        }
    }

    private static void report(final int index, final long first)
    {
        System.out.println("C " + index + " " + ChildMain.probeRead + " " + ChildMain.probeBytes + " " +
            ChildMain.probeDecoded + " " + ChildMain.probeRun + " " + first);
        System.out.flush();
    }
}
