package dev.jipc.tools.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;

/** Benchmark results printed as a Markdown table, ready to paste into the README. */
public final class ResultTable
{
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    /**
     * @param columns the column titles.
     */
    public ResultTable(final String... columns)
    {
        header = List.of(columns);
    }

    /**
     * A table for round-trip latencies: name, p50, p99, p99.9, max and count.
     *
     * @param first the title of the first column.
     * @return an empty table.
     */
    public static ResultTable latency(final String first)
    {
        return new ResultTable(first, "p50 µs", "p99 µs", "p99.9 µs", "max µs", "round trips");
    }

    /**
     * Adds a row of a {@link #latency} table from a histogram of nanoseconds.
     *
     * @param name      the first column.
     * @param histogram recorded in nanoseconds.
     * @return this.
     */
    public ResultTable addLatency(final String name, final Histogram histogram)
    {
        return add(name, micros(histogram.getValueAtPercentile(50)), micros(histogram.getValueAtPercentile(99)),
            micros(histogram.getValueAtPercentile(99.9)), micros(histogram.getMaxValue()),
            String.format("%,d", histogram.getTotalCount()));
    }

    /**
     * Adds a row.
     *
     * @param cells one per column.
     * @return this.
     */
    public ResultTable add(final String... cells)
    {
        if (cells.length != header.size())
        {
            throw new IllegalArgumentException("row has " + cells.length + " cells, table has " + header.size());
        }
        rows.add(List.of(cells));
        return this;
    }

    /**
     * Prints the table in Markdown.
     *
     * @param out where to.
     */
    public void print(final PrintStream out)
    {
        out.println("| " + String.join(" | ", header) + " |");
        out.println("|" + "---|".repeat(header.size()));
        for (final List<String> row : rows)
        {
            out.println("| " + String.join(" | ", row) + " |");
        }
    }

    /**
     * Formats nanoseconds as microseconds.
     *
     * @param nanos a duration.
     * @return microseconds with two decimals.
     */
    public static String micros(final long nanos)
    {
        return String.format("%.2f", nanos / (double)TimeUnit.MICROSECONDS.toNanos(1));
    }

    /**
     * Formats a rate.
     *
     * @param perSecond events per second.
     * @return millions per second with two decimals, or thousands when below a million.
     */
    public static String rate(final double perSecond)
    {
        return perSecond >= 1e6 ? String.format("%.2f M/s", perSecond / 1e6) : String.format("%.1f k/s", perSecond / 1e3);
    }
}
