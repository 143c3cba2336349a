package dev.jipc.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import dev.jipc.sync.Lock;
import dev.jipc.sync.Semaphore;
import dev.jipc.sync.SyncArena;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Short runs of the ipc-sync benchmarks across real JVMs, so they keep working, and {@code jipc stat} of an arena. */
class SyncCommandsTest
{
    @TempDir
    Path dir;

    @Test
    void shouldCountEveryIncrementOfTwoJvmsInBenchLock()
    {
        final String out = run(
            "bench", "lock", "--increments", "20000", "--python-increments", "2000", "--rounds", "1");
        // the count column holds the increments of both JVMs, which the benchmark checks it found in the value
        assertTrue(out.matches("(?s).*\\| jipc Lock \\+ LongValue.getRaw/setRaw \\|[^\\n]*\\| 1 × 40,000 \\|.*"), out);
        assertTrue(out.matches("(?s).*\\| jipc LongValue.getLock\\(\\) \\+ get/set \\(Python's program\\) \\|[^\\n]*" +
            "\\| 1 × 40,000 \\|.*"), out);
        assertTrue(out.matches("(?s).*\\| jipc LongValue.getAndAdd \\(lock-free\\) \\|[^\\n]*\\| 1 × 40,000 \\|.*"),
            out);
    }

    @Test
    void shouldMeasureSemaphoreConditionAndEventRoundTripsPerStrategy()
    {
        final String out = run("bench", "semaphore", "--rounds", "1", "--round-trips", "2000", "--warmup", "500",
            "--python-round-trips", "200");
        for (final String strategy : new String[]{"BUSY_SPIN", "SPIN_THEN_PARK", "PARK"})
        {
            assertTrue(out.matches("(?s).*\\| jipc Semaphore, " + strategy + " \\|[^\\n]*\\| 1 × 2,000 \\|.*"), out);
            assertTrue(out.matches("(?s).*\\| jipc Condition, " + strategy + " \\|[^\\n]*\\| 1 × 2,000 \\|.*"), out);
            assertTrue(out.matches("(?s).*\\| jipc Event, " + strategy + " \\|[^\\n]*\\| 1 × 2,000 \\|.*"), out);
        }
    }

    @Test
    void shouldStatASyncArena() throws InterruptedException
    {
        try (SyncArena arena = SyncArena.create(dir, "sync", 4, 1024);
            Lock lock = arena.newLock();
            Semaphore semaphore = arena.newSemaphore(3))
        {
            lock.lock();
            semaphore.acquire();
            final String out = run("stat", "--dir", dir.toString(), "sync");
            assertTrue(out.matches("(?s).*kind:\\s+SYNC_ARENA.*objects:\\s+2.*"), out);
            assertTrue(out.contains("LOCK offset=" + lock.offset() + ", ownerPid=" + ProcessHandle.current().pid()),
                out);
            assertTrue(out.contains("SEMAPHORE offset=" + semaphore.offset() + ", value=2"), out);
            lock.unlock();
        }
    }

    private static String run(final String... args)
    {
        final CommandLineResult result = CommandLineResult.run(args);
        assertEquals(0, result.status(), result.err());
        return result.out();
    }
}
