package dev.jipc.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Which processes have a segment mapped, as the kernel keeps it: every process that maps a segment file holds a
 * shared {@link OpenFileLocks OFD lock} on one byte of it, the byte of its {@link ProcessRegistry} slot, for as long
 * as the mapping lives; the kernel drops it when the process dies.
 * <p>
 * So {@code jipc gc} can tell a segment that no live process uses from one whose creator exited while a consumer
 * stays attached, and {@code jipc ls} can list the attachers. Removal takes an exclusive lock on the whole file,
 * which no attacher's lock allows, and unlinks while holding it; an attacher takes its lock and then checks that
 * the path still names the file it locked, so a process that opens a segment while it is being removed is told
 * there is no such segment instead of mapping a file nobody else will ever see.
 */
public final class AttachLock
{
    private static final long REMOVER_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private AttachLock()
    {
    }

    /**
     * Locks this process's byte of a segment file and checks the path still names that file.
     *
     * @param path     the segment file.
     * @param registry the registry of its directory.
     * @return the descriptor holding the lock; close it with {@link #release}.
     * @throws NoSuchFileException if the file is gone or was replaced while the lock was taken.
     * @throws IOException         if the file cannot be opened, or stays locked by a remover for seconds.
     */
    static int acquire(final Path path, final ProcessRegistry registry) throws IOException
    {
        final int fd = OpenFileLocks.open(path, false, false);
        try
        {
            // a remover holds the file for microseconds; one that is stopped (a debugger, ^Z) must not hang us
            final long deadline = System.nanoTime() + REMOVER_WAIT_NANOS;
            while (!OpenFileLocks.tryLock(fd, OpenFileLocks.READ, registry.slot(), 1))
            {
                if (System.nanoTime() - deadline > 0)
                {
                    throw new IOException("segment file stays locked exclusively (a jipc gc or rm that is stopped?): " +
                        path);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            checkStillLinked(path, fd);
            return fd;
        }
        catch (final IOException | RuntimeException | Error ex)
        {
            OpenFileLocks.close(fd);
            throw ex;
        }
    }

    /**
     * Checks that a path still names the file a descriptor has open.
     *
     * @param path the path.
     * @param fd   a descriptor opened from it.
     * @return the file's key, as {@link BasicFileAttributes#fileKey()} gives it.
     * @throws NoSuchFileException if the path is gone or names another file now.
     * @throws IOException         if either cannot be read.
     */
    static Object checkStillLinked(final Path path, final int fd) throws IOException
    {
        if (!OpenFileLocks.isOpenAt(fd, path))
        {
            throw new NoSuchFileException(path.toString(), null, "removed or replaced while attaching");
        }
        return OpenFileLocks.fileKey(fd);
    }

    /**
     * Drops a lock taken by {@link #acquire}.
     *
     * @param fd the descriptor, or -1 for none.
     */
    static void release(final int fd)
    {
        if (fd >= 0)
        {
            OpenFileLocks.close(fd);
        }
    }

    /**
     * Removes a segment file if no live process has it mapped.
     *
     * @param path the segment file.
     * @return true if removed, false if some live process has it mapped.
     * @throws IOException if it cannot be opened, locked or removed.
     */
    public static boolean removeIfUnused(final Path path) throws IOException
    {
        final int fd = OpenFileLocks.open(path, true, false);
        try
        {
            if (!OpenFileLocks.tryLock(fd, OpenFileLocks.WRITE, 0, 0))
            {
                return false;
            }
            if (OpenFileLocks.isOpenAt(fd, path))
            {
                Files.delete(path);
            }
            return true;
        }
        finally
        {
            OpenFileLocks.close(fd);
        }
    }

    /**
     * The pids of the live processes that have a segment mapped.
     *
     * @param path the segment file.
     * @return the pids (each as its own pid namespace sees it), in slot order.
     */
    public static List<Long> attachers(final Path path)
    {
        final List<Long> pids = new ArrayList<>();
        final ProcessRegistry registry = ProcessRegistry.of(path.toAbsolutePath().getParent());
        try
        {
            final int fd = OpenFileLocks.open(path, false, false);
            try
            {
                for (int slot = 0; slot < ProcessRegistry.SLOTS; slot++)
                {
                    // the probe's descriptor is a new open file description: this process's own lock shows too
                    if (OpenFileLocks.isLocked(fd, OpenFileLocks.WRITE, slot, 1))
                    {
                        final int token = registry.liveToken(slot);
                        if (token != 0)
                        {
                            pids.add(registry.pid(token));
                        }
                    }
                }
            }
            finally
            {
                OpenFileLocks.close(fd);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list the attachers of " + path + ": " + ex.getMessage(), ex);
        }
        return pids;
    }
}
