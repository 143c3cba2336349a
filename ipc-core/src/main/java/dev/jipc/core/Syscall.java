package dev.jipc.core;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Locale;

/**
 * The one native call jipc makes: libc's {@code syscall(2)}, through a single FFM downcall handle that every caller
 * shares (the futex layer, open-file-description locks, {@code kill}).
 * <p>
 * Why one handle: a JVM's first downcall handle costs 35-50 ms with an AOT cache and about 100 ms without (the FFM
 * linker spins its method handles and a stub class, which no cache keeps), and each further handle with another
 * signature 6-15 ms more. A child JVM linked four before it could run its task. Every call here has the same
 * signature, {@code long syscall(long number, long a1, ..., long a6)}: on the 64-bit Linux ABIs an {@code int}, a
 * pointer and a {@code long} argument all travel in one register, and the kernel reads only as many as the call
 * takes.
 * <p>
 * Like libc's wrappers, a failed call returns -1 and leaves {@code errno} in the caller's call state
 * ({@link #newCallState(Arena)}, read with {@link #errno(MemorySegment)}).
 */
public final class Syscall
{
    /** {@code futex(2)}, or -1 where this JVM has no system calls. */
    public static final long FUTEX;
    /** {@code futex_waitv(2)} (the same number on every architecture), or -1. */
    public static final long FUTEX_WAITV;
    /** {@code openat(2)}, or -1. */
    public static final long OPENAT;
    /** {@code fcntl(2)}, or -1. */
    public static final long FCNTL;
    /** {@code close(2)}, or -1. */
    public static final long CLOSE;
    /** {@code kill(2)}, or -1. */
    public static final long KILL;
    /** {@code membarrier(2)}, or -1. */
    public static final long MEMBARRIER;
    /** {@code openat}'s directory argument for a path relative to the working directory. */
    public static final long AT_FDCWD = -100;

    private static final MethodHandle SYSCALL;
    private static final VarHandle ERRNO;

    static
    {
        final String arch = System.getProperty("os.arch");
        final boolean linux = System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux");
        final boolean x64 = "amd64".equals(arch) || "x86_64".equals(arch);
        // aarch64 has the generic table every new architecture shares
        final boolean generic = "aarch64".equals(arch);
        final boolean available = linux && (x64 || generic);
        FUTEX = !available ? -1 : x64 ? 202 : 98;
        FUTEX_WAITV = !available ? -1 : 449;
        OPENAT = !available ? -1 : x64 ? 257 : 56;
        FCNTL = !available ? -1 : x64 ? 72 : 25;
        CLOSE = !available ? -1 : x64 ? 3 : 57;
        KILL = !available ? -1 : x64 ? 62 : 129;
        MEMBARRIER = !available ? -1 : x64 ? 324 : 283;
        MethodHandle syscall = null;
        if (available)
        {
            final Linker linker = Linker.nativeLinker();
            syscall = linker.defaultLookup().find("syscall").map(address -> linker.downcallHandle(
                address,
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG,
                    JAVA_LONG),
                Linker.Option.firstVariadicArg(1),
                Linker.Option.captureCallState("errno"))).orElse(null);
        }
        SYSCALL = syscall;
        ERRNO = Linker.Option.captureStateLayout().varHandle(MemoryLayout.PathElement.groupElement("errno"));
    }

    private Syscall()
    {
    }

    /**
     * Whether this JVM can make system calls: 64-bit Linux on x86-64 or AArch64, with libc's {@code syscall}.
     *
     * @return true if {@link #call} works.
     */
    public static boolean isAvailable()
    {
        return SYSCALL != null;
    }

    /**
     * Native memory a call leaves {@code errno} in: one per thread, or per call.
     *
     * @param arena where to allocate it.
     * @return the call state.
     */
    public static MemorySegment newCallState(final Arena arena)
    {
        return arena.allocate(Linker.Option.captureStateLayout());
    }

    /**
     * The {@code errno} the last failed call through this call state left.
     *
     * @param callState from {@link #newCallState(Arena)}.
     * @return the error number.
     */
    public static int errno(final MemorySegment callState)
    {
        return (int)ERRNO.get(callState, 0L);
    }

    /**
     * Makes a system call.
     *
     * @param callState from {@link #newCallState(Arena)}: where {@code errno} goes.
     * @param number    the call's number ({@link #FUTEX}, ...).
     * @param a1        the first argument (an {@code int}, a pointer's address or a {@code long}).
     * @param a2        the second, or 0.
     * @param a3        the third, or 0.
     * @param a4        the fourth, or 0.
     * @param a5        the fifth, or 0.
     * @param a6        the sixth, or 0.
     * @return the kernel's result, or -1 with {@code errno} set.
     * @throws UnsupportedOperationException if {@link #isAvailable()} is false.
     */
    public static long call(final MemorySegment callState, final long number, final long a1, final long a2,
        final long a3, final long a4, final long a5, final long a6)
    {
        if (SYSCALL == null)
        {
            throw new UnsupportedOperationException("jipc's system calls need 64-bit Linux on x86-64 or AArch64: " +
                "os.name=" + System.getProperty("os.name") + ", os.arch=" + System.getProperty("os.arch"));
        }
        try
        {
            return (long)SYSCALL.invokeExact(callState, number, a1, a2, a3, a4, a5, a6);
        }
        catch (final Throwable ex)
        {
            throw new IllegalStateException("syscall failed: number=" + number, ex);
        }
    }
}
