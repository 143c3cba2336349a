package dev.jipc.tools.bench;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.wait.WaitStrategy;
import dev.jipc.sync.Barrier;
import dev.jipc.sync.Condition;
import dev.jipc.sync.Event;
import dev.jipc.sync.Lock;
import dev.jipc.sync.LongArray;
import dev.jipc.sync.LongValue;
import dev.jipc.sync.RLock;
import dev.jipc.sync.RobustLock;
import dev.jipc.sync.Semaphore;
import dev.jipc.sync.SyncArena;
import dev.jipc.sync.SyncKind;
import dev.jipc.sync.SyncObject;

/**
 * The other JVM of {@link LockBench} and {@link SemaphoreBench}:
 * {@code <directory> <arena> <mode> <strategy> <count> <index> <offset>...}, attaching to the arena's objects by
 * offset. Exits 0 when done, 2 when a wait timed out.
 * <ul>
 *   <li>{@code lock} (offsets: lock, value, barrier, times): after a warm-up on private objects and the start
 *   barrier, {@code count} times: lock,
 *   {@code value.setRaw(value.getRaw() + 1)}, unlock; writes its start and end {@code System.nanoTime()} (the
 *   host's monotonic clock) to {@code times[2 * index]} and {@code times[2 * index + 1]}.</li>
 *   <li>{@code value-lock} (offsets: value, barrier, times): Python's program, {@code with v.get_lock(): v.value += 1},
 *   that is the value's own RLock held around a locked {@code get} and {@code set}.</li>
 *   <li>{@code get-and-add} (offsets: value, barrier, times): the lock-free {@code getAndAdd(1)}.</li>
 *   <li>{@code pong} (offsets: ping, pong): {@code count} times: acquire ping, release pong.</li>
 *   <li>{@code condition-pong} (offsets: condition, turn): holding the condition's lock, for each round {@code r}
 *   of {@code count}: wait for turn {@code 2r - 1}, set turn {@code 2r}, signal.</li>
 *   <li>{@code event-pong} (offsets: ping, pong): {@code count} times: wait for the ping event, clear it, set the
 *   pong event.</li>
 * </ul>
 */
public final class SyncBenchChild
{
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final int WARMUP_ROUNDS = 5;
    private static final long WARMUP_INCREMENTS = 200_000;

    private SyncBenchChild()
    {
    }

    /**
     * @param args as above.
     * @throws Exception on failure, which fails the benchmark.
     */
    public static void main(final String[] args) throws Exception
    {
        final String mode = args[2];
        final WaitStrategy strategy = WaitStrategy.valueOf(args[3]);
        final long count = Long.parseLong(args[4]);
        final int index = Integer.parseInt(args[5]);
        try (SyncArena arena = SyncArena.open(Path.of(args[0]), args[1]))
        {
            switch (mode)
            {
                case "lock" -> increment(arena, strategy, count, index, offset(args, 0), offset(args, 1),
                    offset(args, 2), offset(args, 3), true);
                case "value-lock" -> increment(arena, strategy, count, index, -1, offset(args, 0), offset(args, 1),
                    offset(args, 2), true);
                case "get-and-add" -> increment(arena, strategy, count, index, -1, offset(args, 0), offset(args, 1),
                    offset(args, 2), false);
                case "pong" -> pong(arena, strategy, count, SyncKind.SEMAPHORE, offset(args, 0), offset(args, 1));
                case "condition-pong" -> conditionPong(arena, strategy, count, offset(args, 0), offset(args, 1));
                case "event-pong" -> pong(arena, strategy, count, SyncKind.EVENT, offset(args, 0), offset(args, 1));
                default -> throw new IllegalArgumentException("unknown mode: mode=" + mode);
            }
        }
    }

    private static int offset(final String[] args, final int i)
    {
        return Integer.parseInt(args[6 + i]);
    }

    private static void increment(
        final SyncArena arena, final WaitStrategy strategy, final long count, final int index, final int lockOffset,
        final int valueOffset, final int barrierOffset, final int timesOffset, final boolean locked) throws Exception
    {
        warmUp(arena, count, index, lockOffset >= 0, locked);
        try (LongValue value = (LongValue)arena.attach(valueOffset, SyncKind.LONG_VALUE, strategy);
            Barrier barrier = (Barrier)arena.attach(barrierOffset, SyncKind.BARRIER, strategy);
            LongArray times = (LongArray)arena.attach(timesOffset, SyncKind.LONG_ARRAY, strategy);
            Lock lock = lockOffset < 0 ? null : (Lock)arena.attach(lockOffset, SyncKind.LOCK, strategy))
        {
            barrier.await(TIMEOUT_NANOS, TimeUnit.NANOSECONDS);
            // System.nanoTime is CLOCK_MONOTONIC on Linux: one clock for every process on the host
            times.setRaw(2 * index, System.nanoTime());
            loop(lock, value, count, locked);
            times.setRaw(2 * index + 1, System.nanoTime());
        }
    }

