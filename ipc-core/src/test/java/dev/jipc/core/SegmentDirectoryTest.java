package dev.jipc.core;

import static dev.jipc.core.ChildProcesses.awaitSuccess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.test.ChildLogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** The directory and file rules of {@link SegmentDirectory}: what jipc refuses to trust, and how it says so. */
class SegmentDirectoryTest
{
    /** A user id no test runs as ({@code nobody}). */
    private static final int OTHER_UID = 65534;

    @TempDir
    Path temp;

    @Test
    void shouldRefuseADirectoryOpenToGroupOrOthers() throws IOException
    {
        final Path dir = Files.createDirectory(temp.resolve("jipc-open"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        for (final Executable use : new Executable[] {
            () -> SharedMemory.create(dir, "victim", 64), () -> SharedMemory.open(dir, "victim")})
        {
            final IllegalStateException ex = assertThrows(IllegalStateException.class, use);
            assertTrue(ex.getMessage().contains("open to group or others: path=" + dir), ex.getMessage());
            assertTrue(ex.getMessage().contains("mode=0777"), ex.getMessage());
            assertTrue(ex.getMessage().contains("chmod 700 " + dir), ex.getMessage());
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-x---"));
        assertThrows(IllegalStateException.class, () -> SharedMemory.create(dir, "victim", 64));
        assertTrue(Files.notExists(dir.resolve("victim")), "nothing is created in an unsafe directory");
    }

    @Test
    void shouldRefuseADirectoryThatIsASymbolicLink() throws IOException
    {
        final Path elsewhere = Files.createDirectory(temp.resolve("attacker"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        final Path link = Files.createSymbolicLink(temp.resolve("jipc-link"), elsewhere);
        for (final Executable use : new Executable[] {
            () -> SharedMemory.create(link, "victim", 64), () -> SharedMemory.open(link, "victim")})
        {
            final IllegalStateException ex = assertThrows(IllegalStateException.class, use);
            assertTrue(ex.getMessage().contains("symbolic link: path=" + link + ", target=" + elsewhere),
                ex.getMessage());
        }
        assertTrue(Files.notExists(elsewhere.resolve("victim")), "nothing is created through the link");
    }

    @Test
    void shouldRefuseADirectoryOfAnotherUser() throws IOException
    {
        assumeTrue(FileStatus.CURRENT_UID == 0, "only root can give a directory to another user");
        final Path dir = Files.createDirectory(temp.resolve("jipc-theirs"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.setAttribute(dir, "unix:uid", OTHER_UID);
        final IllegalStateException ex = assertThrows(IllegalStateException.class,
            () -> SharedMemory.create(dir, "victim", 64));
        assertTrue(ex.getMessage().contains("not owned by the current user: path=" + dir), ex.getMessage());
        assertTrue(ex.getMessage().contains("(uid " + OTHER_UID + ")"), ex.getMessage());
    }

    @Test
    void shouldRefuseASegmentDirectoryThatIsAFile() throws IOException
    {
        final Path file = Files.writeString(temp.resolve("jipc-file"), "not a directory");
        final IllegalStateException ex = assertThrows(IllegalStateException.class,
            () -> SharedMemory.create(file, "victim", 64));
        assertTrue(ex.getMessage().contains("not a directory: path=" + file + ", type=regular file"),
            ex.getMessage());
    }

    @Test
    void shouldCreateAMissingDirectoryPrivateToItsUser() throws IOException
    {
        final Path dir = temp.resolve("jipc-new");
        SharedMemory.create(dir, "first", 64).close();
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals(dir, SegmentDirectory.requireSafe(dir));
    }

    @Test
    void shouldRefuseAFifoAtASegmentNameWithoutBlocking() throws Exception
    {
        mkfifo(temp.resolve("planted"));
        // in a child with a deadline: a regression blocks in open(2), holding the process's map of segments
        try (ChildProcesses children = ChildLogs.group())
        {
            final ChildProcesses.Child child = children.start(ChildJvm.of(FifoOpener.class).args(temp, "planted"));
            awaitSuccess(child, 60, TimeUnit.SECONDS);
            assertTrue(child.output().contains("open: " + temp.resolve("planted") + ": not a regular file: type=fifo"),
                child.output());
            assertTrue(child.output().contains("read: " + temp.resolve("planted") + ": not a regular file: type=fifo"),
                child.output());
        }
    }

    @Test
    void shouldRefuseADirectoryOrSymbolicLinkAtASegmentName() throws IOException
    {
        Files.createDirectory(temp.resolve("folder"));
        final SegmentFormatException directory = assertThrows(SegmentFormatException.class,
            () -> SharedMemory.open(temp, "folder"));
        assertTrue(directory.getMessage().contains("not a regular file: type=directory"), directory.getMessage());

        final Path elsewhere = Files.createDirectory(temp.resolve("elsewhere"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        SharedMemory.create(elsewhere, "real", 64).close();
        Files.createSymbolicLink(temp.resolve("alias"), elsewhere.resolve("real"));
        final SegmentFormatException link = assertThrows(SegmentFormatException.class,
            () -> SharedMemory.open(temp, "alias"));
        assertTrue(link.getMessage().contains("not a regular file: type=symbolic link"), link.getMessage());
    }

    @Test
    void shouldRefuseASegmentFileOfAnotherUser() throws IOException
    {
        assumeTrue(FileStatus.CURRENT_UID == 0, "only root can give a file to another user");
        SharedMemory.create(temp, "given", 64).close();
        Files.setAttribute(temp.resolve("given"), "unix:uid", OTHER_UID);
        final SegmentFormatException ex = assertThrows(SegmentFormatException.class,
            () -> SharedMemory.open(temp, "given"));
        assertTrue(ex.getMessage().contains("not owned by the current user: owner="), ex.getMessage());
    }

    @Test
    void shouldNotCreateAMissingDirectoryOnOpen()
    {
        final Path missing = temp.resolve("no").resolve("such");
        final UncheckedIOException ex = assertThrows(UncheckedIOException.class,
            () -> SharedMemory.open(missing, "anything"));
        assertInstanceOf(NoSuchFileException.class, ex.getCause());
        assertTrue(ex.getMessage().contains("segment directory does not exist: path=" + missing), ex.getMessage());
        assertFalse(Files.exists(temp.resolve("no"), LinkOption.NOFOLLOW_LINKS), "open must not create the tree");
    }

    @Test
    void shouldSayWhatIsWrongWithANameThatStartsWithADash()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> SegmentDirectory.validateName("-rf"));
        assertEquals("segment name must start with a letter, a digit or '_': name=-rf", ex.getMessage());
    }

    @Test
    void shouldCreateANameWhoseStaleTemporaryFileIsLeftOver() throws IOException
    {
        // what a create of this name left when this pid, or an earlier process with it, died half-way
        final Path stale = temp.resolve(".orders." + ProcessHandle.current().pid() + ".tmp");
        Files.write(stale, new byte[128]);
        try (SharedMemory block = SharedMemory.create(temp, "orders", 64))
        {
            assertEquals(64, block.size());
        }
        assertTrue(Files.isRegularFile(temp.resolve("orders")));
    }

    @Test
    void shouldTellTheCreatorPidOfATemporaryFileOnly()
    {
        assertEquals(4711, SegmentDirectory.temporaryFileCreator(".q.0123456789abcdef.4711.tmp").orElseThrow());
        assertEquals(4711, SegmentDirectory.temporaryFileCreator(".q.4711.tmp").orElseThrow());
        assertTrue(SegmentDirectory.temporaryFileCreator(".q.99999999999999999999.tmp").isEmpty());
        assertTrue(SegmentDirectory.temporaryFileCreator("q.4711.tmp").isEmpty());
        assertTrue(SegmentDirectory.temporaryFileCreator(".q.tmp").isEmpty());
    }

    @Test
    void shouldCallAShortTextFileForeignNotTruncated() throws IOException
    {
        final Path text = Files.writeString(temp.resolve("notes"), "twenty-one bytes long");
        assertEquals(21, Files.size(text));
        assertTrue(SegmentInfo.read(text).fault().startsWith("not a jipc segment"), SegmentInfo.read(text).fault());
    }

    /** Opens and reads the header of a name that holds a fifo, printing how each attempt was refused. */
    public static final class FifoOpener
    {
        public static void main(final String[] args)
        {
            final Path dir = Path.of(args[0]);
            final SegmentFormatException open = assertThrows(SegmentFormatException.class,
                () -> SharedMemory.open(dir, args[1]));
            System.out.println("open: " + open.getMessage());
            final SegmentFormatException read = assertThrows(SegmentFormatException.class,
                () -> SegmentInfo.read(dir.resolve(args[1])));
            System.out.println("read: " + read.getMessage());
        }
    }

    private static void mkfifo(final Path path) throws IOException, InterruptedException
    {
        final Process mkfifo = new ProcessBuilder("mkfifo", "-m", "600", path.toString()).inheritIO().start();
        assertTrue(mkfifo.waitFor(10, TimeUnit.SECONDS), "mkfifo did not finish");
        assertEquals(0, mkfifo.exitValue(), "mkfifo failed");
    }
}
