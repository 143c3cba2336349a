package dev.jipc.pool;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.codec.Codecs;
import dev.jipc.core.wait.WaitStrategy;
import dev.jipc.sync.Event;
import dev.jipc.sync.IntValue;

/**
 * A parent JVM for {@link ProcessLifetimeCrossProcessTest}: starts one child, prints {@code child-pid=<pid>}, then
 * exits normally or waits to be killed.
 * <pre>
 *   daemon                 a daemon child that sleeps for minutes; main returns once it runs
 *   non-daemon DIR NAME    a child that sleeps a second, then sets the IntValue NAME in DIR to 7; main returns at once
 *   orphan [WATCHES]       a child that sleeps for minutes; main sleeps for minutes (the test kills it); WATCHES
 *                          limits the child's parent watches (ParentWatch.WATCHES_PROPERTY)
 *   objects-only           a queue and a value of the context, no process; main returns
 * </pre>
 */
public final class LifetimeParentMain
{
    private LifetimeParentMain()
    {
    }

    /**
     * Runs one mode.
     *
     * @param args the mode and its arguments.
     * @throws Exception if the mode fails.
     */
    public static void main(final String[] args) throws Exception
    {
        final Context context = Context.spawn();
        final Process child;
        switch (args[0])
        {
            case "daemon" ->
            {
                // main returns once the child runs its task: the exit must end a running child, not one booting
                final Event started = context.event();
                child = context.process(() ->
                {
                    System.out.println("child-running");
                    System.out.flush();
                    started.set();
                    return sleepMinutes();
                }).daemon(true);
                child.start();
                System.out.println("child-pid=" + child.pid());
                if (!started.await(2, TimeUnit.MINUTES))
                {
                    throw new IllegalStateException("daemon child did not start");
                }
                return;
            }
            case "non-daemon" ->
            {
                final IntValue value = IntValue.open(Path.of(args[1]), args[2], WaitStrategy.SPIN_THEN_PARK);
                child = context.process(() ->
                {
                    System.out.println("child-running");
                    TimeUnit.SECONDS.sleep(1);
                    value.set(7);
                    return null;
                });
            }
            case "orphan" ->
            {
                child = context.process(() -> running());
                if (args.length > 1)
                {
                    child.jvmOptions("-D" + ParentWatch.WATCHES_PROPERTY + "=" + args[1]);
                }
            }
            case "objects-only" ->
            {
                // no process: the exit hook must still unlink what the context made
                context.queue(Codecs.strings()).put("left");
                context.intValue(1);
                return;
            }
            default -> throw new IllegalArgumentException("unknown mode: " + args[0]);
        }
        child.start();
        System.out.println("child-pid=" + child.pid());
        System.out.flush();
        if (args[0].equals("orphan"))
        {
            sleepMinutes();
        }
    }

    /** Says that the child runs its task (so a kill of the parent comes after the child's start), then sleeps. */
    private static Void running() throws InterruptedException
    {
        System.out.println("child-running");
        System.out.flush();
        return sleepMinutes();
    }

    private static Void sleepMinutes() throws InterruptedException
    {
        TimeUnit.MINUTES.sleep(5);
        return null;
    }
}
