package dev.jipc.core.queue;

import java.util.function.LongConsumer;

import dev.jipc.core.Segment;
import dev.jipc.core.wait.WaitStrategy;

/**
 * The engine under a {@link LongQueue}: {@link RecordLongRing} (8-byte records in the many-producer ring every
 * {@link Queue} has) or {@link SlotLongRing} (16-byte slots written by one producer). The queue's documented
 * behaviour is each engine's.
 */
interface LongRing extends AutoCloseable
{
    Segment segment();

    /** The ring's capacity in bytes: 16 per element in both engines. */
    int capacity();

    /**
     * Puts a value, waiting up to the timeout for room.
     *
     * @return false if the timeout passed first.
     * @throws QueueShutdownException if the queue is shut down.
     * @throws InterruptedException   if interrupted while waiting.
     */
    boolean offer(long value, long timeoutNanos, WaitStrategy strategy) throws InterruptedException;

    /**
     * Takes the head value, waiting as long as it takes.
     *
     * @throws QueueShutdownException if the queue is shut down and drained.
     * @throws InterruptedException   if interrupted while waiting.
     */
    long take(WaitStrategy strategy) throws InterruptedException;

    /**
     * Takes the head value, waiting up to the timeout, and hands it to the consumer after the consumer lock is
     * released.
     *
     * @return false if the timeout passed first.
     * @throws QueueShutdownException if the queue is shut down and drained.
     * @throws InterruptedException   if interrupted while waiting.
     */
    boolean poll(LongConsumer consumer, long timeoutNanos, WaitStrategy strategy) throws InterruptedException;

    /**
     * Hands up to {@code limit} values that are there now to the consumer, under one acquisition of the consumer
     * lock, without waiting.
     *
     * @return how many; 0 if none (also once shut down and drained).
     */
    int drain(LongConsumer consumer, int limit);

    int size();

    boolean isEmpty();

    void shutdown();

    boolean isShutdown();

    @Override
    void close();
}
