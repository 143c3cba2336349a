package dev.jipc.pool;

import java.io.PrintStream;
import java.util.List;
import java.util.Optional;

/**
 * The helpers Python users reach for: {@code cpu_count()}, {@code current_process()}, {@code parent_process()},
 * {@code active_children()}, {@code get_logger()} and {@code log_to_stderr()}.
 */
public final class Processes
{
    /** The name of a JVM that jipc did not start, as Python names its main process. */
    public static final String MAIN_PROCESS = "MainProcess";

    /** The name of jipc's logger ({@link #getLogger()}). */
    public static final String LOGGER_NAME = "jipc";

    private static final ThreadLocal<ProcessInfo> THREAD_PROCESS = new ThreadLocal<>();
    private static java.util.logging.Handler stderrHandler;
    @SuppressWarnings("unused")
    private static java.util.logging.Logger configuredLogger;
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

    /**
     * jipc's logger, Python's {@code multiprocessing.get_logger()}: the {@link System.Logger} named
     * {@value #LOGGER_NAME}, which goes wherever the application's logging sends {@code System.Logger} (SLF4J, Log4j
     * or {@code java.util.logging}, the JDK's default). It logs nothing unless configured, as Python's does.
     *
     * @return the logger.
     */
    public static System.Logger getLogger()
    {
        return System.getLogger(LOGGER_NAME);
    }

    /**
     * Python's {@code multiprocessing.log_to_stderr(level)}: sends jipc's logger to stderr as
     * {@code [INFO/Process-1] message}, at {@code level} and above. Children inherit this JVM's stderr, so their
     * lines (after they call this too) arrive on the same stream. This configures the logger of
     * {@code java.util.logging}, which backs {@code System.Logger} unless the application installed another
     * {@code System.LoggerFinder}; there, configure the logger {@value #LOGGER_NAME} in that framework instead.
     * Calling it again changes the level; the handler is added once.
     *
     * @param level the least level printed.
     * @return {@link #getLogger()}.
     */
    public static System.Logger logToStderr(final System.Logger.Level level)
    {
        final java.util.logging.Logger logger = java.util.logging.Logger.getLogger(LOGGER_NAME);
        synchronized (Processes.class)
        {
            if (stderrHandler == null)
            {
                // a StreamHandler over System.err as it is now; ConsoleHandler would do, but flushes per record only
                // when told, and its level defaults to INFO
                final java.util.logging.StreamHandler handler =
                    new java.util.logging.StreamHandler(System.err, new ProcessLogFormatter())
                    {
                        @Override
                        public synchronized void publish(final java.util.logging.LogRecord record)
                        {
                            super.publish(record);
                            flush();
                        }
                    };
                handler.setLevel(java.util.logging.Level.ALL);
                logger.addHandler(handler);
                logger.setUseParentHandlers(false);
                stderrHandler = handler;
            }
            logger.setLevel(julLevel(level));
            // java.util.logging keeps loggers weakly: hold this one, or its configuration goes with the next gc
            configuredLogger = logger;
        }
        return getLogger();
    }

    private static java.util.logging.Level julLevel(final System.Logger.Level level)
    {
        return switch (level)
        {
            case ALL -> java.util.logging.Level.ALL;
            case TRACE -> java.util.logging.Level.FINER;
            case DEBUG -> java.util.logging.Level.FINE;
            case INFO -> java.util.logging.Level.INFO;
            case WARNING -> java.util.logging.Level.WARNING;
            case ERROR -> java.util.logging.Level.SEVERE;
            case OFF -> java.util.logging.Level.OFF;
        };
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
