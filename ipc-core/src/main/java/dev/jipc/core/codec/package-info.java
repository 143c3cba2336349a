/**
 * How elements become the bytes of one ring record and back: {@link dev.jipc.core.codec.Codec} (the contract: a type
 * id that every record carries, a name, encode and decode into a buffer, without allocating for the primitive
 * codecs), {@link dev.jipc.core.codec.Codecs} (the built-in codecs and their type ids),
 * {@link dev.jipc.core.codec.MarshallableCodec} (Chronicle {@code BytesMarshallable}, no reflection per message) and
 * {@link dev.jipc.core.codec.SerializableCodec} (Java serialisation behind an allow-list), and
 * {@link dev.jipc.core.codec.StoredCodec}, the codec header (type id, name length, name) that queues and pipes keep
 * in their configuration block and check when a handle attaches.
 * <p>
 * Depends on {@code dev.jipc.core} only ({@link dev.jipc.core.Segment} and
 * {@link dev.jipc.core.SegmentFormatException} for the header checks, {@link dev.jipc.core.JvmFlags}); it knows
 * nothing of queues or pipes: each of them places the header through its descriptor ({@code QueueDescriptor.CODEC},
 * {@code PipeDescriptor.CODEC}).
 *
 * <h2>Memory ordering</h2>
 * None of its own. A codec reads and writes a record's bytes with plain accesses: the ring that carries the record
 * publishes it (the producer's commit is a release store of the record length, read by the consumer with a volatile
 * load) before a decoder runs, and a record is not reused until the consumer has released it. The stored codec
 * header is written before the segment is published and never changes (see {@link dev.jipc.core.codec.StoredCodec}).
 */
package dev.jipc.core.codec;
