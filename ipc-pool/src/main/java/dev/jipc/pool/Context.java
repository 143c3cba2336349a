package dev.jipc.pool;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import dev.jipc.core.SegmentDirectory;
import dev.jipc.core.SharedMemory;
import dev.jipc.core.codec.Codec;
import dev.jipc.core.pipe.Pipe;
import dev.jipc.core.queue.JoinableQueue;
import dev.jipc.core.queue.LongQueue;
import dev.jipc.core.queue.Queue;
import dev.jipc.core.queue.SimpleQueue;
import dev.jipc.core.wait.WaitStrategy;
import dev.jipc.sync.Barrier;
import dev.jipc.sync.BoundedSemaphore;
import dev.jipc.sync.ByteArray;
import dev.jipc.sync.Condition;
import dev.jipc.sync.DoubleArray;
import dev.jipc.sync.DoubleValue;
import dev.jipc.sync.Event;
import dev.jipc.sync.IntArray;
import dev.jipc.sync.IntValue;
import dev.jipc.sync.Lock;
import dev.jipc.sync.LongArray;
import dev.jipc.sync.LongValue;
import dev.jipc.sync.RLock;
import dev.jipc.sync.Semaphore;

/**
 * Python's context object: a start method, and the factory of the processes and shared objects that go with it.
 * <pre>{@code
 * try (Context ctx = Context.spawn()) {
 *     IntValue counter = ctx.intValue(0);
 *     Process p = ctx.process(() -> counter.getAndAdd(1));
 *     p.start();
 *     p.join();
 * }   // unlinks the counter's segment
 * }</pre>
 *
 * <h2>Start methods</h2>
 * <ul>
 *   <li>{@value #SPAWN}: a fresh JVM per process ({@link #spawn()}).</li>
 *   <li>{@value #THREADS}: the same API on threads of this JVM, Python's {@code multiprocessing.dummy}, for I/O-bound
 *   work ({@link #threads()}). Nothing is serialised; {@link Process#terminate()} and {@link Process#kill()} are
 *   not supported.</li>
 *   <li>{@value #FORKSERVER}: fresh JVMs booted ahead of time, each waiting for one task ({@link #forkserver()}).</li>
 * </ul>
 * A JVM cannot fork: {@code of("fork")} throws an {@link IllegalArgumentException} that points at the others.
 *
 * <h2>Shared objects</h2>
 * The factory methods create queues, pipes, locks, values and the rest in the context's segment directory (the
 * default one unless {@link #directory(Path)} says otherwise) under generated names ({@code ctx-<pid>-<n>-...}),
 * and remember them: {@link #close()}, or this JVM's normal exit, unlinks their segments and closes the handles the
 * context returned. Processes that attached keep working until they close; nobody can attach by name afterwards.
 * Each is the class's own {@code create(directory, name, ...)}: the objects are the same as those made directly.
 * <p>
 * Thread-safe. Configure ({@link #directory(Path)}, {@link #jvmOptions(String...)}) before the first object or
 * process.
 */
public final class Context implements AutoCloseable
{
    /** A fresh JVM per process. */
    public static final String SPAWN = "spawn";
    /** Fresh JVMs booted ahead of time, one task each. */
    public static final String FORKSERVER = "forkserver";
    /** Threads of this JVM. */
    public static final String THREADS = "threads";
    /** System property naming the start method of {@link #getDefault()}; {@value #SPAWN} when unset. */
    public static final String START_METHOD_PROPERTY = "jipc.startMethod";
    /** Ring capacity of the queues and pipes made without one: 64 KiB. */
    public static final int DEFAULT_CAPACITY = Pipe.DEFAULT_CAPACITY;

    /** How long closing a context waits for each of its pools' workers to end after terminating it. */
    private static final long POOL_END_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final Set<Context> OPEN = ConcurrentHashMap.newKeySet();
    private static final Object DEFAULT_LOCK = new Object();
    private static Context defaultContext;

