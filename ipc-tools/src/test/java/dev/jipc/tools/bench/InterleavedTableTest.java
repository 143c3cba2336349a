package dev.jipc.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The table with scripted rounds: what it runs in which order, and what it prints from them. */
class InterleavedTableTest
{
    private final List<String> order = new ArrayList<>();

    @Test
    void shouldRunTheRowsInterleavedRoundAfterRound() throws Exception
    {
        final InterleavedTable table = InterleavedTable.latency("row", options(3, 1.5));
        table.add("A", latencies("A", 1000, 1000, 1000));
        table.add("B", latencies("B", 1000, 1000, 1000));
        table.add("C", latencies("C", 1000, 1000, 1000));
        table.run();
        assertEquals(List.of("A", "B", "C", "A", "B", "C", "A", "B", "C"), order);
    }

    @Test
    void shouldCompareEachRoundWithTheFloorOfTheSameRound() throws Exception
    {
        // round 2 lands in the idle-vCPU regime: every time is twenty times longer, the ratio to the floor is not
        final InterleavedTable table = InterleavedTable.latency("row", options(3, 1.5));
        table.add("PARK", latencies("PARK", 4_000, 80_000, 5_000));
        table.compareAllWith(table.add("floor", latencies("floor", 2_000, 40_000, 2_000)));
        table.run();
        final String out = print(table);
        assertTrue(
            out.contains("| PARK | 5.00 | 4.00–80.00 | 10.00 | 15.00 | 20.00 | 2.00x | 2.00x | 3 × 1,000 |"), out);
        assertTrue(out.contains("| floor | 2.00 | 2.00–40.00 | 4.00 | 6.00 | 8.00 | 1.00x | 1.00x | 3 × 1,000 |"),
            out);
        assertTrue(out.contains("3 rounds, rows interleaved (each round runs every row once, in table order), on the " +
            "machine as it was (no --keep-awake)."), out);
        assertTrue(out.contains("warning: the rounds of 2 row(s) disagree by more than 1.50x"), out);
        assertTrue(out.contains(
            "warning:   PARK: p50 of the rounds 4.00–80.00 (20.0x), ratio to floor 2.00x–2.50x (1.3x)"), out);
        // the reference itself has no ratio to speak of
        assertTrue(out.contains("warning:   floor: p50 of the rounds 2.00–40.00 (20.0x)\n"), out);
    }

    @Test
    void shouldWarnOfNothingWhenTheRoundsAgreeWithinTheTolerance() throws Exception
    {
        final InterleavedTable table = InterleavedTable.latency("row", options(3, 1.5));
        table.add("PARK", latencies("PARK", 4_000, 5_000, 4_500));
        table.compareAllWith(table.add("floor", latencies("floor", 2_000, 2_500, 2_000)));
        table.run();
        assertEquals(List.of(), table.disagreements());
        assertFalse(print(table).contains("warning"));
    }

    @Test
    void shouldWarnWhenOnlyTheRatiosDisagree() throws Exception
    {
        // each row steady on its own, but not in the same rounds: the ratio moves from 1x to 2x
        final InterleavedTable table = InterleavedTable.latency("row", options(2, 1.5));
        table.add("PARK", latencies("PARK", 2_000, 2_800));
        table.compareAllWith(table.add("floor", latencies("floor", 2_000, 1_400)));
        table.run();
        final List<String> warnings = table.disagreements();
        assertEquals(2, warnings.size(), warnings.toString());
        assertTrue(warnings.get(1).startsWith("warning:   PARK: p50 of the rounds 2.00–2.80 (1.4x), ratio to floor " +
            "1.00x–2.00x (2.0x)"), warnings.toString());
    }

    @Test
    void shouldShowRatesWithTheirReferenceOfTheSameRound() throws Exception
    {
        final InterleavedTable table = InterleavedTable.throughput("channel", "pairs", "M msg/s", options(3, 2));
        final InterleavedTable.Row python = table.add("python", "1 -> 1", rates(200e3, 100e3, 250e3))
            .shortName("Python").bytesPerMessage(64);
        table.add("queue", "1 -> 1", rates(30e6, 10e6, 20e6)).bytesPerMessage(64).against(python);
        table.run();
        final String out = print(table);
        assertTrue(out.contains("| channel | pairs | M msg/s | range | MB/s | ÷ reference | per round |"), out);
        assertTrue(out.contains("| queue | 1 -> 1 | 20.0 | 10.0–30.0 | 1280 | 100x Python | 3 × 1,000 |"), out);
        assertTrue(out.contains("| python | 1 -> 1 | 0.200 | 0.100–0.250 | 13 |  | 3 × 1,000 |"), out);
        assertTrue(out.contains(
            "warning:   queue 1 -> 1: M msg/s of the rounds 10.0–30.0 (3.0x), ratio to Python 80x–150x (1.9x)"),
            out);
    }

