package dev.jipc.core.wait;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.jipc.core.JvmFlags;
import dev.jipc.core.Syscall;

/**
 * Waiting on a 32-bit word in shared memory: the Linux {@code futex(2)} and {@code futex_waitv(2)} system calls
 * through the Foreign Function &amp; Memory API, with shared (not {@code _PRIVATE}) futexes so that a wake in one
 * process reaches a waiter in another that maps the same file.
 * <p>
 * Waits return when woken, when the word no longer holds the expected value, on timeout, or spuriously: callers
 * re-check their condition in a loop (see {@link WaitStrategy}, which also keeps wakers out of the kernel when nobody
 * waits). A blocked system call does not see {@link Thread#interrupt()}, so waits sleep in slices of at most
 * {@value #SLICE_MILLIS} ms and check the interrupt flag between them.
 * <p>
 * Where the system calls are unavailable (not Linux, an old kernel, or {@code -Djipc.futex=portable}) the same calls
 * fall back to short timed parks: still correct, because callers re-check, but slower to wake.
 */
public final class Futex
{
    /** Longest single sleep in the kernel between checks of the interrupt flag. */
    public static final long SLICE_MILLIS = 10;
    /** Most words one {@link WaitList} can wait on ({@code FUTEX_WAITV_MAX}). */
    public static final int MAX_WAITV = 128;

    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(SLICE_MILLIS);
    private static final long PORTABLE_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    private static final int FUTEX_WAIT = 0;
    private static final int FUTEX_WAKE = 1;
    private static final int FUTEX2_SIZE_U32 = 0x02;
    private static final int CLOCK_MONOTONIC = 1;
    private static final int EAGAIN = 11;
    private static final int EINTR = 4;
    private static final int ETIMEDOUT = 110;

    private static final StructLayout TIMESPEC = MemoryLayout.structLayout(
        JAVA_LONG.withName("tv_sec"), JAVA_LONG.withName("tv_nsec"));
    private static final StructLayout WAITV = MemoryLayout.structLayout(
        JAVA_LONG.withName("val"), JAVA_LONG.withName("uaddr"), JAVA_INT.withName("flags"),
        JAVA_INT.withName("reserved"));

    private static final boolean NATIVE;
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    static
    {
        JvmFlags.check();
        NATIVE = !"portable".equals(System.getProperty("jipc.futex")) && Syscall.isAvailable() && probe();
    }

    private Futex()
    {
    }

    /**
     * Whether waits use the kernel's futex, or the portable fallback of timed parks.
     *
     * @return true on Linux with a working {@code futex} system call.
     */
    public static boolean isNative()
    {
        return NATIVE;
    }

    /**
     * Sleeps while the word at {@code offset} holds {@code expected}, until woken, until {@code timeoutNanos}
     * passes, or spuriously.
     *
     * @param segment      the mapped memory holding the word.
     * @param offset       byte offset of a 4-byte-aligned int in {@code segment}.
     * @param expected     the value the caller saw; the call returns at once if the word differs.
     * @param timeoutNanos the longest wait; {@link Long#MAX_VALUE} for none.
     * @return false if the timeout passed, true otherwise (woken, value changed, or spurious).
     * @throws InterruptedException if the thread is interrupted before or during the wait.
     */
    public static boolean wait(final MemorySegment segment, final long offset, final int expected,
        final long timeoutNanos) throws InterruptedException
    {
        return waitAt(address(segment, offset), expected, timeoutNanos);
    }

    /**
     * Wakes up to {@code count} processes or threads waiting on the word at {@code offset}.
     *
     * @param segment the mapped memory holding the word.
     * @param offset  byte offset of a 4-byte-aligned int in {@code segment}.
     * @param count   how many waiters to wake at most; {@link Integer#MAX_VALUE} for all.
     * @return how many were woken (always 0 in the portable fallback, where waiters poll).
     */
    public static int wake(final MemorySegment segment, final long offset, final int count)
    {
        return wakeAt(address(segment, offset), count);
    }

