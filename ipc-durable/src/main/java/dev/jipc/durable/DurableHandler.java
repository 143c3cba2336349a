package dev.jipc.durable;

import org.agrona.DirectBuffer;

/**
 * Receives messages of a {@link DurableConsumer} as their encoded bytes, with nothing decoded or allocated.
 */
@FunctionalInterface
public interface DurableHandler
{
    /**
     * Called for each message.
     *
     * @param index      the message's index, for {@link DurableConsumer#ack(long)}.
     * @param appendedAt when it was appended, in epoch milliseconds.
     * @param buffer     the bytes, valid only during the call.
     * @param offset     where the encoding starts.
     * @param length     its length.
     */
    void onMessage(long index, long appendedAt, DirectBuffer buffer, int offset, int length);
}
