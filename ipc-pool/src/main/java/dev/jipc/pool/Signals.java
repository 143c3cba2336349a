package dev.jipc.pool;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import dev.jipc.core.Syscall;

/**
 * Signal handlers, as Python's {@code signal.signal} installs them, and {@code os.kill}: a process started by jipc
 * (or any JVM) can handle {@code SIGINT} (Ctrl+C), {@code SIGTERM} ({@link Process#terminate()}), {@code SIGHUP} and
 * the two user signals, and send them to another process.
 * <p>
 * Without a handler of yours, the JVM's own behaviour stands: {@code SIGINT}, {@code SIGTERM} and {@code SIGHUP} run
 * the shutdown hooks and exit (status 128 + the signal), the user signals end the process. A handler replaces that:
 * the process goes on after it returns (call {@link System#exit} from it to end). Handlers run on a thread the JVM
 * starts for each signal delivered, not on the thread that was interrupted; an exception from one is printed and
 * the process goes on. Built on the JDK's {@code sun.misc.Signal} (module {@code jdk.unsupported}, which needs no
 * flag), so that no {@code --add-exports} is asked of programs. Unlike Python, a JVM keeps a shutdown signal that
 * was ignored when it started (a shell's background job ignores {@code SIGINT}) ignored: {@link #handle} then says
 * so rather than install a handler that would never run; {@code SIGQUIT} stays the JVM's (thread dumps). Its
 * names are written out in full where they are used, so that the one use of an internal API stays in sight.
 */
public final class Signals
{
    /** The signals a handler can be installed for, with their Linux numbers. */
    public enum Signal
    {
        /** Hang-up: the terminal went away. */
        HUP(1),
        /** Interrupt: Ctrl+C in a terminal. */
        INT(2),
        /** User signal 1. */
        USR1(10),
        /** User signal 2. */
        USR2(12),
        /** Terminate: {@link Process#terminate()}, {@code kill PID}. */
        TERM(15);

        private final int number;

        Signal(final int number)
        {
            this.number = number;
        }

        /**
         * The signal's number on Linux.
         *
         * @return such as 2 for {@link #INT}.
         */
        public int number()
        {
            return number;
        }
    }

    /** What to do when a signal arrives. */
    @FunctionalInterface
    public interface Handler
    {
        /**
         * Handles a signal, on a thread of its own.
         *
         * @param signal the signal that arrived.
         */
        void handle(Signal signal);
    }

    private static final Map<Signal, sun.misc.SignalHandler> JVM_HANDLERS = new EnumMap<>(Signal.class);
    private static final Map<Signal, Handler> HANDLERS = new EnumMap<>(Signal.class);
    private static final Set<Signal> IGNORED = EnumSet.noneOf(Signal.class);

    private Signals()
    {
    }

    /**
     * Installs a handler for a signal, replacing the one installed before.
     *
     * @param signal  the signal.
     * @param handler what to do when it arrives.
     * @return the handler installed before through this class, or null if the JVM's own was in place.
     * @throws IllegalStateException if the signal was ignored when this JVM started ({@code nohup}, a shell's
     *                               background job: the JVM then keeps {@code SIGINT}, {@code SIGTERM} and
     *                               {@code SIGHUP} ignored).
     */
    public static synchronized Handler handle(final Signal signal, final Handler handler)
    {
        Objects.requireNonNull(handler, "handler");
        install(signal, arrived -> handler.handle(signal));
        return HANDLERS.put(signal, handler);
    }

    /**
     * Whether a handler installed through this class is in place for a signal.
     *
     * @param signal the signal.
     * @return true if {@link #handle} installed one and nothing replaced it since.
     */
    public static synchronized boolean isHandled(final Signal signal)
    {
        return HANDLERS.containsKey(signal);
    }

    /**
     * Ignores a signal from now on, as Python's {@code SIG_IGN}.
     *
     * @param signal the signal.
     */
    public static synchronized void ignore(final Signal signal)
    {
        install(signal, sun.misc.SignalHandler.SIG_IGN);
        HANDLERS.remove(signal);
    }

    /**
     * Puts the JVM's own behaviour for a signal back, as Python's {@code SIG_DFL}.
     *
     * @param signal the signal.
     */
    public static synchronized void restoreDefault(final Signal signal)
    {
        final sun.misc.SignalHandler original = JVM_HANDLERS.remove(signal);
        if (original != null)
        {
            sun.misc.Signal.handle(new sun.misc.Signal(signal.name()), original);
        }
        HANDLERS.remove(signal);
        IGNORED.remove(signal);
    }

    /**
     * Sends a signal to a process, as Python's {@code os.kill}.
     *
     * @param pid    the process.
     * @param signal the signal.
     * @throws IllegalArgumentException if there is no such process, or it is not this user's.
     */
    public static void send(final long pid, final Signal signal)
    {
        if (pid <= 0 || pid > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("not a process id: pid=" + pid);
        }
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment state = Syscall.newCallState(arena);
            if (Syscall.call(state, Syscall.KILL, pid, signal.number(), 0, 0, 0, 0) != 0)
            {
                final int errno = Syscall.errno(state);
                throw new IllegalArgumentException("cannot send SIG" + signal + " to pid=" + pid + ": " +
                    (errno == 3 ? "no such process" : errno == 1 ? "not permitted (another user's process)" :
                    "errno=" + errno));
            }
        }
    }

    private static void install(final Signal signal, final sun.misc.SignalHandler handler)
    {
        final sun.misc.SignalHandler previous = sun.misc.Signal.handle(new sun.misc.Signal(signal.name()), handler);
        if (previous == sun.misc.SignalHandler.SIG_IGN && !IGNORED.contains(signal) &&
            handler != sun.misc.SignalHandler.SIG_IGN)
        {
            // the JVM keeps a shutdown signal that was ignored when it started ignored, whatever it is asked
            throw new IllegalStateException("SIG" + signal + " was ignored when this JVM started (a background " +
                "job of a shell, or nohup), and the JVM keeps it ignored: no handler can run; start the program in " +
                "the foreground, or through env --default-signal=" + signal);
        }
        JVM_HANDLERS.putIfAbsent(signal, previous);
        if (handler == sun.misc.SignalHandler.SIG_IGN)
        {
            IGNORED.add(signal);
        }
        else
        {
            IGNORED.remove(signal);
        }
    }
}
