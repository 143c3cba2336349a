package dev.jipc.pool;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.SegmentDirectory;

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
        final byte[] task = TaskCodec.encode(new ChildTask(process, self.pid(), self.name()), process.name());
        final ChildJvm jvm = ChildJvm.of(ChildMain.class)
            .jvmArgs("-D" + PARENT_PID_PROPERTY + "=" + ProcessHandle.current().pid());
        if (context.configuredDirectory() != null)
        {
            jvm.jvmArgs("-D" + SegmentDirectory.DIRECTORY_PROPERTY + "=" + context.configuredDirectory());
        }
        jvm.jvmArgs(context.jvmOptionList().toArray(String[]::new));
        jvm.jvmArgs(process.jvmOptionList().toArray(String[]::new));
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
        return new SpawnedChild(child, stdin);
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