    @Test
    void shouldNoteARowThatCannotRunAndLeaveItOutOfLaterRounds() throws Exception
    {
        final InterleavedTable table = InterleavedTable.latency("row", options(3, 1.5));
        table.add("PARK", latencies("PARK", 4_000, 4_000, 4_000));
        table.compareAllWith(table.add("floor", () ->
        {
            order.add("floor");
            throw new InterleavedTable.Unavailable("no gcc: the C kernel-floor baseline was skipped");
        }));
        for (final String python : new String[]{"python 1", "python 2"})
        {
            table.add(python, () ->
            {
                order.add(python);
                throw new InterleavedTable.Unavailable("no python3 on the PATH: the Python baselines were skipped");
            });
        }
        table.run();
        assertEquals(List.of("PARK", "floor", "python 1", "python 2", "PARK", "PARK"), order);
        final String out = print(table);
        assertTrue(out.contains("| PARK | 4.00 | 4.00–4.00 | 8.00 | 12.00 | 16.00 |  |  | 3 × 1,000 |"), out);
        assertTrue(out.contains("(no gcc: the C kernel-floor baseline was skipped)"), out);
        assertEquals(1, out.split("no python3", -1).length - 1, "one note for the rows of one baseline:\n" + out);
        assertFalse(out.contains("| floor |"), out);
    }

    @Test
    void shouldShowSmallRatiosWithTheirDigits() throws Exception
    {
        final InterleavedTable table = InterleavedTable.latency("row", options(1, 1.5));
        table.add("SPIN_THEN_PARK", latencies("SPIN_THEN_PARK", 400));
        table.compareAllWith(table.add("floor", latencies("floor", 100_000)));
        table.run();
        final String out = print(table);
        assertTrue(out.contains("| SPIN_THEN_PARK | 0.40 | 0.40–0.40 | 0.80 | 1.20 | 1.60 | 0.004x | 0.004x |"), out);
    }

    @Test
    void shouldRejectOptionsItCouldOnlyFailOnAfterTheRounds()
    {
        assertThrows(IllegalArgumentException.class, () -> InterleavedTable.latency("row", options(0, 1.5)));
        assertThrows(IllegalArgumentException.class, () -> InterleavedTable.latency("row", options(3, 0.9)));
        assertThrows(IllegalArgumentException.class,
            () -> InterleavedTable.throughput("row", null, "M msg/s", options(3, Double.NaN)));
    }

    @Test
    void shouldParseThePercentilesTheBaselinesPrint()
    {
        final InterleavedTable.Sample sample = InterleavedTable.Sample.latency("1710 2400 3100 8000 200000\n");
        assertEquals(1710, sample.values()[0]);
        assertEquals(8000, sample.values()[3]);
        assertEquals(200_000, sample.count());
        assertThrows(IllegalArgumentException.class, () -> InterleavedTable.Sample.latency("1710 2400"));
    }

    /** One scripted sample per round: p50 as given, p99, p99.9 and max two, three and four times it. */
    private InterleavedTable.Measurement latencies(final String label, final long... p50s)
    {
        final Iterator<Long> rounds = Arrays.stream(p50s).boxed().iterator();
        return () ->
        {
            order.add(label);
            final long p50 = rounds.next();
            return InterleavedTable.Sample.latency(p50 + " " + 2 * p50 + " " + 3 * p50 + " " + 4 * p50 + " 1000");
        };
    }

    private static InterleavedTable.Measurement rates(final double... perSecond)
    {
        final Iterator<Double> rounds = Arrays.stream(perSecond).boxed().iterator();
        return () -> InterleavedTable.Sample.rate(rounds.next(), 1000);
    }

    private static RoundsOptions options(final int rounds, final double maxSpread)
    {
        final RoundsOptions options = new RoundsOptions();
        options.rounds = rounds;
        options.maxSpread = maxSpread;
        return options;
    }

    private static String print(final InterleavedTable table)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        table.print(new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }
}