    static boolean waitAt(final long address, final int expected, final long timeoutNanos)
        throws InterruptedException
    {
        final long deadline = deadline(timeoutNanos);
        while (true)
        {
            if (Thread.interrupted())
            {
                throw new InterruptedException("interrupted while waiting on a futex");
            }
            final long remaining = deadline - System.nanoTime();
            if (remaining <= 0)
            {
                return false;
            }
            final long slice = Math.min(remaining, SLICE_NANOS);
            if (!NATIVE)
            {
                LockSupport.parkNanos(Math.min(slice, PORTABLE_PARK_NANOS));
                return true;
            }
            final Scratch scratch = SCRATCH.get();
            scratch.timespec.set(JAVA_LONG, 0, slice / 1_000_000_000L);
            scratch.timespec.set(JAVA_LONG, 8, slice % 1_000_000_000L);
            final long result = Syscall.call(scratch.callState, Syscall.FUTEX, address, FUTEX_WAIT, expected,
                scratch.timespec.address(), 0, 0);
            if (result == 0)
            {
                return true;
            }
            final int errno = Syscall.errno(scratch.callState);
            if (errno == EAGAIN)
            {
                return true;
            }
            if (errno != ETIMEDOUT && errno != EINTR)
            {
                throw new IllegalStateException("futex wait failed: errno=" + errno + ", address=0x" +
                    Long.toHexString(address));
            }
            // a slice ended (or a signal interrupted it): check the interrupt flag and the deadline again
        }
    }

    static int wakeAt(final long address, final int count)
    {
        if (!NATIVE)
        {
            return 0;
        }
        final Scratch scratch = SCRATCH.get();
        final long result = Syscall.call(scratch.callState, Syscall.FUTEX, address, FUTEX_WAKE, count, 0, 0, 0);
        if (result < 0)
        {
            throw new IllegalStateException("futex wake failed: errno=" + Syscall.errno(scratch.callState) +
                ", address=0x" + Long.toHexString(address));
        }
        return (int)result;
    }

    /**
     * A reusable list of words to wait on at once ({@code futex_waitv}); returns when any of them is woken or no
     * longer holds its expected value. Not thread-safe: one per waiting thread.
     */
    public static final class WaitList
    {
        private final MemorySegment entries;
        private final long[] addresses;
        private final int[] expected;
        private int size;

        /**
         * @param capacity the most words this list will hold, at most {@value Futex#MAX_WAITV}.
         */
        public WaitList(final int capacity)
        {
            if (capacity < 1 || capacity > MAX_WAITV)
            {
                throw new IllegalArgumentException("invalid wait list capacity: capacity=" + capacity + ", max=" +
                    MAX_WAITV);
            }
            this.entries = Arena.ofAuto().allocate(WAITV.byteSize() * capacity, 16);
            this.addresses = new long[capacity];
            this.expected = new int[capacity];
        }

        /** Empties the list. */
        public void clear()
        {
            size = 0;
        }

        /**
         * Adds a word and the value it is expected to hold.
         *
         * @param segment  the mapped memory holding the word.
         * @param offset   byte offset of a 4-byte-aligned int.
         * @param value    the value the caller saw.
         * @return the word's index in the list, which {@link #await} returns when it fires.
         */
        public int add(final MemorySegment segment, final long offset, final int value)
        {
            return addAddress(address(segment, offset), value);
        }

        /** Adds a word by its address, checked by the caller (an {@link EventCount}'s sequence). */
        int addAddress(final long address, final int value)
        {
            if (size == addresses.length)
            {
                throw new IllegalStateException("wait list is full: capacity=" + addresses.length);
            }
            final long base = size * WAITV.byteSize();
            addresses[size] = address;
            expected[size] = value;
            entries.set(JAVA_LONG, base, Integer.toUnsignedLong(value));
            entries.set(JAVA_LONG, base + 8, addresses[size]);
            entries.set(JAVA_INT, base + 16, FUTEX2_SIZE_U32);
            entries.set(JAVA_INT, base + 20, 0);
            return size++;
        }

        /**
         * How many words the list holds.
         *
         * @return the size.
         */
        public int size()
        {
            return size;
        }

