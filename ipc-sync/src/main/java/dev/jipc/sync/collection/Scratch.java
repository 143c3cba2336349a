package dev.jipc.sync.collection;

import org.agrona.ExpandableArrayBuffer;

/**
 * A thread's buffers for one collection operation: the encoded key, the encoded value, and the copy of an entry
 * that a lock-free read validates before decoding. Each thread keeps one; an operation that runs inside another on
 * the same thread (a {@code compute} function that reads another collection) gets a fresh one, so no operation's
 * bytes are overwritten under it.
 */
final class Scratch
{
    private static final ThreadLocal<Scratch> THREAD = ThreadLocal.withInitial(Scratch::new);

    final ExpandableArrayBuffer key = new ExpandableArrayBuffer(64);
    final ExpandableArrayBuffer value = new ExpandableArrayBuffer(64);
    final ExpandableArrayBuffer read = new ExpandableArrayBuffer(64);
    /** The generation a write holds a lease of: growing swaps it, and the write returns whichever it holds last. */
    Generation leased;
    /** The collection this thread holds a write lock of, if any: a nested scratch inherits it, to refuse recursion. */
    Object writing;
    private boolean busy;

    private Scratch()
    {
    }

    /**
     * The calling thread's scratch, or a fresh one when it is in use by an enclosing operation.
     *
     * @return a scratch to {@link #release()} when the operation ends.
     */
    static Scratch acquire()
    {
        final Scratch scratch = THREAD.get();
        if (scratch.busy)
        {
            final Scratch nested = new Scratch();
            nested.busy = true;
            nested.writing = scratch.writing;
            return nested;
        }
        scratch.busy = true;
        return scratch;
    }

    void release()
    {
        leased = null;
        writing = null;
        busy = false;
    }
}