    private final String startMethod;
    private final Launcher launcher;
    private final String prefix;
    private final AtomicInteger names = new AtomicInteger();
    private final List<String> jvmOptions = new CopyOnWriteArrayList<>();
    private final List<Owned> owned = new ArrayList<>();
    private volatile Path directory;
    private volatile boolean used;
    private volatile boolean processesMade;
    private boolean closed;

    private Context(final String startMethod, final Function<Context, Launcher> launcher)
    {
        this.startMethod = startMethod;
        this.launcher = launcher.apply(this);
        this.prefix = "ctx-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet() + "-" +
            Long.toHexString(System.nanoTime() & 0xFFFF_FFFFL);
    }

    /**
     * A context whose processes are fresh JVMs.
     *
     * @return a new context.
     */
    public static Context spawn()
    {
        return new Context(SPAWN, context -> SpawnLauncher.INSTANCE);
    }

    /**
     * A context whose processes are threads of this JVM (Python's {@code multiprocessing.dummy}).
     *
     * @return a new context.
     */
    public static Context threads()
    {
        return new Context(THREADS, context -> ThreadLauncher.INSTANCE);
    }

    /**
     * A context whose processes start in fresh JVMs booted ahead of time: {@value ForkserverLauncher#DEFAULT_SPARES}
     * spares wait for a task, each runs one and exits, and a replacement boots in the background. {@code start()}
     * then costs a pipe write rather than a JVM start, and every process still begins in a JVM that has run nothing
     * else. Spares boot when the context makes its first process, with the context's directory and JVM options; a
     * process with JVM options of its own is spawned. {@link #close()} lets the idle spares go.
     *
     * @return a new context.
     */
    public static Context forkserver()
    {
        return forkserver(ForkserverLauncher.DEFAULT_SPARES);
    }

    /**
     * A forkserver context with a given number of spares.
     *
     * @param spares how many JVMs wait for a task, at least 1.
     * @return a new context.
     */
    public static Context forkserver(final int spares)
    {
        if (spares < 1)
        {
            throw new IllegalArgumentException("a forkserver needs at least one spare: spares=" + spares);
        }
        return new Context(FORKSERVER, context -> new ForkserverLauncher(context, spares));
    }

    /**
     * The context of a start method by name.
     *
     * @param startMethod {@value #SPAWN}, {@value #FORKSERVER} or {@value #THREADS}.
     * @return a new context.
     * @throws IllegalArgumentException for {@code fork} (a JVM cannot fork) and unknown names.
     */
    public static Context of(final String startMethod)
    {
        Objects.requireNonNull(startMethod, "startMethod");
        return switch (startMethod)
        {
            case SPAWN -> spawn();
            case THREADS -> threads();
            case FORKSERVER -> forkserver();
            case "fork" -> throw new IllegalArgumentException("a JVM cannot fork (a forked JVM would keep only the " +
                "forking thread, with the others' locks held): use " + FORKSERVER + " for fast starts from a " +
                "fresh pre-started JVM, or " + SPAWN);
            default -> throw new IllegalArgumentException("unknown start method: name=" + startMethod +
                ", known=" + startMethods());
        };
    }

    /**
     * The start methods this build offers, the default first.
     *
     * @return {@value #SPAWN}, {@value #FORKSERVER} and {@value #THREADS}.
     */
    public static List<String> startMethods()
    {
        return List.of(SPAWN, FORKSERVER, THREADS);
    }

    /**
     * The process-wide default context: that of {@value #START_METHOD_PROPERTY} ({@value #SPAWN} if unset) or of
     * {@link #setDefault(String)}; made on first use, closed at this JVM's exit.
     *
     * @return the default context.
     */
    public static Context getDefault()
    {
        synchronized (DEFAULT_LOCK)
        {
            if (defaultContext == null)
            {
                defaultContext = of(System.getProperty(START_METHOD_PROPERTY, SPAWN));
            }
            return defaultContext;
        }
    }