        /**
         * Sleeps until one of the words is woken or differs from its expected value, or the timeout passes.
         *
         * @param timeoutNanos the longest wait; {@link Long#MAX_VALUE} for none.
         * @return the index of a word that fired, {@link Integer#MAX_VALUE} when the kernel reports only that some
         * word differs or the wake is spurious (re-check all), or -1 on timeout.
         * @throws InterruptedException if the thread is interrupted before or during the wait.
         */
        public int await(final long timeoutNanos) throws InterruptedException
        {
            if (size == 0)
            {
                throw new IllegalStateException("wait list is empty");
            }
            final long deadline = deadline(timeoutNanos);
            while (true)
            {
                if (Thread.interrupted())
                {
                    throw new InterruptedException("interrupted while waiting on futexes");
                }
                final long now = System.nanoTime();
                if (deadline - now <= 0)
                {
                    return -1;
                }
                final long sliceEnd = now + Math.min(deadline - now, SLICE_NANOS);
                if (!NATIVE)
                {
                    LockSupport.parkNanos(Math.min(sliceEnd - now, PORTABLE_PARK_NANOS));
                    return Integer.MAX_VALUE;
                }
                final Scratch scratch = SCRATCH.get();
                // futex_waitv takes an absolute CLOCK_MONOTONIC time, the clock System.nanoTime reads on Linux.
                scratch.timespec.set(JAVA_LONG, 0, sliceEnd / 1_000_000_000L);
                scratch.timespec.set(JAVA_LONG, 8, sliceEnd % 1_000_000_000L);
                final long result = Syscall.call(scratch.callState, Syscall.FUTEX_WAITV, entries.address(), size, 0,
                    scratch.timespec.address(), CLOCK_MONOTONIC, 0);
                if (result >= 0)
                {
                    return (int)result;
                }
                final int errno = Syscall.errno(scratch.callState);
                if (errno == EAGAIN)
                {
                    return Integer.MAX_VALUE;
                }
                if (errno != ETIMEDOUT && errno != EINTR)
                {
                    throw new IllegalStateException("futex_waitv failed: errno=" + errno + ", size=" + size);
                }
            }
        }
    }

    private static boolean probe()
    {
        // A wake on a private word nobody waits on: 0 if the kernel has futex, -1 (ENOSYS) if not.
        final MemorySegment word = Arena.ofAuto().allocate(JAVA_INT);
        return Syscall.call(SCRATCH.get().callState, Syscall.FUTEX, word.address(), FUTEX_WAKE, 1, 0, 0, 0) == 0;
    }

    static long address(final MemorySegment segment, final long offset)
    {
        if (offset < 0 || offset > segment.byteSize() - Integer.BYTES)
        {
            throw new IndexOutOfBoundsException("futex word out of bounds: offset=" + offset + ", segmentSize=" +
                segment.byteSize());
        }
        final long address = segment.address() + offset;
        if ((address & 3) != 0)
        {
            throw new IllegalArgumentException("futex word not 4-byte aligned: offset=" + offset);
        }
        return address;
    }

    /**
     * The {@link System#nanoTime()} at which a wait of {@code timeoutNanos} from now ends. Timeouts are capped at
     * about 36 years, so that {@code deadline - System.nanoTime()} never overflows.
     *
     * @param timeoutNanos the timeout; {@link Long#MAX_VALUE} for none.
     * Every timed wait in jipc (queues, pipes, the synchronisers of {@code ipc-sync}) computes its deadline here.
     *
     * @return the deadline.
     */
    public static long deadline(final long timeoutNanos)
    {
        return System.nanoTime() + Math.min(timeoutNanos, Long.MAX_VALUE >> 2);
    }

    /** Per-thread native memory for a call: errno capture and a timespec. */
    private static final class Scratch
    {
        private final MemorySegment callState;
        private final MemorySegment timespec;

        private Scratch()
        {
            final Arena arena = Arena.ofAuto();
            callState = Syscall.newCallState(arena);
            timespec = arena.allocate(TIMESPEC);
        }
    }
}
