package dev.jipc.pool;

import java.io.PrintStream;
import java.util.List;
import java.util.Optional;

/**
 * The helpers Python users reach for: {@code cpu_count()}, {@code current_process()}, {@code parent_process()},
 * {@code active_children()}.
 */
public final class Processes
{
    /** The name of a JVM that jipc did not start, as Python names its main process. */
    public static final String MAIN_PROCESS = "MainProcess";

    private static final ThreadLocal<ProcessInfo> THREAD_PROCESS = new ThreadLocal<>();
    private static volatile ProcessInfo jvmProcess;
    private static volatile ProcessInfo jvmParent;

    private Processes()
    {
    }

    /**
     * The processors this JVM may use: {@link Runtime#availableProcessors()} (CPU affinity), bounded by the CPU
     * quota of the cgroups the JVM runs in ({@code cpu.max}, or {@code cpu.cfs_quota_us} of cgroup v1) rounded up.
     *
     * @return at least 1.
     */
    public static int cpuCount()
    {
        return CpuCount.get();
    }

    /**
     * The process this code runs in: in a child JVM, its {@link Process}'s name, pid and daemon flag; on a thread of
     * the threads context, that process; otherwise {@value #MAIN_PROCESS} and this JVM's pid.
     *
     * @return the current process.
     */
    public static ProcessInfo currentProcess()
    {
        final ProcessInfo thread = THREAD_PROCESS.get();
        return thread != null ? thread : jvmProcess();
    }

    /**
     * The process that started this one: in a child JVM, the parent JVM (which may have died since: see
     * {@link ProcessInfo#isAlive()}); on a thread of the threads context, this JVM.
     *
     * @return the parent, or empty in a JVM that jipc did not start.
     */
    public static Optional<ProcessInfo> parentProcess()
    {
        return THREAD_PROCESS.get() != null ? Optional.of(jvmProcess()) : Optional.ofNullable(jvmParent);
    }

    /**
     * The processes this JVM started that are still running. Finished ones are forgotten by the call, as Python's
     * {@code active_children()} joins them.
     *
     * @return the running processes, in no particular order.
     */
    public static List<Process> activeChildren()
    {
        return ActiveChildren.alive();
    }

    /** The prefix of the default process names: {@code Process-} in a main JVM, {@code Process-1:} in Process-1. */
    static String childNamePrefix()
    {
        final ProcessInfo self = jvmProcess();
        return MAIN_PROCESS.equals(self.name()) ? "Process-" : self.name() + ":";
    }

    /** Called once by {@link ChildMain}: this JVM is a child. */
    static void becomeChild(final ProcessInfo self, final ProcessInfo parent)
    {
        jvmProcess = self;
        jvmParent = parent;
    }

    /** Runs a process of the threads context on the current thread, which names it for {@link #currentProcess()}. */
    static void runAs(final ProcessInfo info, final Process process)
    {
        THREAD_PROCESS.set(info);
        try
        {
            process.run();
        }
        finally
        {
            THREAD_PROCESS.remove();
        }
    }

    /** Prints what ended a process's {@code run()}, as Python prints a child's traceback. */
    static void printUncaught(final String name, final Throwable ex)
    {
        final PrintStream err = System.err;
        synchronized (err)
        {
            err.println("Process " + name + ":");
            ex.printStackTrace(err);
            err.flush();
        }
    }

    private static ProcessInfo jvmProcess()
    {
        final ProcessInfo self = jvmProcess;
        return self != null ? self : new ProcessInfo(MAIN_PROCESS, ProcessHandle.current().pid(), false);
    }
}
