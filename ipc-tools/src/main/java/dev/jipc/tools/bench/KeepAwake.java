package dev.jipc.tools.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The light load of {@code --keep-awake}: one shell loop per CPU under the {@code SCHED_IDLE} policy
 * ({@code chrt --idle 0}), so that no vCPU halts while a table runs (a halted vCPU takes tens of µs to wake on a
 * small VM, a running one a few), and any thread of the benchmark that wakes takes the CPU from the loop at once.
 * The busy regime made on purpose, to measure it beside the quiet one rather than by the chance of other load.
 */
final class KeepAwake implements AutoCloseable
{
    private static final List<String> SPINNER = List.of("chrt", "--idle", "0", "sh", "-c", "while :; do :; done");

    private final List<Process> spinners = new ArrayList<>();

    private KeepAwake()
    {
    }

    /**
     * Starts a spinner per CPU.
     *
     * @return the running load; close it to stop it.
     * @throws IllegalStateException if {@code chrt} is missing or refuses.
     */
    static KeepAwake start()
    {
        final KeepAwake load = new KeepAwake();
        try
        {
            for (int cpu = 0; cpu < Runtime.getRuntime().availableProcessors(); cpu++)
            {
                load.spinners.add(new ProcessBuilder(SPINNER).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
            }
            // a chrt that cannot set the policy exits at once; a spinner never does
            for (final Process spinner : load.spinners)
            {
                if (spinner.waitFor(200, TimeUnit.MILLISECONDS))
                {
                    throw new IllegalStateException("--keep-awake: " + String.join(" ", SPINNER) + " exited with " +
                        spinner.exitValue());
                }
            }
            return load;
        }
        catch (final IOException ex)
        {
            load.close();
            throw new UncheckedIOException("--keep-awake needs chrt (util-linux) on the PATH", ex);
        }
        catch (final InterruptedException ex)
        {
            load.close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting --keep-awake", ex);
        }
        catch (final RuntimeException ex)
        {
            load.close();
            throw ex;
        }
    }

    /**
     * @return the spinners' processes, one per CPU.
     */
    List<ProcessHandle> spinners()
    {
        return spinners.stream().map(Process::toHandle).toList();
    }

    /** Stops the spinners and waits for them to go. */
    @Override
    public void close()
    {
        for (final Process spinner : spinners)
        {
            spinner.destroyForcibly();
        }
        for (final Process spinner : spinners)
        {
            try
            {
                spinner.waitFor(10, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
