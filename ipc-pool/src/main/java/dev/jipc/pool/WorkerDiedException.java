package dev.jipc.pool;

import java.io.Serial;

/**
 * The worker running a task ended before the task did: it was killed by a signal, called {@code System.exit}, ran
 * out of memory, or crashed. The cause of the task's {@link java.util.concurrent.ExecutionException}; only that task
 * fails, a replacement worker starts, and every other task of the pool carries on (Python's {@code Pool} hangs here,
 * and {@code concurrent.futures} fails every pending future with {@code BrokenProcessPool}).
 */
public final class WorkerDiedException extends RuntimeException
{
    @Serial
    private static final long serialVersionUID = 1L;

    private final long pid;
    private final int exitCode;

    WorkerDiedException(final String worker, final long pid, final int exitCode, final String task)
    {
        super("worker " + worker + " (pid " + pid + ") died running " + task + ": " + describeExit(exitCode));
        this.pid = pid;
        this.exitCode = exitCode;
    }

    /**
     * The dead worker's process id.
     *
     * @return the pid.
     */
    public long pid()
    {
        return pid;
    }

    /**
     * The dead worker's exit code, as {@link Process#exitCode()} gives it: {@code -N} after signal N.
     *
     * @return the exit code.
     */
    public int exitCode()
    {
        return exitCode;
    }

    static String describeExit(final int exitCode)
    {
        return exitCode < 0 ? "killed by signal " + -exitCode + signalName(-exitCode) : "exit code " + exitCode;
    }

    private static String signalName(final int signal)
    {
        return switch (signal)
        {
            case 9 -> " (SIGKILL)";
            case 15 -> " (SIGTERM)";
            case 6 -> " (SIGABRT)";
            case 11 -> " (SIGSEGV)";
            case 2 -> " (SIGINT)";
            case 1 -> " (SIGHUP)";
            default -> "";
        };
    }
}
