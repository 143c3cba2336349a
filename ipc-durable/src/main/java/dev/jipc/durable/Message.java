package dev.jipc.durable;

/**
 * A message read from a {@link DurableQueue}: its journal index, the time it was appended and its value.
 *
 * @param index      the message's index in the journal (Chronicle's: cycle and sequence), the argument of
 *                   {@link DurableConsumer#ack(long)} and {@link DurableQueue#reader(long)}.
 * @param appendedAt when it was appended, in epoch milliseconds.
 * @param value      the decoded value.
 * @param <E>        the element type.
 */
public record Message<E>(long index, long appendedAt, E value)
{
}