    /**
     * Chooses the start method of {@link #getDefault()}, as Python's {@code set_start_method}.
     *
     * @param startMethod {@value #SPAWN} or {@value #THREADS}.
     * @throws IllegalStateException if the default context exists already with another start method.
     */
    public static void setDefault(final String startMethod)
    {
        synchronized (DEFAULT_LOCK)
        {
            if (defaultContext != null)
            {
                if (defaultContext.startMethod.equals(startMethod))
                {
                    return;
                }
                throw new IllegalStateException("the default context has been made already: startMethod=" +
                    defaultContext.startMethod + ", asked=" + startMethod);
            }
            defaultContext = of(startMethod);
        }
    }

    /**
     * This context's start method.
     *
     * @return {@value #SPAWN} or {@value #THREADS}.
     */
    public String startMethod()
    {
        return startMethod;
    }

    /**
     * Puts this context's objects in a directory, and gives it to child JVMs as their default segment directory.
     *
     * @param directory a segment directory (created {@code 0700} with the first object if it does not exist).
     * @return this.
     * @throws IllegalStateException if the context has made an object or a process already.
     */
    public Context directory(final Path directory)
    {
        ensureUnused("directory");
        this.directory = Objects.requireNonNull(directory, "directory").toAbsolutePath();
        return this;
    }

    /**
     * Where this context's objects go.
     *
     * @return the directory given to {@link #directory(Path)}, or the default segment directory.
     */
    public Path directory()
    {
        final Path configured = directory;
        return configured != null ? configured : SegmentDirectory.defaultDirectory();
    }

    /**
     * Adds JVM options for every child JVM of this context, before each process's own.
     *
     * @param options such as {@code -Xmx64m} or {@code -Dkey=value}.
     * @return this.
     * @throws IllegalStateException if the context has made a process already (a forkserver's spares have booted).
     */
    public Context jvmOptions(final String... options)
    {
        if (processesMade)
        {
            throw new IllegalStateException("cannot add JVM options to a context that has made processes: " + this);
        }
        jvmOptions.addAll(List.of(options));
        return this;
    }

    /**
     * A process that runs a task.
     *
     * @param target the task.
     * @return the process, not started.
     */
    public Process process(final SerializableRunnable target)
    {
        Objects.requireNonNull(target, "target");
        return new Process(this, target);
    }

    /**
     * A process that runs a task that may throw a checked exception (what it returns is dropped). A lambda that
     * returns a value, or ends in {@code return null;}, is this kind; one that returns nothing is a
     * {@link SerializableRunnable}.
     *
     * @param target the task; an exception it throws ends the process with exit code 1.
     * @return the process, not started.
     */
    public Process process(final SerializableCallable<?> target)
    {
        Objects.requireNonNull(target, "target");
        return process(() -> call(target));
    }

    /**
     * A process that runs a task with an argument, as Python's {@code Process(target=f, args=(a,))}.
     *
     * @param target the task.
     * @param arg    its argument: serialisable (a jipc object serialises as a handle).
     * @param <T>    the argument type.
     * @return the process, not started.
     */
    public <T> Process process(final SerializableConsumer<T> target, final T arg)
    {
        Objects.requireNonNull(target, "target");
        return process(() -> target.accept(arg));
    }

    /**
     * A process that runs a task with two arguments.
     *
     * @param target the task.
     * @param first  its first argument.
     * @param second its second argument.
     * @param <T>    the first argument type.
     * @param <U>    the second argument type.
     * @return the process, not started.
     */
    public <T, U> Process process(final SerializableBiConsumer<T, U> target, final T first, final U second)
    {
        Objects.requireNonNull(target, "target");
        return process(() -> target.accept(first, second));
    }

