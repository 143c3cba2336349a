package dev.jipc.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * {@code bench durable} runs end to end with tiny sizes: a positive append and read rate and positive percentiles
 * for DurableQueue, raw Chronicle and Queue, the jipc rows compared with raw Chronicle, and no journal left behind.
 */
class DurableBenchTest
{
    private static final List<String> CHANNELS =
        List.of("jipc DurableQueue", "raw Chronicle Queue", "jipc Queue<byte[]> (in memory)");

    @Test
    void shouldMeasureEveryRowWithPositiveNumbers() throws Exception
    {
        final Path directory = Files.createDirectories(Path.of("target", "durable-bench").toAbsolutePath());
        final DurableBench bench = new DurableBench();
        bench.rounds.rounds = 1;
        bench.messages = 20_000;
        bench.latencyMessages = 2_000;
        bench.latencyWarmUp = 1_000;
        bench.directory = directory;
        final String out = BenchOutput.of(bench);
        assertTrue(out.contains("| 64 B messages, 1 producer JVM -> 1 consumer JVM | timed | M msg/s |"), out);
        assertTrue(out.contains("| one-way latency, 64 B at 5,000 msg/s, producer JVM -> consumer JVM | p50 µs |"),
            out);
        for (final String channel : CHANNELS)
        {
            for (final String timed : List.of("append", "read"))
            {
                final List<String> cells = row(out, channel, timed);
                assertTrue(Double.parseDouble(cells.get(2)) > 0, channel + " " + timed + ":\n" + out);
                assertEquals(!channel.startsWith("raw"), cells.get(5).endsWith("x raw Chronicle"),
                    channel + " " + timed + ":\n" + out);
            }
            final List<String> latency = row(out, channel, null);
            // p50, p99, p99.9 and max; the p50 range is between them
            for (final int column : new int[]{1, 3, 4, 5})
            {
                assertTrue(Double.parseDouble(latency.get(column)) > 0, channel + " latency:\n" + out);
            }
            assertTrue(latency.get(6).endsWith("x") && latency.get(7).endsWith("x"), channel + " latency:\n" + out);
        }
        assertTrue(out.contains("target (a figure, not asserted)"), out);
        try (Stream<Path> left = Files.list(directory))
        {
            assertEquals(List.of(), left.toList(), "journal directories left behind");
        }
    }

    /** The cells of a channel's one throughput row of a kind, or, with no kind, of its latency row. */
    private static List<String> row(final String out, final String channel, final String timed)
    {
        final List<List<String>> rows = out.lines().filter(line -> line.startsWith("| " + channel + " | "))
            .map(line -> List.of(line.substring(2, line.length() - 2).split(" \\| ")))
            .filter(cells -> timed == null ? !cells.get(1).equals("append") && !cells.get(1).equals("read") :
                cells.get(1).equals(timed))
            .toList();
        assertEquals(1, rows.size(), channel + " " + timed + ":\n" + out);
        return rows.getFirst();
    }
}
