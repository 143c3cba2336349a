package dev.jipc.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LatencyChartsTest
{
    @TempDir
    Path dir;

    @Test
    void shouldMergeTheRoundsOfARowIntoOneHistogramFilePerRowAndOneChart() throws Exception
    {
        final RoundsOptions options = new RoundsOptions();
        options.rounds = 2;
        final InterleavedTable table = InterleavedTable.latency("pipe <ping-pong>", options);
        final long[] round = {0};
        table.add("jipc Pipe, PARK", () -> InterleavedTable.Sample.latency(histogram(++round[0] * 1_000, 100)));
        table.add("C floor", () -> InterleavedTable.Sample.latency("2000 4000 6000 8000 1000"));
        table.run();

        final List<Path> written = LatencyCharts.write(dir.resolve("charts"), "pipe", table);

        assertEquals(List.of(dir.resolve("charts/pipe-jipc-pipe-park.hgrm"), dir.resolve("charts/pipe.svg")), written);
        final Histogram merged = LatencyCharts.merged(table.rows().getFirst());
        assertEquals(200, merged.getTotalCount());
        assertEquals(1_000, merged.getMinValue());
        assertEquals(2_000, merged.getMaxValue(), 2);
        assertNull(LatencyCharts.merged(table.rows().get(1)), "the C row has percentiles only");
        final String hgrm = Files.readString(written.getFirst());
        // HdrHistogram's format, in microseconds: the 100th percentile line holds the merged maximum
        assertTrue(hgrm.contains("Value     Percentile TotalCount 1/(1-Percentile)"), hgrm);
        assertTrue(hgrm.matches("(?s).*\\s2\\.00\\d\\s+1\\.000000000000\\s+200\\s.*"), hgrm);
        final String svg = Files.readString(written.get(1));
        assertTrue(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""), svg);
        assertTrue(svg.contains("pipe &lt;ping-pong&gt;"), "the title is escaped:\n" + svg);
        assertEquals(1, count(svg, "<polyline"), svg);
        assertEquals(3, count(svg, "<circle"), "the C row's p50, p99 and p99.9:\n" + svg);
        assertTrue(svg.contains(">C floor (p50, p99, p99.9)</text>"), svg);
        assertTrue(svg.trim().endsWith("</svg>"), svg);
    }

    @Test
    void shouldSpaceThePercentilesByTheirNines()
    {
        assertEquals(0, LatencyCharts.nines(0), 1e-12);
        assertEquals(1, LatencyCharts.nines(90), 1e-12);
        assertEquals(2, LatencyCharts.nines(99), 1e-9);
        assertEquals(3, LatencyCharts.nines(99.9), 1e-9);
        assertEquals(6, LatencyCharts.nines(100), 1e-12);
    }

    @Test
    void shouldNameFilesAfterTheRowLabel()
    {
        assertEquals("jipc-queue-byte-64-b-spin-then-park",
            LatencyCharts.slug("jipc Queue<byte[]> (64 B), SPIN_THEN_PARK"));
    }

    private static Histogram histogram(final long value, final int count)
    {
        final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        histogram.recordValueWithCount(value, count);
        return histogram;
    }

    private static int count(final String text, final String part)
    {
        return text.split(Pattern.quote(part), -1).length - 1;
    }
}
