package dev.jipc.pool;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import dev.jipc.core.codec.Codecs;
import dev.jipc.core.queue.Queue;
import dev.jipc.core.queue.QueueDescriptor;
import dev.jipc.sync.LongArray;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;


/**
 * Workers that are child JVMs of a {@link Context}: each reads its jobs from a task ring of its own (a
 * {@code Queue<byte[]>}, one reader), writes its results to the pool's one result queue, and writes the id of the
 * job it starts to its slot of a shared {@link LongArray}. The messages are in {@link PoolWire}. A function that
 * captures nothing (a lambda of a static context, one instance per call site) is sent to each worker once and then
 * named by id; one that captures values travels with each job.
 */
final class ChildWorkers implements WorkerEngine
{
    /** Task ring of each worker: 1 MiB, so a chunk may encode to 128 KiB. */
    static final int TASK_RING_CAPACITY = 1 << 20;
    /** Result queue of the pool: 4 MiB. */
    static final int RESULT_RING_CAPACITY = 1 << 22;
    /**
     * The most workers a pool of child JVMs may have: each takes one of the result queue's
     * {@value QueueDescriptor#PRODUCER_SLOTS} producer slots, this JVM one, and a replacement may start before its
     * predecessor's slot is reclaimed.
     */
    static final int MAX_WORKERS = QueueDescriptor.PRODUCER_SLOTS * 3 / 4;
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static final WorkerEvent.Kind[] KINDS = WorkerEvent.Kind.values();
    private static final byte[] WAKE_MESSAGE = wakeMessage();
    private static final ClassValue<Boolean> CAPTURES_NOTHING = new ClassValue<>()
    {
        @Override
        protected Boolean computeValue(final Class<?> type)
        {
            if (!type.isSynthetic() && !type.isHidden())
            {
                return false;
            }
            for (final Field field : type.getDeclaredFields())
            {
                if (!Modifier.isStatic(field.getModifiers()))
                {
                    return false;
                }
            }
            return true;
        }
    };
    /** A job's header and a function id or a small function. */
    private static final int JOB_HEADROOM = 64;

    private final Context context;
    private final String poolName;
    private final List<String> jvmOptions;
    private final byte[] initializer;
    private final Queue<byte[]> results;
    private final LongArray started;
    /** Per worker, {@code prefetch} words: ids of jobs cancelled before it started them (see {@link #cancel}). */
    private final LongArray cancels;
    private final int size;
    private final int prefetch;
    private final Map<Object, Integer> functionIds = new IdentityHashMap<>();
    private final Map<Integer, byte[]> definitions = new HashMap<>();
    private final UnsafeBuffer view = new UnsafeBuffer(new byte[0]);
    private final Map<Integer, Parts> parts = new HashMap<>();
    private final int[] cursor = new int[2];
    private final ConcurrentLinkedQueue<WorkerEvent> parentEvents = new ConcurrentLinkedQueue<>();
    private final BooleanSupplier eventThere = this::eventThere;
    /** When the result thread last had an event, for its {@link Linger}. */
    private long lastEvent = System.nanoTime();
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final ExecutorService poster;
    private volatile int maxTaskLength = Integer.MAX_VALUE;
    private volatile boolean closed;

    ChildWorkers(final Context context, final String poolName, final int size, final int prefetch,
        final SerializableRunnable initializer, final List<String> jvmOptions)
    {
        this.context = context;
        this.poolName = poolName;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.initializer = initializer == null ? null : TaskCodec.encode(initializer, poolName + "'s initializer");
        if (size > MAX_WORKERS)
        {
            throw new IllegalArgumentException("a pool of child JVMs has at most " + MAX_WORKERS + " workers (one " +
                "result queue has " + QueueDescriptor.PRODUCER_SLOTS + " producer slots): processes=" + size);
        }
        this.size = size;
        this.prefetch = prefetch;
        this.results = context.queue(RESULT_RING_CAPACITY, Codecs.bytes());
        this.started = context.longArray(size);
        this.cancels = context.longArray(size * prefetch);
        this.poster = Executors.newSingleThreadExecutor(runnable -> Thread.ofPlatform().daemon(true)
            .name(poolName + "-wake").unstarted(runnable));
    }

