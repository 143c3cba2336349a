package dev.jipc.core.wait;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import dev.jipc.core.Syscall;

/**
 * A store-load fence split between two sides, so that the side that runs on every message pays none: Linux's
 * {@code membarrier(MEMBARRIER_CMD_GLOBAL_EXPEDITED)}, as userspace RCU and Folly's {@code asymmetricHeavyBarrier}
 * use it.
 * <p>
 * The pattern is Dekker's: the light side stores X and then loads Y, the heavy side stores Y, calls
 * {@link #heavy()} and then loads X. Without fences each load could miss the other side's store (x86 lets a load
 * pass an earlier store). The kernel makes every thread of every process that called {@link #registerLight()} run a
 * full barrier (an interrupt, or the context switch it passes through anyway) between the heavy call's start and its
 * return: so either the light side's store is visible by then and the heavy side's load sees it, or the light side's
 * load comes after its barrier, after the heavy side's store, and sees that. The light side still needs its load to
 * stay after its store in the compiled code: an {@code Unsafe} volatile or acquire load does, since HotSpot's
 * compilers order unsafe accesses of unknown memory around it (a compiler barrier, no instruction).
 * <p>
 * Where the call is missing (a kernel before 4.16, a seccomp profile that refuses it), {@link #registerLight()} and
 * {@link #heavy()} return false, and the caller falls back to a full fence on the light side.
 */
public final class AsymmetricFence
{
    private static final int CMD_QUERY = 0;
    private static final int CMD_GLOBAL_EXPEDITED = 1 << 1;
    private static final int CMD_REGISTER_GLOBAL_EXPEDITED = 1 << 2;
    private static final ThreadLocal<MemorySegment> CALL_STATE =
        ThreadLocal.withInitial(() -> Syscall.newCallState(Arena.global()));
    private static final boolean SUPPORTED = query();
    private static volatile boolean registered;

    private AsymmetricFence()
    {
    }

    /**
     * Registers this process as a light side: from the return on, every {@link #heavy()} anywhere on this host
     * fences this process's running threads. Once per process; later calls return at once.
     *
     * @return false if this kernel cannot: the light side must fence itself.
     */
    public static boolean registerLight()
    {
        if (registered)
        {
            return true;
        }
        if (!SUPPORTED)
        {
            return false;
        }
        synchronized (AsymmetricFence.class)
        {
            if (!registered)
            {
                registered = call(CMD_REGISTER_GLOBAL_EXPEDITED) == 0;
            }
            return registered;
        }
    }

    /**
     * The heavy side's fence: a system call that costs microseconds (an interrupt to each core that runs a registered
     * process), for a path that is about to sleep anyway.
     *
     * @return false if this kernel cannot: the light sides were not fenced.
     */
    public static boolean heavy()
    {
        return SUPPORTED && call(CMD_GLOBAL_EXPEDITED) == 0;
    }

    /**
     * Whether this kernel has both commands.
     *
     * @return true if {@link #registerLight()} and {@link #heavy()} can succeed.
     */
    public static boolean isSupported()
    {
        return SUPPORTED;
    }

    private static boolean query()
    {
        if (!Syscall.isAvailable())
        {
            return false;
        }
        final long commands = call(CMD_QUERY);
        final long needed = CMD_GLOBAL_EXPEDITED | CMD_REGISTER_GLOBAL_EXPEDITED;
        return commands > 0 && (commands & needed) == needed;
    }

    private static long call(final int command)
    {
        return Syscall.call(CALL_STATE.get(), Syscall.MEMBARRIER, command, 0, 0, 0, 0, 0);
    }
}
