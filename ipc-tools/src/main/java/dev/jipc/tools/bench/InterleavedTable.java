package dev.jipc.tools.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.jipc.core.wait.WaitStrategy;
import org.HdrHistogram.Histogram;

/**
 * A benchmark table whose rows can be compared: the rows run interleaved, in rounds (A B C, A B C, ...), so that a
 * change in the machine's regime (on a small VM an idle vCPU wakes in about 50 µs, a busy one in about 2 µs) moves
 * every row of a round alike instead of landing whole rows in different regimes. The table shows each row's median
 * over the rounds and the range of its rounds, and, for a row with a reference (the C futex floor, the bare ring,
 * Python), the median of the per-round ratios to that reference, measured in the same round. When a row's rounds,
 * or its ratios, differ by more than {@link RoundsOptions#maxSpread} times, the median hides more than its range
 * admits, and the table prints a warning saying which rows and by how much.
 * <p>
 * With {@link RoundsOptions#keepAwake} the rounds run beside a {@link KeepAwake} load, so that the busy regime can be
 * measured on purpose; the legend above the table says which regime it is.
 * <p>
 * Latency rows report per-round percentiles (each round's own histogram, or the percentiles a C or Python baseline
 * printed), and each percentile column is the median over rounds of that round's percentile. Throughput rows report
 * one rate per round.
 */
final class InterleavedTable
{
    /** Where a latency sample holds each percentile. */
    static final int P50 = 0;
    static final int P99 = 1;
    static final int P999 = 2;
    private static final int MAX = 3;
    private static final int RATE = 0;

    /** What a row's samples hold, and so which columns the table prints. */
    enum Kind
    {
        /** Round trips: p50, p99, p99.9 and max in nanoseconds; compared at p50 and p99. */
        LATENCY,
        /** Messages (or operations) per second; compared by rate. */
        THROUGHPUT
    }

    /** One round of one row. */
    @FunctionalInterface
    interface Measurement
    {
        /**
         * @return this round's sample.
         * @throws Unavailable if the row cannot run on this machine (no gcc), known in the first round.
         * @throws Exception   if the measurement failed, which fails the benchmark.
         */
        Sample measure() throws Exception;
    }

    /** One round of a row that is measured once per wait strategy. */
    @FunctionalInterface
    interface StrategyMeasurement
    {
        /**
         * @param strategy the row's strategy.
         * @return this round's sample.
         * @throws Exception if the measurement failed, which fails the benchmark.
         */
        Sample measure(WaitStrategy strategy) throws Exception;
    }

    /** A row that cannot run on this machine, such as the C baseline without {@code gcc}; the table notes it. */
    static final class Unavailable extends Exception
    {
        private static final long serialVersionUID = 1L;

        /**
         * @param note what the table prints instead of the row.
         */
        Unavailable(final String note)
        {
            super(note, null, false, false);
        }
    }

    /**
     * One round of one row.
     *
     * @param values    nanoseconds at p50, p99, p99.9 and max for latency; messages per second for throughput.
     * @param count     round trips or messages measured.
     * @param histogram the round trips of a latency row measured in Java, or null (C, Python, throughput).
     */
    record Sample(double[] values, long count, Histogram histogram)
    {
        /**
         * @param histogram round trips in nanoseconds.
         * @return a latency sample.
         */
        static Sample latency(final Histogram histogram)
        {
            return new Sample(new double[]{histogram.getValueAtPercentile(50), histogram.getValueAtPercentile(99),
                histogram.getValueAtPercentile(99.9), histogram.getMaxValue()}, histogram.getTotalCount(), histogram);
        }

        /**
         * @param line what the C and Python baselines print: {@code p50 p99 p99.9 max count}, in nanoseconds.
         * @return a latency sample.
         */
        static Sample latency(final String line)
        {
            final String[] fields = line.trim().split(" ");
            if (fields.length != 5)
            {
                throw new IllegalArgumentException("expected 'p50 p99 p99.9 max count': line=" + line);
            }
            return new Sample(new double[]{Long.parseLong(fields[0]), Long.parseLong(fields[1]),
                Long.parseLong(fields[2]), Long.parseLong(fields[3])}, Long.parseLong(fields[4]), null);
        }

