package dev.jipc.tools.demo;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import dev.jipc.sync.LongValue;

/**
 * The tasks of {@link PoolDemo}'s programs, run by the pool's workers: what Python's functions are in the seeds.
 * Static methods, so that a lambda calling one captures only the values it names.
 */
final class PoolTasks
{
    /** The longest of seed 003's random sleeps (Python's is 3 s). */
    static final long LONGEST_TASK_MILLIS = 300;

    private PoolTasks()
    {
    }

    /**
     * Seed 003's {@code long_time_task}: says it runs, sleeps up to {@link #LONGEST_TASK_MILLIS}, says how long.
     *
     * @return {@code name pid sleptMillis}.
     */
    static String longTimeTask(final int name)
    {
        final long pid = ProcessHandle.current().pid();
        say("  Run task " + name + " (" + pid + ")...");
        final long start = System.nanoTime();
        sleep(ThreadLocalRandom.current().nextLong(LONGEST_TASK_MILLIS + 1));
        final long slept = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        say(String.format("  Task %d runs %.2f seconds.", name, slept / 1e3));
        return name + " " + pid + " " + slept;
    }

    /** Seed 004's {@code f}. */
    static int square(final int x)
    {
        return x * x;
    }

    /** Python's {@code os.getpid}. */
    static long pid()
    {
        return ProcessHandle.current().pid();
    }

    /** Python's {@code time.sleep}; returns the seconds slept. */
    static int sleepSeconds(final int seconds)
    {
        sleep(TimeUnit.SECONDS.toMillis(seconds));
        return seconds;
    }

    /** Where a task of the thread pool runs: {@code pid threadName}. */
    static String whereAmI(final int x)
    {
        return ProcessHandle.current().pid() + " " + Thread.currentThread().getName();
    }

    /**
     * The square of {@code x}, except that the doomed item's task records its worker's pid and hangs until the
     * demo kills that worker.
     */
    static int squareOrHang(final LongValue victim, final int doomed, final int x)
    {
        if (x == doomed)
        {
            victim.set(ProcessHandle.current().pid());
            sleep(TimeUnit.SECONDS.toMillis(DemoCommand.TIMEOUT_SECONDS));
        }
        return x * x;
    }

    /** Prints a line with one write, so that the lines of workers sharing this stdout do not interleave. */
    private static void say(final String line)
    {
        final byte[] bytes = (line + System.lineSeparator()).getBytes(StandardCharsets.UTF_8);
        System.out.write(bytes, 0, bytes.length);
        System.out.flush();
    }

    private static void sleep(final long millis)
    {
        try
        {
            Thread.sleep(millis);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
