package dev.jipc.pool;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The processes this JVM started and has not seen end, and what this JVM does with them when it exits normally (a
 * shutdown hook, as Python's {@code atexit} handler): daemon child JVMs are terminated (killed if they have not gone
 * within {@value #DAEMON_TERMINATE_MILLIS} ms), the others are waited for, and then every open {@link Context}
 * unlinks what it created. Threads of the threads context need nothing: the JVM waits for its non-daemon threads
 * before the hook runs, and daemon threads end with it.
 */
final class ActiveChildren
{
    /** How long a daemon child has to run its shutdown hooks after SIGTERM at this JVM's exit. */
    static final long DAEMON_TERMINATE_MILLIS = 2_000;

    private static final Map<Process, Running> ACTIVE = new ConcurrentHashMap<>();
    private static final AtomicBoolean HOOKED = new AtomicBoolean();

    private ActiveChildren()
    {
    }

    static void add(final Process process, final Running running)
    {
        if (HOOKED.compareAndSet(false, true))
        {
            Runtime.getRuntime().addShutdownHook(new Thread(ActiveChildren::atExit, "jipc-children-at-exit"));
        }
        ACTIVE.put(process, running);
        // a process that ended is forgotten without waiting for activeChildren(): the map never grows without bound
        running.exit().whenComplete((code, ex) -> ACTIVE.remove(process));
    }

    static List<Process> alive()
    {
        final List<Process> alive = new ArrayList<>();
        for (final Map.Entry<Process, Running> entry : ACTIVE.entrySet())
        {
            if (entry.getValue().exit().isDone())
            {
                ACTIVE.remove(entry.getKey());
            }
            else
            {
                alive.add(entry.getKey());
            }
        }
        return alive;
    }

    private static void atExit()
    {
        final List<Running> daemons = new ArrayList<>();
        for (final Map.Entry<Process, Running> entry : ACTIVE.entrySet())
        {
            final Running running = entry.getValue();
            if (running.isChildJvm() && entry.getKey().daemon())
            {
                running.terminate();
                daemons.add(running);
            }
        }
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DAEMON_TERMINATE_MILLIS);
        for (final Running daemon : daemons)
        {
            if (!awaitUntil(daemon, deadline))
            {
                daemon.kill();
            }
        }
        for (final Map.Entry<Process, Running> entry : ACTIVE.entrySet())
        {
            final Running running = entry.getValue();
            if (running.isChildJvm() && !entry.getKey().daemon())
            {
                // Python joins its non-daemon children at exit, for as long as they take
                running.exit().join();
            }
        }
        Context.closeAllAtExit();
    }

    private static boolean awaitUntil(final Running running, final long deadline)
    {
        try
        {
            running.exit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return true;
        }
        catch (final Exception ex)
        {
            return running.exit().isDone();
        }
    }
}
