package dev.jipc.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one downcall every native need of jipc goes through: results and errno as libc's wrappers give them. */
class SyscallTest
{
    private static final int ENOENT = 2;
    private static final int ESRCH = 3;
    private static final int EBADF = 9;

    @TempDir
    Path dir;

    @Test
    void shouldBeAvailableOnThisLinuxMachine()
    {
        assertTrue(Syscall.isAvailable(), "the build machine is Linux x86-64");
    }

    @Test
    void shouldReturnMinusOneAndLeaveTheErrnoOfAFailedCall()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment state = Syscall.newCallState(arena);
            assertEquals(-1, Syscall.call(state, Syscall.CLOSE, -1, 0, 0, 0, 0, 0));
            assertEquals(EBADF, Syscall.errno(state));
            final long missing = arena.allocateFrom(dir.resolve("missing").toString()).address();
            assertEquals(-1, Syscall.call(state, Syscall.OPENAT, Syscall.AT_FDCWD, missing, 0, 0, 0, 0));
            assertEquals(ENOENT, Syscall.errno(state));
            // a pid above the kernel's pid_max names no process
            assertEquals(-1, Syscall.call(state, Syscall.KILL, 1L << 30, 0, 0, 0, 0, 0));
            assertEquals(ESRCH, Syscall.errno(state));
        }
    }

    @Test
    void shouldMakeCallsThatSucceed()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment state = Syscall.newCallState(arena);
            assertEquals(0, Syscall.call(state, Syscall.KILL, ProcessHandle.current().pid(), 0, 0, 0, 0, 0),
                "signal 0 to this process checks that it exists");
        }
    }

    @Test
    void shouldOpenLockAndCloseAFileThroughTheSharedCall() throws IOException
    {
        final Path file = dir.resolve("locks");
        final int fd = OpenFileLocks.open(file, true, true);
        final int other = OpenFileLocks.open(file, true, false);
        try
        {
            assertTrue(Files.exists(file));
            assertTrue(OpenFileLocks.tryLock(fd, OpenFileLocks.WRITE, 0, 1));
            assertFalse(OpenFileLocks.tryLock(other, OpenFileLocks.WRITE, 0, 1),
                "a second open file description conflicts, in the same process");
            assertTrue(OpenFileLocks.isLocked(other, OpenFileLocks.READ, 0, 1));
            OpenFileLocks.unlock(fd, 0, 1);
            assertTrue(OpenFileLocks.tryLock(other, OpenFileLocks.WRITE, 0, 1));
        }
        finally
        {
            OpenFileLocks.close(fd);
            OpenFileLocks.close(other);
        }
        assertThrows(NoSuchFileException.class, () -> OpenFileLocks.open(dir.resolve("absent"), false, false));
    }
}
