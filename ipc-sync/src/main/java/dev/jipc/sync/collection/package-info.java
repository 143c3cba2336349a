/**
 * Python's manager collections without the manager's server: {@link dev.jipc.sync.collection.SharedDict} (a
 * {@link java.util.concurrent.ConcurrentMap}) and {@link dev.jipc.sync.collection.SharedList} (a
 * {@link java.util.List}) live in segments that every attached JVM reads and writes directly.
 * <p>
 * Both are built the same way (see {@link dev.jipc.sync.collection.CollectionDescriptor}): a root segment names the
 * current generation of a data segment, where entries are immutable blocks published by one store of a slot or an
 * index word. Readers copy a block and validate its sequence, taking no lock; writers hold one robust lock and log
 * their intent in the root first, so that the next writer can finish or undo the write of one that was killed
 * ({@link dev.jipc.sync.collection.WriteIntent}). Growing writes a whole new generation and publishes it in the
 * root with one store.
 */
package dev.jipc.sync.collection;
