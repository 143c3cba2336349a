package dev.jipc.pool;

import java.io.Serial;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import dev.jipc.core.pipe.Connection;
import dev.jipc.core.wait.Waitable;
import dev.jipc.core.wait.Waitables;

/**
 * Python's {@code multiprocessing.Process}: a task that runs in a child JVM ({@link Context#spawn()},
 * {@link Context#forkserver()}) or a thread of this JVM ({@link Context#threads()}).
 * <pre>{@code
 * try (Context ctx = Context.spawn()) {
 *     Queue<String> queue = ctx.queue(Codecs.strings());
 *     Process p = ctx.process(() -> queue.put("hello from " + Processes.currentProcess().name()));
 *     p.start();
 *     System.out.println(queue.take());
 *     p.join();
 * }
 * }</pre>
 * Both of Python's styles work: a target (a {@link SerializableRunnable}, or a consumer with its arguments through
 * {@link Context#process(SerializableConsumer, Object)}), or a subclass that overrides {@link #run()}:
 * <pre>{@code
 * final class Worker extends Process {
 *     private final Queue<String> queue;
 *     Worker(Queue<String> queue) { this.queue = queue; }
 *     public void run() { queue.put("done"); }
 * }
 * }</pre>
 *
 * <h2>What a child JVM receives</h2>
 * {@link #start()} serialises this object (its target, its arguments and the fields of a subclass) in the parent; a
 * value that is not serialisable fails there with a {@link TaskNotSerializableException} naming its type, and
 * {@code this} when a lambda captured its enclosing instance. jipc objects (queues, pipe ends, locks, values, ...)
 * serialise as handles and re-attach in the child. The child JVM has this JVM's class path and java, jipc's flags,
 * the segment directory of the context, the context's and then this process's JVM options, and this JVM's stdout and
 * stderr; its stdin is empty.
 *
 * <h2>Exit codes</h2>
 * {@link #exitCode()} is {@code null} until the process has ended; then 0 after {@link #run()} returned, 1 after it
 * threw (the child prints the stack trace to stderr, as Python does), {@code n} after {@code System.exit(n)}, and
 * {@code -N} after signal N: {@link #terminate()} gives -15 and {@link #kill()} -9. A JVM ends itself with status
 * {@code 128 + N} when SIGTERM, SIGINT or SIGHUP arrives (after running its shutdown hooks), and the exit status
 * cannot tell that from a signal, so a status of 129 to 192 reads as {@code -(status - 128)}, as a shell reads it.
 *
 * <h2>Lifetime</h2>
 * When this JVM exits normally, its daemon children are terminated and it waits for the others, as Python does. A
 * child whose parent JVM dies, however it dies ({@code kill -9} included), exits within a second: it watches the
 * pipe of its stdin, which the kernel closes when the parent goes, and polls the parent's liveness.
 * <p>
 * Thread-safe. Setters ({@link #name(String)}, {@link #daemon(boolean)}, {@link #jvmOptions(String...)}) work only
 * before {@link #start()}.
 */
public class Process implements Serializable
{
    @Serial
    private static final long serialVersionUID = 1L;
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final SerializableRunnable target;
    private volatile String name;
    private volatile boolean daemon;
    private final transient Context context;
    private final transient List<String> jvmOptions;
    private transient volatile Running running;
    private transient Waitable sentinel;
    private transient volatile boolean closed;

    /** A process of the default context ({@link Context#getDefault()}) for a subclass that overrides {@link #run()}. */
    protected Process()
    {
        this(Context.getDefault(), null);
    }

    /**
     * A process of a context for a subclass that overrides {@link #run()}.
     *
     * @param context the context that starts it.
     */
    protected Process(final Context context)
    {
        this(context, null);
    }

    /**
     * A process of the default context ({@link Context#getDefault()}) that runs a target.
     *
     * @param target what {@link #run()} runs.
     */
    public Process(final SerializableRunnable target)
    {
        this(Context.getDefault(), Objects.requireNonNull(target, "target"));
    }

    Process(final Context context, final SerializableRunnable target)
    {
        this.context = Objects.requireNonNull(context, "context");
        this.target = target;
        this.jvmOptions = new ArrayList<>();
        this.name = Processes.childNamePrefix() + SEQUENCE.incrementAndGet();
        context.processMade();
    }

    /**
     * What the process does: runs the target. A subclass overrides it; it runs in the child JVM (or thread), never
     * in the parent.
     */
    public void run()
    {
        if (target != null)
        {
            target.run();
        }
    }

