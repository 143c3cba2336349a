package dev.jipc.core;

import dev.jipc.core.codec.Codecs;
import dev.jipc.core.pipe.Pipe;
import dev.jipc.core.queue.LongQueue;
import dev.jipc.core.queue.Queue;

/**
 * A training run for {@link AotCacheTest}: what a child of a jipc program does before its own work, done once so
 * that the JDK can record the classes it loads and links (the process layer trains on its own child bootstrap). It
 * maps segments (the registry, the attach locks, the futex downcalls), passes a queue as a handle, moves a message
 * through a {@link LongQueue}, a {@code Queue<byte[]>} and a {@link Pipe}, and removes everything it made.
 */
public final class AotTraining
{
    private AotTraining()
    {
    }

    /**
     * Runs the training once.
     *
     * @param args none.
     * @throws Exception if any step fails: the cache is then not made.
     */
    public static void main(final String[] args) throws Exception
    {
        JvmFlags.check();
        final String prefix = "aot-training-" + ProcessHandle.current().pid() + "-";
        try (LongQueue longs = LongQueue.create(prefix + "longs", 1024);
            Queue<byte[]> bytes = Queue.create(prefix + "bytes", 4096, Codecs.bytes());
            Pipe<byte[]> pipe = Pipe.create(true, Codecs.bytes()))
        {
            try
            {
                final Queue<byte[]> reopened = Handles.decode(Handles.encode(bytes));
                reopened.put(new byte[8]);
                longs.put(1);
                pipe.first().sendBytes(new byte[8], 0, 8);
                if (bytes.take().length != 8 || longs.take() != 1 || pipe.second().recvBytes().length != 8)
                {
                    throw new IllegalStateException("AOT training: a message came back wrong");
                }
                reopened.close();
            }
            finally
            {
                longs.unlink();
                bytes.unlink();
                pipe.unlink();
            }
        }
    }
}
