package dev.jipc.pool;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

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
 * cores): the pipe's wake-up and the read of the task take a few hundred microseconds; what made a start-to-running
 * of 18 ms was the task's first use in a fresh JVM. Three things pay for it ahead:
 *
 *   shapes    the classes and lambdas of the tasks started so far (TaskShape, without their values): an idle spare
 *             loads each new shape as it is learnt, a spare that boots loads all the known ones, so a task of a
 *             known shape finds its classes loaded and its lambda linked (with the watch: 18 ms -> 4.3-4.6 ms)
 *   training  a spare decodes a stand-in task TRAINING_PROPERTY times, and this JVM encodes one as often once, so
 *             that the JIT has compiled both paths (interpreted, a decode took 2-5 ms and an encode 0.5-1.5 ms;
 *             with 300 rounds, start to running 2.4-3.2 ms)
 *   watch     the child's stdin watch thread is started before the task arrives, not after (up to 2 ms)
 *
 * What is left is mostly the decode of the task's own types and the first attach of its segments (about 1 ms), the
 * encode (0.2-0.5 ms) and the wake-up of the spare (0.2-0.3 ms).
 *
 *   idle      spares started and not yet given a task, oldest first (a task goes to the oldest: the most warmed)
 *   booting   spares being started by the refill thread
 *   shapes    the rehearsals of the last MAX_SHAPES task shapes started, by key, oldest first
 *
 * A spare's stdin carries its shapes and then its task: a shape is written under the spare's lock and only while it
 * has no task, and the task is written after it has been marked handed under the same lock, so no shape follows a
 * task or splits one.
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
    /** Task shapes a spare loads ahead: enough for a program's few kinds of process, bounded for one of many. */
    static final int MAX_SHAPES = 16;
    /**
     * System property: how many times a spare decodes, and this JVM encodes (once, in the background), a stand-in
     * task before the first real one, so that the JIT has compiled those paths (see {@link Warmup#trainDecode}); 0
     * for none.
     */
    static final String TRAINING_PROPERTY = "jipc.forkserver.training";
    static final int DEFAULT_TRAINING_ROUNDS = 300;
    private static final AtomicBoolean ENCODE_TRAINED = new AtomicBoolean();

    private final Context context;
    private final int spares;
    private final Deque<Spare> idle = new ArrayDeque<>();
    private final Map<String, byte[]> shapes = new LinkedHashMap<>();
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
        final Spare idleSpare = take();
        final java.lang.Process spare = idleSpare != null ? idleSpare.handed() :
            ChildLaunch.start(spareCommand(), "forkserver spare for name=" + process.name());
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
            // after the hand-off: the refill thread, the replacement's fork and the shape do not delay it
            prepare();
            learn(encoded.shape());
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
        if (ENCODE_TRAINED.compareAndSet(false, true))
        {
            // once per JVM, beside the first refill: the starts of every forkserver context of this JVM encode faster
            Thread.ofPlatform().daemon().name("jipc-forkserver-training")
                .start(() -> Warmup.trainEncode(trainingRounds()));
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
        final List<Spare> idleSpares;
        synchronized (this)
        {
            closed = true;
            idleSpares = List.copyOf(idle);
            idle.clear();
        }
        idleSpares.forEach(spare -> release(spare.process));
    }

    /**
     * The pids of the idle spares, oldest first: for tests and tools.
     *
     * @return the pids.
     */
    synchronized List<Long> idlePids()
    {
        return idle.stream().map(spare -> spare.process.pid()).toList();
    }

    /**
     * How many task shapes the spares are told: for tests.
     *
     * @return the count.
     */
    synchronized int shapeCount()
    {
        return shapes.size();
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
        java.lang.Process started = null;
        try
        {
            started = ChildLaunch.start(spareCommand(), "forkserver spare");
        }
        catch (final RuntimeException ex)
        {
            System.err.println("jipc forkserver: cannot start a spare: " + ex);
        }
        if (started == null)
        {
            synchronized (this)
            {
                booting--;
            }
            return;
        }
        final Spare spare = new Spare(started);
        final boolean keep;
        final List<byte[]> known;
        synchronized (this)
        {
            booting--;
            spareStarts++;
            keep = !closed;
            if (keep)
            {
                idle.addLast(spare);
            }
            // newest first, since a spare takes only so many; a shape still being made is null here: the thread
            // making it tells the idle spares, this one among them
            known = shapes.values().stream().filter(Objects::nonNull).toList().reversed();
        }
        if (!keep)
        {
            release(started);
            return;
        }
        started.onExit().thenRun(() -> onSpareExit(spare));
        // while it boots: the pipe holds them until the spare has warmed up and reads its stdin
        known.forEach(spare::tell);
    }

    /**
     * Remembers the shape of a task just started and, when it is new, tells the idle spares (on a thread of its own:
     * a shape is made and written after the start, not during it).
     */
    private void learn(final TaskShape shape)
    {
        synchronized (this)
        {
            if (closed || shapes.containsKey(shape.key()))
            {
                return;
            }
            // held by key only, until its rehearsal is made: a start of the same shape meanwhile does not make it twice
            shapes.put(shape.key(), null);
        }
        Thread.ofPlatform().daemon().name("jipc-forkserver-shape").start(() ->
        {
            final byte[] rehearsal;
            try
            {
                rehearsal = shape.rehearsal();
            }
            catch (final RuntimeException ex)
            {
                System.err.println("jipc forkserver: cannot tell spares a task shape: " + ex);
                return;
            }
            final List<Spare> waiting;
            synchronized (this)
            {
                shapes.replace(shape.key(), rehearsal);
                while (shapes.size() > MAX_SHAPES)
                {
                    shapes.remove(shapes.keySet().iterator().next());
                }
                waiting = List.copyOf(idle);
            }
            waiting.forEach(spare -> spare.tell(rehearsal));
        });
    }

    private void onSpareExit(final Spare spare)
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
                "a task (the last with exit=" + spare.process.exitValue() + "; a JVM option or class path that " +
                "does not start?): no more spares until a process starts");
        }
        if (wasIdle)
        {
            prepare();
        }
    }

    private synchronized Spare take()
    {
        while (!idle.isEmpty())
        {
            final Spare spare = idle.pollFirst();
            if (spare.process.isAlive())
            {
                return spare;
            }
        }
        return null;
    }

    private List<String> spareCommand()
    {
        return ChildLaunch.command(context, List.of(), "-D" + ChildMain.SPARE_PROPERTY + "=true",
            "-D" + TRAINING_PROPERTY + "=" + trainingRounds());
    }

    private static int trainingRounds()
    {
        return Integer.getInteger(TRAINING_PROPERTY, DEFAULT_TRAINING_ROUNDS);
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

    /**
     * A spare JVM, whether its task has been written (after that, nothing more goes on its stdin), and how many bytes
     * of shapes it has been given: at most {@link #MAX_SHAPE_BYTES}, so that shapes a spare has not read yet (it is
     * still warming up, or it is stopped) never fill its pipe. A write into a pipe with room does not wait, so a
     * shape never holds the spare's lock for long, and the task written after them still fits.
     */
    private static final class Spare
    {
        /** A quarter of Linux's default pipe buffer (64 KiB): the task's direct write takes up to half. */
        static final int MAX_SHAPE_BYTES = 16 * 1024;

        private final java.lang.Process process;
        private boolean handed;
        private int shapeBytes;

        Spare(final java.lang.Process process)
        {
            this.process = process;
        }

        /** Marks it as given a task: a shape being written finishes first, no shape is written after. */
        synchronized java.lang.Process handed()
        {
            handed = true;
            return process;
        }

        /** Writes a task shape on its stdin, unless it has its task or its share of shapes. */
        synchronized void tell(final byte[] rehearsal)
        {
            final int length = ChildLaunch.SHAPE_HEADER + rehearsal.length;
            if (handed || shapeBytes + length > MAX_SHAPE_BYTES)
            {
                return;
            }
            shapeBytes += length;
            ChildLaunch.writeShape(process.getOutputStream(), rehearsal);
        }
    }
}