    /** Runs a callable where only unchecked exceptions may pass: a checked one is thrown unchanged, unchecked. */
    private static void call(final SerializableCallable<?> target)
    {
        try
        {
            target.call();
        }
        catch (final Exception ex)
        {
            throw Context.<RuntimeException>sneaky(ex);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T sneaky(final Throwable ex) throws T
    {
        throw (T)ex;
    }

    /**
     * A multi-producer, multi-consumer queue of {@value #DEFAULT_CAPACITY} bytes.
     *
     * @param codec how elements become bytes.
     * @param <E>   the element type.
     * @return the queue, unlinked when this context closes.
     */
    public <E> Queue<E> queue(final Codec<E> codec)
    {
        return queue(DEFAULT_CAPACITY, codec);
    }

    /**
     * A multi-producer, multi-consumer queue.
     *
     * @param capacity ring capacity in bytes, a power of two.
     * @param codec    how elements become bytes.
     * @param <E>      the element type.
     * @return the queue, unlinked when this context closes.
     */
    public <E> Queue<E> queue(final int capacity, final Codec<E> codec)
    {
        final String name = nextName("queue");
        final Queue<E> queue = Queue.create(directory(), name, capacity, codec);
        return own(name, queue, queue::unlink);
    }

    /**
     * A simple queue ({@code put}, {@code get}, {@code isEmpty}).
     *
     * @param capacity ring capacity in bytes, a power of two.
     * @param codec    how elements become bytes.
     * @param <E>      the element type.
     * @return the queue, unlinked when this context closes.
     */
    public <E> SimpleQueue<E> simpleQueue(final int capacity, final Codec<E> codec)
    {
        final String name = nextName("simplequeue");
        final SimpleQueue<E> queue = SimpleQueue.create(directory(), name, capacity, codec);
        return own(name, queue, queue::unlink);
    }

    /**
     * A joinable queue ({@code taskDone}, {@code join}).
     *
     * @param capacity ring capacity in bytes, a power of two.
     * @param codec    how elements become bytes.
     * @param <E>      the element type.
     * @return the queue, unlinked when this context closes.
     */
    public <E> JoinableQueue<E> joinableQueue(final int capacity, final Codec<E> codec)
    {
        final String name = nextName("joinablequeue");
        final JoinableQueue<E> queue = JoinableQueue.create(directory(), name, capacity, codec);
        return own(name, queue, queue::unlink);
    }

    /**
     * A queue of {@code long}s, with no boxing and no serialisation.
     *
     * @param capacity ring capacity in bytes, a power of two.
     * @return the queue, unlinked when this context closes.
     */
    public LongQueue longQueue(final int capacity)
    {
        final String name = nextName("longqueue");
        final LongQueue queue = LongQueue.create(directory(), name, capacity);
        return own(name, queue, queue::unlink);
    }

    /**
     * A pipe with {@value #DEFAULT_CAPACITY}-byte rings.
     *
     * @param duplex true for two-way, false for one-way (first receives, second sends).
     * @param codec  how {@code send} encodes objects.
     * @param <E>    the element type.
     * @return the pipe, unlinked when this context closes.
     */
    public <E> Pipe<E> pipe(final boolean duplex, final Codec<E> codec)
    {
        final String name = nextName("pipe");
        final Pipe<E> pipe = Pipe.create(directory(), name, DEFAULT_CAPACITY, duplex, codec);
        return own(name, pipe, pipe::unlink);
    }

    /**
     * A named block of raw shared memory.
     *
     * @param size its size in bytes.
     * @return the block, unlinked when this context closes.
     */
    public SharedMemory sharedMemory(final long size)
    {
        final String name = nextName("shm");
        final SharedMemory memory = SharedMemory.create(directory(), name, size);
        return own(name, memory, memory::unlink);
    }

    /**
     * A robust lock.
     *
     * @return the lock, unlinked when this context closes.
     */
    public Lock lock()
    {
        final String name = nextName("lock");
        final Lock lock = Lock.create(directory(), name, WaitStrategy.SPIN_THEN_PARK);
        return own(name, lock, lock::unlink);
    }

    /**
     * A robust re-entrant lock.
     *
     * @return the lock, unlinked when this context closes.
     */
    public RLock rlock()
    {
        final String name = nextName("rlock");
        final RLock lock = RLock.create(directory(), name, WaitStrategy.SPIN_THEN_PARK);
        return own(name, lock, lock::unlink);
    }

    /**
     * A semaphore.
     *
     * @param value its initial count.
     * @return the semaphore, unlinked when this context closes.
     */
    public Semaphore semaphore(final int value)
    {
        final String name = nextName("semaphore");
        final Semaphore semaphore = Semaphore.create(directory(), name, value, WaitStrategy.SPIN_THEN_PARK);
        return own(name, semaphore, semaphore::unlink);
    }

    /**
     * A bounded semaphore: a release above the initial value throws.
     *
     * @param value its initial and largest count.
     * @return the semaphore, unlinked when this context closes.
     */
    public BoundedSemaphore boundedSemaphore(final int value)
    {
        final String name = nextName("boundedsemaphore");
        final BoundedSemaphore semaphore =
            BoundedSemaphore.create(directory(), name, value, WaitStrategy.SPIN_THEN_PARK);
        return own(name, semaphore, semaphore::unlink);
    }

    /**
     * A condition with a lock of its own.
     *
     * @return the condition, unlinked when this context closes.
     */
    public Condition condition()
    {
        final String name = nextName("condition");
        final Condition condition = Condition.create(directory(), name, WaitStrategy.SPIN_THEN_PARK);
        return own(name, condition, condition::unlink);
    }

    /**
     * An event.
     *
     * @return the event, unlinked when this context closes.
     */
    public Event event()
    {
        final String name = nextName("event");
        final Event event = Event.create(directory(), name, WaitStrategy.SPIN_THEN_PARK);
        return own(name, event, event::unlink);
    }

    /**
     * A barrier with no action.
     *
     * @param parties how many must arrive.
     * @return the barrier, unlinked when this context closes.
     */
    public Barrier barrier(final int parties)
    {
        final String name = nextName("barrier");
        final Barrier barrier = Barrier.create(directory(), name, parties, null, WaitStrategy.SPIN_THEN_PARK);
        return own(name, barrier, barrier::unlink);
    }

    /**
     * A shared {@code int} with a lock.
     *
     * @param initial its value.
     * @return the value, unlinked when this context closes.
     */
    public IntValue intValue(final int initial)
    {
        final String name = nextName("intvalue");
        final IntValue value = IntValue.create(directory(), name, initial, WaitStrategy.SPIN_THEN_PARK);
        return own(name, value, value::unlink);
    }

    /**
     * A shared {@code long} with a lock.
     *
     * @param initial its value.
     * @return the value, unlinked when this context closes.
     */
    public LongValue longValue(final long initial)
    {
        final String name = nextName("longvalue");
        final LongValue value = LongValue.create(directory(), name, initial, WaitStrategy.SPIN_THEN_PARK);
        return own(name, value, value::unlink);
    }

    /**
     * A shared {@code double} with a lock.
     *
     * @param initial its value.
     * @return the value, unlinked when this context closes.
     */
    public DoubleValue doubleValue(final double initial)
    {
        final String name = nextName("doublevalue");
        final DoubleValue value = DoubleValue.create(directory(), name, initial, WaitStrategy.SPIN_THEN_PARK);
        return own(name, value, value::unlink);
    }

    /**
     * A shared {@code int} array with a lock, zeroed.
     *
     * @param length its length.
     * @return the array, unlinked when this context closes.
     */
    public IntArray intArray(final int length)
    {
        final String name = nextName("intarray");
        final IntArray array = IntArray.create(directory(), name, length, WaitStrategy.SPIN_THEN_PARK);
        return own(name, array, array::unlink);
    }

    /**
     * A shared {@code long} array with a lock, zeroed.
     *
     * @param length its length.
     * @return the array, unlinked when this context closes.
     */
    public LongArray longArray(final int length)
    {
        final String name = nextName("longarray");
        final LongArray array = LongArray.create(directory(), name, length, WaitStrategy.SPIN_THEN_PARK);
        return own(name, array, array::unlink);
    }

    /**
     * A shared {@code double} array with a lock, zeroed.
     *
     * @param length its length.
     * @return the array, unlinked when this context closes.
     */
    public DoubleArray doubleArray(final int length)
    {
        final String name = nextName("doublearray");
        final DoubleArray array = DoubleArray.create(directory(), name, length, WaitStrategy.SPIN_THEN_PARK);
        return own(name, array, array::unlink);
    }

    /**
     * A shared byte array with a lock, zeroed.
     *
     * @param length its length.
     * @return the array, unlinked when this context closes.
     */
    public ByteArray byteArray(final int length)
    {
        final String name = nextName("bytearray");
        final ByteArray array = ByteArray.create(directory(), name, length, WaitStrategy.SPIN_THEN_PARK);
        return own(name, array, array::unlink);
    }

    /**
     * A manager: Python's {@code ctx.Manager()}, the factory of named dicts, lists, namespaces, queues, locks, values
     * and arrays that another program can open by the manager's {@link Manager#name() name}
     * ({@link Manager#open(Path, String)}) and that child processes receive as handles.
     *
     * @return the manager, which this context created: closing the context removes it and everything it holds.
     */
    public Manager manager()
    {
        final String name = nextName("manager");
        final Manager manager = Manager.create(directory(), name);
        return own(name, manager, manager::unlink);
    }

    /**
     * A pool of {@link Processes#cpuCount()} workers: Python's {@code ctx.Pool()}.
     *
     * @return the pool, its workers starting; terminated when this context closes.
     */
    public Pool pool()
    {
        return poolBuilder().build();
    }

    /**
     * A pool of {@code processes} workers: Python's {@code ctx.Pool(processes)}.
     *
     * @param processes how many workers.
     * @return the pool, its workers starting; terminated when this context closes.
     */
    public Pool pool(final int processes)
    {
        return poolBuilder().processes(processes).build();
    }

    /**
     * The settings of a pool or executor with an initializer, {@code maxTasksPerChild}, retries or a task timeout.
     *
     * @return a builder of {@link Processes#cpuCount()} workers.
     */
    public PoolBuilder poolBuilder()
    {
        return new PoolBuilder(this);
    }

    /**
     * An {@link java.util.concurrent.ExecutorService} of {@code processes} workers: Python's
     * {@code concurrent.futures.ProcessPoolExecutor(max_workers, mp_context=ctx)}.
     *
     * @param processes how many workers.
     * @return the executor, its workers starting; terminated when this context closes.
     */
    public ProcessPoolExecutor executor(final int processes)
    {
        return poolBuilder().processes(processes).buildExecutor();
    }

    /**
     * The names of the segments this context made and has not yet unlinked.
     *
     * @return the names, in creation order.
     */
    public List<String> createdNames()
    {
        synchronized (owned)
        {
            return owned.stream().map(Owned::name).toList();
        }
    }

    /**
     * Unlinks the segments of every object this context made and closes the handles it returned; idempotent.
     * Processes keep running, and those attached keep their mappings. A failure to unlink one does not stop the
     * others: the first is thrown at the end, with the rest suppressed.
     */
    @Override
    public void close()
    {
        final List<Owned> toRelease;
        synchronized (owned)
        {
            closed = true;
            toRelease = new ArrayList<>(owned);
            owned.clear();
        }
        OPEN.remove(this);
        launcher.close();
        RuntimeException failure = null;
        for (final Owned object : toRelease)
        {
            try
            {
                object.unlink().run();
            }
            catch (final RuntimeException ex)
            {
                failure = addTo(failure, ex);
            }
            try
            {
                object.handle().close();
            }
            catch (final Exception ex)
            {
                failure = addTo(failure, ex instanceof RuntimeException runtime ? runtime :
                    new IllegalStateException("close failed: name=" + object.name(), ex));
            }
        }
        if (failure != null)
        {
            throw failure;
        }
    }

    @Override
    public String toString()
    {
        return "Context{startMethod=" + startMethod + ", directory=" + directory() + "}";
    }

    Launcher launcher()
    {
        return launcher;
    }

    /**
     * A pool of this context: terminated when this context closes, before the objects it made (its queues among
     * them) are unlinked and closed, so that its result thread ends on its own queue, not on a closed one.
     */
    void adopt(final String name, final PoolCore pool)
    {
        final AutoCloseable terminate = () -> pool.terminateAndWait(POOL_END_NANOS);
        own(name, terminate, () ->
        {
        });
        pool.whenFinished(() -> release(terminate));
        synchronized (owned)
        {
            for (int i = 0; i < owned.size(); i++)
            {
                if (owned.get(i).name().equals(name))
                {
                    owned.add(0, owned.remove(i));
                    break;
                }
            }
        }
    }

    /**
     * Unlinks and closes an object this context made, before the context closes: a pool's task ring of a worker
     * that has exited, the arrays of a finished primitive map. Nothing happens to an object it no longer holds.
     *
     * @param handle what a factory method of this context returned.
     */
    void release(final AutoCloseable handle)
    {
        Owned found = null;
        synchronized (owned)
        {
            for (int i = 0; i < owned.size(); i++)
            {
                if (owned.get(i).handle() == handle)
                {
                    found = owned.remove(i);
                    break;
                }
            }
        }
        if (found == null)
        {
            return;
        }
        try
        {
            found.unlink().run();
        }
        finally
        {
            try
            {
                handle.close();
            }
            catch (final Exception ex)
            {
                System.err.println("jipc: closing " + found.name() + " failed: " + ex);
            }
        }
    }

    /** Called by every new {@link Process} of this context: a forkserver boots its spares now. */
    void processMade()
    {
        markUsed();
        processesMade = true;
        launcher.prepare();
    }

    List<String> jvmOptionList()
    {
        return List.copyOf(jvmOptions);
    }

    /** The directory given to {@link #directory(Path)}; null when the child's default applies. */
    Path configuredDirectory()
    {
        return directory;
    }

    /** At this JVM's normal exit, after its children: every context still open unlinks what it made. */
    static void closeAllAtExit()
    {
        for (final Context context : OPEN)
        {
            try
            {
                context.close();
            }
            catch (final RuntimeException ex)
            {
                System.err.println("jipc: context cleanup at exit failed: " + context + ": " + ex);
            }
        }
    }

    private String nextName(final String kind)
    {
        markUsed();
        return prefix + "-" + kind + "-" + names.incrementAndGet();
    }

    private <T extends AutoCloseable> T own(final String name, final T handle, final Runnable unlink)
    {
        synchronized (owned)
        {
            if (!closed)
            {
                owned.add(new Owned(name, handle, unlink));
                OPEN.add(this);
                // the exit hook unlinks what a context made even when it never starts a process
                ActiveChildren.hookExit();
                return handle;
            }
        }
        unlink.run();
        try
        {
            handle.close();
        }
        catch (final Exception ignore)
        {
            // the context is closed: the object is gone either way
        }
        throw new IllegalStateException("context is closed: " + this);
    }

    private void markUsed()
    {
        used = true;
    }

    private void ensureUnused(final String what)
    {
        if (used)
        {
            throw new IllegalStateException("cannot set " + what + " of a context that has made objects or " +
                "processes: " + this);
        }
    }

    private static RuntimeException addTo(final RuntimeException failure, final RuntimeException ex)
    {
        if (failure == null)
        {
            return ex;
        }
        failure.addSuppressed(ex);
        return failure;
    }

    /** An object this context made: its segment's name, the handle it returned, and how to unlink it. */
    private record Owned(String name, AutoCloseable handle, Runnable unlink)
    {
    }
}
