package dev.jipc.core;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * Linux open-file-description locks ({@code fcntl(F_OFD_SETLK)}) on byte ranges of a file, through FFM.
 * <p>
 * jipc's liveness and attachment rest on them because the kernel drops an OFD lock when the last descriptor of the
 * open file description is closed, which a process's death does whatever its pid, its pid namespace or the reuse of
 * its pid later: a held lock means "a live process holds this", with no {@code /proc} and no pid compared. Unlike
 * POSIX record locks ({@code F_SETLK}, what {@link java.nio.channels.FileChannel#lock} takes), an OFD lock belongs
 * to the descriptor, not the process: closing another descriptor of the same file does not drop it, and two
 * descriptors of one process conflict as two processes would.
 * <p>
 * Descriptors are opened {@code O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC}: a symlink is refused and a FIFO planted at the
 * path does not block the open.
 */
public final class OpenFileLocks
{
    /** A lock type: shared. */
    public static final short READ = 0;
    /** A lock type: exclusive. */
    public static final short WRITE = 1;
    private static final short UNLOCK = 2;

    private static final int O_RDONLY = 0;
    private static final int O_RDWR = 2;
    private static final int O_CREAT = 0100;
    private static final int O_NONBLOCK = 04000;
    private static final int O_CLOEXEC = 02000000;
    private static final int O_NOFOLLOW;
    private static final int F_OFD_GETLK = 36;
    private static final int F_OFD_SETLK = 37;
    private static final int ENOENT = 2;
    private static final int EINTR = 4;
    private static final int ELOOP = 40;
    private static final int EAGAIN = 11;
    private static final int EACCES = 13;

    /** {@code struct flock} on 64-bit Linux: l_type, l_whence, (pad), l_start, l_len, l_pid, (pad). */
    private static final StructLayout FLOCK = MemoryLayout.structLayout(
        JAVA_SHORT.withName("l_type"), JAVA_SHORT.withName("l_whence"), MemoryLayout.paddingLayout(4),
        JAVA_LONG.withName("l_start"), JAVA_LONG.withName("l_len"), JAVA_INT.withName("l_pid"),
        MemoryLayout.paddingLayout(4));
    private static final long L_TYPE = FLOCK.byteOffset(MemoryLayout.PathElement.groupElement("l_type"));
    private static final long L_START = FLOCK.byteOffset(MemoryLayout.PathElement.groupElement("l_start"));
    private static final long L_LEN = FLOCK.byteOffset(MemoryLayout.PathElement.groupElement("l_len"));

    static
    {
        // struct flock and the F_OFD_* commands are the same on every 64-bit Linux; O_NOFOLLOW is not
        O_NOFOLLOW = "aarch64".equals(System.getProperty("os.arch")) ? 0100000 : 0400000;
    }

    private OpenFileLocks()
    {
    }

    /**
     * Opens a file for locking, never following a symlink and never blocking on a FIFO.
     *
     * @param path     the file.
     * @param writable true for read-write (needed for a {@link #WRITE} lock), false for read-only.
     * @param create   true to create the file (mode 0600) when it does not exist.
     * @return the file descriptor; {@link #close} it, which drops its locks.
     * @throws IOException naming the path and the errno when the open fails.
     */
    public static int open(final Path path, final boolean writable, final boolean create) throws IOException
    {
        ensureAvailable();
        final int flags = (writable ? O_RDWR : O_RDONLY) | (create ? O_CREAT : 0) | O_NOFOLLOW | O_NONBLOCK |
            O_CLOEXEC;
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment state = Syscall.newCallState(arena);
            final int fd = (int)Syscall.call(state, Syscall.OPENAT, Syscall.AT_FDCWD,
                arena.allocateFrom(path.toString()).address(), flags, 0600, 0, 0);
            if (fd < 0)
            {
                final int errno = Syscall.errno(state);
                throw switch (errno)
                {
                    case ENOENT -> new NoSuchFileException(path.toString());
                    case ELOOP -> new FileSystemException(path.toString(), null, "is a symbolic link (not followed)");
                    case EACCES -> new AccessDeniedException(path.toString());
                    default -> new IOException("cannot open for locking: " + path + ": errno=" + errno);
                };
            }
            return fd;
        }
    }

    /**
     * The {@code /proc} path of a descriptor: opening it opens the very file the descriptor has open, removed or not.
     *
     * @param fd a descriptor.
     * @return {@code /proc/self/fd/<fd>}.
     */
    public static Path path(final int fd)
    {
        return Path.of("/proc/self/fd", Integer.toString(fd));
    }

    /**
     * The identity (device and inode) of the file a descriptor has open.
     *
     * @param fd a descriptor.
     * @return its {@link BasicFileAttributes#fileKey()}.
     * @throws IOException if it cannot be read.
     */
    public static Object fileKey(final int fd) throws IOException
    {
        return Objects.requireNonNull(Files.readAttributes(path(fd), BasicFileAttributes.class).fileKey(), "fileKey");
    }

    /**
     * Whether a path still names the file a descriptor has open: not removed, not replaced by another file.
     *
     * @param fd   a descriptor opened from {@code path}.
     * @param path the path, not followed if it is a symbolic link.
     * @return true if both name one file.
     * @throws IOException if either cannot be read, other than the path being gone.
     */
    public static boolean isOpenAt(final int fd, final Path path) throws IOException
    {
        try
        {
            return fileKey(fd).equals(
                Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey());
        }
        catch (final NoSuchFileException ex)
        {
            return false;
        }
    }

    /**
     * Closes a descriptor from {@link #open}, dropping every lock taken through it.
     *
     * @param fd the descriptor.
     */
    public static void close(final int fd)
    {
        try (Arena arena = Arena.ofConfined())
        {
            Syscall.call(Syscall.newCallState(arena), Syscall.CLOSE, fd, 0, 0, 0, 0, 0);
        }
    }

    /**
     * Takes a lock on {@code [start, start + length)} without waiting.
     *
     * @param fd     a descriptor from {@link #open}.
     * @param type   {@link #READ} or {@link #WRITE}.
     * @param start  the first byte.
     * @param length how many bytes; 0 for "to the end of any file size".
     * @return true if taken, false if another open file description holds a conflicting lock.
     * @throws IOException on any other failure.
     */
    public static boolean tryLock(final int fd, final short type, final long start, final long length)
        throws IOException
    {
        return fcntl(fd, F_OFD_SETLK, type, start, length) == 0;
    }

    /**
     * Drops this descriptor's lock on a range.
     *
     * @param fd     a descriptor from {@link #open}.
     * @param start  the first byte.
     * @param length how many bytes; 0 for "to the end".
     * @throws IOException on failure.
     */
    public static void unlock(final int fd, final long start, final long length) throws IOException
    {
        fcntl(fd, F_OFD_SETLK, UNLOCK, start, length);
    }

    /**
     * Whether another open file description holds a lock on the range that would conflict with one of {@code type}
     * (for {@link #WRITE}: any lock at all). Locks taken through {@code fd} itself never count.
     *
     * @param fd     a descriptor from {@link #open}.
     * @param type   the lock that is asked about.
     * @param start  the first byte.
     * @param length how many bytes; 0 for "to the end".
     * @return true if a conflicting lock is held.
     * @throws IOException on failure.
     */
    public static boolean isLocked(final int fd, final short type, final long start, final long length)
        throws IOException
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment flock = flock(arena, type, start, length);
            call(arena, fd, F_OFD_GETLK, flock);
            return flock.get(JAVA_SHORT, L_TYPE) != UNLOCK;
        }
    }

    private static int fcntl(final int fd, final int command, final short type, final long start, final long length)
        throws IOException
    {
        try (Arena arena = Arena.ofConfined())
        {
            return call(arena, fd, command, flock(arena, type, start, length));
        }
    }

    /**
     * Returns 0 on success, -1 when the lock is busy or a signal interrupted the call (EINTR). For a probe
     * ({@code F_OFD_GETLK}) -1 leaves the answer "locked": a liveness probe then errs towards "alive", the safe side.
     */
    private static int call(final Arena arena, final int fd, final int command, final MemorySegment flock)
        throws IOException
    {
        ensureAvailable();
        final MemorySegment state = Syscall.newCallState(arena);
        final long result = Syscall.call(state, Syscall.FCNTL, fd, command, flock.address(), 0, 0, 0);
        if (result == 0)
        {
            return 0;
        }
        final int errno = Syscall.errno(state);
        if (errno == EAGAIN || errno == EACCES || errno == EINTR)
        {
            return -1;
        }
        throw new IOException("fcntl failed: fd=" + fd + ", command=" + command + ", errno=" + errno);
    }

    private static MemorySegment flock(final Arena arena, final short type, final long start, final long length)
    {
        final MemorySegment flock = arena.allocate(FLOCK); // zeroed: l_whence SEEK_SET, l_pid 0 as OFD locks need
        flock.set(JAVA_SHORT, L_TYPE, type);
        flock.set(JAVA_LONG, L_START, start);
        flock.set(JAVA_LONG, L_LEN, length);
        return flock;
    }

    private static void ensureAvailable()
    {
        if (!Syscall.isAvailable())
        {
            throw new UnsupportedOperationException("jipc needs open-file-description locks (64-bit Linux 3.15+ " +
                "on x86-64 or AArch64): " +
                "os.name=" + System.getProperty("os.name") + ", os.arch=" + System.getProperty("os.arch"));
        }
    }
}
