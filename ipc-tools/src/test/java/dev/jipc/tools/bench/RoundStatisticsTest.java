package dev.jipc.tools.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RoundStatisticsTest
{
    @Test
    void shouldTakeTheMiddleRoundOfAnOddNumberWhateverTheirOrder()
    {
        final double[] values = {9, 1, 5, 3, 7};
        assertEquals(5, RoundStatistics.median(values));
        assertArrayEquals(new double[]{9, 1, 5, 3, 7}, values, "the caller's rounds stay in their order");
    }

    @Test
    void shouldAverageTheTwoMiddleRoundsOfAnEvenNumber()
    {
        assertEquals(4.5, RoundStatistics.median(new double[]{10, 1, 3, 6}));
    }

    @Test
    void shouldReportTheLowestAndHighestRound()
    {
        final double[] values = {2.4, 58.6, 1.7, 3.0};
        assertEquals(1.7, RoundStatistics.min(values));
        assertEquals(58.6, RoundStatistics.max(values));
        assertEquals(58.6 / 1.7, RoundStatistics.spread(values), 1e-12);
        assertEquals(1, RoundStatistics.spread(new double[]{3, 3, 3}));
    }

    @Test
    void shouldDivideEachRoundByTheReferenceOfTheSameRound()
    {
        // the regime changes between rounds 1 and 2: times move twenty-fold, the ratio does not
        final double[] ratios = RoundStatistics.ratios(new double[]{2.4, 58.6, 2.6}, new double[]{1.2, 58.6, 1.3});
        assertArrayEquals(new double[]{2, 1, 2}, ratios, 1e-12);
        assertEquals(2, RoundStatistics.median(ratios), 1e-12);
    }

    @Test
    void shouldSayRoundsDisagreeOnlyBeyondTheTolerance()
    {
        assertFalse(RoundStatistics.disagree(new double[]{10, 12, 15}, 1.5));
        assertTrue(RoundStatistics.disagree(new double[]{10, 12, 15.1}, 1.5));
        assertFalse(RoundStatistics.disagree(new double[]{7}, 1));
    }

    @Test
    void shouldRejectWhatIsNotARound()
    {
        assertThrows(IllegalArgumentException.class, () -> RoundStatistics.median(new double[0]));
        assertThrows(IllegalArgumentException.class, () -> RoundStatistics.median(new double[]{1, Double.NaN}));
        assertThrows(IllegalArgumentException.class, () -> RoundStatistics.spread(new double[]{0, 1}));
        assertThrows(IllegalArgumentException.class, () -> RoundStatistics.disagree(new double[]{1, 2}, 0.5));
        assertThrows(IllegalArgumentException.class,
            () -> RoundStatistics.ratios(new double[]{1, 2}, new double[]{1}));
    }
}
