package dev.jipc.core;

import java.io.Serial;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Queue} that counts unfinished tasks: Python's {@code multiprocessing.JoinableQueue}.
 * <p>
 * Every put, from any process, adds one unfinished task before the element becomes visible (a put that fails or
 * times out takes it back); every {@link #taskDone()}, from any process, removes one; {@link #join()} waits until the
 * count is zero. Calling {@code taskDone()} more often than elements were put throws {@link IllegalStateException}
 * (Python's {@code ValueError}) and leaves the count unchanged. Handles opened with {@link Queue#open} on a joinable
 * queue count their puts too.
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

    private JoinableQueue(final ManyToManyRing ring, final Codec<E> codec)
    {
        super(ring, codec);
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
        ring.taskDone(1);
    }

    /**
     * The number of elements put and not yet marked done.
     *
     * @return the unfinished task count.
     */
    public long unfinishedTasks()
    {
        ring.ensureOpen();
        return ring.unfinishedTasks();
    }

    /**
     * Waits until every element put so far has been marked done.
     *
     * @throws InterruptedException if interrupted while waiting.
     */
    public void join() throws InterruptedException
    {
        ring.join(Long.MAX_VALUE, WaitStrategy.PARK);
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
        return ring.join(unit.toNanos(timeout), WaitStrategy.PARK);
    }
}
