package dev.jipc.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DemoCommandTest
{
    @Test
    void shouldRunEveryClassicProgramAcrossJvmsAndPassItsChecks()
    {
        final CommandLineResult result = CommandLineResult.run("demo");
        assertEquals(0, result.status(), result.out() + result.err());
        assertTrue(result.out().contains("5 processes joined, 5 distinct pids, 5 named themselves"), result.out());
        assertTrue(result.out().matches("(?s).*Process-\\d+ sent: hello from Process-\\d+, pid \\d+.*"),
            result.out());
        assertTrue(result.out().contains("received [42, null, hello], then end of stream"), result.out());
        assertTrue(result.out().contains("this JVM logged: [INFO/MainProcess] hello from the parent"), result.out());
        assertTrue(result.out().matches("(?s).*the child logged: \\[INFO/Process-\\d+] hello from pid \\d+.*"),
            result.out());
        assertTrue(result.out().contains("with getLock()    total 200,000 of 200,000  (0 updates lost)"),
            result.out());
        assertTrue(result.out().contains("received 10,000 of 10,000 items in order"), result.out());
        assertTrue(result.out().contains("10,000 of 10,000 answered correctly"), result.out());
        assertTrue(result.out().contains("sum of squares 333,833,500 (expected 333,833,500)"), result.out());
        assertTrue(result.out().contains("join() returned with 5 of 5 results ready"), result.out());
        assertTrue(result.out().contains("map(f, range(10)): [0, 1, 4, 9, 16, 25, 36, 49, 64, 81]"), result.out());
        assertTrue(result.out().contains("TimeoutException (no result within 1000 milliseconds"), result.out());
        assertTrue(result.out().contains("the sleeping task's get() threw CancellationException"), result.out());
        assertTrue(result.out().matches("(?s).*map\\(f, range\\(8\\)\\) threw after \\d+ ms, \\d+ ms after the " +
            "kill of pid \\d+: dev.jipc.pool.WorkerDiedException: .*SIGKILL.*"), result.out());
        assertTrue(result.out().contains("killed: 0, 1, 4, 9, 16, [dev.jipc.pool.WorkerDiedException"), result.out());
        assertTrue(result.out().contains("then map(f, range(8)): [0, 1, 4, 9, 16, 25, 36, 49]"), result.out());
        assertTrue(result.out().contains("{1: '1', '2': 2, 0.25: None}"), result.out());
        assertTrue(result.out().contains("[9, 8, 7, 6, 5, 4, 3, 2, 1, 0]"), result.out());
        assertTrue(result.out().matches("(?s).*10 processes merged 10,000 words into \\d+ distinct words.*"),
            result.out());
        assertTrue(result.out().contains("the shared totals equal a single-threaded count"), result.out());
        assertTrue(result.out().contains("demo: every check passed"), result.out());
    }
}
