package dev.jipc.sync;

import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Threads and bounded waits for the tests of this module. */
final class SyncTestSupport
{
    /** Runs each task on a thread of its own: the common pool may have a single thread on a 2-core machine. */
    static final Executor THREADS = task ->
    {
        final Thread thread = new Thread(task, "sync-test");
        thread.setDaemon(true);
        thread.start();
    };

    /** The longest any child of these tests may run. */
    static final long CHILD_TIMEOUT_SECONDS = 120;

    private SyncTestSupport()
    {
    }

    /**
     * Polls until the condition holds.
     *
     * @throws AssertionError if it does not within the timeout.
     */
    static void awaitTrue(final BooleanSupplier condition, final long timeout, final TimeUnit unit, final String what)
    {
        final long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("timed out after " + timeout + " " + unit + " waiting for " + what);
            }
            try
            {
                Thread.sleep(1);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, ex);
            }
        }
    }
}
