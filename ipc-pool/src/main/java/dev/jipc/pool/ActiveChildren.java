package dev.jipc.pool;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The processes this JVM started and has not seen end, and what this JVM does with them when it exits (a shutdown
 * hook, as Python's {@code atexit} handler): daemon child JVMs are terminated (killed if they have not gone within
 * {@value #DAEMON_TERMINATE_MILLIS} ms), the others are waited for unless the exit is a {@code SIGTERM}'s, and then
 * every open {@link Context} unlinks what it created (installed by the first process or the first object a context
 * makes). Threads of the threads context need nothing: the JVM waits for its non-daemon threads
 * before the hook runs, and daemon threads end with it.
 */
final class ActiveChildren
{
    /** How long a daemon child has to run its shutdown hooks after SIGTERM at this JVM's exit. */
    static final long DAEMON_TERMINATE_MILLIS = 2_000;

    private static final Map<Process, Running> ACTIVE = new ConcurrentHashMap<>();
    private static final AtomicBoolean HOOKED = new AtomicBoolean();
    /** Whether this JVM exits because of SIGTERM. */
    private static volatile boolean terminated;

    private ActiveChildren()
    {
    }

    static void add(final Process process, final Running running)
    {
        hookExit();
        ACTIVE.put(process, running);
        // a process that ended is forgotten without waiting for activeChildren(): the map never grows without bound
        running.exit().whenComplete((code, ex) -> ACTIVE.remove(process));
    }

    /**
     * Installs, once, the exit hook (children, then contexts) and a {@code SIGTERM} handler that behaves as the JVM's
     * own (run the shutdown hooks, exit with 143) but notes the signal: a terminated parent must not wait for its
     * non-daemon children, which would hold a {@code kill}, {@code docker stop} or {@code systemctl stop} for as long
     * as they run; they end by their parent watch within a second instead. A handler of the application's own, now
     * or later, takes the place of this one.
     */
    static void hookExit()
    {
        if (HOOKED.compareAndSet(false, true))
        {
            Runtime.getRuntime().addShutdownHook(new Thread(ActiveChildren::atExit, "jipc-children-at-exit"));
            if (!Signals.isHandled(Signals.Signal.TERM))
            {
                try
                {
                    Signals.handle(Signals.Signal.TERM, signal ->
                    {
                        terminated = true;
                        System.exit(128 + signal.number());
                    });
                }
                catch (final IllegalStateException ex)
                {
                    // SIGTERM was ignored when this JVM started: it cannot end this JVM, nothing to note
                }
            }
        }
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
            if (running.isChildJvm() && !entry.getKey().daemon() && !terminated)
            {
                // Python joins its non-daemon children at a normal exit, for as long as they take
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