        /**
         * @param perSecond the round's rate.
         * @param count     messages or operations measured.
         * @return a throughput sample.
         */
        static Sample rate(final double perSecond, final long count)
        {
            return new Sample(new double[]{perSecond}, count, null);
        }
    }

    /** A row: its label, how to measure one round, and what it is compared with. */
    static final class Row
    {
        private final String label;
        private final String detail;
        private final Measurement measurement;
        private final List<Sample> samples = new ArrayList<>();
        private String shortName;
        private Row reference;
        private boolean compared = true;
        private int bytesPerMessage;
        private String unavailable;

        private Row(final String label, final String detail, final Measurement measurement)
        {
            this.label = label;
            this.detail = detail;
            this.measurement = measurement;
            this.shortName = label;
        }

        /**
         * Compares this row with another, round by round, instead of with the table's
         * {@link InterleavedTable#compareAllWith} row.
         *
         * @param reference a row of the same table.
         * @return this.
         */
        Row against(final Row reference)
        {
            this.reference = reference;
            return this;
        }

        /**
         * Leaves this row out of the table's {@link InterleavedTable#compareAllWith} comparison: a row that spins and
         * never parks is not measured against the floor of a parked round trip.
         *
         * @return this.
         */
        Row notCompared()
        {
            this.compared = false;
            return this;
        }

        /**
         * @param name what the ratio cells of rows compared with this one call it.
         * @return this.
         */
        Row shortName(final String name)
        {
            this.shortName = name;
            return this;
        }

        /**
         * @param bytes the payload of one message, for the MB/s column of a throughput table.
         * @return this.
         */
        Row bytesPerMessage(final int bytes)
        {
            this.bytesPerMessage = bytes;
            return this;
        }

        String label()
        {
            return label;
        }

        List<Sample> samples()
        {
            return samples;
        }

        boolean isMeasured()
        {
            return unavailable == null && !samples.isEmpty();
        }

        double[] values(final int metric)
        {
            final double[] values = new double[samples.size()];
            for (int i = 0; i < values.length; i++)
            {
                values[i] = samples.get(i).values()[metric];
            }
            return values;
        }
    }

    private final Kind kind;
    private final String title;
    private final String detailColumn;
    private final String unit;
    private final RoundsOptions options;
    private final List<Row> rows = new ArrayList<>();
    private Row defaultReference;
    private String referenceName = "C floor";
    private String referenceDescription = "the C futex ping-pong's";
    private String countName = "round trips";

    private InterleavedTable(final Kind kind, final String title, final String detailColumn, final String unit,
        final RoundsOptions options)
    {
        if (options.rounds < 1)
        {
            throw new IllegalArgumentException("rounds must be positive: rounds=" + options.rounds);
        }
        // checked before the rounds run, not when the warning is printed at their end
        if (!(options.maxSpread >= 1))
        {
            throw new IllegalArgumentException("max-spread must be at least 1: maxSpread=" + options.maxSpread);
        }
        this.kind = kind;
        this.title = title;
        this.detailColumn = detailColumn;
        this.unit = unit;
        this.options = options;
    }

    /**
     * A table of round-trip latencies, each row compared with the C futex floor.
     *
     * @param title   the title of the first column.
     * @param options the rounds.
     * @return an empty table.
     */
    static InterleavedTable latency(final String title, final RoundsOptions options)
    {
        return new InterleavedTable(Kind.LATENCY, title, null, null, options);
    }