    /**
     * Runs the loop on objects of a private arena first, so that the measured loop runs compiled, as Python's runs
     * at its steady speed from the start.
     */
    private static void warmUp(
        final SyncArena shared, final long count, final int index, final boolean withLock, final boolean locked)
    {
        try (SyncArena arena = SyncArena.create(shared.directory(), shared.name() + "-warmup-" + index, 4, 1024))
        {
            try (Lock lock = arena.newLock();
                LongValue value = arena.newLongValue(0))
            {
                for (int i = 0; i < WARMUP_ROUNDS; i++)
                {
                    loop(withLock ? lock : null, value, Math.min(count, WARMUP_INCREMENTS), locked);
                }
            }
            finally
            {
                arena.unlink();
            }
        }
    }

    private static void loop(final Lock lock, final LongValue value, final long count, final boolean locked)
    {
        if (lock != null)
        {
            for (long i = 0; i < count; i++)
            {
                lock.lock();
                value.setRaw(value.getRaw() + 1);
                lock.unlock();
            }
        }
        else if (locked)
        {
            final RLock valueLock = value.getLock();
            for (long i = 0; i < count; i++)
            {
                valueLock.lock();
                value.set(value.get() + 1);
                valueLock.unlock();
            }
        }
        else
        {
            for (long i = 0; i < count; i++)
            {
                value.getAndAdd(1);
            }
        }
    }

    /**
     * {@code count} times: takes the ping signal, gives the pong one. Both are of one kind (semaphores or events).
     */
    private static void pong(
        final SyncArena arena, final WaitStrategy strategy, final long count, final SyncKind kind,
        final int pingOffset, final int pongOffset) throws InterruptedException
    {
        try (SyncObject pingObject = arena.attach(pingOffset, kind, strategy);
            SyncObject pongObject = arena.attach(pongOffset, kind, strategy))
        {
            final Signal ping = signal(pingObject);
            final Signal pong = signal(pongObject);
            for (long i = 0; i < count; i++)
            {
                if (!ping.take(TIMEOUT_NANOS))
                {
                    System.err.println("ping " + i + " never came");
                    System.exit(2);
                }
                pong.give();
            }
        }
    }

    /** One direction of a ping-pong hand-off between the two JVMs of the semaphore and event benchmarks. */
    interface Signal
    {
        /** Tells the other side. */
        void give();

        /**
         * Waits for the other side's signal and consumes it.
         *
         * @return false if the timeout passed first.
         */
        boolean take(long timeoutNanos) throws InterruptedException;
    }

    /**
     * A semaphore released and acquired, or an event set, then awaited and cleared by its taker: the taker clears it
     * before it answers, so the next set comes only after the answer was seen.
     */
    static Signal signal(final SyncObject object)
    {
        if (object instanceof Semaphore semaphore)
        {
            return new Signal()
            {
                @Override
                public void give()
                {
                    semaphore.release();
                }

                @Override
                public boolean take(final long timeoutNanos) throws InterruptedException
                {
                    return semaphore.tryAcquire(timeoutNanos, TimeUnit.NANOSECONDS);
                }
            };
        }
        if (object instanceof Event event)
        {
            return new Signal()
            {
                @Override
                public void give()
                {
                    event.set();
                }

                @Override
                public boolean take(final long timeoutNanos) throws InterruptedException
                {
                    if (!event.await(timeoutNanos, TimeUnit.NANOSECONDS))
                    {
                        return false;
                    }
                    event.clear();
                    return true;
                }
            };
        }
        throw new IllegalArgumentException("not a semaphore or an event: " + object);
    }

    private static void conditionPong(
        final SyncArena arena, final WaitStrategy strategy, final long count, final int conditionOffset,
        final int turnOffset) throws InterruptedException
    {
        try (Condition condition = (Condition)arena.attach(conditionOffset, SyncKind.CONDITION, strategy);
            LongValue turn = (LongValue)arena.attach(turnOffset, SyncKind.LONG_VALUE, strategy))
        {
            final RobustLock lock = condition.getLock();
            lock.lock();
            try
            {
                for (long round = 1; round <= count; round++)
                {
                    if (!awaitTurn(condition, turn, 2 * round - 1, TIMEOUT_NANOS))
                    {
                        System.err.println("turn " + (2 * round - 1) + " never came");
                        System.exit(2);
                    }
                    turn.setRaw(2 * round);
                    condition.signal();
                }
            }
            finally
            {
                lock.unlock();
            }
        }
    }

    /**
     * Waits on a condition, holding its lock, until the turn counter (read and written only under that lock) holds
     * a turn: the hand-off both JVMs of the condition benchmark make.
     *
     * @param condition    the condition, its lock held by the caller.
     * @param turn         the turn counter.
     * @param expected     the turn to wait for.
     * @param timeoutNanos the longest wait.
     * @return false if the turn did not come in time.
     * @throws InterruptedException if interrupted while waiting.
     */
    static boolean awaitTurn(final Condition condition, final LongValue turn, final long expected,
        final long timeoutNanos) throws InterruptedException
    {
        long remaining = timeoutNanos;
        while (turn.getRaw() != expected)
        {
            if (remaining <= 0)
            {
                return false;
            }
            remaining = condition.awaitNanos(remaining);
        }
        return true;
    }
}
