package dev.jipc.pool;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

import dev.jipc.core.SegmentDirectory;
import dev.jipc.core.wait.WaitStrategy;
import dev.jipc.sync.Event;

/**
 * The main class of a child JVM of the spawn and forkserver start methods: reads its {@link ChildTask} from stdin
 * (the format is in {@link ChildLaunch}), watches its parent, runs the process and exits with its exit code (0 when
 * {@link Process#run()} returns, 1 when it throws, after the stack trace on stderr). A child that cannot read its
 * task exits with {@value #BAD_TASK_EXIT} after saying why on stderr. A child of a program run from a source file
 * ({@link SourceMode}) compiles the file first and reads the task with its classes; one whose file no longer compiles
 * exits with {@value #BAD_TASK_EXIT} after the compiler's errors. A forkserver spare (started with
 * {@value #SPARE_PROPERTY}{@code =true}) loads what running a task needs, then waits for its task, loading the
 * classes and lambdas of the task shapes the forkserver sends meanwhile ({@link TaskShape}); if its parent goes
 * first, it exits quietly with 0.
 */
public final class ChildMain
{
    /** Exit code of a child whose task could not be read or was refused by the {@link TaskFilter}. */
    public static final int BAD_TASK_EXIT = 1;
    /** System property of a forkserver spare. */
    static final String SPARE_PROPERTY = "jipc.child.spare";
    /** Largest task a child reads: the limit of a Java array, less headroom. */
    private static final int MAX_TASK_LENGTH = Integer.MAX_VALUE - 16;

    private ChildMain()
    {
    }

    /**
     * Runs the task given on stdin.
     *
     * @param args none.
     */
    public static void main(final String[] args)
    {
        final long parentPid = Long.getLong(ChildLaunch.PARENT_PID_PROPERTY, -1L);
        final boolean spare = Boolean.getBoolean(SPARE_PROPERTY);
        // from the start: a child must not outlive its parent even while it boots or, as a spare, waits for its task
        ParentWatch.watchLiveness(parentPid);
        // buffered: the task arrives in one write, and is read in one read instead of a read per field
        final InputStream stdin = new BufferedInputStream(ParentWatch.openStdin());
        // the task's code sees an empty stdin, as a Python child sees /dev/null
        System.setIn(new ByteArrayInputStream(new byte[0]));
        if (spare)
        {
            Warmup.run();
            Warmup.trainDecode(Integer.getInteger(ForkserverLauncher.TRAINING_PROPERTY, 0));
            Warmup.prepareSpare();
        }
        // started now, reading once the task has been read: the task's start does not wait for a thread's creation
        final Thread stdinWatch = ParentWatch.stdinWatch(stdin);
        final DataInputStream in = new DataInputStream(stdin);
        final String takenName;
        final byte[] bytes;
        try
        {
            int magic = readMagic(in, spare);
            while (spare && magic == ChildLaunch.SHAPE_MAGIC)
            {
                Warmup.rehearse(readTask(in));
                magic = readMagic(in, true);
            }
            if (magic != ChildLaunch.TASK_MAGIC)
            {
                throw new IOException("not a jipc task on stdin: magic=0x" + Integer.toHexString(magic));
            }
            takenName = in.readUTF();
            bytes = readTask(in);
        }
        catch (final IOException ex)
        {
            if (ParentWatch.isExiting())
            {
                // the parent watch ends this JVM (its parent died while it waited): nothing to add
                return;
            }
            // EOF before a whole task: the parent died while starting this child
            System.err.println("jipc child pid=" + ProcessHandle.current().pid() + ": cannot read its task: " + ex);
            System.exit(BAD_TASK_EXIT);
            return;
        }
        final ClassLoader program;
        try
        {
            program = SourceMode.childLoader();
        }
        catch (final SourceMode.CompileException ex)
        {
            System.err.println("jipc child pid=" + ProcessHandle.current().pid() + ": cannot read its task: " +
                ex.getMessage());
            System.exit(BAD_TASK_EXIT);
            return;
        }
        if (program != null)
        {
            // as the source launcher does for its program: code that looks classes up by name finds the file's
            Thread.currentThread().setContextClassLoader(program);
        }
        final ChildTask task;
        try
        {
            task = (ChildTask)TaskCodec.decode(bytes, program);
        }
        catch (final IOException | ClassNotFoundException | RuntimeException ex)
        {
            System.err.println("jipc child pid=" + ProcessHandle.current().pid() + ": cannot read its task " +
                "(length=" + bytes.length + "): " + ex);
            ex.printStackTrace();
            System.exit(BAD_TASK_EXIT);
            return;
        }
        final Process process = task.process();
        Processes.becomeChild(
            new ProcessInfo(process.name(), ProcessHandle.current().pid(), process.daemon()),
            new ProcessInfo(task.parentName(), task.parentPid(), false));
        // only now: the read of the task was the watch of the stdin until here
        ParentWatch.watchStdin(stdinWatch);
        signalTaken(takenName);
        int code = 1;
        try
        {
            process.run();
            code = 0;
        }
        catch (final Throwable ex)
        {
            Processes.printUncaught(process.name(), ex);
        }
        joinNonDaemonThreads();
        System.out.flush();
        System.exit(code);
    }

    /**
     * Waits for the non-daemon threads the task started, as Python's child joins them ({@code threading._shutdown})
     * before it exits: {@code System.exit} would end them mid-work. jipc's own threads are daemons.
     */
    private static void joinNonDaemonThreads()
    {
        boolean joined = true;
        while (joined)
        {
            joined = false;
            for (final Thread thread : Thread.getAllStackTraces().keySet())
            {
                if (thread != Thread.currentThread() && !thread.isDaemon() && thread.isAlive())
                {
                    try
                    {
                        thread.join();
                        joined = true;
                    }
                    catch (final InterruptedException ex)
                    {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    /** Tells a parent waiting in {@code start()} that this child holds its task's pipe ends now. */
    private static void signalTaken(final String name)
    {
        if (name.isEmpty())
        {
            return;
        }
        try (Event taken = Event.open(SegmentDirectory.defaultDirectory(), name, WaitStrategy.SPIN_THEN_PARK))
        {
            taken.set();
        }
        catch (final RuntimeException ex)
        {
            // the parent stopped waiting (interrupted, or its bound passed) and removed the event: nothing to tell
            System.err.println("jipc child " + Processes.currentProcess().name() + ": cannot tell the parent that " +
                "it holds its pipe ends: " + ex);
        }
    }

    private static int readMagic(final DataInputStream in, final boolean spare) throws IOException
    {
        try
        {
            return in.readInt();
        }
        catch (final EOFException ex)
        {
            if (spare)
            {
                // the forkserver closed, or its JVM died, before this spare was needed
                System.exit(0);
            }
            throw ex;
        }
    }

    private static byte[] readTask(final DataInputStream in) throws IOException
    {
        final int length = in.readInt();
        if (length < 0 || length > MAX_TASK_LENGTH)
        {
            throw new IOException("invalid task length: length=" + length);
        }
        final byte[] bytes = new byte[length];
        try
        {
            in.readFully(bytes);
        }
        catch (final EOFException ex)
        {
            throw new EOFException("task ended early: length=" + length);
        }
        return bytes;
    }
}
