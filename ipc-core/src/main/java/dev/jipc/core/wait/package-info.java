/**
 * Waiting across processes, as Agrona keeps its idle strategies apart from the structures that use them:
 * {@link dev.jipc.core.wait.Futex} (the Linux {@code futex(2)} and {@code futex_waitv(2)} calls on a word of a mapped
 * file, with a portable fallback, and {@link dev.jipc.core.wait.Futex#deadline}, the one deadline rule of every timed
 * wait), {@link dev.jipc.core.wait.EventCount} (a sequence and a waiter count that keep wakers out of the kernel when
 * nobody sleeps), {@link dev.jipc.core.wait.WaitStrategy} (spin, then sleep on an event count) with its
 * {@link dev.jipc.core.wait.WaitCondition}, {@link dev.jipc.core.wait.ClosableMapping}, the lease protocol that
 * lets a handle be closed while its threads wait on its mapping, and {@link dev.jipc.core.wait.Waitable} with
 * {@link dev.jipc.core.wait.Waitables}, a wait on several objects at once ({@code futex_waitv} over their event
 * counts: pipe ends, process sentinels) that {@code Connection.wait} is. {@link dev.jipc.core.wait.FutexLinkTask}
 * links the futex downcall on a daemon thread when the process maps its first segment (a
 * {@link dev.jipc.core.FirstMappingTask} of the base package).
 * <p>
 * Depends on {@code dev.jipc.core} only (for {@link dev.jipc.core.JvmFlags} and the first-mapping hook); queues,
 * pipes and the synchronisers of {@code ipc-sync} build on it.
 *
 * <h2>Memory ordering</h2>
 * The one protocol here is the event count's, written out in {@link dev.jipc.core.wait.EventCount}: a waiter's
 * increment of Waiters is a full fence ({@code getAndAdd}) before it reads Sequence and its condition; a waker's
 * store that makes the condition true is followed by a full fence ({@code VarHandle.fullFence()} in
 * {@code signal}/{@code signalAll}) before it reads Waiters with {@code getIntVolatile}. In the total order of the
 * two fences either the waker sees the waiter or the waiter sees the store: no wake-up is lost. The unfenced
 * {@code wakeAllUnfenced} is for a waker whose own compare-and-set already was that fence. A wake that reaches every
 * registered waiter starts a new waiter epoch (a CAS before the Sequence increment), so a waiter killed while
 * registered is forgotten; waiters re-check their epoch after reading Sequence and register again if it moved.
 * Sequence is read with {@code getIntVolatile} and is the futex word, so a changed Sequence makes the kernel refuse
 * the sleep.
 * {@link dev.jipc.core.wait.ClosableMapping} orders its closed flag and lease count with Java volatiles: the closer
 * writes the flag then reads the count, a leaseholder increments the count then reads the flag.
 */
package dev.jipc.core.wait;
