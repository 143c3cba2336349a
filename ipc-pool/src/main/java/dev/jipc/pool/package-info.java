/**
 * Processes, Python's {@code multiprocessing} for the JVM: {@link dev.jipc.pool.Context} (the start methods spawn,
 * forkserver and threads, and the factory of shared objects), {@link dev.jipc.pool.Process} (a task in a child JVM
 * or a thread), the serialisable functional interfaces that make a lambda a task
 * ({@link dev.jipc.pool.SerializableRunnable} and its family), and the helpers of {@link dev.jipc.pool.Processes}
 * ({@code cpuCount}, {@code currentProcess}, {@code parentProcess}, {@code activeChildren}, {@code getLogger},
 * {@code logToStderr}).
 * <p>
 * Conventions: a task is serialised in the parent at {@code start()}, and a failure names what cannot be serialised
 * ({@link dev.jipc.pool.TaskNotSerializableException}). A child JVM reads it from its stdin (format in
 * {@code ChildLaunch}) through {@code TaskFilter}, runs it in {@link dev.jipc.pool.ChildMain} and exits with its
 * exit code; {@code ParentWatch} ends a child whose parent died. Everything that waits is bounded or interruptible.
 * {@link dev.jipc.pool.Manager} is Python's manager without a server: the factory of named dicts, lists, namespaces,
 * queues, locks, values and arrays that other programs open by name, with a registry of them in shared memory.
 */
package dev.jipc.pool;
