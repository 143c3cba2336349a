package dev.jipc.pool;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.jipc.core.AotCache;
import dev.jipc.core.ChildJvm;
import dev.jipc.core.SegmentDirectory;
import dev.jipc.core.wait.WaitStrategy;
import dev.jipc.sync.Event;

/**
 * What spawn and forkserver share: the command line of a child JVM ({@link ChildJvm}: this JVM's java, class path
 * and jipc's flags, with {@link ChildMain} as main class), and the task on the child's stdin.
 *
 * <pre>
 * Overview
 *
 * The child's stdin is a pipe that only this JVM holds, kept open for the child's lifetime: the kernel closes it when
 * this JVM dies, and the child's ParentWatch sees end of file at once. What this JVM writes on it, once:
 *
 *   int    TASK_MAGIC
 *   UTF    name of the "taken" event in the child's default segment directory, or "" for none
 *   int    length of the task
 *   byte[] the task: a ChildTask in Java serialisation, read through TaskFilter
 *
 * A forkserver spare may read, before its task, any number of shapes of tasks started earlier (TaskShape), each
 *
 *   int    SHAPE_MAGIC
 *   int    length of the rehearsal
 *   byte[] the rehearsal: stand-ins of the task's classes and lambdas, read through TaskFilter and dropped
 *
 * A task that holds a pipe end comes with a taken event: the child sets it once it has read the task (and so owns
 * the ends: a Connection's readResolve takes its end), and start() waits for it. Without the wait, the idiom
 * p.start(); childEnd.close() would close the end for good before the child takes it.
 * </pre>
 */
final class ChildLaunch
{
    /** First word on a child's stdin: tells a task from stray input. */
    static final int TASK_MAGIC = 0x4A495043;
    /** First word of a task shape a forkserver spare may read before its task. */
    static final int SHAPE_MAGIC = 0x4A495053;
    /** Bytes a shape takes on a spare's stdin before its rehearsal: the magic and the length. */
    static final int SHAPE_HEADER = 2 * Integer.BYTES;
    /** System property of a child: the pid of its parent JVM. */
    static final String PARENT_PID_PROPERTY = "jipc.parent.pid";
    /** How long {@code start()} waits at most for a child to take its task's pipe ends. */
    static final long TAKEN_WAIT_SECONDS = 300;
    private static final long TAKEN_CHECK_MILLIS = 50;
    /** Longest task written on the caller's thread: it fits the pipe's buffer, so the write never waits. */
    private static final int DIRECT_WRITE_LIMIT = 32 * 1024;
    private static final AtomicLong TAKEN_SEQUENCE = new AtomicLong();
    /**
     * The AOT cache of what every child does before its task ({@link ChildTraining}), for this JVM's class path:
     * children start with it once it is made (in the background, on the first start), plain before and where it
     * cannot be had (see {@link AotCache}).
     */
    private static final AotCache CHILD_BOOTSTRAP = AotCache.of(ChildTraining.class,
        System.getProperty("java.class.path"), AotCache.defaultDirectory());

    private ChildLaunch()
    {
    }

    /**
     * The command line of a child JVM of a context.
     *
     * @param context        its context: segment directory and JVM options.
     * @param processOptions the process's own JVM options, after the context's.
     * @param extra          more JVM options, last.
     * @return the command.
     */
    static List<String> command(final Context context, final List<String> processOptions, final String... extra)
    {
        final ChildJvm jvm = ChildJvm.of(ChildMain.class)
            .jvmArgs("-D" + PARENT_PID_PROPERTY + "=" + ProcessHandle.current().pid());
        if (context.configuredDirectory() != null)
        {
            jvm.jvmArgs("-D" + SegmentDirectory.DIRECTORY_PROPERTY + "=" + context.configuredDirectory());
        }
        jvm.aotCache(CHILD_BOOTSTRAP);
        jvm.jvmArgs(context.jvmOptionList().toArray(String[]::new));
        jvm.jvmArgs(processOptions.toArray(String[]::new));
        jvm.jvmArgs(extra);
        return jvm.command();
    }

