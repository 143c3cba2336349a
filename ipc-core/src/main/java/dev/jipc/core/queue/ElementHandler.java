package dev.jipc.core.queue;

import org.agrona.DirectBuffer;

/**
 * What a consumer does with a taken element's encoded bytes where they lie in the ring, without decoding them into
 * an object: the allocation-free way to consume a {@link Queue} ({@link Queue#drain(ElementHandler, int)}), as
 * Agrona's {@code MessageHandler} is for its rings. For a {@code Queue<byte[]>} the bytes are the array's; for other
 * codecs they are the codec's encoding, which {@link dev.jipc.core.codec.Codec#decode} reads.
 */
@FunctionalInterface
public interface ElementHandler
{
    /**
     * Handles one element. The bytes are valid only during the call (the ring reuses them once it returns): copy out
     * what is kept. The handler runs in the calling thread while it holds the queue's consumer lock, so keep it short
     * and do not use the same queue inside it.
     *
     * @param buffer the ring.
     * @param offset where the element's bytes start in it.
     * @param length how many there are.
     */
    void onElement(DirectBuffer buffer, int offset, int length);
}
