package dev.jipc.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.codec.Codecs;
import dev.jipc.core.pipe.Connection;
import dev.jipc.core.pipe.Pipe;
import dev.jipc.core.queue.Queue;
import dev.jipc.sync.Event;
import org.junit.jupiter.api.Test;

/** The process contract over child JVMs (spawn), and what only a child JVM does: exit codes, signals, options. */
class ProcessSpawnTest extends ProcessContract
{
    @Override
    Context newContext()
    {
        return Context.spawn();
    }

    @Override
    int expectedDistinctPids(final int count)
    {
        return count;
    }

    @Test
    void shouldExitWithTheStatusGivenToSystemExit() throws Exception
    {
        final Process process = start(context().process(() -> System.exit(3)));
        assertEquals(3, awaitExit(process));
    }

    @Test
    void shouldExitWithMinusFifteenAfterTerminate() throws Exception
    {
        final Process process = start(blockedProcess());
        assertTrue(process.isAlive());
        process.terminate();
        assertEquals(-15, awaitExit(process));
    }

    @Test
    void shouldExitWithMinusNineAfterKill() throws Exception
    {
        final Process process = start(blockedProcess());
        process.kill();
        assertEquals(-9, awaitExit(process));
        process.kill();
        process.terminate();
    }

    @Test
    void shouldFailAtStartNamingTheTypeOfANonSerializableCapture()
    {
        final Thread notSerializable = new Thread(() ->
        {
        });
        final Process process = context().process(() -> notSerializable.setName("never"));
        final TaskNotSerializableException ex = assertThrows(TaskNotSerializableException.class, process::start);
        assertTrue(ex.getMessage().contains("java.lang.Thread"), ex.getMessage());
        assertTrue(ex.getMessage().contains(process.name()), ex.getMessage());
        assertFalse(process.isAlive());
        assertTrue(Processes.activeChildren().stream().noneMatch(p -> p == process));
    }

    @Test
    void shouldRunInAnotherJvmWhoseParentIsThisOne() throws Exception
    {
        final Queue<String> queue = context().queue(Codecs.strings());
        final Process process = start(context().process(() ->
        {
            final ProcessInfo parent = Processes.parentProcess().orElseThrow();
            queue.put(ProcessHandle.current().pid() + " " + parent.name() + " " + parent.pid() + " " +
                parent.isAlive());
            return null;
        }));
        assertNotEquals(ProcessHandle.current().pid(), process.pid());
        assertEquals(process.pid() + " " + Processes.MAIN_PROCESS + " " + ProcessHandle.current().pid() + " true",
            queue.poll(POLL_SECONDS, TimeUnit.SECONDS));
        assertEquals(0, awaitExit(process));
    }

    @Test
    void shouldGiveTheChildTheJvmOptionsOfTheContextAndThenOfTheProcess() throws Exception
    {
        context().jvmOptions("-Djipc.test.a=context", "-Djipc.test.b=context", "-Xmx96m");
        final Queue<String> queue = context().queue(Codecs.strings());
        final Process process = context().process(() ->
        {
            queue.put(System.getProperty("jipc.test.a") + " " + System.getProperty("jipc.test.b") + " " +
                (Runtime.getRuntime().maxMemory() <= 96L * 1024 * 1024));
            return null;
        }).jvmOptions("-Djipc.test.b=process");
        start(process);
        assertEquals("context process true", queue.poll(POLL_SECONDS, TimeUnit.SECONDS));
        assertEquals(0, awaitExit(process));
    }

    @Test
    void shouldNameTheProcessesAChildStartsAfterItself() throws Exception
    {
        final Queue<String> queue = context().queue(Codecs.strings());
        final Process process = start(context().process(() ->
        {
            final Process grandchild = Context.spawn().process(() ->
            {
            });
            queue.put(grandchild.name());
            return null;
        }));
        final String name = queue.poll(POLL_SECONDS, TimeUnit.SECONDS);
        assertEquals(process.name() + ":1", name);
        assertEquals(0, awaitExit(process));
    }

    @Test
    void shouldGiveTheChildAnEmptyStdin() throws Exception
    {
        final Queue<Long> queue = context().queue(Codecs.longs());
        final Process process = start(context().process(() ->
        {
            queue.put((long)System.in.read());
            return null;
        }));
        assertEquals(-1L, queue.poll(POLL_SECONDS, TimeUnit.SECONDS));
        assertEquals(0, awaitExit(process));
    }

    @Test
    void shouldGiveAPipeEndToTheChildAtStartSoThatTheParentMayCloseItsCopy() throws Exception
    {
        final Pipe<String> pipe = context().pipe(true, Codecs.strings());
        final Connection<String> childEnd = pipe.second();
        final Process process = context().process(() ->
        {
            childEnd.send("from the child: " + childEnd.recv());
            return null;
        });
        start(process);
        childEnd.close();
        pipe.first().send("ping");
        assertTrue(pipe.first().poll(POLL_SECONDS, TimeUnit.SECONDS), "no answer from the child");
        assertEquals("from the child: ping", pipe.first().recv());
        assertEquals(0, awaitExit(process));
        // the end is the child's: its death ends the stream for the parent
        assertThrows(EOFException.class, () -> pipe.first().recv());
    }

    @Test
    void shouldCloseAPipeEndForGoodWhenTheChildDiedBeforeTakingIt() throws Exception
    {
        final Pipe<String> pipe = context().pipe(true, Codecs.strings());
        final Connection<String> childEnd = pipe.second();
        final Process process = context().process(() ->
        {
            childEnd.send("never: this JVM does not start");
            return null;
        }).jvmOptions("-XX:+NoSuchJipcTestOption");
        start(process);
        childEnd.close();
        assertNotEquals(0, awaitExit(process));
        assertThrows(EOFException.class, () -> pipe.first().recv());
    }

    private Process blockedProcess()
    {
        final Event never = context().event();
        return context().process(() -> never.await(END_SECONDS, TimeUnit.SECONDS));
    }
}
