package dev.jipc.core;

import static dev.jipc.core.ChildProcesses.awaitExit;
import static dev.jipc.core.ChildProcesses.awaitSuccess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import dev.jipc.core.test.ChildLogs;
import org.junit.jupiter.api.Test;

class ChildProcessesTest
{
    @Test
    void shouldReturnTheExitCodeAndKeepTheOutputInTheLog() throws InterruptedException
    {
        try (ChildProcesses children = ChildLogs.group())
        {
            final ChildProcesses.Child child = children.start(ChildJvm.of(Exiter.class).args(7, "hello"));
            assertEquals(7, awaitExit(child, 60, TimeUnit.SECONDS), child.output());
            assertTrue(child.output().contains("hello"), child.output());
            assertTrue(child.log().startsWith(ChildLogs.DIRECTORY), "log=" + child.log());
        }
    }

    @Test
    void shouldNameTheExitAndTheOutputWhenAChildFails()
    {
        try (ChildProcesses children = ChildLogs.group())
        {
            final ChildProcesses.Child child = children.start(ChildJvm.of(Exiter.class).args(3, "failing child"));
            final IllegalStateException ex = assertThrows(IllegalStateException.class,
                () -> awaitSuccess(child, 60, TimeUnit.SECONDS));
            assertTrue(ex.getMessage().startsWith("child failed: exit=3, pid=" + child.pid()), ex.getMessage());
            assertTrue(ex.getMessage().contains("failing child"), ex.getMessage());
        }
    }

    @Test
    void shouldKillAChildThatDoesNotExitInTime()
    {
        try (ChildProcesses children = ChildLogs.group())
        {
            final ChildProcesses.Child child = children.start(ChildJvm.of(Sleeper.class));
            final IllegalStateException ex = assertThrows(IllegalStateException.class,
                () -> awaitExit(child, 200, TimeUnit.MILLISECONDS));
            assertTrue(ex.getMessage().startsWith("child did not exit in time: timeout=200 MILLISECONDS, pid="),
                ex.getMessage());
            assertFalse(child.isAlive(), "killed");
        }
    }

    @Test
    void shouldKillEveryChildStillRunningOnClose()
    {
        final ChildProcesses.Child first;
        final ChildProcesses.Child second;
        try (ChildProcesses children = new ChildProcesses())
        {
            first = children.start(ChildJvm.of(Sleeper.class));
            second = children.start(ChildJvm.of(Sleeper.class));
            assertNull(first.log(), "no log directory: the builder's output");
            assertEquals("", first.output());
        }
        assertFalse(first.isAlive(), "killed on close");
        assertFalse(second.isAlive(), "killed on close");
    }

    /** Prints its second argument and exits with its first. */
    public static final class Exiter
    {
        public static void main(final String[] args)
        {
            System.out.println(args[1]);
            System.exit(Integer.parseInt(args[0]));
        }
    }

    /** Sleeps until killed. */
    public static final class Sleeper
    {
        public static void main(final String[] args) throws InterruptedException
        {
            Thread.sleep(600_000);
        }
    }
}
