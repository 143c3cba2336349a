package dev.jipc.tools.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * Pictures of a latency {@link InterleavedTable} ({@code --hgrm DIR}): for each row measured in Java, its round trips
 * of every round merged into one histogram and written as {@code TABLE-ROW.hgrm} (HdrHistogram's percentile
 * distribution in microseconds, the file its plotter reads); and one {@code TABLE.svg} with every row side by side,
 * latency by percentile, both axes logarithmic, as latency people compare them. The C and Python baselines print only
 * their percentiles, so they appear as points at p50, p99, p99.9 and max (the medians over rounds the table shows).
 */
final class LatencyCharts
{
    private static final int WIDTH = 900;
    private static final int PLOT_HEIGHT = 480;
    private static final int LEFT = 70;
    private static final int RIGHT = 30;
    private static final int TOP = 40;
    /** Room under the plot for the percentile labels and the axis title; the legend follows. */
    private static final int AXIS = 50;
    private static final int LEGEND_LINE = 18;
    /** The most nines an axis shows (99.9999%). */
    private static final int NINES = 6;
    private static final String[] COLOURS = {
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};
    /** The percentiles a baseline printed, and the sample values that hold them. */
    private static final double[] BASELINE_PERCENTILES = {50, 99, 99.9};
    private static final int[] BASELINE_METRICS = {InterleavedTable.P50, InterleavedTable.P99, InterleavedTable.P999};

    private LatencyCharts()
    {
    }

