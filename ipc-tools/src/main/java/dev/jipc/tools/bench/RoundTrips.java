package dev.jipc.tools.bench;

import java.util.concurrent.TimeUnit;

import dev.jipc.core.ChildProcesses;
import org.HdrHistogram.Histogram;

/** Times round trips with a partner process into an HdrHistogram: the loop every latency benchmark shares. */
final class RoundTrips
{
    /** Longest wait for the first answer, which also waits for the partner JVM to start. */
    static final long FIRST_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** Longest wait for any later answer. */
    static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** One round trip; throws if the answer is wrong or does not come within the timeout. */
    @FunctionalInterface
    interface RoundTrip
    {
        /**
         * @param round        the round, counting from 1.
         * @param timeoutNanos the longest wait for the answer.
         * @throws Exception if the answer is wrong or late, or the partner is gone.
         */
        void run(int round, long timeoutNanos) throws Exception;
    }

    private RoundTrips()
    {
    }

    /**
     * Runs {@link RoundTripOptions#warmup} unmeasured round trips, then {@link RoundTripOptions#roundTrips} measured
     * ones.
     *
     * @param label     what the progress bar shows.
     * @param sizes     how many round trips.
     * @param roundTrip one round trip.
     * @return the measured round trips, in nanoseconds.
     * @throws Exception from a failed round trip.
     */
    static Histogram measure(final String label, final RoundTripOptions sizes, final RoundTrip roundTrip)
        throws Exception
    {
        final Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        final int warmup = sizes.warmup;
        final int total = sizes.total();
        final ProgressBar progress = new ProgressBar(label, total);
        for (int round = 1; round <= total; round++)
        {
            final long start = System.nanoTime();
            roundTrip.run(round, round == 1 ? FIRST_TIMEOUT_NANOS : TIMEOUT_NANOS);
            if (round > warmup)
            {
                histogram.recordValue(System.nanoTime() - start);
            }
            progress.update(round);
        }
        progress.finish();
        return histogram;
    }

    /**
     * Waits for the partner JVM to finish its rounds and exit cleanly; kills it if it does not exit in time.
     *
     * @param partner the partner JVM.
     * @param label   what to name in the error.
     * @throws IllegalStateException if the partner did not exit in time or exited with another status than 0.
     * @throws InterruptedException  if interrupted while waiting.
     */
    static void awaitPartner(final ChildProcesses.Child partner, final String label) throws InterruptedException
    {
        try
        {
            ChildProcesses.awaitSuccess(partner, 30, TimeUnit.SECONDS);
        }
        catch (final IllegalStateException ex)
        {
            throw new IllegalStateException(label + ": the partner JVM failed: " + ex.getMessage(), ex);
        }
    }
}