    /**
     * Starts a child JVM with a pipe on its stdin and this JVM's stdout and stderr.
     *
     * @param command its command line.
     * @param what    names it in an error.
     * @return the JVM.
     * @throws UncheckedIOException if it cannot start.
     */
    static java.lang.Process start(final List<String> command, final String what)
    {
        try
        {
            return new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot start child JVM: " + what + ", command=" + command, ex);
        }
    }

    /**
     * Hands an encoded task to a child that is waiting for it, and when the task holds pipe ends waits until the
     * child has taken them (or died).
     *
     * @param child   the JVM.
     * @param encoded the task.
     * @param context its context (where the taken event goes).
     * @param process the process (names the taken event).
     * @return what runs it.
     */
    static SpawnedChild hand(final java.lang.Process child, final TaskCodec.Encoded encoded, final Context context,
        final Process process)
    {
        final OutputStream stdin = child.getOutputStream();
        final Taken taken = encoded.holdsPipeEnd() ? Taken.create(context, process) : null;
        try
        {
            final byte[] task = encoded.bytes();
            final String name = taken == null ? "" : taken.name();
            if (task.length <= DIRECT_WRITE_LIMIT)
            {
                write(stdin, name, task);
            }
            else
            {
                Thread.ofVirtual().name("jipc-task-writer-" + process.name()).start(() -> write(stdin, name, task));
            }
            if (taken != null)
            {
                awaitTaken(child, taken.event());
            }
        }
        finally
        {
            if (taken != null)
            {
                taken.event().unlink();
                taken.event().close();
            }
        }
        return new SpawnedChild(child, stdin);
    }

    /**
     * Gives a waiting forkserver spare the shape of a task to load ahead. The caller makes sure that no task is
     * being written on the same stdin.
     *
     * @param stdin     the spare's stdin.
     * @param rehearsal what {@link TaskShape#rehearsal()} gave.
     * @return false if the spare is gone.
     */
    static boolean writeShape(final OutputStream stdin, final byte[] rehearsal)
    {
        try
        {
            final DataOutputStream out = new DataOutputStream(stdin);
            out.writeInt(SHAPE_MAGIC);
            out.writeInt(rehearsal.length);
            out.write(rehearsal);
            out.flush();
            return true;
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    private static void write(final OutputStream stdin, final String takenName, final byte[] task)
    {
        try
        {
            final DataOutputStream out = new DataOutputStream(stdin);
            out.writeInt(TASK_MAGIC);
            out.writeUTF(takenName);
            out.writeInt(task.length);
            out.write(task);
            out.flush();
        }
        catch (final IOException ignore)
        {
            // the child is gone already (a JVM option it refused, a kill): its exit code says so
        }
    }

    private static void awaitTaken(final java.lang.Process child, final Event taken)
    {
        try
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TAKEN_WAIT_SECONDS);
            // bounded slices: a child that dies before it reads its task never sets the event
            while (!taken.await(TAKEN_CHECK_MILLIS, TimeUnit.MILLISECONDS) && child.isAlive() &&
                System.nanoTime() - deadline < 0)
            {
                Thread.onSpinWait();
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    /** The event a child sets once it holds its task's pipe ends, and its name in the context's directory. */
    private record Taken(String name, Event event)
    {
        static Taken create(final Context context, final Process process)
        {
            // never from the process's name, which may hold any character: a refused name would throw after the
            // child JVM started, and leak it
            final String name = "taken-" + ProcessHandle.current().pid() + "-" + TAKEN_SEQUENCE.incrementAndGet() +
                "-" + Long.toHexString(System.nanoTime());
            return new Taken(name, Event.create(context.directory(), name, WaitStrategy.SPIN_THEN_PARK));
        }
    }
}
