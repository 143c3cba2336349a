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
import java.util.concurrent.ThreadLocalRandom;

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
 * incarnation number and its pid. Its token is {@code slot << 20 | incarnation}. A token names a live process iff
 * the slot's byte is locked and the entry still holds the token's incarnation: the slot of a dead process is free
 * for the next one, which changes the incarnation before it writes anything that names it.
 * <pre>
 *   Entry i (one little-endian long at offset 8 * i, i &lt; {@value #SLOTS}); byte i of the file is its lock
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |        Pid (as the process's own pid namespace sees it)       |
 *  +---------------------------------------+-----------------------+
 *  |     Incarnation (1..2^20 - 1)         |     Reserved (0)      |
 *  +---------------------------------------+-----------------------+
 * </pre>
 * An entry is written with one release store by the slot's holder, after it has locked the slot, and read with a
 * volatile load. Errors go one way only: a live process is never judged dead (it holds its lock until it dies and
 * nobody else writes its entry); a dead one may be judged alive only if about a million later processes took its slot
 * in turn, wrapping the 20-bit incarnation, before anyone looked at its owner word. A slot's first incarnation is
 * random and a joiner starts its search for a free slot at a random one, so short-lived processes (pool workers,
 * tool runs) spread their joins over the slots instead of all wrapping slot 0. A registry file that is removed and
 * made anew while processes still use the old one (a user's {@code rm -r} of the directory) would give two sets of
 * tokens: {@link #of} checks the cached file is still the directory's on every segment create and open, and joins
 * the new file if it is not.
 * The pid is for people (stat, ls): no decision reads it.
 */
public final class ProcessRegistry
{
    /** The registry file in each segment directory. */
    public static final String FILE_NAME = ".jipc-processes";
    /** How many processes may use one directory at once. */
    public static final int SLOTS = 2048;
    private static final int ENTRY_LENGTH = Long.BYTES;
    private static final int LENGTH = SLOTS * ENTRY_LENGTH;
    private static final int INCARNATION_BITS = 20;
    private static final int INCARNATION_MASK = (1 << INCARNATION_BITS) - 1;
    private static final Map<Path, ProcessRegistry> REGISTRIES = new HashMap<>();

    private final Path file;
    private final int fd;
    private final AtomicBuffer entries;
    private final int token;

    private ProcessRegistry(final Path file, final int fd) throws IOException
    {
        this.file = file;
        this.fd = fd;
        try (FileChannel channel = FileChannel.open(OpenFileLocks.path(fd), StandardOpenOption.READ,
            StandardOpenOption.WRITE))
        {
            if (channel.size() < LENGTH)
            {
                // sizes only grow, and the last byte is an entry's reserved part, never written: nothing is lost
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
        synchronized (REGISTRIES)
        {
            Path file = directory.resolve(FILE_NAME);
            try
            {
                // one registry per directory however it is spelled (a symlink, /run/shm beside /dev/shm)
                file = directory.toRealPath().resolve(FILE_NAME);
                final ProcessRegistry cached = REGISTRIES.get(file);
                if (cached != null && cached.isStillTheDirectorysFile())
                {
                    return cached;
                }
                final int fd = OpenFileLocks.open(file, true, true);
                try
                {
                    final ProcessRegistry registry = new ProcessRegistry(file, fd);
                    REGISTRIES.put(file, registry);
                    return registry;
                }
                catch (final IOException | RuntimeException | Error ex)
                {
                    OpenFileLocks.close(fd);
                    throw ex;
                }
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot join the process registry: " + file + ": " +
                    ex.getMessage(), ex);
            }
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
        if (token <= 0 || slot >= SLOTS || incarnation(entry(slot)) != incarnation(token))
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
        return incarnation(entry) == incarnation(token) ? entry & 0xFFFF_FFFFL : 0;
    }

    /**
     * The token of the live process in a slot, for tools that list a segment's attachers.
     *
     * @param slot a slot.
     * @return its token, or 0 when no live process holds it.
     */
    public int liveToken(final int slot)
    {
        final int incarnation = incarnation(entry(slot));
        final int candidate = slot << INCARNATION_BITS | incarnation;
        return incarnation != 0 && isAlive(candidate) ? candidate : 0;
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

    private boolean isStillTheDirectorysFile() throws IOException
    {
        return OpenFileLocks.isOpenAt(fd, file);
    }

    private int takeSlot() throws IOException
    {
        final int first = ThreadLocalRandom.current().nextInt(SLOTS);
        for (int i = 0; i < SLOTS; i++)
        {
            final int slot = (first + i) % SLOTS;
            if (OpenFileLocks.tryLock(fd, OpenFileLocks.WRITE, slot, 1))
            {
                final int previous = incarnation(entry(slot));
                final int next = previous == 0 ? ThreadLocalRandom.current().nextInt(INCARNATION_MASK) :
                    (previous + 1) & INCARNATION_MASK;
                final int incarnation = Math.max(1, next);
                final long pid = ProcessHandle.current().pid();
                entries.putLongRelease(slot * ENTRY_LENGTH, (long)incarnation << 32 | (pid & 0xFFFF_FFFFL));
                return slot << INCARNATION_BITS | incarnation;
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
        return token >>> INCARNATION_BITS;
    }

    private static int incarnation(final int token)
    {
        return token & INCARNATION_MASK;
    }

    private static int incarnation(final long entry)
    {
        return (int)(entry >>> 32) & INCARNATION_MASK;
    }
}
