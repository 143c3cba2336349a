package dev.jipc.pool;

import java.io.IOException;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

import dev.jipc.core.ProcessRegistry;
import dev.jipc.core.SegmentDirectory;
import dev.jipc.core.codec.Codecs;
import dev.jipc.core.pipe.Connection;
import dev.jipc.core.pipe.Pipe;
import dev.jipc.core.queue.LongQueue;
import dev.jipc.core.queue.Queue;
import dev.jipc.core.wait.Futex;
import dev.jipc.core.wait.WaitStrategy;
import dev.jipc.sync.IntValue;

/**
 * What a forkserver spare does while it waits for a task, and what the AOT training run of every child records: the
 * JVM-local work every task pays for at first use, so that the task does not.
 *
 * <pre>
 * Overview
 *
 * A task arrives as a ChildTask (a record) holding a Process whose target is a lambda of a class the spare has not
 * seen, capturing jipc handles. Decoding it costs, at first use in a JVM: the classes of ChildMain's path after the
 * read (ChildTask, Process, Processes, ...); the record's canonical-constructor method handle tree that
 * ObjectInputStream builds for ChildTask (a dozen lambda forms spun as hidden classes); the serialisation constructor
 * of Process; the reflective call of the capturing class's $deserializeLambda$ and the lambda forms of the
 * LambdaMetafactory call site, one set per shape of the captured values (erased to L, I, J, D); and each handle's
 * readResolve, which attaches a segment. run() does each of these once on stand-ins: a ChildTask round trip, the
 * stream descriptor of Process, serialisable lambdas of the common capture shapes, and handles of a queue, a value
 * and a pipe end round-tripped in a throwaway directory of this process. What stays for the task: loading its own
 * classes, the hidden class of its own lambda, and mapping its own segments.
 *
 * prepareSpare() is for spares only. It opens the class path's jars (the first class of a jar not opened yet pays
 * for the open, and the task's classes are typically in the application's jar). It is also the spare's only step
 * into the user's directory: it joins the directory's ProcessRegistry (a slot the kernel frees when the spare dies,
 * as every attached process holds one), which every segment attach needs and which costs the first attach of a JVM
 * an open, a mapping and a slot search.
 * </pre>
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
        "dev.jipc.pool.ChildTask",
        "dev.jipc.pool.Process",
        "dev.jipc.pool.ProcessInfo",
        "dev.jipc.pool.Processes",
        "dev.jipc.pool.SerializableRunnable",
        "dev.jipc.pool.SerializableCallable",
        "dev.jipc.pool.SerializableConsumer",
        "dev.jipc.pool.SerializableBiConsumer",
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
            ObjectStreamClass.lookup(Process.class);
            final ChildTask task = new ChildTask(null, ProcessHandle.current().pid(), "warm-up");
            if (!task.equals(TaskCodec.decode(TaskCodec.encode(task, "warm-up"))))
            {
                throw new IllegalStateException("the warm-up task did not survive serialisation");
            }
            lambdaShapes();
            attachOnce();
        }
        catch (final ClassNotFoundException | IOException | RuntimeException | LinkageError ex)
        {
            // a warm-up that fails costs the task the time it would have saved, nothing more
            System.err.println("jipc child pid=" + ProcessHandle.current().pid() + ": warm-up failed: " + ex);
        }
    }

    /**
     * What only a spare does: opens the jars of the class path, and joins the process registry of this JVM's default
     * segment directory (the context's: {@code -Djipc.dir}) if it exists and is safe; otherwise leaves that to the
     * first attach, which says what is wrong.
     */
    static void prepareSpare()
    {
        // a resource that no entry has: the class loader opens every jar of the class path looking for it, so the
        // task's first class of a jar not opened yet (the application's own, typically) does not pay for the open
        if (Warmup.class.getClassLoader().getResource("dev/jipc/pool/warm-up-absent") != null)
        {
            System.err.println("jipc child pid=" + ProcessHandle.current().pid() + ": unexpected warm-up resource");
        }
        try
        {
            final Path directory = SegmentDirectory.defaultDirectory();
            if (Files.isDirectory(directory))
            {
                ProcessRegistry.of(SegmentDirectory.requireSafe(directory));
            }
        }
        catch (final RuntimeException ex)
        {
            // the task's first attach meets the same fault and reports it where it matters
        }
    }

    /**
     * What only a spare does, as often as the forkserver sends one: decodes the stand-ins of a task shape
     * ({@link TaskShape}), loading the classes and linking the lambdas a task of that shape will need. A shape that
     * fails to decode costs a task of that shape the time it would have saved; the task's own decode meets the same
     * fault and reports it, so the spare only logs it at debug level.
     *
     * @param rehearsal what {@link TaskShape#rehearsal()} gave.
     */
    static void rehearse(final byte[] rehearsal)
    {
        try
        {
            TaskCodec.decode(rehearsal);
        }
        catch (final ClassNotFoundException | IOException | RuntimeException | LinkageError ex)
        {
            System.getLogger(Warmup.class.getName()).log(System.Logger.Level.DEBUG,
                "jipc forkserver spare pid={0}: cannot load a task shape ahead: {1}", ProcessHandle.current().pid(),
                ex.toString());
        }
    }

    /**
     * What only a spare does, after {@link #run()}: decodes a stand-in task (a {@link ChildTask}, a queue's handle,
     * which attaches to a segment of a throwaway directory each time, and a lambda) {@code rounds} times, so that the
     * JIT has compiled the decode and attach paths before the task arrives. Run once, those paths are interpreted,
     * and a task's decode took 2-5 ms (measured in a spare) where 300 rounds brought it under 1 ms.
     *
     * @param rounds how many decodes; 0 for none.
     */
    static void trainDecode(final int rounds)
    {
        train(rounds, directory ->
        {
            final byte[] bytes;
            try (LongQueue queue = LongQueue.create(directory, "train-queue", 1024))
            {
                bytes = TaskCodec.encode(standIn(queue), "warm-up");
            }
            for (int i = 0; i < rounds; i++)
            {
                ((Handles)((Object[])TaskCodec.decode(bytes))[1]).close();
            }
        });
    }

    /**
     * What a forkserver's own JVM does once, in the background: encodes the same stand-in task {@code rounds} times,
     * so that the JIT has compiled the encode path of {@code start()} (interpreted, it took 0.5-1.5 ms per start).
     *
     * @param rounds how many encodes; 0 for none.
     */
    static void trainEncode(final int rounds)
    {
        train(rounds, directory ->
        {
            try (LongQueue queue = LongQueue.create(directory, "train-queue", 1024))
            {
                final Object[] task = standIn(queue);
                for (int i = 0; i < rounds; i++)
                {
                    TaskCodec.encodeTask(task, "warm-up");
                }
            }
        });
    }

    /** A task's parts as a spare meets them: its record, a handle, a lambda capturing a value. */
    private static Object[] standIn(final LongQueue queue)
    {
        final String text = queue.name();
        final SerializableRunnable lambda = () -> consume(text);
        return new Object[] {new ChildTask(null, ProcessHandle.current().pid(), "warm-up"),
            new Handles(queue, null, null, null), lambda};
    }

    private static void train(final int rounds, final DirectoryWork work)
    {
        if (rounds <= 0)
        {
            return;
        }
        try
        {
            inThrowawayDirectory(work);
        }
        catch (final ClassNotFoundException | IOException | RuntimeException | LinkageError ex)
        {
            System.err.println("jipc pid=" + ProcessHandle.current().pid() + ": warm-up failed: " + ex);
        }
    }

    /** Serialisable lambdas of the common capture shapes, each through the task codec and run. */
    private static void lambdaShapes() throws IOException, ClassNotFoundException
    {
        final String text = "warm";
        final Object other = Integer.valueOf(1);
        final int number = 2;
        final long big = 3L;
        final double real = 4.0;
        roundTrip(() ->
        {
        });
        roundTrip(() -> consume(text));
        roundTrip(() -> consume(text, other));
        roundTrip(() -> consume(text, other, text));
        roundTrip(() -> consume(text, other, text, other));
        roundTrip(() -> consume(number));
        roundTrip(() -> consume(big));
        roundTrip(() -> consume(real));
        roundTrip(() -> consume(text, number));
        roundTrip(() -> consume(text, other, number));
        roundTrip(() -> consume(text, big));
        final SerializableSupplier<String> supplier = () -> text;
        final Object copy = TaskCodec.decode(TaskCodec.encode(supplier, "warm-up"));
        if (!text.equals(((SerializableSupplier<?>)copy).get()))
        {
            throw new IllegalStateException("a lambda did not survive serialisation");
        }
    }

    private static void roundTrip(final SerializableRunnable lambda) throws IOException, ClassNotFoundException
    {
        ((SerializableRunnable)TaskCodec.decode(TaskCodec.encode(lambda, "warm-up"))).run();
    }

    private static void consume(final Object... values)
    {
        if (values.length == 0)
        {
            throw new IllegalStateException("nothing captured");
        }
    }

    private static void consume(final long value)
    {
        if (value == 0)
        {
            throw new IllegalStateException("nothing captured");
        }
    }

    private static void consume(final double value)
    {
        if (value == 0)
        {
            throw new IllegalStateException("nothing captured");
        }
    }

    /**
     * Creates queues, a value and a pipe in a throwaway directory of this process, and sends their handles through
     * the task codec as a task would: each readResolve attaches to a segment this JVM does not map (the creators are
     * closed first), so the first attach of a JVM (file checks, header, attach lock, mapping, the ring and lock
     * classes) is paid here.
     */
    private static void attachOnce() throws IOException, ClassNotFoundException
    {
        inThrowawayDirectory(directory ->
        {
            final byte[] bytes;
            try (LongQueue queue = LongQueue.create(directory, "warm-queue", 1024);
                Queue<String> strings = Queue.create(directory, "warm-strings", 1024, Codecs.strings());
                IntValue value = IntValue.create(directory, "warm-value", 0, WaitStrategy.SPIN_THEN_PARK))
            {
                bytes = TaskCodec.encode(new Handles(queue, strings, value, null), "warm-up");
            }
            final Handles handles = (Handles)TaskCodec.decode(bytes);
            try
            {
                if (!handles.queue().offer(1) || !handles.queue().poll(taken ->
                {
                }) || !handles.strings().offer("warm") || !"warm".equals(handles.strings().poll()))
                {
                    throw new IllegalStateException("a warm-up queue lost a value");
                }
                handles.value().getAndAdd(1);
                handles.queue().unlink();
                handles.strings().unlink();
                handles.value().unlink();
            }
            finally
            {
                handles.close();
            }
            try (Pipe<String> pipe = Pipe.create(directory, "warm-pipe", 1024, false, Codecs.strings()))
            {
                final Handles end = (Handles)TaskCodec.decode(TaskCodec.encode(
                    new Handles(null, null, null, pipe.second()), "warm-up"));
                end.close();
                pipe.unlink();
            }
        });
    }

    /** Work in a throwaway directory. */
    @FunctionalInterface
    private interface DirectoryWork
    {
        void run(Path directory) throws IOException, ClassNotFoundException;
    }

    /**
     * Runs work in a throwaway directory of this process ({@code 0700}), and removes the directory after it, or from
     * a shutdown hook when this JVM exits meanwhile (a spare whose parent dies exits from another thread).
     */
    private static void inThrowawayDirectory(final DirectoryWork work) throws IOException, ClassNotFoundException
    {
        final Path directory = Files.createTempDirectory("jipc-warmup-",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        final Thread cleanup = new Thread(() -> removeQuietly(directory), "jipc-warmup-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try
        {
            work.run(directory);
        }
        finally
        {
            remove(directory);
            try
            {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            }
            catch (final IllegalStateException ignore)
            {
                // exiting already: the hook runs, and finds nothing to remove
            }
        }
    }

    private static void remove(final Path directory) throws IOException
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

    private static void removeQuietly(final Path directory)
    {
        try
        {
            remove(directory);
        }
        catch (final IOException ignore)
        {
            // removed already, or being removed by the warm-up itself
        }
    }

    /** Handles as a task captures them. */
    private record Handles(LongQueue queue, Queue<String> strings, IntValue value, Connection<String> end)
        implements Serializable
    {
        void close()
        {
            for (final AutoCloseable held : new AutoCloseable[] {queue, strings, value, end})
            {
                if (held != null)
                {
                    try
                    {
                        held.close();
                    }
                    catch (final Exception ex)
                    {
                        throw new IllegalStateException("cannot close a warm-up handle: " + held, ex);
                    }
                }
            }
        }
    }
}