    private static byte[] wakeMessage()
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(PoolWire.RESULT_HEADER);
        PoolWire.writeResultHeader(buffer, WorkerEvent.Kind.WAKE, 0, -1, 0);
        return Arrays.copyOf(buffer.byteArray(), PoolWire.RESULT_HEADER);
    }

    @Override
    public void prepare(final java.util.Collection<Job> jobs)
    {
        final Map<Object, byte[]> inline = new IdentityHashMap<>();
        for (final Job job : jobs)
        {
            prepare(job, inline);
        }
    }

    private void prepare(final Job job, final Map<Object, byte[]> inline)
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(initialCapacity(job));
        buffer.putByte(0, PoolWire.JOB);
        buffer.putByte(1, (byte)job.kind.ordinal());
        buffer.putLong(2, job.id);
        int at = 14;
        job.fnId = functionId(job);
        buffer.putInt(10, job.fnId);
        if (job.fnId < 0)
        {
            final byte[] fn = inline.computeIfAbsent(job.fn, ignore -> TaskCodec.encode((java.io.Serializable)job.fn,
                "the function of " + job.description));
            buffer.putInt(at, fn.length);
            buffer.putBytes(at + 4, fn);
            at += 4 + fn.length;
        }
        switch (job.kind)
        {
            case CALL, CHUNK -> at = PoolValues.write(buffer, at, job.arg, "the argument of " + job.description);
            case RUN ->
            {
            }
            case LONG_RANGE, DOUBLE_RANGE ->
            {
                final PrimitiveRange range = (PrimitiveRange)job.arg;
                at = PoolValues.write(buffer, at, range.in(), "an array name");
                at = PoolValues.write(buffer, at, range.out(), "an array name");
                buffer.putInt(at, range.from());
                buffer.putInt(at + 4, range.to());
                at += 8;
            }
            default -> throw new IllegalArgumentException("unknown job kind " + job.kind);
        }
        if (at > maxTaskLength)
        {
            throw new ChunkTooLargeException(job.description + " encodes to " + at + " bytes, more than the " +
                maxTaskLength + " a worker's task ring takes in one message: give a smaller chunksize, or pass a " +
                "large value in shared memory (a jipc array or SharedMemory) instead");
        }
        job.prepared = Arrays.copyOf(buffer.byteArray(), at);
    }

    /**
     * Room for a job's header and, for a chunk, about its encoding: a buffer that starts small and grows by half each
     * time copies a 100 KB chunk some twenty times over.
     */
    private int initialCapacity(final Job job)
    {
        if (job.arg instanceof Object[] chunk)
        {
            // a tag and 8 bytes per Long or Double, the longest common number; other values grow the buffer
            return (int)Math.min(JOB_HEADROOM + 9L * chunk.length, Math.max(JOB_HEADROOM, maxTaskLength));
        }
        return JOB_HEADROOM;
    }

    @Override
    public WorkerLink start(final int slot, final int generation)
    {
        started.setRaw(slot, -1L);
        for (int i = slot * prefetch; i < (slot + 1) * prefetch; i++)
        {
            cancels.setRaw(i, 0L);
        }
        final Queue<byte[]> tasks = context.queue(TASK_RING_CAPACITY, Codecs.bytes());
        maxTaskLength = tasks.maxMessageLength();
        final String name = "PoolWorker-" + NAMES.incrementAndGet();
        final Process process;
        try
        {
            process = context.process(new ChildWorkerLoop(tasks, results, started, cancels, prefetch, slot,
                generation, initializer))
                .name(name).daemon(true);
            if (!jvmOptions.isEmpty())
            {
                process.jvmOptions(jvmOptions.toArray(String[]::new));
            }
            process.start();
        }
        catch (final RuntimeException ex)
        {
            context.release(tasks);
            throw ex;
        }
        process.onExit().thenRun(() -> postExit(slot, generation, process));
        return new ChildLink(slot, name, process, tasks);
    }

    @Override
    public WorkerEvent poll(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        Linger.awaitWithin(eventThere, lastEvent);
        final WorkerEvent event = nextEvent(timeout, unit);
        if (event != null)
        {
            lastEvent = System.nanoTime();
        }
        return event;
    }

    private boolean eventThere()
    {
        return !results.isEmpty() || !parentEvents.isEmpty();
    }

    private WorkerEvent nextEvent(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        // the workers' messages first: a worker's exit is acted on only after every result it wrote has been read
        byte[] message = results.poll();
        if (message == null)
        {
            final WorkerEvent event = parentEvents.poll();
            if (event != null)
            {
                return event;
            }
            message = results.poll(timeout, unit);
            if (message == null)
            {
                return parentEvents.poll();
            }
        }
        return decode(message);
    }

    private WorkerEvent decode(final byte[] message)
    {
        view.wrap(message);
        cursor[0] = PoolWire.RESULT_HEADER;
        cursor[1] = message.length;
        if (message.length < PoolWire.RESULT_HEADER || message[0] < 0 || message[0] >= KINDS.length ||
            KINDS[message[0]] == WorkerEvent.Kind.EXITED || view.getInt(1) < 0 || view.getInt(1) >= size)
        {
            // an exit is this JVM's to say, never the segment's: anyone who can write the queue could forge one
            System.err.println("jipc: pool " + poolName + " dropped a message of its result queue that is not a " +
                "pool result: " + message.length + " bytes, first byte " + (message.length == 0 ? "-" : message[0]));
            return WorkerEvent.WAKE_UP;
        }
        final WorkerEvent.Kind kind = KINDS[message[0]];
        final int slot = view.getInt(1);
        final int generation = view.getInt(5);
        final long jobId = view.getLong(9);
        try
        {
            return switch (kind)
            {
                case RESULT -> new WorkerEvent(kind, slot, generation, jobId,
                    withParts(slot, generation, jobId, PoolValues.read(view, cursor)), null, 0);
                case RESULT_PART ->
                {
                    keepPart(slot, generation, jobId, PoolValues.read(view, cursor));
                    yield WorkerEvent.WAKE_UP;
                }
                case FAILED, INIT_FAILED ->
                    new WorkerEvent(kind, slot, generation, jobId, null, PoolWire.readFailure(view, cursor), 0);
                default -> new WorkerEvent(kind, slot, generation, jobId, null, null, 0);
            };
        }
        catch (final IOException | RuntimeException | StackOverflowError ex)
        {
            return new WorkerEvent(WorkerEvent.Kind.FAILED, slot, generation, jobId, null,
                new IOException("the result of job " + jobId + " from worker slot " + slot + " could not be read: " +
                ex.getMessage(), ex), 0);
        }
    }

    /** Keeps a part of a chunk's results until its RESULT comes; a part of another job drops what was kept. */
    private void keepPart(final int slot, final int generation, final long jobId, final Object part)
        throws IOException
    {
        if (!(part instanceof Object[] values))
        {
            throw new IOException("a part of job " + jobId + "'s results is not an array");
        }
        final Parts kept = parts.get(slot);
        if (kept == null || kept.generation != generation || kept.jobId != jobId)
        {
            final List<Object[]> first = new java.util.ArrayList<>();
            first.add(values);
            parts.put(slot, new Parts(generation, jobId, first));
        }
        else
        {
            kept.values.add(values);
        }
    }

    /** A chunk's results with the parts that came before them. */
    private Object withParts(final int slot, final int generation, final long jobId, final Object last)
        throws IOException
    {
        final Parts kept = parts.remove(slot);
        if (kept == null || kept.generation != generation || kept.jobId != jobId)
        {
            return last;
        }
        if (!(last instanceof Object[] rest))
        {
            throw new IOException("the last part of job " + jobId + "'s results is not an array");
        }
        kept.values.add(rest);
        int length = 0;
        for (final Object[] values : kept.values)
        {
            length += values.length;
        }
        final Object[] all = new Object[length];
        int at = 0;
        for (final Object[] values : kept.values)
        {
            System.arraycopy(values, 0, all, at, values.length);
            at += values.length;
        }
        return all;
    }

    /** The parts of one job's results kept so far, per worker slot; the result thread's alone. */
    private record Parts(int generation, long jobId, List<Object[]> values)
    {
    }

    @Override
    public void wake()
    {
        if (closed || wakePending.getAndSet(true))
        {
            return;
        }
        try
        {
            poster.execute(this::postWake);
        }
        catch (final RejectedExecutionException ex)
        {
            // closed as the result thread ended: there is nobody left to wake
        }
    }

    @Override
    public void close()
    {
        closed = true;
        poster.shutdown();
        context.release(results);
        context.release(started);
        context.release(cancels);
    }

    /**
     * Puts a wake-up on the result queue, from the one thread of this JVM that does: every thread that puts to a
     * jipc queue takes one of its 64 producer slots for as long as it lives, and the callers of {@link #wake()} are
     * any thread of the application.
     */
    private void postWake()
    {
        wakePending.set(false);
        try
        {
            // a full queue wakes the result thread anyway
            results.offer(WAKE_MESSAGE);
        }
        catch (final IllegalStateException ex)
        {
            // closed by the result thread as it ended: there is nobody left to wake
        }
    }

    /** Says a worker exited, behind every result it wrote: the result thread reads those first. */
    private void postExit(final int slot, final int generation, final Process process)
    {
        final Integer exitCode = process.exitCode();
        parentEvents.add(WorkerEvent.exited(slot, generation, exitCode == null ? -1 : exitCode));
        wake();
    }

    /** The id a function that captures nothing is known by in every worker, or -1 for one sent with each job. */
    private synchronized int functionId(final Job job)
    {
        if (!capturesNothing(job.fn))
        {
            return -1;
        }
        Integer id = functionIds.get(job.fn);
        if (id == null)
        {
            id = functionIds.size();
            final byte[] fn = TaskCodec.encode((java.io.Serializable)job.fn, "the function of " + job.description);
            final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(5 + fn.length);
            buffer.putByte(0, PoolWire.DEFINE);
            buffer.putInt(1, id);
            buffer.putBytes(5, fn);
            definitions.put(id, Arrays.copyOf(buffer.byteArray(), 5 + fn.length));
            functionIds.put(job.fn, id);
        }
        return id;
    }

    private synchronized byte[] definition(final int fnId)
    {
        return definitions.get(fnId);
    }

    /** A lambda with no captured values has no instance fields: the JDK makes one instance per call site. */
    private static boolean capturesNothing(final Object fn)
    {
        return CAPTURES_NOTHING.get(fn.getClass());
    }

    /** The pool's end of one worker JVM. */
    private final class ChildLink implements WorkerLink
    {
        private final int slot;
        private final String name;
        private final Process process;
        private final Queue<byte[]> tasks;
        private final Set<Integer> defined = new HashSet<>();

        ChildLink(final int slot, final String name, final Process process, final Queue<byte[]> tasks)
        {
            this.slot = slot;
            this.name = name;
            this.process = process;
            this.tasks = tasks;
        }

        @Override
        public boolean send(final Job job)
        {
            if (job.fnId >= 0 && !defined.contains(job.fnId))
            {
                if (!tasks.offer(definition(job.fnId)))
                {
                    return false;
                }
                defined.add(job.fnId);
            }
            return tasks.offer((byte[])job.prepared);
        }

        @Override
        public boolean stop()
        {
            return tasks.offer(new byte[] {PoolWire.STOP});
        }

        @Override
        public long startedJob()
        {
            return started.getRaw(slot);
        }

        @Override
        public boolean cancelQueued(final long jobId, final java.util.function.LongPredicate inUse)
        {
            for (int i = slot * prefetch; i < (slot + 1) * prefetch; i++)
            {
                final long word = cancels.getRaw(i);
                if (word == 0 || !inUse.test(word))
                {
                    // the cancel word, then started: the worker writes started, then reads the words (Dekker)
                    cancels.setRaw(i, jobId);
                    return started.getRaw(slot) == jobId;
                }
            }
            // a worker holds at most prefetch jobs, so a word is always free; say "started" to be safe
            return true;
        }

        @Override
        public void kill()
        {
            process.kill();
        }

        @Override
        public void terminate()
        {
            process.terminate();
        }

        @Override
        public long pid()
        {
            return process.pid();
        }

        @Override
        public String name()
        {
            return name;
        }

        @Override
        public void release()
        {
            context.release(tasks);
        }
    }
}
