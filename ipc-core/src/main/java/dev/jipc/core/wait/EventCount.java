package dev.jipc.core.wait;

import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;

import org.agrona.UnsafeApi;
import org.agrona.concurrent.AtomicBuffer;

/**
 * A flyweight over two ints in shared memory that lets a waker skip the {@code futex} syscall when nobody waits: an
 * event count in the sense of Vyukov, with the sequence word as the futex word.
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                    Sequence (futex word)                      |
 *  +-------------------------------+-------------------------------+
 *  |         Waiter count          |         Waiter epoch          |
 *  +-------------------------------+-------------------------------+
 * </pre>
 * The second word, Waiters, is little-endian: its low 16 bits count the registered waiters of the current epoch, its
 * high 16 bits are the epoch. Both words live at a 4-byte-aligned offset; place the pair on a cache line of its own,
 * or beside the state it guards, never beside a word another process writes on its hot path.
 *
 * <h2>Protocol</h2>
 * A waiter increments the count (a full fence) and keeps the epoch it registered in; then, on every round, it reads
 * Sequence, checks that its epoch is still current (re-registering if not), checks its condition, and sleeps on
 * Sequence with the value it read. It decrements the count when done, if its epoch is still current. A waker first
 * makes the condition true (any store), then issues a full fence and reads the count: only when it is non-zero does
 * it increment Sequence and call {@code futex_wake}. In the total order of the fenced operations, either the waker
 * reads a non-zero count (and wakes, or changes Sequence so the waiter's sleep returns at once), or the waiter's
 * condition check comes after the waker's store and sees it: no wake-up is lost.
 *
 * <h2>Forgetting dead waiters</h2>
 * A waiter killed while registered would leave the count too high for good: every waker would then make a needless
 * syscall, and {@code jipc stat} would show a sleeper that does not exist. So a wake that is known to reach every
 * registered waiter starts a new epoch with a count of 0, forgetting them all: a wake-all, or a wake of {@code n} for
 * which the kernel found fewer than {@code n} sleepers (it woke all it had; the registrations left are dead or not yet
 * asleep), at most once per {@value Futex#SLICE_MILLIS} ms and handle, since it costs a second {@code futex_wake} and
 * the ones not yet asleep must register again. The waker moves the epoch (a CAS) before it increments Sequence and
 * wakes, so a waiter that reads the incremented Sequence also sees the new epoch and registers again before it sleeps,
 * and one that read the old Sequence cannot sleep on it. A waiter whose epoch has moved on does not decrement. The
 * epoch is 16 bits: a waiter that stalls through 65,536 such wakes between its wake-up and its decrement could take one
 * off a later epoch's count, and a sleeper that count then misses waits one {@value Futex#SLICE_MILLIS} ms slice
 * ({@link WaitStrategy} sleeps a slice at a time and checks its registration after each, which also bounds the wait of
 * a sleeper whose waker stopped between forgetting it and advancing Sequence). A count about to reach 65,535 starts a
 * new epoch.
 */
public final class EventCount
{
    /** Bytes an event count occupies. */
    public static final int LENGTH = 8;
    /** The longest first sleep of a waiter of an event count with a heavy fence after registering. */
    public static final long HEAVY_FENCE_FIRST_SLEEP_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
    private static final int WAITERS_OFFSET = 4;
    private static final int COUNT_MASK = 0xFFFF;
    private static final int EPOCH_MASK = ~COUNT_MASK;
    private static final int EPOCH_UNIT = COUNT_MASK + 1;

    /** How often this handle's wakes of n that found fewer than n asleep may forget every registered waiter. */
    private static final long FORGET_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(Futex.SLICE_MILLIS);

    private final AtomicBuffer buffer;
    private final int sequenceOffset;
    private final int waitersOffset;
    private final long sequenceAddress;
    /** Runs after each registration, before the waiter's next condition check: see the second constructor. */
    private final Runnable afterRegistering;
    /** The longest first sleep after a registration: see the second constructor. */
    private final long firstSleepNanos;
    /** When a wake of n last forgot the waiters; a plain field: a race between threads costs one extra forget. */
    private long forgotAt = System.nanoTime() - FORGET_INTERVAL_NANOS;

