package dev.jipc.core;

import org.agrona.concurrent.AtomicBuffer;

/**
 * A flyweight over an owner word in shared memory: who holds a lock, a producer slot or a pipe end, and whether that
 * holder still runs. The one ownership protocol of jipc: the robust locks, the queue's consumer lock, its producer
 * slots and the pipe ends all use it.
 * <pre>
 *   Owner word: one little-endian long
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |       Token of the owning process (see ProcessRegistry)       |
 *  +---------------------------------------------------------------+
 *  |       Tag: the owner's choice (a thread id for locks, or 0)   |
 *  +---------------------------------------------------------------+
 *   0 = free
 * </pre>
 * <h2>Protocol</h2>
 * Acquire is one compare-and-set from 0 to the owner's word; release is one release store (or exchange) of 0 by the
 * owner. Everything a waiter needs to judge the owner is in that one word, published in that one step, so there is
 * no window in which a live owner's record is half written (the error of an owner stored as a pid followed by a
 * start time: a waiter between the two stores judged a live owner dead).
 * <p>
 * Recovery from a dead owner: a waiter that read word {@code W} asks the {@link ProcessRegistry} whether
 * {@code W}'s process runs, and if not, takes the word over by compare-and-set {@code W -> mine}. The registry never
 * judges a live process dead, and a dead process cannot write its word again, so between the look and the CAS the
 * word either still holds the dead {@code W} (the CAS wins, once, for one waiter) or was changed by someone alive
 * (the CAS fails): there is no ABA.
 * <p>
 * Memory ordering: acquire and recovery are volatile compare-and-sets, the release is a release store; a word is
 * read with a volatile load.
 */
public final class ProcessOwner
{
    /** The word of a free owner. */
    public static final long FREE = 0;

    private final AtomicBuffer buffer;
    private final int offset;
    private final ProcessRegistry registry;

    /**
     * @param buffer   the segment's buffer.
     * @param offset   the owner word's offset, 8-byte aligned.
     * @param registry the registry of the segment's directory.
     */
    public ProcessOwner(final AtomicBuffer buffer, final int offset, final ProcessRegistry registry)
    {
        buffer.boundsCheck(offset, Long.BYTES);
        this.buffer = buffer;
        this.offset = offset;
        this.registry = registry;
    }

    /**
     * The owner word of this process with a tag.
     *
     * @param registry the directory's registry.
     * @param tag      the owner's tag.
     * @return the word, never 0.
     */
    public static long word(final ProcessRegistry registry, final int tag)
    {
        return (long)tag << 32 | (registry.token() & 0xFFFF_FFFFL);
    }

    /**
     * The process token in an owner word.
     *
     * @param word an owner word.
     * @return the token.
     */
    public static int token(final long word)
    {
        return (int)word;
    }

    /**
     * The tag in an owner word.
     *
     * @param word an owner word.
     * @return the tag.
     */
    public static int tag(final long word)
    {
        return (int)(word >>> 32);
    }

    /**
     * The current owner.
     *
     * @return its word, {@link #FREE} if none.
     */
    public long owner()
    {
        return buffer.getLongVolatile(offset);
    }

    /**
     * Takes ownership if free.
     *
     * @param word the caller's word.
     * @return true if the caller now owns it.
     */
    public boolean tryAcquire(final long word)
    {
        return buffer.compareAndSetLong(offset, FREE, word);
    }

    /**
     * Takes ownership from {@code owner} if it is the current owner and its process has died.
     *
     * @param owner the word the caller read.
     * @param word  the caller's word.
     * @return true if the caller now owns it.
     */
    public boolean recoverFrom(final long owner, final long word)
    {
        return owner != FREE && !registry.isAlive(token(owner)) && buffer.compareAndSetLong(offset, owner, word);
    }

    /**
     * Whether the process of an owner word runs.
     *
     * @param owner an owner word, not {@link #FREE}.
     * @return true if it runs.
     */
    public boolean isAlive(final long owner)
    {
        return registry.isAlive(token(owner));
    }

    /**
     * Makes {@code word} the owner, whoever owned it before: for an object whose ownership moves with its handle (a
     * pipe end that another process opens takes it over).
     *
     * @param word the new owner's word.
     */
    public void handTo(final long word)
    {
        buffer.putLongVolatile(offset, word);
    }

    /**
     * Gives up ownership; only the owner calls this.
     */
    public void release()
    {
        buffer.putLongRelease(offset, FREE);
    }

    /**
     * Gives up ownership with a full fence after the store, for a release that then reads a waiter count.
     */
    public void releaseWithFence()
    {
        buffer.getAndSetLong(offset, FREE);
    }

    /**
     * Frees the word if it still holds {@code owner}: for a holder other than the owner (Python's
     * {@code Lock.release()} from another thread) or a cleanup.
     *
     * @param owner the word to clear.
     * @return true if cleared.
     */
    public boolean releaseIfOwner(final long owner)
    {
        return buffer.compareAndSetLong(offset, owner, FREE);
    }

    /**
     * Describes an owner for messages and tools.
     *
     * @param owner an owner word.
     * @return {@code none} or {@code pid=123 (alive)}.
     */
    public String describe(final long owner)
    {
        return owner == FREE ? "none" : registry.describe(token(owner));
    }

    /**
     * The registry this owner is judged by.
     *
     * @return the directory's registry.
     */
    public ProcessRegistry registry()
    {
        return registry;
    }
}
