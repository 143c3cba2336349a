package dev.jipc.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.TimeUnit;

import dev.jipc.core.codec.Codecs;
import dev.jipc.core.queue.Queue;
import dev.jipc.sync.Event;
import org.junit.jupiter.api.Test;

/** The process contract over the threads context (Python's {@code multiprocessing.dummy}), and what is its own. */
class ProcessThreadsTest extends ProcessContract
{
    @Override
    Context newContext()
    {
        return Context.threads();
    }

    @Override
    int expectedDistinctPids(final int count)
    {
        return 1;
    }

    @Test
    void shouldRunOnAThreadOfThisJvmNamedAsTheProcess() throws Exception
    {
        final Queue<String> queue = context().queue(Codecs.strings());
        final Process process = start(context().process(() ->
        {
            queue.put(Thread.currentThread().getName() + " " + Processes.parentProcess().orElseThrow().name());
            return null;
        }));
        assertEquals(ProcessHandle.current().pid(), process.pid());
        assertEquals(process.name() + " " + Processes.MAIN_PROCESS, queue.poll(POLL_SECONDS, TimeUnit.SECONDS));
        assertEquals(0, awaitExit(process));
    }

    @Test
    void shouldRefuseToTerminateOrKillAThread() throws Exception
    {
        final Event release = context().event();
        final Process process = start(context().process(() -> release.await(END_SECONDS, TimeUnit.SECONDS)));
        assertThrows(UnsupportedOperationException.class, process::terminate);
        assertThrows(UnsupportedOperationException.class, process::kill);
        release.set();
        assertEquals(0, awaitExit(process));
    }
}
