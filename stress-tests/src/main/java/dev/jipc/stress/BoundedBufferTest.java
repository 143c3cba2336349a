package dev.jipc.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.concurrent.TimeUnit;

import dev.jipc.core.wait.WaitStrategy;
import dev.jipc.sync.IntArray;
import dev.jipc.sync.Lock;
import dev.jipc.sync.Semaphore;
import dev.jipc.sync.SyncKind;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * The classic bounded buffer on ipc-sync objects in mapped sync arenas: a {@link Semaphore} {@code empty} of 2, a
 * {@link Semaphore} {@code filled} of 0, a {@link Lock} as the mutex and an {@link IntArray} of 2 as the ring. The
 * producer puts 1, 2, 3 (so it must wait for the consumer at least once), the consumer takes three. A slot read
 * before it was written, or overwritten before it was read, shows as a wrong or repeated item; the item count kept
 * under the mutex must stay within 0..2. Waits are bounded (10 s): a lost wake-up fails the test instead of hanging.
 * <p>
 * Run: {@code ./jipc stress -t BoundedBufferTest}.
 * <p>
 * r1, r2, r3: the items the consumer took, in order; r4: bound violations plus timed-out waits.
 */
@JCStressTest
@Outcome(id = "1, 2, 3, 0", expect = ACCEPTABLE, desc = "Every item arrived once, in order, within bounds.")
@Outcome(expect = FORBIDDEN, desc = "An item was lost, repeated or torn, the count left 0..2, or a wait timed out.")
@State
public class BoundedBufferTest
{
    private static final int CAPACITY = 2;
    private static final long TIMEOUT_SECONDS = 10;
    private static final SyncPool<Semaphore> EMPTY =
        new SyncPool<>(SyncKind.SEMAPHORE, 64, 1, a -> a.newSemaphore(CAPACITY));
    private static final SyncPool<Semaphore> FILLED = new SyncPool<>(SyncKind.SEMAPHORE, 64, 1, a -> a.newSemaphore(0));
    private static final SyncPool<Lock> MUTEXES = new SyncPool<>(SyncKind.LOCK, 64, 1, a -> a.newLock());
    private static final SyncPool<IntArray> RINGS =
        new SyncPool<>(SyncKind.INT_ARRAY, 192, 1, a -> a.newIntArray(CAPACITY));

    private final Semaphore empty = EMPTY.take(WaitStrategy.SPIN_THEN_PARK);
    private final Semaphore filled = FILLED.take(WaitStrategy.SPIN_THEN_PARK);
    private final Lock mutex = MUTEXES.take(WaitStrategy.SPIN_THEN_PARK);
    private final IntArray ring = RINGS.take(WaitStrategy.SPIN_THEN_PARK);
    private int putIndex;
    private int takeIndex;
    private int count;
    private int violations;

    @Actor
    public void producer(final IIII_Result r)
    {
        for (int item = 1; item <= 3; item++)
        {
            if (!acquire(empty))
            {
                return;
            }
            mutex.lock();
            try
            {
                ring.setRaw(putIndex++ % CAPACITY, item);
                if (++count > CAPACITY)
                {
                    violations++;
                }
            }
            finally
            {
                mutex.unlock();
            }
            filled.release();
        }
    }

    @Actor
    public void consumer(final IIII_Result r)
    {
        final int[] items = new int[3];
        for (int i = 0; i < 3; i++)
        {
            if (!acquire(filled))
            {
                break;
            }
            mutex.lock();
            try
            {
                items[i] = ring.getRaw(takeIndex++ % CAPACITY);
                if (--count < 0)
                {
                    violations++;
                }
            }
            finally
            {
                mutex.unlock();
            }
            empty.release();
        }
        r.r1 = items[0];
        r.r2 = items[1];
        r.r3 = items[2];
        mutex.lock();
        try
        {
            // the producer's violations and timeouts were made under the mutex before its last release
            r.r4 = violations;
        }
        finally
        {
            mutex.unlock();
        }
    }

    private boolean acquire(final Semaphore semaphore)
    {
        try
        {
            if (semaphore.tryAcquire(TIMEOUT_SECONDS, TimeUnit.SECONDS))
            {
                return true;
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        mutex.lock();
        violations++;
        mutex.unlock();
        return false;
    }
}
