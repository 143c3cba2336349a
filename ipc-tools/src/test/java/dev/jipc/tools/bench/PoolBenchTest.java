package dev.jipc.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** {@code bench pool} runs end to end with one small round per row and prints its four tables. */
class PoolBenchTest
{
    @Test
    void shouldMeasureEveryPoolInEveryTable() throws Exception
    {
        final PoolBench bench = new PoolBench();
        bench.rounds.rounds = 1;
        bench.starts = 1;
        bench.items = 1000;
        bench.maps = 1;
        bench.roundTrips = 20;
        bench.pipelined = 200;
        bench.warmupMaps = 0;
        bench.warmupRoundTrips = 0;
        bench.warmupPipelined = 0;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream original = System.out;
        final int status;
        try (PrintStream capture = new PrintStream(bytes, true, StandardCharsets.UTF_8))
        {
            System.setOut(capture);
            status = bench.call();
        }
        finally
        {
            System.setOut(original);
        }
        final String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, out);
        for (final String row : new String[]{"| jipc forkserver ctx.pool(2), 2 spares booted |",
            "| jipc threads ctx.pool(2) |", "| jipc forkserver map(x -> x * x, List<Long>) |",
            "| jipc forkserver mapToLong(x -> x * x, long[]) |", "| jipc threads mapToLong(x -> x * x, long[]) |",
            "| jipc forkserver applyAsync(x -> x * x, i).get() |", "| jipc forkserver |", "| jipc threads |"})
        {
            assertTrue(out.contains(row), "row " + row + ":\n" + out);
        }
        assertTrue(out.contains("| Python fork Pool(2) |") || out.contains("no python3"), out);
        assertTrue(out.contains("| 200 pipelined applyAsync, then get() each, warm pool |"), out);
    }
}
