package dev.jipc.tools.demo;

import java.util.concurrent.TimeUnit;

import dev.jipc.pool.Process;

/** What every demo program does with its checks: print each that fails, remember that one did, and join children. */
final class DemoChecks
{
    private boolean failed;

    /**
     * Records a check: a failed one is printed and fails the demo.
     *
     * @param passed whether it held.
     * @param what   what was checked.
     */
    void check(final boolean passed, final String what)
    {
        if (!passed)
        {
            failed = true;
            System.out.println("  FAILED: " + what);
        }
    }

    /**
     * Joins a child process within the demo's timeout (killing it if it overruns) and checks that it exited with 0.
     *
     * @param process the child.
     */
    void join(final Process process)
    {
        try
        {
            if (!process.join(DemoCommand.TIMEOUT_SECONDS, TimeUnit.SECONDS))
            {
                check(false, process.name() + " finished within " + DemoCommand.TIMEOUT_SECONDS + " s");
                process.kill();
                return;
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            check(false, "interrupted while joining " + process.name());
            return;
        }
        final Integer exit = process.exitCode();
        check(exit != null && exit == 0, process.name() + " exited cleanly (exit code " + exit + ")");
    }

    /**
     * Whether every check so far held.
     *
     * @return false once one failed.
     */
    boolean passed()
    {
        return !failed;
    }
}
