package dev.jipc.pool;

import java.util.concurrent.CompletableFuture;

/**
 * The threads start method (Python's {@code multiprocessing.dummy}): each process is a platform thread of this JVM,
 * named as the process, a daemon thread when the process is a daemon. Nothing is serialised: the task shares this
 * JVM's heap. {@link Processes#currentProcess()} on the thread names the process. Exit codes are 0 and 1 only: a
 * {@code System.exit} in the task ends this whole JVM, as {@code sys.exit} in a thread would not in Python.
 */
final class ThreadLauncher implements Launcher
{
    static final ThreadLauncher INSTANCE = new ThreadLauncher();

    private ThreadLauncher()
    {
    }

    @Override
    public Running launch(final Process process, final Context context)
    {
        final ProcessInfo info = new ProcessInfo(process.name(), ProcessHandle.current().pid(), process.daemon());
        final CompletableFuture<Integer> exit = new CompletableFuture<>();
        final Thread thread = Thread.ofPlatform().name(process.name()).daemon(process.daemon()).unstarted(() ->
        {
            int code = 1;
            try
            {
                Processes.runAs(info, process);
                code = 0;
            }
            catch (final Throwable ex)
            {
                Processes.printUncaught(process.name(), ex);
            }
            finally
            {
                exit.complete(code);
            }
        });
        thread.start();
        return new ThreadProcess(exit);
    }

    /** A process of the threads start method. */
    private record ThreadProcess(CompletableFuture<Integer> exit) implements Running
    {
        @Override
        public long pid()
        {
            return ProcessHandle.current().pid();
        }

        @Override
        public void terminate()
        {
            throw unsupported("terminate");
        }

        @Override
        public void kill()
        {
            throw unsupported("kill");
        }

        @Override
        public boolean isChildJvm()
        {
            return false;
        }

        @Override
        public void release()
        {
        }

        private static UnsupportedOperationException unsupported(final String what)
        {
            return new UnsupportedOperationException("cannot " + what + " a process of the threads context: a " +
                "thread cannot be stopped safely (Python's multiprocessing.dummy has no terminate either); use " +
                "Context.spawn() for processes that must be stoppable");
        }
    }
}