    /**
     * Starts the process: serialises it and starts a child JVM that runs it (spawn), or starts a thread (threads).
     *
     * @throws TaskNotSerializableException if the task captures something that is not serialisable (spawn).
     * @throws IllegalStateException        if it was started before, or closed, or is a copy in a child JVM.
     */
    public final void start()
    {
        synchronized (this)
        {
            if (context == null)
            {
                throw new IllegalStateException("a process object read in a child JVM cannot be started: name=" +
                    name);
            }
            ensureNotClosed();
            if (running != null)
            {
                throw new IllegalStateException("a process can be started only once: name=" + name);
            }
            final Running started = context.launcher().launch(this, context);
            running = started;
            ActiveChildren.add(this, started);
        }
    }

    /**
     * Waits for the process to end.
     *
     * @throws IllegalStateException if it was not started, or was closed.
     * @throws InterruptedException  if interrupted while waiting; the process keeps running.
     */
    public final void join() throws InterruptedException
    {
        try
        {
            started().exit().get();
        }
        catch (final ExecutionException ex)
        {
            throw new IllegalStateException("process exit not known: name=" + name, ex.getCause());
        }
    }

    /**
     * Waits up to a timeout for the process to end. Never returns false before the timeout has passed.
     *
     * @param timeout the longest wait.
     * @param unit    its unit.
     * @return true if the process has ended, false if the timeout passed first.
     * @throws IllegalStateException if it was not started, or was closed.
     * @throws InterruptedException  if interrupted while waiting; the process keeps running.
     */
    public final boolean join(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        final CompletableFuture<Integer> exit = started().exit();
        try
        {
            exit.get(Math.max(0, timeout), unit);
            return true;
        }
        catch (final TimeoutException ex)
        {
            return false;
        }
        catch (final ExecutionException ex)
        {
            throw new IllegalStateException("process exit not known: name=" + name, ex.getCause());
        }
    }

