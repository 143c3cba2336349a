package dev.jipc.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The processes that use a segment directory, each known by a token that stays valid across pid namespaces and is
 * never confused with a later process: the one liveness test of jipc ("is the owner of this lock, slot or pipe end
 * still running?").
 * <p>
 * Each process, on its first use of a directory, takes a slot in the directory's {@value #FILE_NAME} file: the
 * lowest slot {@code i} whose byte {@code i} it can lock with an {@link OpenFileLocks OFD lock} (a lock the kernel
 * drops when the process dies, whatever its pid or namespace), and then publishes, in the slot's entry, a new
 * incarnation number and its pid. Its token is {@code slot << 16 | incarnation}. A token names a live process iff
 * the slot's byte is locked and the entry still holds the token's incarnation: the slot of a dead process is free
 * for the next one, which changes the incarnation before it writes anything that names it.
 * <pre>
 *   Entry i (one little-endian long at offset 8 * i, i &lt; {@value #SLOTS}); byte i of the file is its lock
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |        Pid (as the process's own pid namespace sees it)       |
 *  +-------------------------------+-------------------------------+
 *  |     Incarnation (1..65535)    |           Reserved (0)        |
 *  +-------------------------------+-------------------------------+
 * </pre>
 * An entry is written with one release store by the slot's holder, after it has locked the slot, and read with a
 * volatile load. Errors go one way only: a live process is never judged dead (it holds its lock until it dies and
 * nobody else writes its entry); a dead one may be judged alive only if 65,535 later processes took its slot in
 * turn, each wrapping the 16-bit incarnation, between two looks at an owner word.
 * The pid is for people (stat, ls): no decision reads it.
 */
public final class ProcessRegistry
{
    /** The registry file in each segment directory. */
    public static final String FILE_NAME = ".jipc-processes";
    /** How many processes may use one directory at once. */
    public static final int SLOTS = 4096;
    private static final int ENTRY_LENGTH = Long.BYTES;
    private static final int LENGTH = SLOTS * ENTRY_LENGTH;
    private static final int INCARNATION_MASK = 0xFFFF;
    private static final Map<Path, ProcessRegistry> REGISTRIES = new HashMap<>();

    private final Path file;
    private final int fd;
    private final AtomicBuffer entries;
    private final int token;

    private ProcessRegistry(final Path file) throws IOException
    {
        this.file = file;
        this.fd = OpenFileLocks.open(file, true, true);
        try (FileChannel channel = FileChannel.open(descriptorPath(fd), StandardOpenOption.READ,
            StandardOpenOption.WRITE))
        {
            if (channel.size() < LENGTH)
            {
                // sizes only grow, and the last entry is written only by the 4,096th live process: never lost here
                channel.write(ByteBuffer.allocate(1), LENGTH - 1);
            }
            // mapped for the life of the process: its lock and its entry must outlive every handle
            final MemorySegment memory = channel.map(FileChannel.MapMode.READ_WRITE, 0, LENGTH, Arena.global());
            this.entries = new UnsafeBuffer(memory.address(), LENGTH);
        }
        this.token = takeSlot();
    }

    /**
     * The registry of a directory, joined on first use.
     *
     * @param directory a segment directory.
     * @return its registry, shared by every segment of the directory in this process.
     * @throws UncheckedIOException if the registry file cannot be opened or every slot is held.
     */
    public static ProcessRegistry of(final Path directory)
    {
        final Path file = directory.toAbsolutePath().normalize().resolve(FILE_NAME);
        synchronized (REGISTRIES)
        {
            ProcessRegistry registry = REGISTRIES.get(file);
            if (registry == null)
            {
                try
                {
                    registry = new ProcessRegistry(file);
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException("cannot join the process registry: " + file + ": " +
                        ex.getMessage(), ex);
                }
                REGISTRIES.put(file, registry);
            }
            return registry;
        }
    }

    /**
     * This process's token in the directory.
     *
     * @return a positive int, never 0.
     */
    public int token()
    {
        return token;
    }

    /**
     * This process's slot, which is also the byte it locks in every segment file of the directory it has mapped.
     *
     * @return the slot, in {@code [0, SLOTS)}.
     */
    public int slot()
    {
        return slot(token);
    }

    /**
     * Whether the process a token names still runs. A hostile or corrupt token names no process.
     *
     * @param token a token read from shared memory.
     * @return true if its process runs.
     */
    public boolean isAlive(final int token)
    {
        if (token == this.token)
        {
            return true;
        }
        final int slot = slot(token);
        if (token <= 0 || slot >= SLOTS || incarnation(entry(slot)) != (token & INCARNATION_MASK))
        {
            return false;
        }
        try
        {
            return OpenFileLocks.isLocked(fd, OpenFileLocks.WRITE, slot, 1);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot probe the process registry: " + file + ", slot=" + slot, ex);
        }
    }

    /**
     * The pid a token's process published, for display: in the pid namespace of that process.
     *
     * @param token a token.
     * @return the pid, or 0 if the token does not name the slot's current process.
     */
    public long pid(final int token)
    {
        final int slot = slot(token);
        if (token <= 0 || slot >= SLOTS)
        {
            return 0;
        }
        final long entry = entry(slot);
        return incarnation(entry) == (token & INCARNATION_MASK) ? entry & 0xFFFF_FFFFL : 0;
    }

    /**
     * The token of the live process in a slot, for tools that list a segment's attachers.
     *
     * @param slot a slot.
     * @return its token, or 0 when no live process holds it.
     */
    public int liveToken(final int slot)
    {
        final int candidate = slot << 16 | incarnation(entry(slot));
        return incarnation(entry(slot)) != 0 && isAlive(candidate) ? candidate : 0;
    }

    /**
     * Describes a token for messages and tools: {@code pid=123 (alive)}.
     *
     * @param token a token.
     * @return the description.
     */
    public String describe(final int token)
    {
        return "pid=" + pid(token) + " (" + (isAlive(token) ? "alive" : "dead") + ")";
    }

    @Override
    public String toString()
    {
        return "ProcessRegistry{file=" + file + ", slot=" + slot() + ", token=" + token + "}";
    }

    static Path descriptorPath(final int fd)
    {
        return Path.of("/proc/self/fd", Integer.toString(fd));
    }

    private int takeSlot() throws IOException
    {
        for (int slot = 0; slot < SLOTS; slot++)
        {
            if (OpenFileLocks.tryLock(fd, OpenFileLocks.WRITE, slot, 1))
            {
                final int incarnation = Math.max(1, (incarnation(entry(slot)) + 1) & INCARNATION_MASK);
                final long pid = ProcessHandle.current().pid();
                entries.putLongRelease(slot * ENTRY_LENGTH, (long)incarnation << 32 | (pid & 0xFFFF_FFFFL));
                return slot << 16 | incarnation;
            }
        }
        throw new IOException("every slot is held by a live process: slots=" + SLOTS);
    }

    private long entry(final int slot)
    {
        return entries.getLongVolatile(slot * ENTRY_LENGTH);
    }

    private static int slot(final int token)
    {
        return token >>> 16;
    }

    private static int incarnation(final long entry)
    {
        return (int)(entry >>> 32) & INCARNATION_MASK;
    }
}
