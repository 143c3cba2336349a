package dev.jipc.core;

/**
 * Work a family of shared structures wants started once per process, on a daemon thread, when the process maps its
 * first segment: today the futex link-up of {@code dev.jipc.core.wait} ({@code FutexLinkTask}), which the first wake
 * or wait would otherwise pay on its caller's thread. Implementations are found with {@link java.util.ServiceLoader}
 * (list them in {@code META-INF/services/dev.jipc.core.FirstMappingTask}), so that this base package names none of
 * the packages built on it.
 * <p>
 * A task runs at most once per process, off every caller's thread, and must not throw: whatever it throws is dropped
 * (a class whose initialisation failed reports that to its first real user, as {@link NoClassDefFoundError}).
 */
public interface FirstMappingTask
{
    /** Does the work; called once, on the daemon thread {@code jipc-futex-link}. */
    void run();
}
