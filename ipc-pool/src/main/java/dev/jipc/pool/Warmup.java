package dev.jipc.pool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

import dev.jipc.core.queue.LongQueue;
import dev.jipc.core.wait.Futex;
import dev.jipc.core.wait.WaitStrategy;
import dev.jipc.sync.IntValue;

/**
 * What a forkserver spare does while it waits for a task: the JVM-local work every task pays for at first use (the
 * futex downcall's linking, the classes of segments, queues, pipes and values, a lambda through serialisation and
 * back, and one attach to a segment in a throwaway directory of its own), so that the task does not. Nothing here
 * touches the user's segment directory or another process.
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

    /**
     * Creates, attaches to and removes a queue and a value in a throwaway directory of this process: the first
     * attach of a JVM (file checks, registry, mapping, the ring and lock classes) costs more than all later ones.
     */
    private static void attachOnce() throws IOException
    {
        final Path directory = Files.createTempDirectory("jipc-warmup-",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try
        {
            try (LongQueue queue = LongQueue.create(directory, "warm-queue", 1024);
                LongQueue again = LongQueue.open(directory, "warm-queue");
                IntValue value = IntValue.create(directory, "warm-value", 0, WaitStrategy.SPIN_THEN_PARK))
            {
                if (!queue.offer(1) || !again.poll(taken ->
                {
                }))
                {
                    throw new IllegalStateException("warm-up queue lost a value");
                }
                value.getAndAdd(1);
                queue.unlink();
                value.unlink();
            }
        }
        finally
        {
            try (Stream<Path> files = Files.list(directory))
            {
                for (final Path file : files.toList())
                {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(directory);
        }
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
            attachOnce();
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