    /**
     * A table of rates.
     *
     * @param title        the title of the first column.
     * @param detailColumn the title of a second column of row details (producers -> consumers), or null for none.
     * @param unit         what is counted, in millions per second: {@code "M msg/s"}.
     * @param options      the rounds.
     * @return an empty table.
     */
    static InterleavedTable throughput(final String title, final String detailColumn, final String unit,
        final RoundsOptions options)
    {
        return new InterleavedTable(Kind.THROUGHPUT, title, detailColumn, unit, options);
    }

    /**
     * Adds a row; rows run in the order they were added, once per round.
     *
     * @param label       the first column.
     * @param detail      the detail column, or null when the table has none.
     * @param measurement one round.
     * @return the row, to set its reference.
     */
    Row add(final String label, final String detail, final Measurement measurement)
    {
        if ((detail == null) != (detailColumn == null))
        {
            throw new IllegalArgumentException("a detail is needed exactly when the table has a detail column: " +
                "label=" + label + ", detail=" + detail);
        }
        final Row row = new Row(label, detail, measurement);
        rows.add(row);
        return row;
    }

    /**
     * Adds a row without a detail.
     *
     * @param label       the first column.
     * @param measurement one round.
     * @return the row, to set its reference.
     */
    Row add(final String label, final Measurement measurement)
    {
        return add(label, null, measurement);
    }

    /**
     * Adds a row per {@link WaitStrategy}, labelled {@code prefix + strategy}; the {@link WaitStrategy#BUSY_SPIN}
     * row, which never parks, is {@linkplain Row#notCompared() not compared} with the table's floor.
     *
     * @param prefix      the label before the strategy's name.
     * @param measurement one round with a strategy.
     */
    void addPerStrategy(final String prefix, final StrategyMeasurement measurement)
    {
        for (final WaitStrategy strategy : WaitStrategy.values())
        {
            final Row row = add(prefix + strategy.name(), () -> measurement.measure(strategy));
            if (strategy == WaitStrategy.BUSY_SPIN)
            {
                row.notCompared();
            }
        }
    }

    /**
     * Compares every row that has no reference of its own with this one, whenever it was added.
     *
     * @param reference a row of this table: the C floor of a latency table.
     */
    void compareAllWith(final Row reference)
    {
        defaultReference = reference;
    }

    /**
     * Names the reference of a latency table's ratio columns, which are the C futex floor's unless said otherwise.
     *
     * @param name        the column's reference, such as {@code "Python fork"}.
     * @param description the legend's words for it, such as {@code "the Python fork row's"}.
     */
    void referenceName(final String name, final String description)
    {
        referenceName = name;
        referenceDescription = description;
    }

    /**
     * Names what a latency table's rows count, which are round trips unless said otherwise.
     *
     * @param name the last column's title, such as {@code "messages"}.
     */
    void countName(final String name)
    {
        countName = name;
    }

    /**
     * Runs the rounds: each round measures every row once, in the order they were added. A row that is
     * {@link Unavailable} in the first round is left out of the later ones.
     *
     * @throws Exception from a failed measurement.
     */
    void run() throws Exception
    {
        if (options.keepAwake)
        {
            try (KeepAwake load = KeepAwake.start())
            {
                runRounds();
            }
        }
        else
        {
            runRounds();
        }
    }

    private void runRounds() throws Exception
    {
        for (int round = 1; round <= options.rounds; round++)
        {
            for (final Row row : rows)
            {
                if (row.unavailable != null)
                {
                    continue;
                }
                try
                {
                    row.samples.add(row.measurement.measure());
                }
                catch (final Unavailable ex)
                {
                    if (round > 1)
                    {
                        throw new IllegalStateException(row.label + ": measured in round 1, unavailable in round " +
                            round + ": " + ex.getMessage(), ex);
                    }
                    row.unavailable = ex.getMessage();
                }
            }
        }
    }

    /**
     * @return the title of the first column, which says what the table measures.
     */
    String title()
    {
        return title;
    }

    /**
     * The rows, in table order.
     *
     * @return the rows.
     */
    List<Row> rows()
    {
        return rows;
    }

