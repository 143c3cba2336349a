package dev.jipc.tools.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import picocli.CommandLine.Option;

/**
 * The options of a round-trip latency table: its sample sizes, per row and per round (each round starts a fresh
 * partner JVM), and where to write its pictures.
 */
final class RoundTripOptions
{
    @Option(names = "--round-trips",
        description = "Measured round trips per row and round (default: ${DEFAULT-VALUE}).")
    int roundTrips = 50_000;

    /**
     * Enough for the partner JVM, fresh in every round, to have its round-trip loop compiled before the timing: with
     * 20,000 the busy-spin pipe row measured 0.62-0.74 us p50, with 300,000 0.30-0.40 us, the same code.
     */
    @Option(names = "--warmup",
        description = "Unmeasured round trips first, per row and round (default: ${DEFAULT-VALUE}).")
    int warmup = 200_000;

    @Option(names = "--hgrm", paramLabel = "DIR", description = "Also write each row's round trips of all rounds " +
        "as an HdrHistogram percentile distribution (DIR/TABLE-ROW.hgrm) and the rows side by side as a chart " +
        "(DIR/TABLE.svg).")
    Path hgrm;

    /**
     * Writes a table's {@link LatencyCharts} if {@code --hgrm} was given.
     *
     * @param name  the table's file name stem.
     * @param table the latency table, after it has run.
     * @param out   where to say what was written.
     */
    void writeCharts(final String name, final InterleavedTable table, final PrintStream out)
    {
        if (hgrm != null)
        {
            final List<Path> written = LatencyCharts.write(hgrm, name, table);
            out.println("wrote " + written.size() + " files to " + hgrm + ": " +
                String.join(", ", written.stream().map(file -> file.getFileName().toString()).toList()));
        }
    }

    /**
     * @return the round trips a partner answers in one round, warm-up included.
     */
    int total()
    {
        return warmup + roundTrips;
    }
}
