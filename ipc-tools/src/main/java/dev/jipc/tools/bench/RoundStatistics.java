package dev.jipc.tools.bench;

import java.util.Arrays;

/**
 * The statistics of an {@link InterleavedTable}, each over one value per round: the median a table shows, the range
 * it shows beside it, the ratio of a row to its reference measured in the same round, and whether the rounds
 * disagree by more than a run can be trusted with.
 */
final class RoundStatistics
{
    private RoundStatistics()
    {
    }

    /**
     * The median: the middle value, or the mean of the two middle values of an even number.
     *
     * @param values one per round, in any order; not changed.
     * @return the median.
     * @throws IllegalArgumentException if there are no values or one is NaN.
     */
    static double median(final double[] values)
    {
        final double[] sorted = sorted(values);
        final int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /**
     * The lowest value.
     *
     * @param values one per round.
     * @return the lowest.
     * @throws IllegalArgumentException if there are no values or one is NaN.
     */
    static double min(final double[] values)
    {
        return sorted(values)[0];
    }

    /**
     * The highest value.
     *
     * @param values one per round.
     * @return the highest.
     * @throws IllegalArgumentException if there are no values or one is NaN.
     */
    static double max(final double[] values)
    {
        final double[] sorted = sorted(values);
        return sorted[sorted.length - 1];
    }

    /**
     * How far apart the rounds are: the highest value over the lowest, 1 when they all agree.
     *
     * @param values one per round, each positive.
     * @return the factor, at least 1.
     * @throws IllegalArgumentException if there are no values, or one is NaN or not positive.
     */
    static double spread(final double[] values)
    {
        final double[] sorted = sorted(values);
        if (sorted[0] <= 0)
        {
            throw new IllegalArgumentException("a spread needs positive values: min=" + sorted[0]);
        }
        return sorted[sorted.length - 1] / sorted[0];
    }

    /**
     * Each round's value divided by the reference's value of the same round, so that a change of the machine's
     * regime between rounds, which moves both, cancels out.
     *
     * @param values     the row's values, one per round.
     * @param references the reference row's values, one per the same round.
     * @return the per-round ratios.
     * @throws IllegalArgumentException if the rows have different numbers of rounds.
     */
    static double[] ratios(final double[] values, final double[] references)
    {
        if (values.length != references.length)
        {
            throw new IllegalArgumentException("rounds differ: values=" + values.length + ", references=" +
                references.length);
        }
        final double[] ratios = new double[values.length];
        for (int i = 0; i < values.length; i++)
        {
            ratios[i] = values[i] / references[i];
        }
        return ratios;
    }

    /**
     * Whether the rounds disagree by more than a table can report as one number with its range and still be
     * read as a measurement: the highest round is more than {@code tolerance} times the lowest.
     *
     * @param values    one per round, each positive.
     * @param tolerance the largest factor accepted, at least 1.
     * @return true if the rounds disagree.
     * @throws IllegalArgumentException if the tolerance is below 1 or the values are not positive.
     */
    static boolean disagree(final double[] values, final double tolerance)
    {
        if (!(tolerance >= 1))
        {
            throw new IllegalArgumentException("tolerance must be at least 1: tolerance=" + tolerance);
        }
        return spread(values) > tolerance;
    }

    private static double[] sorted(final double[] values)
    {
        if (values.length == 0)
        {
            throw new IllegalArgumentException("no rounds");
        }
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        if (Double.isNaN(sorted[sorted.length - 1]))
        {
            throw new IllegalArgumentException("a round has no value: values=" + Arrays.toString(values));
        }
        return sorted;
    }
}
