package dev.jipc.pool;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.SegmentDirectory;
import dev.jipc.core.wait.WaitStrategy;
import dev.jipc.sync.Event;

/**
 * The spawn start method: a fresh JVM per process, started by {@link ChildJvm} (this JVM's java, class path and
 * jipc's flags) with {@link ChildMain} as its main class. The task goes to the child on its stdin, a pipe only this
 * JVM holds; this JVM keeps the pipe open for the child's lifetime, so that the kernel closes it, and the child sees
 * end of file, the moment this JVM dies.
 */
final class SpawnLauncher implements Launcher
{
    /** First word of a task on the child's stdin: tells a task from stray input. */
    static final int TASK_MAGIC = 0x4A495043;
    /** System property of a child: the pid of its parent JVM. */
    static final String PARENT_PID_PROPERTY = "jipc.parent.pid";
    /** System property of a child: the name of the event to set once it holds its task's pipe ends. */
    static final String TAKEN_PROPERTY = "jipc.child.taken";
    /** How long {@code start()} waits at most for a child to take its task's pipe ends. */
    static final long TAKEN_WAIT_SECONDS = 300;
    private static final long TAKEN_CHECK_MILLIS = 50;
    /** Longest task written on the caller's thread: it fits the pipe's buffer, so the write never waits. */
    private static final int DIRECT_WRITE_LIMIT = 32 * 1024;

    static final SpawnLauncher INSTANCE = new SpawnLauncher();

    private SpawnLauncher()
    {
    }

    @Override
    public Running launch(final Process process, final Context context)
    {
        final ProcessInfo self = Processes.currentProcess();
        final TaskCodec.Encoded encoded =
            TaskCodec.encodeTask(new ChildTask(process, self.pid(), self.name()), process.name());
        final byte[] task = encoded.bytes();
        final ChildJvm jvm = ChildJvm.of(ChildMain.class)
            .jvmArgs("-D" + PARENT_PID_PROPERTY + "=" + ProcessHandle.current().pid());
        if (context.configuredDirectory() != null)
        {
            jvm.jvmArgs("-D" + SegmentDirectory.DIRECTORY_PROPERTY + "=" + context.configuredDirectory());
        }
        jvm.jvmArgs(context.jvmOptionList().toArray(String[]::new));
        jvm.jvmArgs(process.jvmOptionList().toArray(String[]::new));
        final Event taken = encoded.holdsPipeEnd() ? takenEvent(context, process, jvm) : null;
        final List<String> command = jvm.command();
        final java.lang.Process child;
        try
        {
            child = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        }
        catch (final IOException ex)
        {
            release(taken);
            throw new UncheckedIOException("cannot start child JVM: name=" + process.name() + ", command=" +
                command, ex);
        }
        final OutputStream stdin = child.getOutputStream();
        if (task.length <= DIRECT_WRITE_LIMIT)
        {
            write(stdin, task);
        }
        else
        {
            Thread.ofVirtual().name("jipc-task-writer-" + process.name()).start(() -> write(stdin, task));
        }
        if (taken != null)
        {
            awaitTaken(child, taken);
        }
        return new SpawnedChild(child, stdin);
    }

    /**
     * The event a child sets once it has read a task that holds pipe ends, and so owns them: {@code start()} waits
     * for it, so that the parent's {@code close()} of its copy right after ({@code p.start(); childEnd.close()})
     * only detaches the parent, as it does once an end has moved. A child that dies first never takes the ends, and
     * the parent's close then closes them for good: the peer sees end of stream rather than waiting forever.
     */
    private static Event takenEvent(final Context context, final Process process, final ChildJvm jvm)
    {
        final String name = "started-" + ProcessHandle.current().pid() + "-" + process.name().replace(':', '_') +
            "-" + Long.toHexString(System.nanoTime());
        final Event taken = Event.create(context.directory(), name, WaitStrategy.SPIN_THEN_PARK);
        jvm.jvmArgs("-D" + TAKEN_PROPERTY + "=" + name);
        return taken;
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
        finally
        {
            release(taken);
        }
    }

    private static void release(final Event taken)
    {
        if (taken != null)
        {
            taken.unlink();
            taken.close();
        }
    }

    private static void write(final OutputStream stdin, final byte[] task)
    {
        try
        {
            final DataOutputStream out = new DataOutputStream(stdin);
            out.writeInt(TASK_MAGIC);
            out.writeInt(task.length);
            out.write(task);
            out.flush();
        }
        catch (final IOException ignore)
        {
            // the child is gone already (a JVM option it refused, a kill): its exit code says so
        }
    }

    /** A child JVM of the spawn start method. */
    private static final class SpawnedChild implements Running
    {
        private final java.lang.Process child;
        private final OutputStream stdin;
        private final CompletableFuture<Integer> exit;

        SpawnedChild(final java.lang.Process child, final OutputStream stdin)
        {
            this.child = child;
            this.stdin = stdin;
            this.exit = child.onExit().thenApply(ended -> exitCode(ended.exitValue()));
        }

        @Override
        public long pid()
        {
            return child.pid();
        }

        @Override
        public CompletableFuture<Integer> exit()
        {
            return exit;
        }

        @Override
        public void terminate()
        {
            child.destroy();
        }

        @Override
        public void kill()
        {
            child.destroyForcibly();
        }

        @Override
        public boolean isChildJvm()
        {
            return true;
        }

        @Override
        public void release()
        {
            try
            {
                stdin.close();
            }
            catch (final IOException ignore)
            {
                // the child has exited: nothing reads the pipe any more
            }
        }

        /** Status 129 to 192 is death by signal N = status - 128, or a JVM's own exit after SIGTERM, SIGINT, SIGHUP. */
        static int exitCode(final int status)
        {
            return status > 128 && status <= 128 + 64 ? -(status - 128) : status;
        }
    }
}
