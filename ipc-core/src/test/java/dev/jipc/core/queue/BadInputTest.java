package dev.jipc.core.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

import dev.jipc.core.CorruptRingException;
import dev.jipc.core.RingView;
import dev.jipc.core.Segment;
import dev.jipc.core.SegmentDirectory;
import dev.jipc.core.SegmentFormatException;
import dev.jipc.core.SegmentKind;
import dev.jipc.core.codec.Codecs;
import dev.jipc.core.pipe.BufferTooShortException;
import dev.jipc.core.pipe.Connection;
import dev.jipc.core.pipe.Pipe;
import dev.jipc.core.test.Names;
import org.junit.jupiter.api.Test;

/** Foreign, corrupt and hostile files and records: clear exceptions, never a crash. */
class BadInputTest
{
    @Test
    void shouldRefuseAForeignFile() throws IOException
    {
        final String name = Names.unique("foreign");
        final Path file = SegmentDirectory.defaultDirectory().resolve(name);
        // private, as jipc would make it: a directory open to others is refused
        Files.createDirectories(file.getParent(),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.write(file, new byte[64 * 1024]);
        try
        {
            final SegmentFormatException ex =
                assertThrows(SegmentFormatException.class, () -> Queue.open(name, Codecs.strings()));
            assertTrue(ex.getMessage().contains(name), ex.getMessage());
            Files.write(file, "#!/bin/sh\necho not a segment\n".repeat(100).getBytes());
            assertThrows(SegmentFormatException.class, () -> LongQueue.open(name));
            assertThrows(SegmentFormatException.class, () -> Connection.open(name, 1, Codecs.strings()));
        }
        finally
        {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void shouldRefuseAQueueWhoseConfigurationDoesNotMatchItsFile() throws IOException
    {
        final String name = Names.unique("corrupt-config");
        try (LongQueue queue = LongQueue.create(name, 4096))
        {
            try
            {
                final Path file = SegmentDirectory.defaultDirectory().resolve(name);
                try (Segment segment = Segment.open(SegmentDirectory.defaultDirectory(), name,
                    SegmentKind.PRIMITIVE_QUEUE))
                {
                    writeInt(file, QueueDescriptor.CAPACITY_OFFSET, 1 << 20);
                    final SegmentFormatException tooBig =
                        assertThrows(SegmentFormatException.class, () -> new QueueStat().describe(segment));
                    assertTrue(tooBig.getMessage().contains("length mismatch"), tooBig.getMessage());
                    writeInt(file, QueueDescriptor.CAPACITY_OFFSET, 3000);
                    final SegmentFormatException notPowerOfTwo =
                        assertThrows(SegmentFormatException.class, () -> QueueDescriptor.validate(segment));
                    assertTrue(notPowerOfTwo.getMessage().contains("capacity=3000"), notPowerOfTwo.getMessage());
                }
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    @Test
    void shouldThrowRatherThanCrashOnARecordWithAHostileLength() throws Exception
    {
        final String name = Names.unique("hostile");
        try (Queue<String> queue = Queue.create(name, 4096, Codecs.strings()))
        {
            try
            {
                queue.put("honest");
                // overwrite the committed record's length with a huge value, as a hostile process could
                writeInt(SegmentDirectory.defaultDirectory().resolve(name), QueueDescriptor.RING_OFFSET, 0x7fff_fff0);
                assertThrows(CorruptRingException.class, queue::poll);
                // a length whose 8-byte alignment overflows, on a padding record (skipped, not handed out)
                writeInt(SegmentDirectory.defaultDirectory().resolve(name), QueueDescriptor.RING_OFFSET, 0x7fff_ffff);
                writeInt(SegmentDirectory.defaultDirectory().resolve(name), QueueDescriptor.RING_OFFSET + 4, -1);
                final RuntimeException overflow = assertThrows(CorruptRingException.class, queue::poll);
                assertTrue(overflow.getMessage().contains("corrupt ring"), overflow.getMessage());
                // and a negative tail-to-head distance reads as nothing to take, never as a wild offset
                writeInt(SegmentDirectory.defaultDirectory().resolve(name),
                    QueueDescriptor.RING_OFFSET + 4096 + RingView.TAIL_POSITION_OFFSET, 0);
                assertEquals(0, queue.size());
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    @Test
    void shouldRefuseAnOversizedPipeMessageAndOpeningAClosedEnd() throws Exception
    {
        final String name = Names.unique("pipe-bad");
        try (Pipe<byte[]> pipe = Pipe.create(SegmentDirectory.defaultDirectory(), name, 4096, true, Codecs.bytes()))
        {
            try
            {
                final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                    () -> pipe.first().sendBytes(new byte[513], 0, 513));
                assertTrue(ex.getMessage().contains("length=513") && ex.getMessage().contains("maxMessageLength=512"),
                    ex.getMessage());
                assertThrows(SegmentFormatException.class, () -> Connection.open(name, 0, Codecs.strings()));
                pipe.first().sendBytes(new byte[100], 0, 100);
                final BufferTooShortException tooShort =
                    assertThrows(BufferTooShortException.class, () -> pipe.second().recvBytes(new byte[10], 0));
                assertEquals(100, tooShort.messageLength());
                assertEquals(100, pipe.second().recvBytes(new byte[100], 0), "the message stayed in the pipe");
                pipe.first().send(new byte[]{9, 8});
                org.junit.jupiter.api.Assertions.assertArrayEquals(new byte[]{9, 8}, pipe.second().recvBytes(),
                    "recvBytes() takes any message as bytes");
                pipe.second().close();
                assertThrows(IOException.class, () -> pipe.first().send(new byte[1]), "broken pipe");
                assertThrows(IllegalStateException.class, () -> Connection.open(name, 1, Codecs.bytes()));
                assertThrows(IllegalStateException.class, () -> pipe.second().recv(), "closed here");
            }
            finally
            {
                pipe.unlink();
            }
        }
    }

    private static void writeInt(final Path file, final long offset, final int value) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, value), offset);
        }
    }
}
