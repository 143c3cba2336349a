package dev.jipc.core.queue;

import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Objects;

import dev.jipc.core.codec.Codec;

/**
 * Python's {@code multiprocessing.SimpleQueue}: {@link #put}, {@link #get}, {@link #isEmpty} and {@link #close} over
 * the same segment as a {@link Queue} (a {@code SimpleQueue} and a {@code Queue} may open the same name).
 * Blocking calls wait without a timeout, as in Python; use {@link Queue} for timeouts and the rest of
 * {@code BlockingQueue}.
 *
 * @param <E> the element type.
 */
public final class SimpleQueue<E> implements AutoCloseable, Serializable
{
    @Serial
    private static final long serialVersionUID = 1L;

    private final Queue<E> queue;

    private SimpleQueue(final Queue<E> queue)
    {
        this.queue = queue;
    }

    /**
     * Creates a queue in the default directory.
     *
     * @param name     the queue's name.
     * @param capacity ring capacity in bytes, a power of two.
     * @param codec    how elements become bytes.
     * @param <E>      the element type.
     * @return the new queue.
     */
    public static <E> SimpleQueue<E> create(final String name, final int capacity, final Codec<E> codec)
    {
        return new SimpleQueue<>(Queue.create(name, capacity, codec));
    }

    /**
     * Creates a queue in a directory.
     *
     * @param directory where the segment goes.
     * @param name      the queue's name.
     * @param capacity  ring capacity in bytes, a power of two.
     * @param codec     how elements become bytes.
     * @param <E>       the element type.
     * @return the new queue.
     */
    public static <E> SimpleQueue<E> create(
        final Path directory, final String name, final int capacity, final Codec<E> codec)
    {
        return new SimpleQueue<>(Queue.create(directory, name, capacity, codec));
    }

    /**
     * Attaches to a queue in the default directory.
     *
     * @param name  the queue's name.
     * @param codec the codec it was created with.
     * @param <E>   the element type.
     * @return the queue.
     */
    public static <E> SimpleQueue<E> open(final String name, final Codec<E> codec)
    {
        return new SimpleQueue<>(Queue.open(name, codec));
    }

    /**
     * Attaches to a queue in a directory.
     *
     * @param directory where the segment is.
     * @param name      the queue's name.
     * @param codec     the codec it was created with.
     * @param <E>       the element type.
     * @return the queue.
     */
    public static <E> SimpleQueue<E> open(final Path directory, final String name, final Codec<E> codec)
    {
        return new SimpleQueue<>(Queue.open(directory, name, codec));
    }

    /**
     * Puts an element, waiting for room.
     *
     * @param element the element.
     * @throws InterruptedException if interrupted while waiting.
     * @see Queue#put
     */
    public void put(final E element) throws InterruptedException
    {
        queue.put(element);
    }

    /**
     * Takes an element, waiting for one.
     *
     * @return the element.
     * @throws InterruptedException if interrupted while waiting.
     * @see Queue#take
     */
    public E get() throws InterruptedException
    {
        return queue.take();
    }

    /**
     * Whether the queue is empty now: an estimate.
     *
     * @return true if a get would wait.
     */
    public boolean isEmpty()
    {
        return queue.isEmpty();
    }

    /** Detaches this handle, as {@link Queue#close()}. */
    @Override
    public void close()
    {
        queue.close();
    }

    /** Removes the queue's name. */
    public void unlink()
    {
        queue.unlink();
    }

    /**
     * The queue underneath, for timeouts and shutdown.
     *
     * @return the queue.
     */
    public Queue<E> queue()
    {
        return queue;
    }

    @Override
    public String toString()
    {
        return "SimpleQueue{" + queue + "}";
    }

    @Serial
    private Object writeReplace()
    {
        return new Handle<>(queue);
    }

    /** The serialised form: the queue's own handle. */
    private record Handle<E>(Queue<E> queue) implements Serializable
    {
        private Handle
        {
            Objects.requireNonNull(queue, "queue");
        }

        @Serial
        private Object readResolve()
        {
            return new SimpleQueue<>(queue);
        }
    }
}
