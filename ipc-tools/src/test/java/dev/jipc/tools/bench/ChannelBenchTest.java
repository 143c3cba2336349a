package dev.jipc.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.Test;

/** {@code bench queue} and {@code bench pipe} run end to end with tiny counts and print a row for every channel. */
class ChannelBenchTest
{
    @Test
    void shouldMeasureEveryQueueRow() throws Exception
    {
        final QueueBench bench = new QueueBench();
        bench.longMessages = 200_000;
        bench.messages = 50_000;
        bench.pythonMessages = 2_000;
        bench.runs = 1;
        final String out = run(bench);
        for (final String row : new String[]{"jipc LongQueue (8-byte longs) | 1 -> 1",
            "jipc LongQueue (8-byte longs) | 2 -> 2", "bare Agrona ManyToOneRingBuffer",
            "jipc Queue<byte[]> (64 B) | 1 -> 1",
            "jipc Queue<byte[]> (64 B) | 2 -> 2", "Java Unix-domain socket"})
        {
            assertTrue(out.contains("| " + row), "missing row " + row + ":\n" + out);
        }
        assertTrue(out.contains("Python multiprocessing.Queue") || out.contains("no python3"), out);
    }

    @Test
    void shouldMeasureEveryPipeRow() throws Exception
    {
        final PipeBench bench = new PipeBench();
        bench.rounds = 2_000;
        bench.warmup = 500;
        bench.pythonRounds = 500;
        final String out = run(bench);
        for (final String row : new String[]{"jipc Pipe, BUSY_SPIN", "jipc Pipe, SPIN_THEN_PARK", "jipc Pipe, PARK",
            "Java Unix-domain socket (blocking)"})
        {
            assertTrue(out.contains("| " + row + " |"), "missing row " + row + ":\n" + out);
        }
        assertTrue(out.contains("Python multiprocessing.Pipe") || out.contains("no python3"), out);
        assertTrue(out.contains("| C, fork + FUTEX_WAIT/WAKE") || out.contains("no gcc"), out);
    }

    private static String run(final Callable<Integer> bench) throws Exception
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final PrintStream original = System.out;
        try (PrintStream capture = new PrintStream(out, true, StandardCharsets.UTF_8))
        {
            System.setOut(capture);
            assertEquals(0, bench.call());
        }
        finally
        {
            System.setOut(original);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