    /**
     * @param buffer the shared memory, off-heap; its address is taken here, so it must not be re-wrapped later.
     * @param offset where the pair starts; 4-byte aligned, within the buffer.
     */
    public EventCount(final AtomicBuffer buffer, final int offset)
    {
        this(buffer, offset, null);
    }

    /**
     * An event count whose waiters run {@code afterRegistering} right after each registration's increment and before
     * they check their condition: for a waker that must not fence on its hot path, where the hook is the heavy half
     * of an {@link AsymmetricFence} and the waker reads {@link #waiters()} with no fence of its own. The first sleep
     * after a registration then lasts at most {@link #HEAVY_FENCE_FIRST_SLEEP_NANOS}: jcstress sees the two sides
     * miss each other about once in a million hand-shakes on a 2-vCPU VM in spite of the fence
     * ({@code AsymmetricFenceTest}), and a waker that missed the waiter stays silent, so the waiter looks again soon.
     *
     * @param buffer           the shared memory, off-heap; its address is taken here.
     * @param offset           where the pair starts; 4-byte aligned, within the buffer.
     * @param afterRegistering the heavy fence, or null for none.
     */
    public EventCount(final AtomicBuffer buffer, final int offset, final Runnable afterRegistering)
    {
        this.afterRegistering = afterRegistering;
        this.firstSleepNanos = afterRegistering == null ? Long.MAX_VALUE : HEAVY_FENCE_FIRST_SLEEP_NANOS;
        if (offset < 0 || offset > buffer.capacity() - LENGTH)
        {
            throw new IndexOutOfBoundsException(
                "event count out of bounds: offset=" + offset + ", capacity=" + buffer.capacity());
        }
        if (buffer.byteArray() != null)
        {
            throw new IllegalArgumentException("event count needs off-heap memory (the futex waits on an address)");
        }
        this.buffer = buffer;
        this.sequenceOffset = offset;
        this.waitersOffset = offset + WAITERS_OFFSET;
        this.sequenceAddress = buffer.addressOffset() + offset;
        if ((sequenceAddress & 3) != 0)
        {
            throw new IllegalArgumentException("event count not 4-byte aligned: offset=" + offset);
        }
    }

    /**
     * Wakes every waiter, if there is any. Call after making the awaited condition true. Without waiters this is a
     * fence and a load: no syscall, no write to shared memory.
     *
     * @return how many sleeping waiters the kernel woke.
     */
    public int signalAll()
    {
        return signal(Integer.MAX_VALUE);
    }

    /**
     * Wakes up to {@code count} sleeping waiters, if there is any. If the kernel finds fewer sleepers than
     * {@code count}, it has woken all it had: then, at most once a slice, the count is reset to 0 in a new epoch and
     * every waiter not yet asleep is made to register again (a second increment of the sequence and a wake-all for
     * any that slept on the first), so that waiters killed while registered are forgotten.
     *
     * @param count how many to wake at most.
     * @return how many the kernel woke.
     */
    public int signal(final int count)
    {
        // StoreLoad: the caller's store that made the condition true must be visible before Waiters is read.
        VarHandle.fullFence();
        if (waiters() == 0)
        {
            return 0;
        }
        if (count == Integer.MAX_VALUE)
        {
            return wakeAllUnfenced();
        }
        buffer.getAndAddInt(sequenceOffset, 1);
        final int woken = Futex.wakeAt(sequenceAddress, count);
        if (woken < count)
        {
            // mostly a waiter between registering and sleeping, which needs nothing: forget at most once a slice
            final long now = System.nanoTime();
            if (now - forgotAt >= FORGET_INTERVAL_NANOS)
            {
                forgotAt = now;
                return woken + wakeAllUnfenced();
            }
        }
        return woken;
    }

    /**
     * Wakes every sleeping waiter and forgets every registered one (a new epoch), without the fence and waiter check
     * of {@link #signalAll()}: for a waker that has already read a non-zero {@link #waiters()} after a full fence of
     * its own (a CAS on the word its waiters' condition reads), ordered after that fence.
     *
     * @return how many sleeping waiters the kernel woke.
     */
    public int wakeAllUnfenced()
    {
        // the epoch moves before Sequence: a waiter that reads the new Sequence then sees the new epoch
        while (true)
        {
            final int word = buffer.getIntVolatile(waitersOffset);
            if ((word & COUNT_MASK) == 0 ||
                buffer.compareAndSetInt(waitersOffset, word, (word & EPOCH_MASK) + EPOCH_UNIT))
            {
                break;
            }
            Thread.onSpinWait();
        }
        buffer.getAndAddInt(sequenceOffset, 1);
        return Futex.wakeAt(sequenceAddress, Integer.MAX_VALUE);
    }

