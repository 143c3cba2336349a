package dev.jipc.core.pipe;

import static dev.jipc.core.pipe.PipeDescriptor.FLAG_DUPLEX;

import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

import dev.jipc.core.Segment;
import dev.jipc.core.SegmentDirectory;
import dev.jipc.core.SegmentFormatException;
import dev.jipc.core.SegmentKind;
import dev.jipc.core.codec.Codec;
import dev.jipc.core.codec.StoredCodec;

/**
 * Python's {@code multiprocessing.Pipe}: two {@link Connection}s joined through a named shared-memory segment, with
 * one Agrona {@code OneToOneRingBuffer} per direction (layout in {@link PipeDescriptor}).
 * <pre>{@code
 * try (Pipe<String> pipe = Pipe.create(true, Codecs.strings())) {
 *     Connection<String> parent = pipe.first();
 *     Connection<String> child = pipe.second();   // hand it to another JVM, serialised
 *     parent.send("ping");
 *     String message = child.recv();
 * }
 * }</pre>
 * In a duplex pipe both connections send and receive; in a one-way pipe {@link #first()} only receives and
 * {@link #second()} only sends, as in Python. {@link #close()} closes both connections this object holds; the
 * segment stays until {@link #unlink()}.
 *
 * @param <E> the type the connections' {@link Connection#send} and {@link Connection#recv} carry.
 */
public final class Pipe<E> implements AutoCloseable
{
    /** Ring capacity of {@link #create(boolean, Codec)}: 64 KiB per direction. */
    public static final int DEFAULT_CAPACITY = 64 * 1024;
    /** Smallest ring capacity in bytes per direction, as for a queue. */
    public static final int MIN_CAPACITY = 1024;
    /** Largest ring capacity per direction: both rings must fit in the first 2 GiB of the mapping. */
    public static final int MAX_CAPACITY = 1 << 29;

    private final Segment segment;
    private final Connection<E> first;
    private final Connection<E> second;

    private Pipe(final Segment segment, final Connection<E> first, final Connection<E> second)
    {
        this.segment = segment;
        this.first = first;
        this.second = second;
    }

    /**
     * Creates a pipe with a generated name in the default directory and {@value #DEFAULT_CAPACITY}-byte rings.
     *
     * @param duplex true for two-way, false for one-way (first receives, second sends).
     * @param codec  how {@link Connection#send} encodes objects.
     * @param <E>    the element type.
     * @return the pipe.
     */
    public static <E> Pipe<E> create(final boolean duplex, final Codec<E> codec)
    {
        return create(SegmentDirectory.defaultDirectory(),
            "pipe_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1), DEFAULT_CAPACITY, duplex,
            codec);
    }

    /**
     * Creates a named pipe.
     *
     * @param directory where the segment goes.
     * @param name      the pipe's name.
     * @param capacity  bytes per direction: a power of two from {@value #MIN_CAPACITY} to
     *                  {@value #MAX_CAPACITY}.
     * @param duplex    true for two-way, false for one-way (first receives, second sends).
     * @param codec     how {@link Connection#send} encodes objects.
     * @param <E>       the element type.
     * @return the pipe, owning both ends.
     * @throws java.io.UncheckedIOException if the name exists.
     */
    public static <E> Pipe<E> create(
        final Path directory, final String name, final int capacity, final boolean duplex, final Codec<E> codec)
    {
        Objects.requireNonNull(codec, "codec");
        checkCapacity(capacity);
        final byte[] codecName = StoredCodec.nameBytes(codec.name());
        final Segment segment = Segment.create(directory, name, SegmentKind.PIPE, PipeDescriptor.bodyLength(capacity),
            created -> PipeDescriptor.fill(
                created.buffer(), capacity, duplex ? FLAG_DUPLEX : 0, codec.typeId(), codecName));
        try
        {
            final Segment again = Segment.open(directory, name, SegmentKind.PIPE);
            return new Pipe<>(segment, Connection.created(segment, 0, codec), Connection.created(again, 1, codec));
        }
        catch (final RuntimeException ex)
        {
            segment.unlink();
            segment.close();
            throw ex;
        }
    }

    /**
     * Attaches to both ends of an existing pipe, taking ownership of both.
     *
     * @param directory where the segment is.
     * @param name      the pipe's name.
     * @param codec     the codec it was created with.
     * @param <E>       the element type.
     * @return the pipe.
     * @throws SegmentFormatException if the file is not a pipe or was created with another codec.
     */
    public static <E> Pipe<E> open(final Path directory, final String name, final Codec<E> codec)
    {
        final Connection<E> first = Connection.open(directory, name, 0, codec);
        try
        {
            final Connection<E> second = Connection.open(directory, name, 1, codec);
            final Segment segment = Segment.open(directory, name, SegmentKind.PIPE);
            segment.close();
            return new Pipe<>(segment, first, second);
        }
        catch (final RuntimeException ex)
        {
            first.close();
            throw ex;
        }
    }

    static void checkCapacity(final int capacity)
    {
        PipeDescriptor.checkCapacity(capacity);
    }

    /**
     * The first connection (Python's {@code conn1}): receives only, in a one-way pipe.
     *
     * @return end 0.
     */
    public Connection<E> first()
    {
        return first;
    }

    /**
     * The second connection (Python's {@code conn2}): sends only, in a one-way pipe.
     *
     * @return end 1.
     */
    public Connection<E> second()
    {
        return second;
    }

    /**
     * The pipe's name, for {@link Connection#open}.
     *
     * @return the segment name.
     */
    public String name()
    {
        return segment.name();
    }

    /** Removes the pipe's name; connections keep working until closed. */
    public void unlink()
    {
        segment.unlink();
    }

    /** Closes both connections held here (see {@link Connection#close()}). */
    @Override
    public void close()
    {
        first.close();
        second.close();
    }

    @Override
    public String toString()
    {
        return "Pipe{name=" + segment.name() + ", directory=" + segment.directory() + "}";
    }
}