    /**
     * Writes the {@code .hgrm} files and the chart of a table that has run.
     *
     * @param directory where to; created if missing.
     * @param name      the table's file name stem, such as {@code pipe}.
     * @param table     a latency table, after {@link InterleavedTable#run()}.
     * @return the files written.
     */
    static List<Path> write(final Path directory, final String name, final InterleavedTable table)
    {
        try
        {
            Files.createDirectories(directory);
            final List<Path> written = new ArrayList<>();
            final List<Series> series = new ArrayList<>();
            for (final InterleavedTable.Row row : table.rows())
            {
                if (!row.isMeasured())
                {
                    continue;
                }
                final Histogram merged = merged(row);
                if (merged != null)
                {
                    final Path file = directory.resolve(name + "-" + slug(row.label()) + ".hgrm");
                    try (PrintStream out = new PrintStream(Files.newOutputStream(file), false, StandardCharsets.UTF_8))
                    {
                        merged.outputPercentileDistribution(out, 1000.0);
                    }
                    written.add(file);
                    series.add(curve(row.label(), merged));
                }
                else
                {
                    series.add(points(row));
                }
            }
            final Path svg = directory.resolve(name + ".svg");
            Files.writeString(svg, svg(table.title() + ": the round trips of every round, merged", series),
                StandardCharsets.UTF_8);
            written.add(svg);
            return written;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** The rounds of a row in one histogram, or null when the row's samples carry none (C, Python). */
    static Histogram merged(final InterleavedTable.Row row)
    {
        Histogram merged = null;
        for (final InterleavedTable.Sample sample : row.samples())
        {
            if (sample.histogram() == null)
            {
                return null;
            }
            if (merged == null)
            {
                merged = new Histogram(sample.histogram().getHighestTrackableValue(),
                    sample.histogram().getNumberOfSignificantValueDigits());
            }
            merged.add(sample.histogram());
        }
        return merged;
    }

    /**
     * A file name from a row label: lower case letters and digits, runs of anything else one dash.
     *
     * @param label a row label.
     * @return the slug.
     */
    static String slug(final String label)
    {
        final String slug = label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        return slug.replaceAll("^-|-$", "");
    }

    /**
     * Where a percentile lies on the x axis: the number of nines, {@code log10(1 / (1 - p))}, so that 90%, 99% and
     * 99.9% are evenly spaced; capped at {@link #NINES}.
     *
     * @param percentile 0 to 100.
     * @return 0 to {@link #NINES}.
     */
    static double nines(final double percentile)
    {
        final double rest = 1 - percentile / 100;
        return rest <= Math.pow(10, -NINES) ? NINES : Math.log10(1 / rest);
    }

    /** A row drawn as a line through its points, or as marks at them. */
    private record Series(String label, double[] nines, double[] nanos, boolean line)
    {
    }

    /** A histogram's line, which ends at the nines its count resolves: past them there is only its max. */
    private static Series curve(final String label, final Histogram histogram)
    {
        final double resolved = Math.min(NINES, Math.log10(Math.max(10, histogram.getTotalCount())));
        final List<double[]> points = new ArrayList<>();
        for (final HistogramIterationValue value : histogram.percentiles(5))
        {
            points.add(new double[]{Math.min(resolved, nines(value.getPercentileLevelIteratedTo())),
                histogram.highestEquivalentValue(value.getValueIteratedTo())});
        }
        final double[] x = new double[points.size()];
        final double[] y = new double[points.size()];
        for (int i = 0; i < x.length; i++)
        {
            x[i] = points.get(i)[0];
            y[i] = Math.max(1, points.get(i)[1]);
        }
        return new Series(label, x, y, true);
    }

    private static Series points(final InterleavedTable.Row row)
    {
        final double[] x = new double[BASELINE_PERCENTILES.length];
        final double[] y = new double[BASELINE_PERCENTILES.length];
        for (int i = 0; i < x.length; i++)
        {
            x[i] = nines(BASELINE_PERCENTILES[i]);
            y[i] = Math.max(1, RoundStatistics.median(row.values(BASELINE_METRICS[i])));
        }
        return new Series(row.label() + " (p50, p99, p99.9)", x, y, false);
    }

    private static String svg(final String title, final List<Series> series)
    {
        double lowest = Double.MAX_VALUE;
        double highest = 1;
        double rightmost = 3;
        for (final Series s : series)
        {
            for (int p = 0; p < s.nanos().length; p++)
            {
                lowest = Math.min(lowest, s.nanos()[p]);
                highest = Math.max(highest, s.nanos()[p]);
                rightmost = Math.max(rightmost, s.nines()[p]);
            }
        }
        final int fromDecade = (int)Math.floor(Math.log10(Math.min(lowest, highest)));
        final int toDecade = Math.max(fromDecade + 1, (int)Math.ceil(Math.log10(highest)));
        final Axes axes = new Axes(fromDecade, toDecade, (int)Math.ceil(rightmost - 1e-9));
        final int height = TOP + PLOT_HEIGHT + AXIS + LEGEND_LINE * series.size() + 10;
        final StringBuilder svg = new StringBuilder();
        svg.append(format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" " +
            "font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, height));
        svg.append(format("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, height));
        svg.append(format("<text x=\"%d\" y=\"20\" font-size=\"14\">%s</text>%n", LEFT, escape(title)));
        for (int decade = fromDecade; decade <= toDecade; decade++)
        {
            final double y = axes.y(Math.pow(10, decade));
            svg.append(format("<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n",
                LEFT, y, WIDTH - RIGHT, y));
            svg.append(format("<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                LEFT - 6, y + 4, micros(Math.pow(10, decade))));
        }
        for (int nine = 0; nine <= axes.nines(); nine++)
        {
            final double x = axes.x(nine);
            svg.append(format("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>%n",
                x, TOP, x, TOP + PLOT_HEIGHT));
            svg.append(format("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                x, TOP + PLOT_HEIGHT + 16, percentileLabel(nine)));
        }
        svg.append(format("<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">percentile</text>%n",
            (LEFT + WIDTH - RIGHT) / 2, TOP + PLOT_HEIGHT + 34));
        svg.append(format("<text transform=\"translate(16,%d) rotate(-90)\" text-anchor=\"middle\">round trip µs" +
            "</text>%n", TOP + PLOT_HEIGHT / 2));
        for (int i = 0; i < series.size(); i++)
        {
            final Series s = series.get(i);
            final String colour = COLOURS[i % COLOURS.length];
            if (s.line())
            {
                final StringBuilder points = new StringBuilder();
                for (int p = 0; p < s.nines().length; p++)
                {
                    points.append(format("%.1f,%.1f ", axes.x(s.nines()[p]), axes.y(s.nanos()[p])));
                }
                svg.append(format("<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"%s\"/>%n",
                    colour, points.toString().trim()));
            }
            else
            {
                for (int p = 0; p < s.nines().length; p++)
                {
                    svg.append(format("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"/>%n",
                        axes.x(s.nines()[p]), axes.y(s.nanos()[p]), colour));
                }
            }
            final int legendY = TOP + PLOT_HEIGHT + AXIS + LEGEND_LINE * i + 8;
            svg.append(format("<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"4\" fill=\"%s\"/>%n",
                LEFT, legendY - 4, colour));
            svg.append(format("<text x=\"%d\" y=\"%d\">%s</text>%n", LEFT + 20, legendY, escape(s.label())));
        }
        return svg.append("</svg>\n").toString();
    }

    /** The plot area's scales: nines on x, decades of nanoseconds on y, both linear in the logarithm. */
    private record Axes(int fromDecade, int toDecade, int nines)
    {
        double x(final double value)
        {
            return LEFT + (WIDTH - LEFT - RIGHT) * value / nines;
        }

        double y(final double nanos)
        {
            final double position = (Math.log10(nanos) - fromDecade) / (toDecade - fromDecade);
            return TOP + PLOT_HEIGHT - PLOT_HEIGHT * position;
        }
    }

    private static String percentileLabel(final int nines)
    {
        return switch (nines)
        {
            case 0 -> "0%";
            case 1 -> "90%";
            case 2 -> "99%";
            default -> "99." + "9".repeat(nines - 2) + "%";
        };
    }

    private static String micros(final double nanos)
    {
        return nanos >= 1000 ? format("%.0f", nanos / 1000) : format("%s", nanos / 1000);
    }

    private static String escape(final String text)
    {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String format(final String format, final Object... args)
    {
        return String.format(Locale.ROOT, format, args);
    }
}
