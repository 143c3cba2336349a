package dev.jipc.core.test;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.jipc.core.ChildJvm;

/**
 * The child JVMs of one test: started with their output in {@code target/child-logs}, awaited with a bound, and
 * killed on {@link #close()} whatever the test's outcome. Use in try-with-resources or close in {@code @AfterEach}.
 */
public final class ChildProcesses implements AutoCloseable
{
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final Path LOGS = Path.of("target", "child-logs").toAbsolutePath();

    private final List<Child> children = new ArrayList<>();

    /** A started child and its log. */
    public record Child(Process process, Path log)
    {
        /**
         * The child's output so far.
         *
         * @return stdout and stderr, interleaved.
         */
        public String output()
        {
            try
            {
                return Files.exists(log) ? Files.readString(log) : "";
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
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
    }

    /**
     * Starts a child JVM with its output captured.
     *
     * @param jvm the child to start.
     * @return the running child.
     */
    public Child start(final ChildJvm jvm)
    {
        try
        {
            Files.createDirectories(LOGS);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        final Path log = LOGS.resolve("child-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet() +
            ".log");
        final Child child = new Child(jvm.output(log).start(), log);
        children.add(child);
        return child;
    }

    /**
     * Waits for a child to exit and fails the test, with the child's output, if it does not exit in time.
     *
     * @param child   the child.
     * @param timeout the longest wait.
     * @param unit    its unit.
     * @return the exit code.
     */
    public static int awaitExit(final Child child, final long timeout, final TimeUnit unit)
    {
        try
        {
            if (!child.process.waitFor(timeout, unit))
            {
                child.process.destroyForcibly();
                fail("child pid=" + child.pid() + " did not exit within " + timeout + " " + unit + "; output:\n" +
                    child.output());
            }
            return child.process.exitValue();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a child", ex);
        }
    }

    /**
     * Waits for a child to exit and fails the test, with the child's output, unless it exits with status 0 in time.
     *
     * @param child   the child.
     * @param timeout the longest wait.
     * @param unit    its unit.
     */
    public static void awaitSuccess(final Child child, final long timeout, final TimeUnit unit)
    {
        final int exit = awaitExit(child, timeout, unit);
        if (exit != 0)
        {
            fail("child pid=" + child.pid() + " exited with " + exit + "; output:\n" + child.output());
        }
    }

    /** Kills every child still running and waits for it to go. */
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
                child.process.waitFor(10, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }
}