    /**
     * Waits up to a timeout for the process to end.
     *
     * @param timeout the longest wait.
     * @return true if the process has ended, false if the timeout passed first.
     * @throws IllegalStateException if it was not started, or was closed.
     * @throws InterruptedException  if interrupted while waiting; the process keeps running.
     */
    public final boolean join(final Duration timeout) throws InterruptedException
    {
        // a Duration of more than 292 years has no nanosecond count: it waits as long as Long.MAX_VALUE does
        return join(timeout.compareTo(Duration.ofNanos(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE : timeout.toNanos(),
            TimeUnit.NANOSECONDS);
    }

    /**
     * Whether the process has started and not yet ended.
     *
     * @return true while it runs.
     * @throws IllegalStateException if it was closed.
     */
    public final boolean isAlive()
    {
        ensureNotClosed();
        final Running started = running;
        return started != null && !started.exit().isDone();
    }

    /**
     * The exit code: see the class comment.
     *
     * @return null until the process has started and ended; then 0, 1, n or -N.
     * @throws IllegalStateException if it was closed.
     */
    public final Integer exitCode()
    {
        ensureNotClosed();
        final Running started = running;
        return started == null ? null : started.exit().getNow(null);
    }

    /**
     * The process id: the child JVM's, or this JVM's for a process of the threads context.
     *
     * @return the pid.
     * @throws IllegalStateException if it was not started, or was closed.
     */
    public final long pid()
    {
        return started().pid();
    }

    /**
     * Sends SIGTERM to the child JVM: it runs its shutdown hooks and exits ({@link #exitCode()} -15). Does nothing if
     * the process has ended.
     *
     * @throws IllegalStateException         if it was not started, or was closed.
     * @throws UnsupportedOperationException for a process of the threads context: a thread cannot be stopped.
     */
    public final void terminate()
    {
        started().terminate();
    }

    /**
     * Sends SIGKILL to the child JVM ({@link #exitCode()} -9). Does nothing if the process has ended.
     *
     * @throws IllegalStateException         if it was not started, or was closed.
     * @throws UnsupportedOperationException for a process of the threads context: a thread cannot be stopped.
     */
    public final void kill()
    {
        started().kill();
    }

    /**
     * Completes when the process has ended.
     *
     * @return a future of this process, completed once its exit code is known.
     * @throws IllegalStateException if it was not started, or was closed.
     */
    public final CompletableFuture<Process> onExit()
    {
        return started().exit().thenApply(code -> this);
    }

    /**
     * Python's {@code Process.sentinel}: a {@link Waitable} that is ready once the process has ended, to wait on
     * together with pipe ends and other processes' sentinels with {@link Connection#wait}:
     * <pre>{@code
     * List<Waitable> ready = Connection.wait(List.of(conn, p.sentinel()), 5, TimeUnit.SECONDS);
     * }</pre>
     * It is this JVM's own object (an event count in this process's memory, signalled when the exit code becomes
     * known, as {@link #onExit()} completes; for the threads context, when the task's thread has finished it), so it
     * cannot be handed to another process. Every call returns the same object. A sentinel taken before
     * {@link #close()} stays valid, and ready, after it.
     *
     * @return the sentinel.
     * @throws IllegalStateException if the process was not started, or was closed (both Python's
     *                               {@code ValueError}).
     */
    public final Waitable sentinel()
    {
        synchronized (this)
        {
            final Running started = started();
            if (sentinel == null)
            {
                sentinel = Waitables.whenDone(started.exit(), "sentinel of " + name);
            }
            return sentinel;
        }
    }

    /**
     * Releases what this JVM holds for the process; most methods throw {@link IllegalStateException} afterwards.
     * Idempotent.
     *
     * @throws IllegalStateException if the process is still running.
     */
    public final void close()
    {
        synchronized (this)
        {
            if (closed)
            {
                return;
            }
            final Running started = running;
            if (started != null)
            {
                if (!started.exit().isDone())
                {
                    throw new IllegalStateException("cannot close a process that is still running: name=" + name +
                        ", pid=" + started.pid());
                }
                started.release();
            }
            closed = true;
        }
    }

    /**
     * The process's name: {@code Process-1}, {@code Process-2}, ... by default ({@code Process-1:1} for the first
     * process a child {@code Process-1} starts).
     *
     * @return the name.
     */
    public final String name()
    {
        return name;
    }

    /**
     * Names the process.
     *
     * @param name the name; the child's {@link Processes#currentProcess()} reports it.
     * @return this.
     * @throws IllegalStateException if it was started.
     */
    public final Process name(final String name)
    {
        synchronized (this)
        {
            ensureNotStarted("name");
            this.name = Objects.requireNonNull(name, "name");
        }
        return this;
    }

    /**
     * Whether the process is a daemon: terminated when this JVM exits, rather than waited for.
     *
     * @return the daemon flag.
     */
    public final boolean daemon()
    {
        return daemon;
    }

    /**
     * Makes the process a daemon or not.
     *
     * @param daemon true to terminate it when this JVM exits.
     * @return this.
     * @throws IllegalStateException if it was started.
     */
    public final Process daemon(final boolean daemon)
    {
        synchronized (this)
        {
            ensureNotStarted("daemon");
            this.daemon = daemon;
        }
        return this;
    }

    /**
     * Adds options for the child JVM, after those of the context: heap size, {@code -D} properties.
     *
     * @param options such as {@code -Xmx64m} or {@code -Dkey=value}.
     * @return this.
     * @throws IllegalStateException if it was started, or if this is a copy in a child JVM.
     */
    public final Process jvmOptions(final String... options)
    {
        synchronized (this)
        {
            ensureNotStarted("jvmOptions");
            if (jvmOptions == null)
            {
                throw new IllegalStateException("a process object read in a child JVM has no JVM options: name=" +
                    name);
            }
            jvmOptions.addAll(List.of(options));
        }
        return this;
    }

    /**
     * The child JVM options of this process, after the context's.
     *
     * @return a copy.
     */
    final List<String> jvmOptionList()
    {
        synchronized (this)
        {
            return List.copyOf(jvmOptions);
        }
    }

    /**
     * The context that starts this process.
     *
     * @return the context; null in a copy read in a child JVM.
     */
    public final Context context()
    {
        return context;
    }

    @Override
    public String toString()
    {
        final Running started = running;
        final StringBuilder text = new StringBuilder("Process{name=").append(name);
        if (started == null)
        {
            text.append(", initial");
        }
        else
        {
            text.append(", pid=").append(started.pid());
            final Integer exit = started.exit().getNow(null);
            text.append(exit == null ? ", started" : ", exitCode=" + exit);
        }
        if (daemon)
        {
            text.append(", daemon");
        }
        return text.append('}').toString();
    }

    private Running started()
    {
        ensureNotClosed();
        final Running started = running;
        if (started == null)
        {
            throw new IllegalStateException("process was not started: name=" + name);
        }
        return started;
    }

    private void ensureNotClosed()
    {
        if (closed)
        {
            throw new IllegalStateException("process is closed: name=" + name);
        }
    }

    private void ensureNotStarted(final String what)
    {
        if (running != null)
        {
            throw new IllegalStateException("cannot set " + what + " of a started process: name=" + name);
        }
    }
}
