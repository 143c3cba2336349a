package dev.jipc.core.wait;

import java.lang.invoke.VarHandle;

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
 *  +---------------------------------------------------------------+
 *  |                    Waiters                                    |
 *  +---------------------------------------------------------------+
 * </pre>
 * Both words live at a 4-byte-aligned offset; place the pair on a cache line of its own, or beside the state it
 * guards, never beside a word another process writes on its hot path.
 *
 * <h2>Protocol</h2>
 * A waiter increments Waiters (a full fence), reads Sequence, checks its condition, and sleeps on Sequence with the
 * value it read; it decrements Waiters when done. A waker first makes the condition true (any store), then issues a
 * full fence and reads Waiters: only when it is non-zero does it increment Sequence and call {@code futex_wake}. In
 * the total order of the fenced operations, either the waker reads a non-zero Waiters (and wakes, or changes Sequence
 * so the waiter's sleep returns at once), or the waiter's condition check comes after the waker's store and sees it:
 * no wake-up is lost.
 * <p>
 * A waiter killed while registered leaves Waiters too high: wakers then make a needless syscall, nothing worse.
 */
public final class EventCount
{
    /** Bytes an event count occupies. */
    public static final int LENGTH = 8;
    private static final int WAITERS_OFFSET = 4;

    private final AtomicBuffer buffer;
    private final int sequenceOffset;
    private final int waitersOffset;
    private final long sequenceAddress;

    /**
     * @param buffer the shared memory, off-heap; its address is taken here, so it must not be re-wrapped later.
     * @param offset where the pair starts; 4-byte aligned, within the buffer.
     */
    public EventCount(final AtomicBuffer buffer, final int offset)
    {
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
     * Wakes up to {@code count} sleeping waiters, if there is any.
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
        buffer.getAndAddInt(sequenceOffset, 1);
        return Futex.wakeAt(sequenceAddress, count);
    }

    /**
     * Wakes every sleeping waiter without the fence and waiter check of {@link #signalAll()}: for a waker that has
     * already read a non-zero {@link #waiters()} after a full fence of its own (a CAS on the word its waiters'
     * condition reads), ordered after that fence.
     *
     * @return how many sleeping waiters the kernel woke.
     */
    public int wakeAll()
    {
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
        return UnsafeApi.getIntVolatile(null, sequenceAddress + WAITERS_OFFSET);
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
     * Registers the caller as a waiter (a full fence); pair with {@link #endWait()} in a {@code finally}. After it,
     * read {@link #sequence()}, check the condition, then {@link #sleep} with the sequence read. {@link WaitStrategy}
     * does this; call it directly only to build a wait loop of your own (over several event counts, say).
     */
    public void beginWait()
    {
        buffer.getAndAddInt(waitersOffset, 1);
    }

    /** Deregisters a waiter registered by {@link #beginWait()}. */
    public void endWait()
    {
        buffer.getAndAddInt(waitersOffset, -1);
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
