/**
 * Bounded blocking queues between processes, all on one engine: {@code ManyToManyRing} (package-private), an Agrona
 * ring with a registry of producing threads ({@code ProducerRegistry}), a consumer lock ({@code ConsumerLock}) and,
 * for joinable queues, a task counter ({@link dev.jipc.core.queue.TaskCounter}), laid out, filled and checked by
 * {@link dev.jipc.core.queue.QueueDescriptor}. On it:
 * {@link dev.jipc.core.queue.Queue} (objects through a {@link dev.jipc.core.codec.Codec}),
 * {@link dev.jipc.core.queue.SimpleQueue}, {@link dev.jipc.core.queue.JoinableQueue}, and the primitive
 * {@link dev.jipc.core.queue.LongQueue} and {@link dev.jipc.core.queue.DoubleQueue};
 * {@link dev.jipc.core.queue.QueueStat} and {@link dev.jipc.core.queue.LongQueueStat} describe a queue segment for
 * {@code jipc stat};
 * {@link dev.jipc.core.queue.QueueShutdownException} ends puts and drained takes after {@code shutdown()}.
 * <p>
 * Depends on {@code dev.jipc.core} (segments, {@link dev.jipc.core.ProcessOwner},
 * {@link dev.jipc.core.ProcessRegistry}, {@link dev.jipc.core.CorruptRingException}), {@code dev.jipc.core.wait}
 * (event counts, wait strategies, {@link dev.jipc.core.wait.ClosableMapping}) and {@code dev.jipc.core.codec}
 * (codecs and the stored codec header); not on {@code dev.jipc.core.pipe}.
 *
 * <h2>The data path</h2>
 * A {@code put} ({@link dev.jipc.core.queue.Queue#offer(Object, long, java.util.concurrent.TimeUnit)}) asks the codec
 * for the encoded length; the calling thread's producer slot in the registry is set to CLAIMING, the ring's tail is
 * moved by a compare-and-set (the claim; if there is no room the producer sleeps on the not-full event count), the
 * slot then records the claimed index, the codec encodes straight into the claimed record (or into a per-thread
 * buffer that is copied in, when the length is not known up front), and the commit makes the record's length
 * positive with a release store, sets the slot back to IDLE and wakes the not-empty sleepers if the producer saw one
 * right after its claim. A {@code take} ({@link dev.jipc.core.queue.Queue#take()}) takes the consumer lock (a
 * {@link dev.jipc.core.ProcessOwner} word), reads committed records from the head and hands each to the codec's
 * decoder, announces the release in the release fields, zeroes the records, moves the head with a release store,
 * gives the lock back with an exchange and wakes the not-full sleepers if any; with nothing committed it sleeps on
 * the not-empty event count. Dead producers, dead consumers, corruption, waiting and joinable counting are explained
 * in the {@code Overview} block of {@code ManyToManyRing}, which is the place to start reading.
 *
 * <h2>Memory ordering</h2>
 * Accessor names say their ordering ({@code putIntRelease}, {@code putLongRelease}: release stores;
 * {@code getIntVolatile}, {@code getLongVolatile}: volatile loads; {@code compareAndSet*}, {@code getAndSet*},
 * {@code getAndAdd*}: full fences; plain {@code putInt}/{@code getInt} only for data published by one of those). The
 * pairs: a record's length, stored with a release by the commit, is read with a volatile load by the consumer before
 * it reads the record's bytes; the head, stored with a release by the consumer, is read with a volatile load by a
 * producer checking for room; producer slots and the consumer lock word are release stores (or CAS) read with
 * volatile loads by the consumer scanning for dead producers and by a waiter judging the lock's owner; the release
 * fields are a release store of the length after plain stores of the position and task count, read with a volatile
 * load first by a consumer taking over from a dead one. The tail's compare-and-set, a full fence, is what orders a
 * producer's CLAIMING store before the claim and its read of the not-empty waiter count after it (see the Overview,
 * Waiting); the rest of the ring's protocol is Agrona's.
 */
package dev.jipc.core.queue;
