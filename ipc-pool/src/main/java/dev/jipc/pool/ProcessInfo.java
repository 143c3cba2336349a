package dev.jipc.pool;

import java.util.Objects;

/**
 * A process as {@link Processes#currentProcess()} and {@link Processes#parentProcess()} see it: Python's
 * {@code current_process()} and {@code parent_process()}.
 *
 * @param name   {@code MainProcess} for a JVM that jipc did not start, the {@link Process#name()} otherwise.
 * @param pid    the process id (for a process of the threads context, this JVM's).
 * @param daemon whether it is a daemon process.
 */
public record ProcessInfo(String name, long pid, boolean daemon)
{
    /**
     * A process's description.
     *
     * @param name   its name.
     * @param pid    its pid.
     * @param daemon whether it is a daemon.
     */
    public ProcessInfo
    {
        Objects.requireNonNull(name, "name");
    }

    /**
     * Whether the process still runs. For a process that is not this JVM it asks the operating system, which tells
     * a reused pid from the original by its start time.
     *
     * @return true while it runs.
     */
    public boolean isAlive()
    {
        return pid == ProcessHandle.current().pid() || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
