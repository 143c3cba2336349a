package dev.jipc.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A group of child JVMs, started from {@link ChildJvm} builders, awaited with a bound and killed on {@link #close()}
 * whatever happened in between: the lifecycle every jipc tool, benchmark and cross-process test shares. Use it in
 * try-with-resources, one group per run or per test.
 * <p>
 * Output: a group made with a log directory sends each child's stdout and stderr, interleaved, to a file of its own
 * there ({@code child-<parent pid>-<n>.log}), readable with {@link Child#output()}; a group made without one leaves
 * the builder's choice alone (this JVM's stdout and stderr unless {@link ChildJvm#output} says otherwise).
 * <p>
 * A group is meant for the thread that owns it; it is not thread-safe.
 */
public final class ChildProcesses implements AutoCloseable
{
    /** How long {@link #close()} and {@link Child#kill()} wait for a killed child to go. */
    private static final long KILL_WAIT_SECONDS = 10;

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final Path logDirectory;
    private final List<Child> children = new ArrayList<>();

    /** A group whose children write where their builders say (by default, this JVM's stdout and stderr). */
    public ChildProcesses()
    {
        this.logDirectory = null;
    }

    /**
     * A group whose children each write to a log file of their own.
     *
     * @param logDirectory where the logs go; created if it does not exist.
     */
    public ChildProcesses(final Path logDirectory)
    {
        this.logDirectory = logDirectory.toAbsolutePath();
    }

    /** A started child JVM and, when its group logs, its log file. */
    public static final class Child
    {
        private final Process process;
        private final Path log;

        private Child(final Process process, final Path log)
        {
            this.process = process;
            this.log = log;
        }

        /**
         * The running process.
         *
         * @return the process.
         */
        public Process process()
        {
            return process;
        }

        /**
         * The child's pid.
         *
         * @return the pid.
         */
        public long pid()
        {
            return process.pid();
        }

        /**
         * The child's log file.
         *
         * @return the file, or {@code null} when its group does not log.
         */
        public Path log()
        {
            return log;
        }

        /**
         * The child's output so far.
         *
         * @return stdout and stderr, interleaved; empty when its group does not log.
         * @throws UncheckedIOException if the log cannot be read.
         */
        public String output()
        {
            try
            {
                return log != null && Files.exists(log) ? Files.readString(log) : "";
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot read child log: " + log, ex);
            }
        }

        /**
         * Whether the child is still running.
         *
         * @return {@code true} until it exits.
         */
        public boolean isAlive()
        {
            return process.isAlive();
        }

        /**
         * Kills the child (SIGKILL) and waits a bounded time for it to go; does nothing if it has exited.
         *
         * @return {@code true} if it is gone.
         * @throws InterruptedException if interrupted while waiting.
         */
        public boolean kill() throws InterruptedException
        {
            process.destroyForcibly();
            return process.waitFor(KILL_WAIT_SECONDS, TimeUnit.SECONDS);
        }

        private String describe()
        {
            final String output = output();
            return "pid=" + pid() + (log == null ? "" : ", log=" + log) + (output.isEmpty() ? "" : "; output:\n" +
                output);
        }
    }

    /**
     * Starts a child JVM; when this group logs, its output goes to a fresh log file.
     *
     * @param jvm the child to start.
     * @return the running child.
     * @throws UncheckedIOException if the log directory cannot be made or the JVM cannot start.
     */
    public Child start(final ChildJvm jvm)
    {
        Path log = null;
        if (logDirectory != null)
        {
            try
            {
                Files.createDirectories(logDirectory);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot create child log directory: " + logDirectory, ex);
            }
            log = logDirectory.resolve("child-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet() +
                ".log");
            jvm.output(log);
        }
        final Child child = new Child(jvm.start(), log);
        children.add(child);
        return child;
    }

    /**
     * Waits for a child to exit; if it does not in time, kills it and throws.
     *
     * @param child   the child.
     * @param timeout the longest wait.
     * @param unit    its unit.
     * @return the exit code.
     * @throws IllegalStateException if the child did not exit in time (it has been killed); the message holds its
     *                               output when its group logs.
     * @throws InterruptedException  if interrupted while waiting; the child is left running (its group's
     *                               {@link #close()} kills it).
     */
    public static int awaitExit(final Child child, final long timeout, final TimeUnit unit) throws InterruptedException
    {
        if (!child.process.waitFor(timeout, unit))
        {
            child.kill();
            throw new IllegalStateException("child did not exit in time: timeout=" + timeout + " " + unit + ", " +
                child.describe());
        }
        return child.process.exitValue();
    }

    /**
     * Waits until a child has printed {@code text} (a child that says when it is ready: attached, holding a lock).
     * Only a child of a group that logs can be waited on so.
     *
     * @param child   the child.
     * @param text    what its output must contain.
     * @param timeout the longest wait.
     * @param unit    its unit.
     * @throws IllegalStateException if the child exits first or the timeout passes; the message holds its output.
     * @throws InterruptedException  if interrupted while waiting.
     */
    public static void awaitOutput(final Child child, final String text, final long timeout, final TimeUnit unit)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (!child.output().contains(text))
        {
            if (!child.process.isAlive())
            {
                throw new IllegalStateException("child exited before printing " + text + ": " + child.describe());
            }
            if (System.nanoTime() - deadline > 0)
            {
                throw new IllegalStateException("child did not print " + text + " within " + timeout + " " + unit +
                    ": " + child.describe());
            }
            Thread.sleep(5);
        }
    }

    /**
     * Waits for a child to exit with status 0; if it does not exit in time, kills it and throws.
     *
     * @param child   the child.
     * @param timeout the longest wait.
     * @param unit    its unit.
     * @throws IllegalStateException if the child did not exit in time (it has been killed) or exited with another
     *                               status; the message holds its output when its group logs.
     * @throws InterruptedException  if interrupted while waiting; the child is left running (its group's
     *                               {@link #close()} kills it).
     */
    public static void awaitSuccess(final Child child, final long timeout, final TimeUnit unit)
        throws InterruptedException
    {
        final int exit = awaitExit(child, timeout, unit);
        if (exit != 0)
        {
            throw new IllegalStateException("child failed: exit=" + exit + ", " + child.describe());
        }
    }

    /**
     * Kills every child still running (SIGKILL) and waits a bounded time for each to go. If interrupted it stops
     * waiting, keeps the interrupt status and returns; every child has been sent the kill by then.
     */
    @Override
    public void close()
    {
        for (final Child child : children)
        {
            child.process.destroyForcibly();
        }
        for (final Child child : children)
        {
            try
            {
                child.process.waitFor(KILL_WAIT_SECONDS, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
