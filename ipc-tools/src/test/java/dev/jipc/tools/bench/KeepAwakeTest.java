package dev.jipc.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

@EnabledOnOs(OS.LINUX)
class KeepAwakeTest
{
    /** The scheduling policy field of /proc/PID/stat (the 41st), and SCHED_IDLE's number. */
    private static final int POLICY_FIELD = 41;
    private static final String SCHED_IDLE = "5";

    @Test
    void shouldSpinOnEveryCpuUnderTheIdlePolicyUntilClosed() throws Exception
    {
        final List<ProcessHandle> spinners;
        try (KeepAwake load = KeepAwake.start())
        {
            spinners = load.spinners();
            assertEquals(Runtime.getRuntime().availableProcessors(), spinners.size());
            for (final ProcessHandle spinner : spinners)
            {
                assertTrue(spinner.isAlive(), "spinner " + spinner.pid());
                assertEquals(SCHED_IDLE, policy(spinner.pid()), "spinner " + spinner.pid());
            }
        }
        for (final ProcessHandle spinner : spinners)
        {
            assertFalse(spinner.isAlive(), "spinner " + spinner.pid() + " outlived close()");
        }
    }

    private static String policy(final long pid) throws Exception
    {
        final String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // the command name in parentheses may hold spaces: count the fields after its closing parenthesis
        final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return fields[POLICY_FIELD - 3];
    }
}