    /**
     * How many processes or threads are registered as waiting (an estimate; spinning waiters are not counted).
     *
     * @return the waiter count.
     */
    public int waiters()
    {
        // every producer and consumer reads this once per message: skip the buffer's bounds check, done once above
        return UnsafeApi.getIntVolatile(null, sequenceAddress + WAITERS_OFFSET) & COUNT_MASK;
    }

    /**
     * The sequence, which changes on every signal that found a waiter.
     *
     * @return the current sequence.
     */
    public int sequence()
    {
        return buffer.getIntVolatile(sequenceOffset);
    }

    /**
     * Registers the caller as a waiter (a full fence); pair with {@link #endWait(int)} in a {@code finally}. After
     * it, on every round: read {@link #sequence()}, then register again if {@link #isRegistered(int)} is false, check
     * the condition, and {@link #sleep} with the sequence read. {@link WaitStrategy} does this; call it directly only
     * to build a wait loop of your own (over several event counts, say).
     *
     * @return the registration, for {@link #isRegistered(int)} and {@link #endWait(int)}.
     */
    public int beginWait()
    {
        final int before = buffer.getAndAddInt(waitersOffset, 1);
        if ((before & COUNT_MASK) >= COUNT_MASK - 1)
        {
            // the count must never carry into the epoch: forget every registration, this one too (the caller's
            // isRegistered is then false and it registers again, in the new epoch)
            wakeAllUnfenced();
        }
        if (afterRegistering != null)
        {
            afterRegistering.run();
        }
        return before & EPOCH_MASK;
    }

    /**
     * Whether a registration still counts: false once a wake has forgotten it, after which the waiter must
     * {@link #beginWait()} again before it sleeps. Read it after {@link #sequence()}.
     *
     * @param registration what {@link #beginWait()} returned.
     * @return true while the waiter is counted.
     */
    public boolean isRegistered(final int registration)
    {
        return (buffer.getIntVolatile(waitersOffset) & EPOCH_MASK) == registration;
    }

    /**
     * Deregisters a waiter registered by {@link #beginWait()}, unless a wake has forgotten it already.
     *
     * @param registration what {@link #beginWait()} returned.
     */
    public void endWait(final int registration)
    {
        while (true)
        {
            final int word = buffer.getIntVolatile(waitersOffset);
            if ((word & EPOCH_MASK) != registration || (word & COUNT_MASK) == 0 ||
                buffer.compareAndSetInt(waitersOffset, word, word - 1))
            {
                return;
            }
            Thread.onSpinWait();
        }
    }

    /**
     * Reads the sequence and adds its word to a wait list with that value: the {@link #sequence()} and
     * {@link #sleep} steps of the protocol for a wait on several event counts at once ({@link Waitables#wait}).
     *
     * @param waitList the list.
     * @return the sequence read.
     */
    int addSequenceTo(final Futex.WaitList waitList)
    {
        final int sequence = sequence();
        waitList.addAddress(sequenceAddress, sequence);
        return sequence;
    }

    /**
     * The longest first sleep after a registration: {@link Long#MAX_VALUE} but for an event count with a heavy fence.
     *
     * @return nanoseconds.
     */
    public long firstSleepNanos()
    {
        return firstSleepNanos;
    }

    /**
     * Sleeps while the sequence is still {@code sequence}, for at most {@code timeoutNanos}; may return spuriously.
     *
     * @param sequence     the value {@link #sequence()} returned after {@link #beginWait()}.
     * @param timeoutNanos the longest sleep.
     * @return false if the timeout passed.
     * @throws InterruptedException if the thread is interrupted.
     */
    public boolean sleep(final int sequence, final long timeoutNanos) throws InterruptedException
    {
        return Futex.waitAt(sequenceAddress, sequence, timeoutNanos);
    }
}
