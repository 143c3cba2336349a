package dev.jipc.pool;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

import dev.jipc.core.SegmentDirectory;
import dev.jipc.core.wait.WaitStrategy;
import dev.jipc.sync.Event;

/**
 * The main class of a child JVM of the spawn start method: reads its {@link ChildTask} from stdin, watches its parent,
 * runs the process and exits with its exit code (0 when {@link Process#run()} returns, 1 when it throws, after the
 * stack trace on stderr). A child that cannot read its task exits with {@value #BAD_TASK_EXIT} after saying why on
 * stderr.
 */
public final class ChildMain
{
    /** Exit code of a child whose task could not be read or was refused by the {@link TaskFilter}. */
    public static final int BAD_TASK_EXIT = 1;
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
        final long parentPid = Long.getLong(SpawnLauncher.PARENT_PID_PROPERTY, -1L);
        final InputStream stdin = System.in;
        // the task's code sees an empty stdin, as a Python child sees /dev/null
        System.setIn(new ByteArrayInputStream(new byte[0]));
        final byte[] bytes;
        try
        {
            bytes = readTask(new DataInputStream(stdin));
        }
        catch (final IOException ex)
        {
            // EOF before a whole task: the parent died while starting this child
            System.err.println("jipc child pid=" + ProcessHandle.current().pid() + ": cannot read its task: " + ex);
            System.exit(BAD_TASK_EXIT);
            return;
        }
        final ChildTask task;
        try
        {
            task = (ChildTask)TaskCodec.decode(bytes);
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
        // after becomeChild, so that a watch that ends this child can name it; a parent that died meanwhile is seen
        ParentWatch.start(parentPid, stdin);
        signalTaken();
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
        System.out.flush();
        System.exit(code);
    }

    /** Tells a parent waiting in {@code start()} that this child holds its task's pipe ends now. */
    private static void signalTaken()
    {
        final String name = System.getProperty(SpawnLauncher.TAKEN_PROPERTY);
        if (name == null)
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

    private static byte[] readTask(final DataInputStream in) throws IOException
    {
        final int magic = in.readInt();
        if (magic != SpawnLauncher.TASK_MAGIC)
        {
            throw new IOException("not a jipc task on stdin: magic=0x" + Integer.toHexString(magic));
        }
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
