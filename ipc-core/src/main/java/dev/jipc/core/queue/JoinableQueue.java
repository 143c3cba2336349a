package dev.jipc.core.queue;

import java.io.Serial;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.SegmentDirectory;
import dev.jipc.core.SegmentFormatException;
import dev.jipc.core.SegmentKind;
import dev.jipc.core.codec.Codec;
import dev.jipc.core.wait.Futex;
import dev.jipc.core.wait.WaitCondition;
import dev.jipc.core.wait.WaitStrategy;

/**
 * A {@link Queue} that counts unfinished tasks: Python's {@code multiprocessing.JoinableQueue}.
 * <p>
 * A task is unfinished from the moment its element is in the queue until a {@link #taskDone()}, from any process,
 * marks it done; {@link #join()} waits until no task is unfinished. Calling {@code taskDone()} more often than
 * elements were put throws {@link IllegalStateException} (Python's {@code ValueError}) and leaves the count
 * unchanged. Handles opened with {@link Queue#open} on a joinable queue take part too.
 * <p>
 * Processes that die mid-way: a put counts only once its element is in the queue, so a producer that dies inside a
 * put (its half-written record is skipped) leaves nothing unfinished. A take whose element cannot be decoded throws
 * and counts as nothing. A process that takes an element and dies before its {@code taskDone()} leaves that task
 * unfinished for good, since its work was not done: {@code join()} goes on waiting (where Python hangs too),
 * {@code join(timeout)} returns false, {@link #unfinishedTasks()} counts it, and {@code jipc stat} lists the dead
 * process with the tasks it held ({@code tasksHeld.pid<pid>: n (dead: taken, never done)}), as long as at most
 * {@value QueueDescriptor#HOLDER_SLOTS} consuming processes are alive at once.
 * <p>
 * Memory consistency effects: actions before a {@code taskDone()} happen-before the return of a {@code join()} that
 * it released.
 *
 * @param <E> the element type.
 */
public final class JoinableQueue<E> extends Queue<E>
{
    @Serial
    private static final long serialVersionUID = 1L;

    private static final long JOIN_RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** The ring's task counter: the ring counts tasks taken under its consumer lock, this queue counts them done. */
    private final transient TaskCounter tasks;
    private final transient WaitCondition allTasksDone = this::isAllDone;

    private JoinableQueue(final ManyToManyRing ring, final Codec<E> codec)
    {
        super(ring, codec);
        this.tasks = ring.tasks();
    }

    /**
     * Creates a joinable queue in the default directory.
     *
     * @param name     the queue's name.
     * @param capacity ring capacity in bytes, a power of two.
     * @param codec    how elements become bytes.
     * @param <E>      the element type.
     * @return the new queue.
     */
    public static <E> JoinableQueue<E> create(final String name, final int capacity, final Codec<E> codec)
    {
        return create(SegmentDirectory.defaultDirectory(), name, capacity, codec);
    }

    /**
     * Creates a joinable queue in a directory.
     *
     * @param directory where the segment goes.
     * @param name      the queue's name.
     * @param capacity  ring capacity in bytes, a power of two.
     * @param codec     how elements become bytes.
     * @param <E>       the element type.
     * @return the new queue.
     */
    public static <E> JoinableQueue<E> create(
        final Path directory, final String name, final int capacity, final Codec<E> codec)
    {
        Objects.requireNonNull(codec, "codec");
        return new JoinableQueue<>(ManyToManyRing.create(directory, name, SegmentKind.QUEUE, capacity,
            codec.typeId(), codec.name(), QueueDescriptor.FLAG_JOINABLE), codec);
    }

    /**
     * Attaches to a joinable queue in the default directory.
     *
     * @param name  the queue's name.
     * @param codec the codec it was created with.
     * @param <E>   the element type.
     * @return the queue.
     * @throws SegmentFormatException if the file is not a joinable queue with this codec.
     */
    public static <E> JoinableQueue<E> open(final String name, final Codec<E> codec)
    {
        return open(SegmentDirectory.defaultDirectory(), name, codec);
    }

    /**
     * Attaches to a joinable queue in a directory.
     *
     * @param directory where the segment is.
     * @param name      the queue's name.
     * @param codec     the codec it was created with.
     * @param <E>       the element type.
     * @return the queue.
     * @throws SegmentFormatException if the file is not a joinable queue with this codec.
     */
    public static <E> JoinableQueue<E> open(final Path directory, final String name, final Codec<E> codec)
    {
        Objects.requireNonNull(codec, "codec");
        return new JoinableQueue<>(ManyToManyRing.open(directory, name, SegmentKind.QUEUE, codec.typeId(),
            codec.name(), QueueDescriptor.FLAG_JOINABLE), codec);
    }

    @Override
    public JoinableQueue<E> waitStrategy(final WaitStrategy strategy)
    {
        super.waitStrategy(strategy);
        return this;
    }

    /**
     * Marks one task, taken from this queue by anyone, as done.
     *
     * @throws IllegalStateException if there is no unfinished task, or this handle is closed.
     */
    public void taskDone()
    {
        ring.ensureOpen();
        tasks.done(1);
    }

    /**
     * The number of elements put and not yet marked done: those in the queue (counted as {@link #size()} does, an
     * estimate while others put and take) and those taken and not done.
     *
     * @return the unfinished task count.
     */
    public long unfinishedTasks()
    {
        ring.ensureOpen();
        final int messages = ring.countMessages();
        return messages + tasks.taken() - tasks.done();
    }

    /**
     * Waits until every element put so far has been marked done.
     *
     * @throws InterruptedException if interrupted while waiting.
     */
    public void join() throws InterruptedException
    {
        join(Long.MAX_VALUE);
    }

    /**
     * Waits up to the timeout until every element put so far has been marked done.
     *
     * @param timeout the longest wait.
     * @param unit    its unit.
     * @return false if the timeout passed with tasks unfinished.
     * @throws InterruptedException if interrupted while waiting.
     */
    public boolean join(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return join(unit.toNanos(timeout));
    }

    private boolean join(final long timeoutNanos) throws InterruptedException
    {
        ring.ensureOpen();
        final long deadline = Futex.deadline(timeoutNanos);
        long remaining = timeoutNanos;
        // re-checked every interval too: a dead producer's gap turned into padding makes the ring task-free unsignalled
        while (!ring.await(tasks.allDone(), allTasksDone, Math.min(remaining, JOIN_RECHECK_NANOS), WaitStrategy.PARK))
        {
            remaining = deadline - System.nanoTime();
            if (remaining <= 0)
            {
                return false;
            }
        }
        return true;
    }

    /** No task in the ring, then every taken task done: in this order (see {@link TaskCounter}). */
    private boolean isAllDone()
    {
        return ring.countMessagesExactly() == 0 && tasks.taken() == tasks.done();
    }
}
