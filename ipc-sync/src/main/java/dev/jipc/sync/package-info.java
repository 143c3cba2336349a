/**
 * Python's {@code multiprocessing} synchronisation primitives and shared values, in shared memory, between threads
 * of any JVMs on one host: {@link dev.jipc.sync.Lock}, {@link dev.jipc.sync.RLock}, {@link dev.jipc.sync.Semaphore},
 * {@link dev.jipc.sync.BoundedSemaphore}, {@link dev.jipc.sync.Condition}, {@link dev.jipc.sync.Event},
 * {@link dev.jipc.sync.Barrier}, and the typed {@link dev.jipc.sync.IntValue} ... {@link dev.jipc.sync.ByteArray}.
 * <p>
 * Objects live in a {@link dev.jipc.sync.SyncArena} (one per object when made by a class's {@code create(name)}),
 * are opened by name or re-attached from a serialised handle, and wait with a per-object
 * {@link dev.jipc.core.wait.WaitStrategy}: spin, then sleep on a futex, with wakers that skip the system call when
 * nobody sleeps. Locks are robust: a process that dies holding one does not leave it held (see
 * {@link dev.jipc.sync.RobustLock}). The algorithms are the same whether the parties are threads of one JVM or
 * separate processes.
 *
 * <h2>Memory ordering</h2>
 * Shared words are read and written through Agrona's {@link org.agrona.concurrent.AtomicBuffer}, whose method names
 * say their ordering: {@code getLongVolatile} / {@code getIntAcquire} (acquire loads), {@code putLongRelease} /
 * {@code putIntRelease} (release stores, which order every earlier store before them), {@code compareAndSetLong} and
 * {@code getAndAddInt} (full fences). Each descriptor's Javadoc says which release store pairs with which acquire
 * load; plain {@code getInt} / {@code putInt} are used only for words one thread owns (a lock's hold count, written
 * by its owner) or that are fixed after publication (an array's length).
 */
package dev.jipc.sync;
