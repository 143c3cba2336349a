/**
 * Python's {@code multiprocessing.Pipe} between processes: {@link dev.jipc.core.pipe.Pipe} creates a segment with two
 * one-to-one Agrona rings (one per direction), laid out by {@link dev.jipc.core.pipe.PipeDescriptor}, and returns its
 * two ends as {@link dev.jipc.core.pipe.Connection}s; each end is owned by one process at a time (a
 * {@link dev.jipc.core.ProcessOwner} word in its end state), so a dead peer is seen as end of stream.
 * {@link dev.jipc.core.pipe.PipeStat} describes a pipe segment for {@code jipc stat};
 * {@link dev.jipc.core.pipe.BufferTooShortException} is Python's {@code BufferTooShort}, thrown by
 * {@code recvBytes} when a message does not fit the caller's buffer.
 * <p>
 * Depends on {@code dev.jipc.core} (segments, ownership, {@link dev.jipc.core.CorruptRingException}),
 * {@code dev.jipc.core.wait} (event counts, wait strategies, {@link dev.jipc.core.wait.ClosableMapping}, futex wait
 * lists) and {@code dev.jipc.core.codec} (codecs and the stored codec header); not on {@code dev.jipc.core.queue}.
 *
 * <h2>Memory ordering</h2>
 * Accessor names say their ordering, as in the other packages ({@code putLongRelease}: release store;
 * {@code getIntVolatile}: volatile load; {@code compareAndSet*}: full fence). A sender claims and commits with
 * Agrona's {@code OneToOneRingBuffer} (the commit is a release store of the record length); the receiver reads a
 * record's length with {@code getIntVolatile} before its bytes, and moves the head with {@code putLongRelease}, which
 * the sender's room check reads with a volatile load. An end's closed flag is a volatile store read with volatile
 * loads by the peer; its owner word follows the {@link dev.jipc.core.ProcessOwner} protocol. Sleepers use the event
 * counts of {@code dev.jipc.core.wait}, whose fences keep a wake-up from being lost.
 */
package dev.jipc.core.pipe;
