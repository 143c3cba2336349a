package dev.jipc.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.ChildProcesses;
import dev.jipc.core.test.ChildLogs;
import dev.jipc.pool.Signals.Signal;
import org.junit.jupiter.api.Test;

/**
 * Signal handlers in a child JVM, sent by the parent as Python's {@code os.kill} sends them: a handled
 * {@code SIGUSR1} and {@code SIGINT} leave the child running, and {@code SIGTERM} without a handler runs its shutdown
 * hooks and ends it with status 143; and in this JVM, handlers replace each other, an ignored signal is ignored.
 */
class SignalsTest
{
    private static final long WAIT_SECONDS = 60;

    @Test
    void shouldRunAChildsHandlersAndItsShutdownHooksOnTerminate() throws Exception
    {
        try (ChildProcesses children = ChildLogs.group())
        {
            // a background job (as CI may run the build) starts with SIGINT ignored, which a JVM keeps: undo it
            final ChildProcesses.Child child = children.start(ChildJvm.of(HandlingChild.class)
                .launcher("env", "--default-signal=INT"));
            ChildProcesses.awaitOutput(child, "ready", WAIT_SECONDS, TimeUnit.SECONDS);

            Signals.send(child.pid(), Signal.USR1);
            ChildProcesses.awaitOutput(child, "handled USR1", WAIT_SECONDS, TimeUnit.SECONDS);
            Signals.send(child.pid(), Signal.INT);
            ChildProcesses.awaitOutput(child, "handled INT", WAIT_SECONDS, TimeUnit.SECONDS);
            assertTrue(child.isAlive(), "a handled Ctrl+C leaves the child running");

            Signals.send(child.pid(), Signal.TERM);
            assertEquals(128 + Signal.TERM.number(),
                ChildProcesses.awaitExit(child, WAIT_SECONDS, TimeUnit.SECONDS));
            assertTrue(child.output().contains("shutdown hook ran"), child.output());
        }
    }

    @Test
    void shouldReplaceAHandlerAndIgnoreASignal() throws Exception
    {
        final AtomicInteger first = new AtomicInteger();
        final CountDownLatch second = new CountDownLatch(1);
        try
        {
            assertNull(Signals.handle(Signal.USR2, signal -> first.incrementAndGet()));
            final Signals.Handler replaced = Signals.handle(Signal.USR2, signal -> second.countDown());
            assertTrue(replaced != null, "the first handler is returned when replaced");
            Signals.send(ProcessHandle.current().pid(), Signal.USR2);
            assertTrue(second.await(WAIT_SECONDS, TimeUnit.SECONDS), "the second handler ran");
            assertEquals(0, first.get(), "the replaced handler did not run");

            Signals.ignore(Signal.USR2);
            Signals.send(ProcessHandle.current().pid(), Signal.USR2);
            // an ignored USR2 is dropped by the kernel; without the ignore the JVM would have ended here
            assertSame(null, Signals.handle(Signal.USR2, signal -> first.incrementAndGet()),
                "ignore forgot the handler");
        }
        finally
        {
            Signals.ignore(Signal.USR2);
        }
    }

    @Test
    void shouldSayWhenTheJvmKeepsASignalIgnored() throws Exception
    {
        try (ChildProcesses children = ChildLogs.group())
        {
            final ChildProcesses.Child child = children.start(ChildJvm.of(IgnoringChild.class)
                .launcher("bash", "-c", "trap '' INT; exec \"$@\"", "bash"));
            assertEquals(0, ChildProcesses.awaitExit(child, WAIT_SECONDS, TimeUnit.SECONDS), child.output());
            assertTrue(child.output().contains("SIGINT was ignored when this JVM started"), child.output());
        }
    }

    @Test
    void shouldNameAProcessThatDoesNotExist()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> Signals.send(Integer.MAX_VALUE, Signal.USR1));
        assertTrue(ex.getMessage().contains("no such process") && ex.getMessage().contains("pid=2147483647"),
            ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Signals.send(0, Signal.TERM), "pid 0 is a process group");
    }

    /** Started with SIGINT ignored: prints why no handler can be installed. */
    public static final class IgnoringChild
    {
        /**
         * Runs the child.
         *
         * @param args none.
         */
        public static void main(final String[] args)
        {
            try
            {
                Signals.handle(Signal.INT, signal -> System.out.println("handled " + signal));
                System.out.println("installed, but the JVM will never run it");
                System.exit(2);
            }
            catch (final IllegalStateException ex)
            {
                System.out.println(ex.getMessage());
            }
        }
    }

    /** Handles USR1 and INT, has a shutdown hook, and waits for TERM. */
    public static final class HandlingChild
    {
        /**
         * Runs the child.
         *
         * @param args none.
         * @throws InterruptedException never: the sleep ends with the process.
         */
        public static void main(final String[] args) throws InterruptedException
        {
            Signals.handle(Signal.USR1, signal -> System.out.println("handled " + signal));
            Signals.handle(Signal.INT, signal -> System.out.println("handled " + signal));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("shutdown hook ran")));
            System.out.println("ready");
            Thread.sleep(TimeUnit.SECONDS.toMillis(2 * WAIT_SECONDS));
            System.exit(3);
        }
    }
}
