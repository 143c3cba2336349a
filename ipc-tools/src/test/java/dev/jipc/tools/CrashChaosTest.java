package dev.jipc.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.ChildProcesses;
import dev.jipc.core.Handles;
import dev.jipc.core.ProcessRegistry;
import dev.jipc.core.SharedMemory;
import dev.jipc.core.codec.Codecs;
import dev.jipc.core.queue.Queue;
import dev.jipc.core.test.ChildLogs;
import dev.jipc.sync.IntValue;
import dev.jipc.sync.Lock;
import dev.jipc.sync.LongArray;
import dev.jipc.sync.LongValue;
import dev.jipc.sync.SyncArena;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash chaos: producers, consumers and lock holders run in child JVMs while the test {@code kill -9}s them at
 * random and starts replacements; then it stops them all and audits.
 * <ul>
 * <li>Nothing hangs: every survivor stops within a bound once asked, and the test drains the queue.</li>
 * <li>No message is torn, duplicated or reordered within its producer, and every message whose {@code put}
 * returned arrives, except at most one per killed consumer (the one it had taken but not yet logged).</li>
 * <li>The lock is never left held by the dead: the test acquires it at the end, and every holder that found the
 * guarded state half-updated had been told that the previous owner died.</li>
 * <li>{@code jipc gc} removes what the dead left behind: only the process registry is left.</li>
 * </ul>
 * The default build runs it for {@value #DEFAULT_SECONDS} s; {@code -Djipc.chaos.seconds=600} runs it longer.
 */
class CrashChaosTest
{
    private static final int DEFAULT_SECONDS = 8;
    private static final int MAX_PRODUCERS = 1 << 12;
    private static final int MESSAGE_LENGTH = 32;
    private static final long PRODUCER_PAUSE_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

    @TempDir
    Path dir;

    /** Runs as long as {@code jipc.chaos.seconds} says, so the module's default timeout (10 m) must not cut it. */
    @Test
    @Timeout(value = 1, unit = TimeUnit.DAYS)
    void shouldLoseNothingAcknowledgedAndLeaveNothingHeldOrBehindWhenProcessesAreKilled() throws Exception
    {
        final int seconds = Integer.getInteger("jipc.chaos.seconds", DEFAULT_SECONDS);
        final int logLength = 1_000_000 + seconds * 200_000;
        final Random random = new Random(42);
        final Map<Role, Integer> kills = new HashMap<>();

        try (SyncArena arena = SyncArena.create(dir, "chaos-sync", 16, 8 * (logLength + MAX_PRODUCERS) + 4096);
            Queue<byte[]> queue = Queue.create(dir, "chaos-queue", 64 * 1024, Codecs.bytes());
            LongArray acked = arena.newLongArray(MAX_PRODUCERS);
            LongArray log = arena.newLongArray(logLength);
            LongValue logCount = arena.newLongValue(0);
            IntValue stop = arena.newIntValue(0);
            Lock lock = arena.newLock();
            LongArray guarded = arena.newLongArray(2);
            LongValue unannouncedTears = arena.newLongValue(0);
            ChildProcesses children = ChildLogs.group())
        {
            final String shared = Handles.encodeAll(queue, acked, log, logCount, stop, lock, guarded, unannouncedTears);
            final Map<Role, List<ChildProcesses.Child>> running = new HashMap<>();
            int nextProducerId = 1;
            for (final Role role : Role.values())
            {
                running.put(role, new ArrayList<>());
                for (int i = 0; i < 2; i++)
                {
                    final int producerId = role == Role.PRODUCER ? nextProducerId++ : 0;
                    running.get(role).add(start(children, role, shared, producerId, dir));
                }
            }

            final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < end)
            {
                Thread.sleep(150 + random.nextInt(250));
                final Role role = Role.values()[random.nextInt(Role.values().length)];
                final List<ChildProcesses.Child> ofRole = running.get(role);
                final ChildProcesses.Child victim = ofRole.remove(random.nextInt(ofRole.size()));
                victim.process().destroyForcibly();
                victim.process().waitFor(10, TimeUnit.SECONDS);
                kills.merge(role, 1, Integer::sum);
                ofRole.add(start(children, role, shared, role == Role.PRODUCER ? nextProducerId++ : 0, dir));
            }

            stop.set(1);
            for (final List<ChildProcesses.Child> ofRole : running.values())
            {
                for (final ChildProcesses.Child child : ofRole)
                {
                    ChildProcesses.awaitSuccess(child, 60, TimeUnit.SECONDS);
                }
            }

            // The test is the last consumer: whatever is left in the queue goes to the log.
            for (byte[] message = queue.poll(); message != null; message = queue.poll())
            {
                logMessage(message, log, logCount);
            }
            audit(kills, acked, log, logCount, nextProducerId);

            assertTrue(lock.tryLock(5, TimeUnit.SECONDS), "the lock is not held by the dead");
            try
            {
                if (guarded.getRaw(0) != guarded.getRaw(1))
                {
                    assertTrue(lock.previousOwnerDied(), "a half-updated state is only found after an owner died");
                }
            }
            finally
            {
                lock.unlock();
            }
            assertEquals(0, unannouncedTears.get(), "holders found the guarded state torn without being told");
            System.out.println("chaos audit: lock owner deaths recovered=" + lock.ownerDeaths());

            queue.unlink();
            arena.unlink();
        }

        final CommandLineResult gc = CommandLineResult.run("gc", "--dir", dir.toString());
        assertEquals(0, gc.status(), gc.err());
        try (Stream<Path> left = Files.list(dir))
        {
            // the process registry is the directory's, not a segment: it stays, as a lock file would
            assertEquals(List.of(), left.filter(path -> !path.endsWith(ProcessRegistry.FILE_NAME)).toList(),
                "segments left behind after jipc gc; kills=" + kills);
        }
    }

    private static void audit(
        final Map<Role, Integer> kills, final LongArray acked, final LongArray log, final LongValue logCount,
        final int producers)
    {
        final long entries = Math.min(logCount.get(), log.length());
        final Set<Long> seen = new HashSet<>();
        long duplicates = 0;
        for (int i = 0; i < entries; i++)
        {
            final long entry = log.getRaw(i);
            if (entry == TORN)
            {
                fail("a consumer took a torn message (log entry " + i + ")");
            }
            if (entry != 0 && !seen.add(entry))
            {
                duplicates++;
            }
        }
        assertEquals(0, duplicates, "messages delivered twice");

        long missing = 0;
        long acknowledged = 0;
        for (int producer = 1; producer < producers; producer++)
        {
            final long last = acked.getRaw(producer);
            acknowledged += last;
            for (long sequence = 1; sequence <= last; sequence++)
            {
                if (!seen.contains(entry(producer, sequence)))
                {
                    missing++;
                }
            }
        }
        final int consumerKills = kills.getOrDefault(Role.CONSUMER, 0);
        System.out.println("chaos audit: kills=" + kills + ", acknowledged=" + acknowledged +
            ", logged=" + seen.size() + ", missing=" + missing);
        assertTrue(acknowledged > 0, "the producers made progress");
        assertTrue(missing <= consumerKills, "acknowledged messages lost: missing=" + missing + " of " +
            acknowledged + ", consumerKills=" + consumerKills + " (each may take one message to its grave)");
    }

    private static ChildProcesses.Child start(
        final ChildProcesses children, final Role role, final String shared, final int producerId, final Path dir)
    {
        // -Djipc.dir after the inherited one: the children's own segments go to the chaos directory too
        return children.start(ChildJvm.of(role.main).jvmArgs("-Djipc.dir=" + dir, "-Xmx64m", "-XX:TieredStopAtLevel=1")
            .args(shared, producerId));
    }

    private enum Role
    {
        PRODUCER(Producer.class),
        CONSUMER(Consumer.class),
        LOCK_HOLDER(LockHolder.class);

        private final Class<?> main;

        Role(final Class<?> main)
        {
            this.main = main;
        }
    }

    // -------------------------------------------------------------------------------------------------------------
    // Messages: producer, sequence, and both again inverted, so a torn message cannot pass for a whole one.
    // -------------------------------------------------------------------------------------------------------------

    private static final long TORN = -1;

    private static long entry(final long producer, final long sequence)
    {
        return producer << 40 | sequence;
    }

    private static byte[] message(final long producer, final long sequence)
    {
        return ByteBuffer.allocate(MESSAGE_LENGTH).putLong(producer).putLong(sequence).putLong(~producer)
            .putLong(~sequence).array();
    }

    private static void logMessage(final byte[] message, final LongArray log, final LongValue logCount)
    {
        final ByteBuffer buffer = ByteBuffer.wrap(message);
        final long producer = buffer.getLong();
        final long sequence = buffer.getLong();
        final boolean whole = message.length == MESSAGE_LENGTH && buffer.getLong() == ~producer &&
            buffer.getLong() == ~sequence;
        final long index = logCount.getAndAdd(1);
        if (index < log.length())
        {
            log.setRaw((int)index, whole ? entry(producer, sequence) : TORN);
        }
    }

    // -------------------------------------------------------------------------------------------------------------
    // The child JVMs. Each leaves a segment of its own behind if killed, for jipc gc to find.
    // -------------------------------------------------------------------------------------------------------------

    /** Puts numbered messages and records the last one whose put returned. */
    public static final class Producer
    {
        public static void main(final String[] args) throws Exception
        {
            final Object[] shared = Handles.decode(args[0]);
            @SuppressWarnings("unchecked")
            final Queue<byte[]> queue = (Queue<byte[]>)shared[0];
            final LongArray acked = (LongArray)shared[1];
            final IntValue stop = (IntValue)shared[4];
            final int id = Integer.parseInt(args[1]);
            try (SharedMemory trace = traceSegment("producer"))
            {
                for (long sequence = 1; stop.get() == 0; sequence++)
                {
                    while (!queue.offer(message(id, sequence), 100, TimeUnit.MILLISECONDS))
                    {
                        if (stop.get() != 0)
                        {
                            return;
                        }
                    }
                    acked.setRaw(id, sequence);
                    LockSupport.parkNanos(PRODUCER_PAUSE_NANOS);
                }
                trace.unlink();
            }
        }
    }

    /** Takes messages and logs each; stops when asked and the queue is empty. */
    public static final class Consumer
    {
        public static void main(final String[] args) throws Exception
        {
            final Object[] shared = Handles.decode(args[0]);
            @SuppressWarnings("unchecked")
            final Queue<byte[]> queue = (Queue<byte[]>)shared[0];
            final LongArray log = (LongArray)shared[2];
            final LongValue logCount = (LongValue)shared[3];
            final IntValue stop = (IntValue)shared[4];
            try (SharedMemory trace = traceSegment("consumer"))
            {
                while (true)
                {
                    final byte[] message = queue.poll(50, TimeUnit.MILLISECONDS);
                    if (message != null)
                    {
                        logMessage(message, log, logCount);
                    }
                    else if (stop.get() != 0)
                    {
                        break;
                    }
                }
                trace.unlink();
            }
        }
    }

    /**
     * Updates two words under the lock, with a pause between them, so that a kill can leave them unequal; repairs
     * them when told the previous owner died, and counts the times it found them unequal without being told.
     */
    public static final class LockHolder
    {
        public static void main(final String[] args) throws Exception
        {
            final Object[] shared = Handles.decode(args[0]);
            final IntValue stop = (IntValue)shared[4];
            final Lock lock = (Lock)shared[5];
            final LongArray guarded = (LongArray)shared[6];
            final LongValue unannouncedTears = (LongValue)shared[7];
            try (SharedMemory trace = traceSegment("holder"))
            {
                while (stop.get() == 0)
                {
                    if (!lock.tryLock(10, TimeUnit.SECONDS))
                    {
                        throw new IllegalStateException("lock not acquired within 10 s");
                    }
                    try
                    {
                        final long first = guarded.getRaw(0);
                        if (first != guarded.getRaw(1))
                        {
                            if (!lock.previousOwnerDied())
                            {
                                unannouncedTears.getAndAdd(1);
                            }
                            guarded.setRaw(1, first);
                        }
                        guarded.setRaw(0, first + 1);
                        LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
                        guarded.setRaw(1, first + 1);
                    }
                    finally
                    {
                        lock.unlock();
                    }
                    LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
                }
                trace.unlink();
            }
        }
    }

    private static SharedMemory traceSegment(final String role)
    {
        return SharedMemory.create(role + "-" + ProcessHandle.current().pid(), 64);
    }
}
