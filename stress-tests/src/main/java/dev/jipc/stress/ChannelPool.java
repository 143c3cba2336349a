package dev.jipc.stress;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * Real channels (queues, pipes: one mapped segment each, unlinked at once) lent to jcstress states while their actors
 * run. jcstress allocates thousands of states up front but runs one stride (at most a few hundred) at a time, so a
 * state takes a channel when its first actor starts and gives it back when its last actor is done, after draining
 * what is left: a small pool serves every state, and a channel is always empty when lent. When every channel is
 * lent (jcstress's resource check runs actors over many states without strides) the pool creates another.
 *
 * @param <C> the channel type.
 */
final class ChannelPool<C>
{
    private final ConcurrentLinkedQueue<C> free = new ConcurrentLinkedQueue<>();
    private final IntFunction<C> factory;
    private final AtomicInteger created = new AtomicInteger();

    /**
     * @param size    channels to create now, about what jcstress runs at once (its stride).
     * @param factory creates channel {@code i}, already unlinked.
     */
    ChannelPool(final int size, final IntFunction<C> factory)
    {
        this.factory = factory;
        for (int i = 0; i < size; i++)
        {
            free.add(factory.apply(created.getAndIncrement()));
        }
    }

    /** A state's loan: both actors get the same channel; the last to finish returns it. */
    final class Loan
    {
        private final AtomicReference<C> channel = new AtomicReference<>();
        private final AtomicInteger finished = new AtomicInteger();

        /**
         * The state's channel, borrowed by whichever actor asks first.
         *
         * @return the channel.
         */
        C channel()
        {
            final C current = channel.get();
            if (current != null)
            {
                return current;
            }
            C borrowed = free.poll();
            if (borrowed == null)
            {
                borrowed = factory.apply(created.getAndIncrement());
            }
            if (!channel.compareAndSet(null, borrowed))
            {
                free.add(borrowed);
            }
            return channel.get();
        }

        /**
         * Says an actor is done with the channel.
         *
         * @param actors how many actors the state has.
         * @return true for the last one, which must drain the channel and then {@link #giveBack()}.
         */
        boolean finish(final int actors)
        {
            return finished.incrementAndGet() == actors;
        }

        /** Returns the drained channel to the pool. */
        void giveBack()
        {
            free.add(channel.getAndSet(null));
        }
    }
}
