package dev.jipc.pool;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * How a pool's threads wait for their next message: a thread that has just handled one keeps looking for the next
 * for a short window before it blocks, as Agrona's {@code BackoffIdleStrategy} yields before it parks.
 * <p>
 * A task's round trip passes three waiting threads (the worker on its task ring, the result thread on the result
 * queue, the caller in {@link AsyncResult#get()}). On a small VM a parked thread takes 30-60 µs to wake, longer than
 * the rest of the round trip; a thread that lingers finds a message that follows its last one within the window at
 * once. Past the window it parks and uses no CPU, so an idle pool costs one window of looking per thread.
 * <p>
 * It looks with {@link Thread#yield()}, not {@link Thread#onSpinWait()}: a pool of two workers has four such threads,
 * more than a small machine's CPUs, and a thread that spins keeps the CPU that the one holding the message needs
 * (measured on 2 vCPUs: a round trip of 210-250 µs spinning against 4-10 µs yielding, and 74 µs when only the
 * caller spun, for 20 µs).
 */
final class Linger
{
    /** How long after its last message a thread keeps looking for the next before it blocks. */
    static final long WINDOW_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

    private Linger()
    {
    }

    /**
     * Looks, yielding the CPU between looks, until something is there or the window that began at
     * {@code sinceNanos} has passed.
     *
     * @param somethingThere whether the next message has come (read-only: called on every look).
     * @param sinceNanos     when the window began ({@link System#nanoTime()} of the last message).
     * @return true if something is there.
     */
    static boolean awaitWithin(final BooleanSupplier somethingThere, final long sinceNanos)
    {
        while (!somethingThere.getAsBoolean())
        {
            if (System.nanoTime() - sinceNanos - WINDOW_NANOS > 0)
            {
                return false;
            }
            Thread.yield();
        }
        return true;
    }
}
