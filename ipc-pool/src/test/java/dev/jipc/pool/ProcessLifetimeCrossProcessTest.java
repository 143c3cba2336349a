package dev.jipc.pool;

import static dev.jipc.core.ChildProcesses.awaitExit;
import static dev.jipc.core.ChildProcesses.awaitOutput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.ChildProcesses;
import dev.jipc.core.test.ChildLogs;
import dev.jipc.core.test.Names;
import dev.jipc.core.wait.WaitStrategy;
import dev.jipc.sync.IntValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No orphans: a parent JVM started by the test ({@link LifetimeParentMain}) starts a child, and the test watches the
 * child when the parent exits normally or is killed with SIGKILL. Grandchildren are killed after each test, whatever
 * happened.
 */
class ProcessLifetimeCrossProcessTest
{
    private static final long PARENT_SECONDS = 120;
    /** How long a child may outlive its killed parent: the design says a second; CI shares two cores. */
    private static final long ORPHAN_MILLIS = 2_000;
    private static final Pattern CHILD_PID = Pattern.compile("child-pid=(\\d+)");

    @TempDir
    Path directory;

    private final ChildProcesses parents = ChildLogs.group();
    private final List<Long> grandchildren = new ArrayList<>();

    @AfterEach
    void cleanUp()
    {
        parents.close();
        for (final long pid : grandchildren)
        {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void shouldTerminateADaemonChildWhenTheParentExitsNormally() throws Exception
    {
        final ChildProcesses.Child parent = parents.start(parentJvm("daemon"));
        final long child = childPid(parent);
        awaitOutput(parent, "child-running", PARENT_SECONDS, TimeUnit.SECONDS);
        assertEquals(0, awaitExit(parent, PARENT_SECONDS, TimeUnit.SECONDS), parent.output());
        assertGoneWithin(child, ORPHAN_MILLIS, parent);
    }

    @Test
    void shouldWaitForANonDaemonChildWhenTheParentExitsNormally() throws Exception
    {
        final String name = Names.unique("lifetime");
        try (IntValue value = IntValue.create(directory, name, 0, WaitStrategy.SPIN_THEN_PARK))
        {
            final ChildProcesses.Child parent = parents.start(parentJvm("non-daemon", directory, name));
            final long child = childPid(parent);
            assertEquals(0, awaitExit(parent, PARENT_SECONDS, TimeUnit.SECONDS), parent.output());
            assertEquals(7, value.get(), "the parent exited before its non-daemon child set the value: " +
                parent.output());
            assertGoneWithin(child, ORPHAN_MILLIS, parent);
            value.unlink();
        }
    }

    @Test
    void shouldEndAChildWithinASecondOrTwoOfItsParentsKill() throws Exception
    {
        assertChildEndsAfterItsParentsKill(parentJvm("orphan"));
    }

    @Test
    void shouldEndAChildWhoseParentIsKilledByTheLivenessWatchAlone() throws Exception
    {
        assertChildEndsAfterItsParentsKill(parentJvm("orphan", "liveness"));
    }

    @Test
    void shouldEndAChildWhoseParentIsKilledByTheStdinWatchAlone() throws Exception
    {
        assertChildEndsAfterItsParentsKill(parentJvm("orphan", "stdin"));
    }

    @Test
    void shouldNotWaitForANonDaemonChildWhenTheParentIsTerminated() throws Exception
    {
        final ChildProcesses.Child parent = parents.start(parentJvm("orphan"));
        final long child = childPid(parent);
        awaitOutput(parent, "child-running", PARENT_SECONDS, TimeUnit.SECONDS);
        Signals.send(parent.pid(), Signals.Signal.TERM);
        assertEquals(128 + Signals.Signal.TERM.number(), ChildProcesses.awaitExit(parent, PARENT_SECONDS,
            TimeUnit.SECONDS), "a SIGTERM ends the parent as the JVM's own handler would: " + parent.output());
        assertGoneWithin(child, ORPHAN_MILLIS, parent);
    }

    @Test
    void shouldUnlinkWhatAContextMadeAtExitWithoutAnyProcess() throws Exception
    {
        final ChildProcesses.Child parent = parents.start(parentJvm("objects-only"));
        assertEquals(0, ChildProcesses.awaitExit(parent, PARENT_SECONDS, TimeUnit.SECONDS), parent.output());
        try (var files = Files.list(directory))
        {
            final List<String> left = files.map(file -> file.getFileName().toString())
                .filter(name -> !name.startsWith(".")).toList();
            assertTrue(left.isEmpty(), "the context's queue and value are unlinked at exit: " + left);
        }
    }

    private void assertChildEndsAfterItsParentsKill(final ChildJvm jvm) throws Exception
    {
        final ChildProcesses.Child parent = parents.start(jvm);
        final long child = childPid(parent);
        awaitOutput(parent, "child-running", PARENT_SECONDS, TimeUnit.SECONDS);
        assertTrue(isRunning(child), "child not running before the kill: " + parent.output());
        assertTrue(parent.kill(), "parent did not die of SIGKILL");
        assertGoneWithin(child, ORPHAN_MILLIS, parent);
        assertTrue(parent.output().contains("pid=" + child + " exits: parent"), "the child did not say why it " +
            "exits: " + parent.output());
    }

    private ChildJvm parentJvm(final Object... args)
    {
        return ChildJvm.of(LifetimeParentMain.class).jvmArgs("-Djipc.dir=" + directory).args(args);
    }

    private long childPid(final ChildProcesses.Child parent) throws InterruptedException
    {
        awaitOutput(parent, "child-pid=", PARENT_SECONDS, TimeUnit.SECONDS);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PARENT_SECONDS);
        while (true)
        {
            final Matcher matcher = CHILD_PID.matcher(parent.output());
            if (matcher.find() && parent.output().contains("child-pid=" + matcher.group(1) + "\n"))
            {
                final long pid = Long.parseLong(matcher.group(1));
                grandchildren.add(pid);
                return pid;
            }
            assertTrue(System.nanoTime() < deadline, "no whole child-pid line: " + parent.output());
            Thread.sleep(5);
        }
    }

    private static void assertGoneWithin(final long pid, final long millis, final ChildProcesses.Child parent)
        throws InterruptedException
    {
        final long start = System.nanoTime();
        final long deadline = start + TimeUnit.MILLISECONDS.toNanos(millis);
        while (isRunning(pid))
        {
            assertFalse(System.nanoTime() - deadline > 0, "child pid=" + pid + " still runs " + millis +
                " ms after its parent ended; parent output:\n" + parent.output());
            Thread.sleep(10);
        }
    }

    /** Whether a process runs: a zombie (ended, not yet reaped by whoever adopted it) does not. */
    private static boolean isRunning(final long pid)
    {
        try
        {
            final String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            final char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        }
        catch (final IOException ex)
        {
            return false;
        }
    }
}