    /**
     * Prints what the numbers are, the table in Markdown, the notes of rows that could not run, and a warning when
     * rounds disagree.
     *
     * @param out where to.
     */
    void print(final PrintStream out)
    {
        out.println(legend());
        final ResultTable table = new ResultTable(columns());
        final List<String> notes = new ArrayList<>();
        for (final Row row : rows)
        {
            if (row.isMeasured())
            {
                table.add(cells(row));
            }
            else if (row.unavailable != null)
            {
                notes.add("(" + row.unavailable + ")");
            }
        }
        table.print(out);
        notes.stream().distinct().forEach(out::println);
        disagreements().forEach(out::println);
    }

    /**
     * One warning line per row whose rounds, or whose per-round ratios to its reference, differ by more than
     * {@link RoundsOptions#maxSpread} times, after a line that says what that means; empty when they agree.
     *
     * @return the lines to print.
     */
    List<String> disagreements()
    {
        final List<String> lines = new ArrayList<>();
        final int primary = kind == Kind.LATENCY ? P50 : RATE;
        for (final Row row : rows)
        {
            if (!row.isMeasured())
            {
                continue;
            }
            final double[] values = row.values(primary);
            final boolean valuesDisagree = RoundStatistics.disagree(values, options.maxSpread);
            final double[] ratios = ratiosToWarnOf(row, primary);
            final boolean ratiosDisagree = ratios != null && RoundStatistics.disagree(ratios, options.maxSpread);
            if (valuesDisagree || ratiosDisagree)
            {
                final StringBuilder line = new StringBuilder("warning:   ").append(row.label)
                    .append(row.detail == null ? "" : " " + row.detail).append(": ")
                    .append(kind == Kind.LATENCY ? "p50" : unit).append(" of the rounds ")
                    .append(range(values)).append(format(" (%.1fx)", RoundStatistics.spread(values)));
                if (ratios != null)
                {
                    line.append(", ratio to ").append(referenceOf(row).shortName).append(' ')
                        .append(ratioRange(ratios)).append(format(" (%.1fx)", RoundStatistics.spread(ratios)));
                }
                lines.add(line.toString());
            }
        }
        if (!lines.isEmpty())
        {
            lines.addFirst(format("warning: the rounds of %d row(s) disagree by more than %.2fx (--max-spread), " +
                "more than a median and its range can stand for: the machine changed regime during the run " +
                "(other load came or went; an idle vCPU wakes in tens of µs, a busy one in a few). Where only the " +
                "values disagree, compare the ratios; where the ratios do too, measure again on a quieter or " +
                "steadily loaded machine.",
                lines.size(), options.maxSpread));
        }
        return lines;
    }

    private String legend()
    {
        final String rounds = options.rounds + (options.rounds == 1 ? " round" : " rounds") +
            ", rows interleaved (each round runs every row once, in table order), " +
            (options.keepAwake ? "beside a SCHED_IDLE busy loop per CPU (--keep-awake: no vCPU sleeps). " :
            "on the machine as it was (no --keep-awake). ");
        if (kind == Kind.LATENCY)
        {
            return rounds + "Each time is the median over the rounds of that round's percentile; p50 range is " +
                "the lowest and highest round p50; ÷ " + referenceName + " is the median over the rounds of " +
                "the row's percentile divided by " + referenceDescription + " in the same round (blank for rows " +
                "that spin and never park).";
        }
        return rounds + unit + " is the median over the rounds of each round's rate; range is the lowest and " +
            "highest round; ÷ reference is the median over the rounds of the row's rate divided by the named row's " +
            "in the same round.";
    }

    private String[] columns()
    {
        final List<String> columns = new ArrayList<>(List.of(title));
        if (kind == Kind.LATENCY)
        {
            columns.addAll(List.of("p50 µs", "p50 range µs", "p99 µs", "p99.9 µs", "max µs",
                "p50 ÷ " + referenceName, "p99 ÷ " + referenceName, countName));
        }
        else
        {
            if (detailColumn != null)
            {
                columns.add(detailColumn);
            }
            columns.addAll(List.of(unit, "range"));
            if (hasMegabytes())
            {
                columns.add("MB/s");
            }
            columns.addAll(List.of("÷ reference", "per round"));
        }
        return columns.toArray(String[]::new);
    }

