package dev.jipc.core.queue;

/**
 * How many threads may put into a {@link Queue} or {@link LongQueue}: chosen at create, for good, and found by every
 * {@code open}. {@link #ONE} is the faster ring (Aeron's {@code ExclusivePublication} beside its {@code Publication}):
 * a put moves the tail with a plain store where {@link #MANY} needs a compare-and-set, which on x86 also waits for
 * the previous message's stores to reach the cache.
 */
public enum Producers
{
    /**
     * One producing thread at a time, in any process: the first to put. Another thread's put is refused with
     * {@link IllegalStateException} while that thread lives and its handle is open; a producer that dies or closes
     * hands over to the next thread that puts, losing nothing it put.
     */
    ONE,
    /** Any number of producing threads in any processes. */
    MANY
}
