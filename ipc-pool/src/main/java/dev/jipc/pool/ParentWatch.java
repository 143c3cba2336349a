package dev.jipc.pool;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Ends a child JVM whose parent has died, however it died: Python's children would live on as orphans, jipc's exit
 * within a second.
 *
 * <pre>
 * Overview
 *
 * Two watches, either of which ends the child:
 *   stdin       the parent holds the write end of the child's stdin pipe until the child has ended; the kernel closes
 *               it when the parent dies (kill -9 included), and a read returns end of file at once. Until the task
 *               has arrived, ChildMain's read of the task is this watch (a spare waits there); then a thread reads on.
 *   liveness    from the child's first line, every POLL_MILLIS: the parent's ProcessHandle (pid and start time, so a
 *               reused pid is not taken for the parent) is dead, or this process's parent pid is no longer the
 *               parent's (re-parented to init or a subreaper). This covers a parent that passed its stdin on.
 * PR_SET_PDEATHSIG is not used: it fires when the thread that started the child ends, not the parent process.
 *
 * The stdin is read through a FileChannel, not System.in: at exit the JVM waits up to 300 ms for threads blocked in
 * native code (VM_Exit::wait_for_threads_in_native_to_block), and a FileInputStream read is such a block; a
 * channel is interruptible, so a shutdown hook closes it and the reader leaves at once.
 * Ending: System.exit runs the child's shutdown hooks; if they take longer than HALT_MILLIS, Runtime.halt.
 * </pre>
 */
final class ParentWatch
{
    /** How often the liveness watch looks at the parent. */
    static final long POLL_MILLIS = 200;
    /** How long the child's shutdown hooks may take once its parent is gone. */
    static final long HALT_MILLIS = 500;
    /** Exit code of a child that ends because its parent died (nobody is left to read it). */
    static final int ORPHANED_EXIT = 1;

    /**
     * System property of a child: which watches run, {@code "stdin,liveness"} by default. Only for proving each watch
     * on its own in tests; a child needs both.
     */
    static final String WATCHES_PROPERTY = "jipc.parent.watches";

    private static final AtomicBoolean ENDING = new AtomicBoolean();
    private static final AtomicBoolean EXITING = new AtomicBoolean();
    /** How long a child whose stdin ended waits for the SIGTERM that may have come with it. */
    private static final long TERMINATE_GRACE_MILLIS = 250;
    /** Whether this child has read its task: before that (booting, or a spare waiting) it ends without a word. */
    private static volatile boolean hasTask;

    private ParentWatch()
    {
    }

    /**
     * This JVM's stdin as an interruptible stream: a shutdown hook closes it, so that no thread is left blocked in a
     * native read when the JVM exits.
     *
     * @return the stream to read the task from and then to watch.
     */
    static InputStream openStdin()
    {
        final FileChannel channel = new FileInputStream(FileDescriptor.in).getChannel();
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            EXITING.set(true);
            try
            {
                channel.close();
            }
            catch (final IOException ignore)
            {
                // exiting anyway
            }
        }, "jipc-stdin-close"));
        return Channels.newInputStream(channel);
    }

    /**
     * Whether this JVM is exiting: a read of the stdin that failed then was ended by {@link #openStdin()}'s hook.
     *
     * @return true once the shutdown hooks run.
     */
    static boolean isExiting()
    {
        return EXITING.get();
    }

    /**
     * Starts the liveness watch on a daemon thread, unless {@value #WATCHES_PROPERTY} leaves it out. If the parent
     * is gone already, the child ends.
     *
     * @param parentPid the parent's pid, or -1 if not known (then only the stdin watch runs).
     */
    static void watchLiveness(final long parentPid)
    {
        if (parentPid <= 0 || !System.getProperty(WATCHES_PROPERTY, "stdin,liveness").contains("liveness"))
        {
            return;
        }
        final Optional<ProcessHandle> parent = ProcessHandle.of(parentPid);
        if (parent.isEmpty())
        {
            orphaned("parent pid=" + parentPid + " is gone");
            return;
        }
        Thread.ofPlatform().daemon().name("jipc-parent-liveness").start(() -> pollLiveness(parent.get()));
    }

    /**
     * The stdin watch, started and waiting for {@link #watchStdin}, or null if {@value #WATCHES_PROPERTY} leaves it
     * out: once the task has been read, the rest of the pipe is read until end of file. Started before the task
     * arrives, so that the task's start does not wait for a thread's creation (hundreds of microseconds, and
     * milliseconds while the other core is busy).
     *
     * @param stdin this JVM's original stdin, the pipe from the parent.
     * @return the watch's daemon thread, or null.
     */
    static Thread stdinWatch(final InputStream stdin)
    {
        if (!System.getProperty(WATCHES_PROPERTY, "stdin,liveness").contains("stdin"))
        {
            return null;
        }
        return Thread.ofPlatform().daemon().name("jipc-parent-stdin").start(() ->
        {
            // until the main thread has read the task: the two must not read the pipe at once
            while (!hasTask)
            {
                LockSupport.park();
            }
            readToEnd(stdin);
        });
    }

    /**
     * Lets the stdin watch read, once the task has been read from the stdin.
     *
     * @param watch what {@link #stdinWatch} gave, or null for none.
     */
    static void watchStdin(final Thread watch)
    {
        hasTask = true;
        if (watch != null)
        {
            LockSupport.unpark(watch);
        }
    }

    private static void readToEnd(final InputStream stdin)
    {
        try
        {
            final byte[] discard = new byte[256];
            while (stdin.read(discard) >= 0)
            {
                // the parent writes nothing after the task: anything more is ignored
            }
        }
        catch (final IOException ex)
        {
            if (EXITING.get())
            {
                // closed by the shutdown hook: this JVM is exiting for its own reasons
                return;
            }
            // otherwise a broken pipe is a closed one
        }
        if (!terminatedMeanwhile())
        {
            orphaned("parent closed stdin");
        }
    }

    /**
     * Whether this JVM starts exiting within a moment of its stdin's end: the JDK's {@code Process.destroy()} in the
     * parent (a {@code terminate()}) sends SIGTERM and then closes the pipe, and the end can arrive first; that exit
     * is the parent's wish, not an orphan's, and says nothing on stderr.
     */
    private static boolean terminatedMeanwhile()
    {
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TERMINATE_GRACE_MILLIS);
        while (System.nanoTime() - deadline < 0)
        {
            if (EXITING.get())
            {
                return true;
            }
            try
            {
                TimeUnit.MILLISECONDS.sleep(5);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return EXITING.get();
            }
        }
        return EXITING.get();
    }

    private static void pollLiveness(final ProcessHandle parent)
    {
        try
        {
            while (true)
            {
                TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
                final long ppid = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
                if (!parent.isAlive() || ppid != parent.pid())
                {
                    orphaned("parent pid=" + parent.pid() + " died");
                    return;
                }
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static void orphaned(final String why)
    {
        if (!ENDING.compareAndSet(false, true))
        {
            return;
        }
        if (hasTask)
        {
            System.err.println("jipc child " + Processes.currentProcess().name() + " pid=" +
                ProcessHandle.current().pid() + " exits: " + why);
        }
        Thread.ofPlatform().daemon().name("jipc-orphan-halt").start(() ->
        {
            try
            {
                TimeUnit.MILLISECONDS.sleep(HALT_MILLIS);
            }
            catch (final InterruptedException ignore)
            {
                // halting anyway
            }
            Runtime.getRuntime().halt(ORPHANED_EXIT);
        });
        Thread.ofPlatform().name("jipc-orphan-exit").start(() -> System.exit(ORPHANED_EXIT));
    }
}
