/**
 * Processes, Python's {@code multiprocessing} for the JVM: {@link dev.jipc.pool.Context} (start methods and the
 * factory of shared objects), {@link dev.jipc.pool.Process} (a task in a child JVM or a thread), the serialisable
 * functional interfaces that make a lambda a task ({@link dev.jipc.pool.SerializableRunnable} and its family), and
 * the helpers of {@link dev.jipc.pool.Processes} ({@code cpuCount}, {@code currentProcess}, {@code parentProcess},
 * {@code activeChildren}).
 * <p>
 * Conventions: a task is serialised in the parent at {@code start()}, and a failure names what cannot be serialised
 * ({@link dev.jipc.pool.TaskNotSerializableException}); a child JVM reads it from its stdin through
 * {@code TaskFilter}, runs it in {@link dev.jipc.pool.ChildMain} and exits with its exit code. Pools and managers
 * are not built yet.
 */
package dev.jipc.pool;
