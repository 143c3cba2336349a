package dev.jipc.pool;

import java.io.Serial;
import java.io.Serializable;

/**
 * What a child JVM reads from its stdin: the process to run and who started it.
 *
 * @param process    the process; the child calls its {@link Process#run()}.
 * @param parentPid  the pid of the JVM that started it.
 * @param parentName that JVM's own {@link Processes#currentProcess()} name.
 */
record ChildTask(Process process, long parentPid, String parentName) implements Serializable
{
    @Serial
    private static final long serialVersionUID = 1L;
}
