package dev.jipc.core.wait;

/**
 * What a {@link WaitStrategy} waits for. Implement it once per object (a field, not a capturing lambda per call) so
 * that waiting allocates nothing.
 */
@FunctionalInterface
public interface WaitCondition
{
    /**
     * Checks, or tries to make true (a lock's CAS), the condition. Called many times while spinning; must not block.
     *
     * @return true when the wait is over.
     */
    boolean isSatisfied();
}
