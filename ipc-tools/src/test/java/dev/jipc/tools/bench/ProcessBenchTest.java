package dev.jipc.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** {@code bench process} runs end to end with one round of one start per row and prints both tables. */
class ProcessBenchTest
{
    @Test
    void shouldMeasureEveryStartMethodInBothTables() throws Exception
    {
        final ProcessBench bench = new ProcessBench();
        bench.rounds.rounds = 1;
        bench.starts = 1;
        bench.warmupStarts = 0;
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
        assertTrue(out.contains("| start → running (task's first line) |"), out);
        assertTrue(out.contains("| start + join |"), out);
        for (final String row : new String[]{"hello-world JVM (java -cp jar Hello)", "jipc spawn, no AOT cache",
            "jipc forkserver", "jipc threads"})
        {
            assertEquals(2, out.split("\\| " + java.util.regex.Pattern.quote(row) + " \\|[^\\n]*\\| 1 × 1 \\|", -1)
                .length - 1, "row " + row + " in both tables:\n" + out);
        }
        // test class paths hold directories of classes, which get no AOT cache: the row is then noted
        assertTrue(out.contains("| jipc spawn, AOT cache |") || out.contains("the AOT spawn row was skipped"), out);
        assertTrue(out.contains("| Python multiprocessing fork |") || out.contains("no python3"), out);
        assertTrue(out.contains("p50 ÷ hello-world JVM"), out);
    }
}
