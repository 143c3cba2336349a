package dev.jipc.core.test;

import java.nio.file.Path;

import dev.jipc.core.ChildProcesses;

/** Where the child JVMs of the tests write: one log file each in {@code target/child-logs}. */
public final class ChildLogs
{
    /** The log directory of the module under test. */
    public static final Path DIRECTORY = Path.of("target", "child-logs").toAbsolutePath();

    private ChildLogs()
    {
    }

    /**
     * The child JVMs of one test, each logging to a file of its own in {@link #DIRECTORY}.
     *
     * @return a new group, to close in try-with-resources or {@code @AfterEach}.
     */
    public static ChildProcesses group()
    {
        return new ChildProcesses(DIRECTORY);
    }
}
