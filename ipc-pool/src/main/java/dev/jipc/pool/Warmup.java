package dev.jipc.pool;

import java.io.IOException;

import dev.jipc.core.wait.Futex;

/**
 * What a forkserver spare does while it waits for a task: the JVM-local work every task pays for at first use (the
 * futex downcall's linking, the classes of segments, queues, pipes and values, a lambda through serialisation and
 * back), so that the task does not. Nothing here touches a segment directory or another process.
 */
final class Warmup
{
    private static final String[] CLASSES = {
        "dev.jipc.core.Segment",
        "dev.jipc.core.queue.Queue",
        "dev.jipc.core.queue.LongQueue",
        "dev.jipc.core.pipe.Connection",
        "dev.jipc.core.codec.Codecs",
        "dev.jipc.sync.IntValue",
        "dev.jipc.sync.Lock",
        "dev.jipc.sync.Event",
        "org.agrona.concurrent.UnsafeBuffer",
        "org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer",
        "org.agrona.concurrent.ringbuffer.OneToOneRingBuffer",
    };

    private Warmup()
    {
    }

    static void run()
    {
        try
        {
            Futex.isNative();
            for (final String name : CLASSES)
            {
                Class.forName(name, true, Warmup.class.getClassLoader());
            }
            final String captured = "warm";
            final SerializableSupplier<String> lambda = () -> captured;
            final Object copy = TaskCodec.decode(TaskCodec.encode(lambda, "warm-up"));
            if (!"warm".equals(((SerializableSupplier<?>)copy).get()))
            {
                throw new IllegalStateException("lambda did not survive serialisation");
            }
        }
        catch (final ClassNotFoundException | IOException | RuntimeException | LinkageError ex)
        {
            // a warm-up that fails costs the task the time it would have saved, nothing more
            System.err.println("jipc forkserver spare pid=" + ProcessHandle.current().pid() + ": warm-up failed: " +
                ex);
        }
    }
}