    private String[] cells(final Row row)
    {
        final List<String> cells = new ArrayList<>(List.of(row.label));
        final String count = row.samples.size() + " × " + format("%,d", row.samples.getFirst().count());
        if (kind == Kind.LATENCY)
        {
            final double[] p50 = row.values(P50);
            cells.addAll(List.of(micros(RoundStatistics.median(p50)), range(p50),
                micros(RoundStatistics.median(row.values(P99))), micros(RoundStatistics.median(row.values(P999))),
                micros(RoundStatistics.median(row.values(MAX))), ratio(row, P50), ratio(row, P99), count));
        }
        else
        {
            if (detailColumn != null)
            {
                cells.add(row.detail);
            }
            final double[] rates = row.values(RATE);
            final double median = RoundStatistics.median(rates);
            cells.addAll(List.of(millions(median), range(rates)));
            if (hasMegabytes())
            {
                cells.add(row.bytesPerMessage == 0 ? "" : format("%.0f", median * row.bytesPerMessage / 1e6));
            }
            final String ratio = ratio(row, RATE);
            cells.addAll(List.of(ratio.isEmpty() ? ratio : ratio + " " + referenceOf(row).shortName, count));
        }
        return cells.toArray(String[]::new);
    }

    private boolean hasMegabytes()
    {
        return rows.stream().anyMatch(row -> row.bytesPerMessage > 0);
    }

    private Row referenceOf(final Row row)
    {
        if (!row.compared)
        {
            return null;
        }
        return row.reference != null ? row.reference : defaultReference;
    }

    /** The per-round ratios of a row to its reference, or null when it has none or the reference did not run. */
    private double[] ratios(final Row row, final int metric)
    {
        final Row reference = referenceOf(row);
        if (reference == null || !reference.isMeasured())
        {
            return null;
        }
        return RoundStatistics.ratios(row.values(metric), reference.values(metric));
    }

    /** The per-round ratios worth a warning: none for the reference itself, whose ratio is 1 by definition. */
    private double[] ratiosToWarnOf(final Row row, final int metric)
    {
        return referenceOf(row) == row ? null : ratios(row, metric);
    }

    private String ratio(final Row row, final int metric)
    {
        final double[] ratios = ratios(row, metric);
        return ratios == null ? "" : ratioOf(RoundStatistics.median(ratios));
    }

    /** Two significant digits or more, so that a spinning row's 0.004x does not read as 0. */
    private static String ratioOf(final double ratio)
    {
        return format(ratio >= 10 ? "%.0fx" : ratio >= 0.1 ? "%.2fx" : "%.3fx", ratio);
    }

    private static String ratioRange(final double[] ratios)
    {
        return ratioOf(RoundStatistics.min(ratios)) + "–" + ratioOf(RoundStatistics.max(ratios));
    }

    private String range(final double[] values)
    {
        final double min = RoundStatistics.min(values);
        final double max = RoundStatistics.max(values);
        return kind == Kind.LATENCY ? micros(min) + "–" + micros(max) : millions(min) + "–" + millions(max);
    }

    private static String micros(final double nanos)
    {
        return format("%.2f", nanos / 1e3);
    }

    /** Millions with three significant digits or more, so that Python's 0.217 and LongQueue's 51.7 both read. */
    private static String millions(final double perSecond)
    {
        final double millions = perSecond / 1e6;
        return format(millions >= 10 ? "%.1f" : millions >= 1 ? "%.2f" : "%.3f", millions);
    }

    private static String format(final String format, final Object... args)
    {
        return String.format(Locale.ROOT, format, args);
    }
}
