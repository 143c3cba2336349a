package dev.jipc.tools.demo;

import java.io.Serial;

import dev.jipc.core.queue.Queue;
import dev.jipc.pool.Context;
import dev.jipc.pool.Process;
import dev.jipc.pool.Processes;

/** Python's subclass style: a process whose {@link #run()} sends a greeting with its own name and pid. */
final class Greeter extends Process
{
    @Serial
    private static final long serialVersionUID = 1L;

    private final Queue<String> greetings;
    private final String greeting;

    Greeter(final Context context, final Queue<String> greetings, final String greeting)
    {
        super(context);
        this.greetings = greetings;
        this.greeting = greeting;
    }

    @Override
    public void run()
    {
        try
        {
            greetings.put(greeting + " from " + Processes.currentProcess().name() + ", pid " +
                Processes.currentProcess().pid());
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while greeting", ex);
        }
    }
}
