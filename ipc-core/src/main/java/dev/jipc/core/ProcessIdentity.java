package dev.jipc.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A process named by its pid and its start time, so that liveness survives pid reuse.
 * <p>
 * On Linux the start time is field 22 of {@code /proc/<pid>/stat} (clock ticks since boot), read the same way by every
 * process; elsewhere it is {@link ProcessHandle.Info#startInstant()} in milliseconds. A zombie (killed but not yet
 * reaped by its parent) counts as dead: it will never release anything it held.
 *
 * @param pid       the operating system process id.
 * @param startTime the process start time in the platform's unit; 0 when unknown.
 */
public record ProcessIdentity(long pid, long startTime)
{
    private static final boolean PROC_FS = Files.isReadable(Path.of("/proc/self/stat"));
    private static final ProcessIdentity CURRENT = of(ProcessHandle.current().pid()).orElseThrow();

    /**
     * The identity of this JVM.
     *
     * @return the current process.
     */
    public static ProcessIdentity current()
    {
        return CURRENT;
    }

    /**
     * The identity of a running process.
     *
     * @param pid the process id.
     * @return its identity, or empty when no such process runs (a zombie included).
     */
    public static Optional<ProcessIdentity> of(final long pid)
    {
        if (PROC_FS)
        {
            final String stat = readStat(pid);
            if (stat == null)
            {
                return Optional.empty();
            }
            // The command name in field 2 may hold spaces and parentheses: fields are counted after the last ')'.
            final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            final String state = fields[0];
            if (state.equals("Z") || state.equals("X"))
            {
                return Optional.empty();
            }
            return Optional.of(new ProcessIdentity(pid, Long.parseLong(fields[19])));
        }
        return ProcessHandle.of(pid)
            .filter(ProcessHandle::isAlive)
            .map(h -> new ProcessIdentity(pid, h.info().startInstant().map(i -> i.toEpochMilli()).orElse(0L)));
    }

    /**
     * Whether this very process (same pid and start time) still runs.
     *
     * @return true if it runs and is not a zombie.
     */
    public boolean isAlive()
    {
        return of(pid).map(now -> startTime == 0 || now.startTime == startTime).orElse(false);
    }

    private static String readStat(final long pid)
    {
        try
        {
            return Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
        }
        catch (final IOException ex)
        {
            return null;
        }
    }
}
