package dev.jipc.core.queue;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import dev.jipc.core.CorruptRingException;
import dev.jipc.core.RingView;
import dev.jipc.core.Segment;
import dev.jipc.core.SegmentDirectory;
import dev.jipc.core.SegmentKind;
import dev.jipc.core.codec.Codecs;
import dev.jipc.core.pipe.Pipe;
import dev.jipc.core.pipe.PipeDescriptor;
import dev.jipc.core.test.Names;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Corrupt bytes written into a live segment, as another process could: every walk over the ring ends within what the
 * ring can hold, and a record that does not lie between head and tail is a {@link CorruptRingException} on every
 * access, never a silent skip of everything after it.
 */
class RingCorruptionTest
{
    private static final int CAPACITY = 4096;
    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final long QUEUE_TAIL = QueueDescriptor.RING_OFFSET + CAPACITY +
        RingView.TAIL_POSITION_OFFSET;

    /** A kind of queue on the shared ring engine, seen through the calls a consumer makes. */
    enum Kind
    {
        QUEUE(name -> new Subject(Queue.create(name, CAPACITY, Codecs.bytes()))),
        SIMPLE_QUEUE(name -> new Subject(SimpleQueue.create(name, CAPACITY, Codecs.bytes()))),
        JOINABLE_QUEUE(name -> new Subject(JoinableQueue.create(name, CAPACITY, Codecs.bytes()))),
        LONG_QUEUE(name -> new Subject(LongQueue.create(name, CAPACITY))),
        DOUBLE_QUEUE(name -> new Subject(DoubleQueue.create(name, CAPACITY)));

        final Function<String, Subject> create;

        Kind(final Function<String, Subject> create)
        {
            this.create = create;
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void shouldRefuseEveryTimeARecordWhoseLengthReachesPastTheTail(final Kind kind) throws Exception
    {
        final String name = Names.unique("corrupt-" + kind);
        try (Subject queue = kind.create.apply(name))
        {
            try
            {
                queue.putTwo();
                // two 16-byte records, tail at 32: a length of 1024 fits the ring but not between head and tail
                writeInt(file(name), QueueDescriptor.RING_OFFSET, 1024);
                assertTimeoutPreemptively(BOUND, () ->
                {
                    for (int attempt = 0; attempt < 3; attempt++)
                    {
                        final CorruptRingException ex = assertThrows(CorruptRingException.class, queue::take,
                            "attempt " + attempt + " of " + kind);
                        assertTrue(ex.getMessage().contains("length=1024") && ex.getMessage().contains(name),
                            ex.getMessage());
                    }
                    assertThrows(CorruptRingException.class, queue::size);
                });
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    @Test
    void shouldEndSizeAndStatFastWhenTheHeadRecordAndTheTailAreCorrupt() throws Exception
    {
        final String name = Names.unique("corrupt-walk");
        try (Queue<byte[]> queue = Queue.create(name, CAPACITY, Codecs.bytes()))
        {
            try
            {
                queue.put(new byte[8]);
                // a record as long as the ring, and a tail a world away: an unbounded walk laps the ring for ever
                writeInt(file(name), QueueDescriptor.RING_OFFSET, CAPACITY);
                writeLong(file(name), QUEUE_TAIL, 1L << 62);
                assertTimeoutPreemptively(BOUND, () ->
                {
                    final CorruptRingException size = assertThrows(CorruptRingException.class, queue::size);
                    assertTrue(size.getMessage().contains("tail=" + (1L << 62)), size.getMessage());
                    try (Segment segment = Segment.open(SegmentDirectory.defaultDirectory(), name, SegmentKind.QUEUE))
                    {
                        assertThrows(CorruptRingException.class, () -> new QueueStat().describe(segment));
                    }
                });
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    @Test
    void shouldRefuseEveryTimeAPipeRecordWhoseLengthReachesPastTheTail() throws Exception
    {
        final String name = Names.unique("corrupt-pipe");
        try (Pipe<byte[]> pipe = Pipe.create(SegmentDirectory.defaultDirectory(), name, CAPACITY, true,
            Codecs.bytes()))
        {
            try
            {
                pipe.first().sendBytes(new byte[8], 0, 8);
                pipe.first().sendBytes(new byte[8], 0, 8);
                writeInt(file(name), PipeDescriptor.ringOffset(0, CAPACITY), 1024);
                assertTimeoutPreemptively(BOUND, () ->
                {
                    for (int attempt = 0; attempt < 3; attempt++)
                    {
                        assertTrue(pipe.second().poll(1, TimeUnit.SECONDS), "attempt " + attempt);
                        final CorruptRingException ex = assertThrows(CorruptRingException.class,
                            () -> pipe.second().recvBytes(), "attempt " + attempt);
                        assertTrue(ex.getMessage().contains("length=1024"), ex.getMessage());
                    }
                });
            }
            finally
            {
                pipe.unlink();
            }
        }
    }

    private static Path file(final String name)
    {
        return SegmentDirectory.defaultDirectory().resolve(name);
    }

    private static void writeInt(final Path file, final long offset, final int value) throws IOException
    {
        write(file, offset, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, value));
    }

    private static void writeLong(final Path file, final long offset, final long value) throws IOException
    {
        write(file, offset, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value));
    }

    private static void write(final Path file, final long offset, final ByteBuffer bytes) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.write(bytes, offset);
        }
    }

    /** One queue of any kind: two small elements in, one taken (waiting at most a second), counted, removed. */
    private static final class Subject implements AutoCloseable
    {
        private final AutoCloseable queue;

        Subject(final AutoCloseable queue)
        {
            this.queue = queue;
        }

        void putTwo() throws InterruptedException
        {
            for (int i = 0; i < 2; i++)
            {
                switch (queue)
                {
                    case SimpleQueue<?> simple -> ((SimpleQueue<byte[]>)simple).put(new byte[8]);
                    case Queue<?> any -> ((Queue<byte[]>)any).put(new byte[8]);
                    case LongQueue longs -> longs.put(i);
                    case DoubleQueue doubles -> doubles.put(i);
                    default -> throw new AssertionError(queue);
                }
            }
        }

        void take() throws InterruptedException
        {
            switch (queue)
            {
                case SimpleQueue<?> simple -> simple.get();
                case Queue<?> any -> any.poll(1, TimeUnit.SECONDS);
                case LongQueue longs -> longs.poll(value -> {}, 1, TimeUnit.SECONDS);
                case DoubleQueue doubles -> doubles.poll(value -> {}, 1, TimeUnit.SECONDS);
                default -> throw new AssertionError(queue);
            }
        }

        int size()
        {
            return switch (queue)
            {
                case SimpleQueue<?> simple -> simple.queue().size();
                case Queue<?> any -> any.size();
                case LongQueue longs -> longs.size();
                case DoubleQueue doubles -> doubles.size();
                default -> throw new AssertionError(queue);
            };
        }

        void unlink()
        {
            switch (queue)
            {
                case SimpleQueue<?> simple -> simple.unlink();
                case Queue<?> any -> any.unlink();
                case LongQueue longs -> longs.unlink();
                case DoubleQueue doubles -> doubles.unlink();
                default -> throw new AssertionError(queue);
            }
        }

        @Override
        public void close() throws Exception
        {
            queue.close();
        }
    }
}
