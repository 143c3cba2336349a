package dev.jipc.core.wait;

import java.util.concurrent.TimeUnit;

/**
 * How a blocking operation waits for its {@link WaitCondition}: spinning, sleeping on a futex, or both.
 * <p>
 * Every strategy honours the timeout (a wait may end late by a scheduling delay, never early) and ends with
 * {@link InterruptedException} when the thread is interrupted. Sleepers use no CPU: they are in the kernel, woken by
 * {@link EventCount#signal(int)} or, at the latest, after a {@value Futex#SLICE_MILLIS} ms slice to re-check the
 * interrupt flag.
 */
public enum WaitStrategy
{
    /** Spins until the condition holds: lowest latency, burns a core while waiting. Never sleeps. */
    BUSY_SPIN(Long.MAX_VALUE),
    /**
     * Spins briefly (1,000 spin-wait hints, some µs to tens of µs) so that quick hand-offs stay out of the kernel,
     * then sleeps.
     */
    SPIN_THEN_PARK(1_000),
    /** Sleeps at once: least CPU, a syscall on each side of every hand-off that has to wait. */
    PARK(0);

    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(Futex.SLICE_MILLIS);
    /** Spins between reads of the clock and the interrupt flag while busy spinning. */
    private static final int CHECK_INTERVAL = 1_024;

    private final long spins;

    WaitStrategy(final long spins)
    {
        this.spins = spins;
    }

    /**
     * Waits until the condition holds, however long that takes.
     *
     * @param eventCount the event count that wakers signal after making the condition true.
     * @param condition  what to wait for.
     * @throws InterruptedException if the thread is interrupted while waiting.
     */
    public void await(final EventCount eventCount, final WaitCondition condition) throws InterruptedException
    {
        await(eventCount, condition, Long.MAX_VALUE);
    }

    /**
     * Waits until the condition holds or the timeout passes.
     *
     * @param eventCount   the event count that wakers signal after making the condition true.
     * @param condition    what to wait for.
     * @param timeoutNanos the longest wait; 0 checks once; {@link Long#MAX_VALUE} waits forever.
     * @return true if the condition holds, false if the timeout passed first.
     * @throws InterruptedException if the thread is interrupted while waiting.
     */
    public boolean await(final EventCount eventCount, final WaitCondition condition, final long timeoutNanos)
        throws InterruptedException
    {
        if (condition.isSatisfied())
        {
            return true;
        }
        final long deadline = Futex.deadline(timeoutNanos);
        for (long i = 1; i <= spins; i++)
        {
            Thread.onSpinWait();
            if (condition.isSatisfied())
            {
                return true;
            }
            if ((i & (CHECK_INTERVAL - 1)) == 0)
            {
                if (Thread.interrupted())
                {
                    throw new InterruptedException("interrupted while spinning");
                }
                if (deadline - System.nanoTime() <= 0)
                {
                    return false;
                }
            }
        }
        return sleep(eventCount, condition, deadline);
    }

    private static boolean sleep(final EventCount eventCount, final WaitCondition condition, final long deadline)
        throws InterruptedException
    {
        int registration = eventCount.beginWait();
        long sliceNanos = Math.min(SLICE_NANOS, eventCount.firstSleepNanos());
        try
        {
            while (true)
            {
                final int sequence = eventCount.sequence();
                if (!eventCount.isRegistered(registration))
                {
                    // a wake forgot every waiter, this one included: be counted again before sleeping
                    registration = eventCount.beginWait();
                    continue;
                }
                if (condition.isSatisfied())
                {
                    return true;
                }
                final long remaining = deadline - System.nanoTime();
                if (remaining <= 0)
                {
                    return condition.isSatisfied();
                }
                // a slice at a time: a waker stopped between forgetting this registration and advancing Sequence
                // would otherwise leave this sleep uncounted (and unwoken) for as long as it stays stopped
                eventCount.sleep(sequence, Math.min(remaining, sliceNanos));
                sliceNanos = SLICE_NANOS;
            }
        }
        finally
        {
            eventCount.endWait(registration);
        }
    }
}
