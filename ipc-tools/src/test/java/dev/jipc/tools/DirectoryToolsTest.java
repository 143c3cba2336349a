package dev.jipc.tools;

import static dev.jipc.core.ChildProcesses.awaitExit;
import static dev.jipc.core.ChildProcesses.awaitSuccess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.ChildProcesses;
import dev.jipc.core.OpenFileLocks;
import dev.jipc.core.ProcessRegistry;
import dev.jipc.core.SharedMemory;
import dev.jipc.core.test.ChildLogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The segment commands on what a directory may hold besides segments, and on directories jipc must not trust. */
class DirectoryToolsTest
{
    /** Above any Linux pid_max (at most 2^22): a process that cannot be alive. */
    private static final long DEAD_PID = 999_999_999L;

    @TempDir
    Path dir;

    @Test
    void shouldCollectPastATemporaryNameWithAnImpossiblePid() throws IOException, InterruptedException
    {
        try (ChildProcesses children = ChildLogs.group())
        {
            awaitSuccess(children.start(ChildJvm.of(CommandLineTest.Creator.class).args(dir, "orphan")), 60,
                TimeUnit.SECONDS);
        }
        final Path impossible = Files.writeString(dir.resolve(".x.99999999999999999999.tmp"), "?");
        final Path stale = Files.writeString(dir.resolve(".y.0123456789abcdef." + DEAD_PID + ".tmp"), "?");
        final CommandLineResult gc = run("gc", "--dir", dir.toString());
        assertEquals(0, gc.status(), gc.err());
        assertTrue(gc.out().contains("removed 2 segment(s)"), gc.out());
        assertTrue(Files.notExists(dir.resolve("orphan")));
        assertTrue(Files.notExists(stale), "a dead create's temporary file goes");
        assertTrue(Files.exists(impossible), "a name jipc never makes is not jipc's to remove");
    }

    @Test
    void shouldRemoveOnlyJipcSegmentsUnlessForced() throws IOException
    {
        final Path notes = Files.writeString(dir.resolve("notes.txt"), "keep me: not a segment, just a file of text");
        final CommandLineResult refused = run("rm", "--dir", dir.toString(), "notes.txt");
        assertEquals(1, refused.status());
        assertTrue(refused.err().contains("not a jipc segment, left in place (--force removes it): " + notes),
            refused.err());
        assertTrue(Files.exists(notes));

        assertEquals(0, run("rm", "--force", "--dir", dir.toString(), "notes.txt").status());
        assertTrue(Files.notExists(notes));
    }

    @Test
    void shouldListLeftoverTemporaryFilesAsSuch() throws IOException
    {
        SharedMemory.create(dir, "real", 64).close();
        final Path inProgress = Files.write(dir.resolve(".q.0123456789abcdef." + ProcessHandle.current().pid() +
            ".tmp"), new byte[10]);
        // what a create in progress holds on its temporary file: an attach lock on its registry slot's byte
        final int fd = OpenFileLocks.open(inProgress, false, false);
        assertTrue(OpenFileLocks.tryLock(fd, OpenFileLocks.READ, ProcessRegistry.of(dir).slot(), 1));
        Files.write(dir.resolve(".r.fedcba9876543210." + DEAD_PID + ".tmp"), new byte[20]);
        Files.writeString(dir.resolve(".profile"), "x");
        final CommandLineResult ls = run("ls", "--dir", dir.toString());
        OpenFileLocks.close(fd);
        assertEquals(0, ls.status(), ls.err());
        assertTrue(ls.out().matches("(?s).*\\.q\\.0123456789abcdef\\.\\d+\\.tmp\\s+\\(temporary\\)\\s+10\\s+" +
            ProcessHandle.current().pid() + "\\s+unfinished create, creator alive.*"), ls.out());
        assertTrue(ls.out().matches("(?s).*\\.r\\.fedcba9876543210\\." + DEAD_PID +
            "\\.tmp\\s+\\(temporary\\)\\s+20\\s+" + DEAD_PID +
            "\\s+left by a create that died \\(jipc gc removes it\\).*"), ls.out());
        assertTrue(ls.out().matches("(?s).*\\.profile\\s+\\?\\s+1\\s+\\?\\s+not jipc's.*"), ls.out());
        assertTrue(ls.out().matches("(?s).*real\\s+SHARED_MEMORY.*"), ls.out());
    }

    @Test
    void shouldStatAShortTextFileAsForeignAndADirectoryWithItsCause() throws IOException
    {
        Files.writeString(dir.resolve("text"), "twenty-one bytes long");
        final CommandLineResult text = run("stat", "--dir", dir.toString(), "text");
        assertEquals(1, text.status());
        assertTrue(text.err().contains("text: not a jipc segment"), text.err());

        Files.createDirectory(dir.resolve("folder"));
        final CommandLineResult folder = run("stat", "--dir", dir.toString(), "folder");
        assertEquals(1, folder.status());
        assertTrue(folder.err().contains("folder: not a regular file: type=directory"), folder.err());
    }

    @Test
    void shouldStatAFifoWithoutBlocking() throws Exception
    {
        final Path fifo = dir.resolve("planted");
        final Process mkfifo = new ProcessBuilder("mkfifo", "-m", "600", fifo.toString()).inheritIO().start();
        assertTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo failed");
        // the command line in a child with a deadline: a regression blocks in open(2) and must fail, not hang
        try (ChildProcesses children = ChildLogs.group())
        {
            final ChildProcesses.Child stat = children.start(
                ChildJvm.of(Main.class).args("stat", "--dir", dir, "planted"));
            assertEquals(1, awaitExit(stat, 60, TimeUnit.SECONDS), stat.output());
            assertTrue(stat.output().contains("planted: not a regular file: type=fifo"), stat.output());

            final ChildProcesses.Child ls = children.start(ChildJvm.of(Main.class).args("ls", "--dir", dir));
            assertEquals(0, awaitExit(ls, 60, TimeUnit.SECONDS), ls.output());
            assertTrue(ls.output().matches("(?s).*planted\\s+\\?\\s+0\\s+\\?\\s+invalid: not a regular file: " +
                "type=fifo.*"), ls.output());
        }
    }

    @Test
    void shouldRefuseADirectoryOpenToOthers() throws IOException
    {
        final Path open = Files.createDirectory(dir.resolve("jipc-open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (final String command : new String[] {"ls", "gc", "stat", "rm"})
        {
            final CommandLineResult result = command.equals("ls") || command.equals("gc") ?
                run(command, "--dir", open.toString()) : run(command, "--dir", open.toString(), "any");
            assertEquals(1, result.status(), command);
            assertTrue(result.err().contains("segment directory is open to group or others: path=" + open),
                command + ": " + result.err());
            assertTrue(result.err().contains("chmod 700 " + open), command + ": " + result.err());
        }
    }

    @Test
    void shouldNotCreateAMissingDirectoryOnStat()
    {
        final Path missing = dir.resolve("none").resolve("here");
        final CommandLineResult stat = run("stat", "--dir", missing.toString(), "any");
        assertEquals(1, stat.status());
        assertTrue(stat.err().contains("segment directory does not exist: path=" + missing), stat.err());
        assertFalse(Files.exists(dir.resolve("none"), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void shouldSayWhatIsWrongWithANameStartingWithADash()
    {
        final CommandLineResult rm = run("rm", "--dir", dir.toString(), "--", "-rf");
        assertEquals(1, rm.status());
        assertTrue(rm.err().contains("segment name must start with a letter, a digit or '_': name=-rf"), rm.err());
    }

    private static CommandLineResult run(final String... args)
    {
        return CommandLineResult.run(args);
    }
}
