package dev.jipc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentValidationTest
{
    @TempDir
    Path dir;

    @Test
    void shouldRejectOpenOfMissingNameWithNoSuchFile()
    {
        final UncheckedIOException ex =
            assertThrows(UncheckedIOException.class, () -> SharedMemory.open(dir, "absent"));
        assertInstanceOf(NoSuchFileException.class, ex.getCause());
        assertTrue(ex.getMessage().contains(dir.resolve("absent").toString()), ex.getMessage());
    }

    @Test
    void shouldRejectFileThatIsNotJipcs() throws IOException
    {
        Files.writeString(dir.resolve("foreign"), "#!/bin/sh\necho this is not a segment\n".repeat(10));
        final SegmentFormatException ex = assertThrows(SegmentFormatException.class,
            () -> SharedMemory.open(dir, "foreign"));
        assertTrue(ex.getMessage().contains("not a jipc segment"), ex.getMessage());
        assertTrue(ex.getMessage().contains("foreign"), ex.getMessage());
    }

    @Test
    void shouldRejectFileShorterThanHeader() throws IOException
    {
        SharedMemory.create(dir, "short", 4096).close();
        truncate(dir.resolve("short"), 64);
        final SegmentFormatException ex = assertThrows(SegmentFormatException.class,
            () -> SharedMemory.open(dir, "short"));
        assertTrue(ex.getMessage().contains("truncated: fileSize=64"), ex.getMessage());
    }

    @Test
    void shouldRejectFileShorterThanItsHeaderSays() throws IOException
    {
        SharedMemory.create(dir, "cut", 4096).close();
        truncate(dir.resolve("cut"), 1024);
        final SegmentFormatException ex = assertThrows(SegmentFormatException.class,
            () -> SharedMemory.open(dir, "cut"));
        assertTrue(ex.getMessage().contains("length mismatch: header totalLength=4224, fileSize=1024"),
            ex.getMessage());
    }

    @Test
    void shouldRejectSegmentOfAnotherKind()
    {
        SharedMemory.create(dir, "raw", 64).close();
        final SegmentFormatException ex = assertThrows(SegmentFormatException.class,
            () -> Segment.open(dir, "raw", SegmentKind.QUEUE));
        assertTrue(ex.getMessage().contains("wrong kind: kind=SHARED_MEMORY, expected=QUEUE"), ex.getMessage());
    }

    @Test
    void shouldRejectAnotherLayoutVersion() throws IOException
    {
        SharedMemory.create(dir, "future", 64).close();
        patchInt(dir.resolve("future"), SegmentDescriptor.LAYOUT_VERSION_OFFSET, 99);
        final SegmentFormatException ex = assertThrows(SegmentFormatException.class,
            () -> SharedMemory.open(dir, "future"));
        assertTrue(ex.getMessage().contains("unsupported layout version: version=99, supported=" +
            SegmentDescriptor.LAYOUT_VERSION), ex.getMessage());
    }

    @Test
    void shouldRejectAnUnknownKind() throws IOException
    {
        SharedMemory.create(dir, "unknown", 64).close();
        patchInt(dir.resolve("unknown"), SegmentDescriptor.KIND_OFFSET, 4711);
        final SegmentFormatException ex = assertThrows(SegmentFormatException.class,
            () -> SharedMemory.open(dir, "unknown"));
        assertTrue(ex.getMessage().contains("unknown kind: kind=4711"), ex.getMessage());
    }

    @Test
    void shouldRejectNamesThatCouldEscapeTheDirectory()
    {
        for (final String name : new String[] {"a/b", "../x", "..", "x..y", ".hidden", "", "a\\b", "tab\tname",
            "x".repeat(SegmentDirectory.MAX_NAME_LENGTH + 1)})
        {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> SharedMemory.create(dir, name, 64), name);
            assertTrue(ex.getMessage().startsWith("segment name"), ex.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> SharedMemory.open(dir, "../etc"));
    }

    @Test
    void shouldRejectCreateOfAnExistingName()
    {
        try (SharedMemory first = SharedMemory.create(dir, "taken", 64))
        {
            final UncheckedIOException ex = assertThrows(UncheckedIOException.class,
                () -> SharedMemory.create(dir, "taken", 64));
            assertInstanceOf(FileAlreadyExistsException.class, ex.getCause());
            assertTrue(ex.getMessage().contains("segment already exists"), ex.getMessage());
            first.unlink();
        }
    }

    @Test
    void shouldRejectNonPositiveSize()
    {
        assertThrows(IllegalArgumentException.class, () -> SharedMemory.create(dir, "empty", 0));
    }

    @Test
    void shouldCreateDirectoryOwnerOnlyAndFilesOwnerOnly() throws IOException
    {
        final Path sub = dir.resolve("jipc-perm");
        try (SharedMemory ignored = SharedMemory.create(sub, "private", 64))
        {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(sub)));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(sub.resolve(
                "private"))));
        }
    }

    @Test
    void shouldMapEachFileOncePerProcess()
    {
        try (SharedMemory first = SharedMemory.create(dir, "once", 64);
            SharedMemory second = SharedMemory.open(dir, "once"))
        {
            assertEquals(first.segment().address(), second.segment().address());
            first.buffer().putLongVolatile(0, 42);
            assertEquals(42, second.buffer().getLongVolatile(0));
        }
    }

    @Test
    void shouldKeepMappingValidAfterUnlink()
    {
        try (SharedMemory block = SharedMemory.create(dir, "gone", 64))
        {
            block.unlink();
            assertTrue(Files.notExists(dir.resolve("gone")));
            block.buffer().putLongVolatile(8, 7);
            assertEquals(7, block.buffer().getLongVolatile(8));
            assertThrows(UncheckedIOException.class, () -> SharedMemory.open(dir, "gone"));
        }
    }

    @Test
    void shouldRefuseSegmentAccessAfterClose()
    {
        final SharedMemory block = SharedMemory.create(dir, "closed", 64);
        block.close();
        final IllegalStateException ex = assertThrows(IllegalStateException.class, block::segment);
        assertTrue(ex.getMessage().contains("closed"), ex.getMessage());
    }

    @Test
    void shouldNeverCrashOnCorruptHeaders() throws IOException
    {
        final Path original = dir.resolve("pristine");
        SharedMemory.create(dir, "pristine", 256).close();
        final byte[] pristine = Files.readAllBytes(original);
        final Random random = new Random(20261126L);
        int opened = 0;
        int rejected = 0;
        for (int i = 0; i < 2_000; i++)
        {
            final byte[] corrupt = pristine.clone();
            final int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++)
            {
                corrupt[random.nextInt(SegmentDescriptor.HEADER_LENGTH)] = (byte)random.nextInt(256);
            }
            final int length = random.nextInt(8) == 0 ? random.nextInt(corrupt.length) : corrupt.length;
            final String name = "fuzz-" + i;
            Files.write(dir.resolve(name), java.util.Arrays.copyOf(corrupt, length));
            try (SharedMemory block = SharedMemory.open(dir, name))
            {
                block.buffer().putLong(0, i);
                assertEquals(i, block.buffer().getLong(0));
                opened++;
            }
            catch (final SegmentFormatException expected)
            {
                assertTrue(expected.getMessage().contains(name), expected.getMessage());
                rejected++;
            }
            catch (final RuntimeException ex)
            {
                fail("corrupt header " + i + " gave " + ex + " rather than a SegmentFormatException");
            }
            Files.delete(dir.resolve(name));
        }
        assertTrue(rejected > 500, "most flips hit a checked field: rejected=" + rejected);
        assertTrue(opened > 0, "some flips hit reserved bytes or a byte with its own value: opened=" + opened);
    }

    private static void truncate(final Path file, final long size) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.truncate(size);
        }
    }

    private static void patchInt(final Path file, final int offset, final int value) throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE))
        {
            channel.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, value), offset);
        }
    }

    @Test
    void shouldReuseTheSameSegmentForTheSameFile()
    {
        try (Segment a = Segment.create(dir, "seg", SegmentKind.SHARED_MEMORY, 64, s -> {});
            Segment b = Segment.open(dir, "seg", SegmentKind.SHARED_MEMORY))
        {
            assertSame(a, b);
        }
    }
}
