package dev.jipc.pool;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The forkserver start method: a few fresh JVMs are started ahead of time and wait for a task; {@code start()}
 * hands the task to one, which runs it once and exits, and a replacement boots in the background. Every process
 * still begins in a JVM that has run nothing else (a reused JVM's state gets dirty: Drip's lesson).
 *
 * <pre>
 * Overview
 *
 * A spare is a child JVM of ChildMain started with jipc.child.spare=true: it loads what tasks need (Warmup), then
 * blocks reading its stdin, where ChildLaunch writes the task as it does for spawn. A blocked read uses no CPU, and
 * the pipe is the spare's parent watch while it waits: the kernel closes it when this JVM dies, and the spare exits
 * quietly. The stdin pipe stands in for a futex in a launch segment: each spare has a channel of its own that only
 * this JVM holds, so nothing is shared to corrupt, and the hand-off is one write. Measured (ForkserverStartBench, 2
 * loaded cores): the pipe's wake-up and the read of the task take a few hundred microseconds of a start-to-running
 * of about 10 ms; the rest is the task's own first use in a fresh JVM (its class, its lambda's hidden class, the
 * mapping of its segments), which Warmup cannot pay ahead. A futex would not change that sum.
 *
 *   idle      spares started and not yet given a task, oldest first (a task goes to the oldest: the most warmed)
 *   booting   spares being started by the refill thread
 *
 * launch takes the oldest live idle spare, or starts a JVM on the spot when none is idle (then the start costs what
 * spawn costs), and asks for a refill up to the target count. A spare that exits while idle (killed, crashed) is
 * dropped and replaced. A process with JVM options of its own cannot use a spare (it was started with the context's
 * options only): it is spawned. So is a task of a program run from a source file (SourceMode), whose child compiles
 * the file before it reads the task. close() closes the idle spares' stdin: they exit with 0.
 * </pre>
 */
final class ForkserverLauncher implements Launcher
{
    /** Spares of {@link Context#forkserver()}. */
    static final int DEFAULT_SPARES = 2;
    private static final int MAX_UNUSED_EXITS_IN_A_ROW = 3;

    private final Context context;
    private final int spares;
    private final Deque<java.lang.Process> idle = new ArrayDeque<>();
    private int booting;
    private boolean closed;
    /** Spares that exited unused, one after another: a spare that cannot boot must not be started again and again. */
    private int unusedExitsInARow;
    private int spareStarts;

    ForkserverLauncher(final Context context, final int spares)
    {
        if (spares < 1)
        {
            throw new IllegalArgumentException("a forkserver needs at least one spare: spares=" + spares);
        }
        this.context = context;
        this.spares = spares;
    }

    @Override
    public Running launch(final Process process, final Context ignored)
    {
        if (!process.jvmOptionList().isEmpty())
        {
            return SpawnLauncher.INSTANCE.launch(process, context);
        }
        // encode first: a task that cannot be serialised must not use up a spare
        final TaskCodec.Encoded encoded = SpawnLauncher.encode(process);
        if (encoded.program() != null)
        {
            // a spare has not compiled the source file the task's classes come from: it gets a JVM of its own
            return SpawnLauncher.launch(process, context, encoded);
        }
        java.lang.Process spare = take();
        if (spare == null)
        {
            spare = ChildLaunch.start(spareCommand(), "forkserver spare for name=" + process.name());
        }
        try
        {
            return ChildLaunch.hand(spare, encoded, context, process);
        }
        finally
        {
            synchronized (this)
            {
                // a start gives the refill another chance, even after spares that could not boot
                unusedExitsInARow = 0;
            }
            // after the hand-off: the refill thread and the replacement's fork do not delay it
            prepare();
        }
    }

    @Override
    public void prepare()
    {
        final int toBoot;
        synchronized (this)
        {
            if (closed)
            {
                return;
            }
            toBoot = spares - idle.size() - booting;
            if (toBoot <= 0 || unusedExitsInARow >= MAX_UNUSED_EXITS_IN_A_ROW)
            {
                return;
            }
            booting += toBoot;
        }
        Thread.ofPlatform().daemon().name("jipc-forkserver-refill").start(() ->
        {
            for (int i = 0; i < toBoot; i++)
            {
                boot();
            }
        });
    }

    @Override
    public void close()
    {
        final List<java.lang.Process> idleSpares;
        synchronized (this)
        {
            closed = true;
            idleSpares = List.copyOf(idle);
            idle.clear();
        }
        idleSpares.forEach(ForkserverLauncher::release);
    }

    /**
     * The pids of the idle spares, oldest first: for tests and tools.
     *
     * @return the pids.
     */
    synchronized List<Long> idlePids()
    {
        return idle.stream().map(java.lang.Process::pid).toList();
    }

    /**
     * How many spares the refill has started: for tests.
     *
     * @return the count.
     */
    synchronized int spareStarts()
    {
        return spareStarts;
    }

    private void boot()
    {
        java.lang.Process spare = null;
        try
        {
            spare = ChildLaunch.start(spareCommand(), "forkserver spare");
        }
        catch (final RuntimeException ex)
        {
            System.err.println("jipc forkserver: cannot start a spare: " + ex);
        }
        final boolean keep;
        synchronized (this)
        {
            booting--;
            spareStarts += spare != null ? 1 : 0;
            keep = spare != null && !closed;
            if (keep)
            {
                idle.addLast(spare);
            }
        }
        if (spare == null)
        {
            return;
        }
        if (!keep)
        {
            release(spare);
            return;
        }
        final java.lang.Process started = spare;
        started.onExit().thenRun(() -> onSpareExit(started));
    }

    private void onSpareExit(final java.lang.Process spare)
    {
        final boolean wasIdle;
        final boolean givingUp;
        synchronized (this)
        {
            wasIdle = idle.remove(spare);
            givingUp = wasIdle && ++unusedExitsInARow == MAX_UNUSED_EXITS_IN_A_ROW;
        }
        if (givingUp)
        {
            System.err.println("jipc forkserver: " + MAX_UNUSED_EXITS_IN_A_ROW + " spares in a row exited before " +
                "a task (the last with exit=" + spare.exitValue() + "; a JVM option or class path that does not " +
                "start?): no more spares until a process starts");
        }
        if (wasIdle)
        {
            prepare();
        }
    }

    private synchronized java.lang.Process take()
    {
        while (!idle.isEmpty())
        {
            final java.lang.Process spare = idle.pollFirst();
            if (spare.isAlive())
            {
                return spare;
            }
        }
        return null;
    }

    private List<String> spareCommand()
    {
        return ChildLaunch.command(context, List.of(), "-D" + ChildMain.SPARE_PROPERTY + "=true");
    }

    /** Lets an idle spare go: end of file on its stdin, and it exits with 0. */
    private static void release(final java.lang.Process spare)
    {
        try
        {
            spare.getOutputStream().close();
        }
        catch (final IOException ignore)
        {
            // it has gone already
        }
    }
}
