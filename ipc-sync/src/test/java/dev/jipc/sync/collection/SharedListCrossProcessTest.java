package dev.jipc.sync.collection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.ChildProcesses;
import dev.jipc.core.Handles;
import dev.jipc.core.SegmentDirectory;
import dev.jipc.core.codec.Codecs;
import dev.jipc.core.test.ChildLogs;
import dev.jipc.core.test.Names;
import dev.jipc.sync.LongArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SharedList between JVMs: index operations from several writers at once, and writers killed with {@code kill -9}
 * mid-stream: every acknowledged append is there once, in its writer's order, and the audit finds the list whole.
 */
class SharedListCrossProcessTest
{
    private static final long CHILD_SECONDS = 120;

    private final String name = Names.unique("list-xp");
    private final Path directory = SegmentDirectory.defaultDirectory();

    @AfterEach
    void removeFiles() throws IOException
    {
        CollectionTestFiles.removeStartingWith(directory, name);
    }

    @Test
    void shouldApplyTheIndexOperationsOfSeveralJvms() throws Exception
    {
        final int jvms = 4;
        final int each = 2_000;
        try (SharedList<String> list = SharedList.create(name, Codecs.strings());
            ChildProcesses children = ChildLogs.group())
        {
            final List<ChildProcesses.Child> writers = new ArrayList<>();
            for (int jvm = 0; jvm < jvms; jvm++)
            {
                writers.add(children.start(ChildJvm.of(Shuffler.class).args(Handles.encode(list), jvm, each)));
            }
            for (final ChildProcesses.Child writer : writers)
            {
                ChildProcesses.awaitSuccess(writer, CHILD_SECONDS, TimeUnit.SECONDS);
            }
            final Map<String, Integer> counts = new HashMap<>();
            for (final String element : list)
            {
                counts.merge(element, 1, Integer::sum);
            }
            for (int jvm = 0; jvm < jvms; jvm++)
            {
                for (int i = 0; i < each; i++)
                {
                    assertEquals(1, counts.remove("j" + jvm + "-" + i), "j" + jvm + "-" + i + " once");
                }
            }
            assertEquals(Map.of(), counts, "every marker removed again, nothing else");
            assertEquals(jvms * each, list.size());
            assertEquals(List.of(), CollectionAudit.audit(list));
        }
    }

    @Test
    void shouldLoseNoAcknowledgedAppendWhenWritersAreKilledAtRandom() throws Exception
    {
        try (SharedList<String> list = SharedList.create(name, Codecs.strings());
            LongArray acks = LongArray.create(Names.unique("list-acks"), 64);
            ChildProcesses children = ChildLogs.group())
        {
            try
            {
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
                int next = 0;
                int kills = 0;
                final List<ChildProcesses.Child> running = new ArrayList<>();
                while (System.nanoTime() < deadline && next < acks.length())
                {
                    while (running.size() < 2 && next < acks.length())
                    {
                        running.add(children.start(ChildJvm.of(AckingAppender.class)
                            .args(Handles.encode(list), Handles.encode(acks), next++)));
                    }
                    final int newest = next - 1;
                    final long started = System.nanoTime();
                    while (acks.get(newest) == 0)
                    {
                        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(CHILD_SECONDS),
                            "writer " + newest + " started");
                        Thread.sleep(5);
                    }
                    Thread.sleep(ThreadLocalRandom.current().nextLong(100, 400));
                    final ChildProcesses.Child victim = running.remove(0);
                    victim.process().destroyForcibly();
                    victim.process().waitFor(30, TimeUnit.SECONDS);
                    kills++;
                }
                for (final ChildProcesses.Child child : running)
                {
                    child.process().destroyForcibly();
                    child.process().waitFor(30, TimeUnit.SECONDS);
                    kills++;
                }
                final Map<Integer, Long> lastSeen = new HashMap<>();
                final Map<Integer, Long> seen = new HashMap<>();
                int markers = 0;
                for (final String element : list)
                {
                    if (element.equals("marker"))
                    {
                        markers++;
                        continue;
                    }
                    final int writer = Integer.parseInt(element.substring(1, element.indexOf('-')));
                    final long n = Long.parseLong(element.substring(element.indexOf('-') + 1));
                    assertTrue(n > lastSeen.getOrDefault(writer, -1L), "in order, once: " + element);
                    lastSeen.put(writer, n);
                    seen.merge(writer, 1L, Long::sum);
                }
                for (int writer = 0; writer < next; writer++)
                {
                    final long acked = acks.get(writer);
                    final long found = seen.getOrDefault(writer, 0L);
                    assertTrue(found == acked || found == acked + 1,
                        "writer " + writer + ": acknowledged " + acked + ", found " + found);
                }
                assertTrue(markers <= kills, "markers left only by killed writers: " + markers + ", kills " + kills);
                assertEquals(List.of(), CollectionAudit.audit(list));
            }
            finally
            {
                acks.unlink();
            }
        }
    }

    /** Appends its elements, inserting each at a random index, with a marker inserted and removed around it. */
    static final class Shuffler
    {
        public static void main(final String[] args)
        {
            @SuppressWarnings("unchecked")
            final SharedList<String> list = (SharedList<String>)Handles.decode(args[0]);
            final int jvm = Integer.parseInt(args[1]);
            final int each = Integer.parseInt(args[2]);
            for (int i = 0; i < each; i++)
            {
                while (true)
                {
                    try
                    {
                        // another JVM's removal may shorten the list between size() and add
                        list.add(ThreadLocalRandom.current().nextInt(list.size() + 1), "j" + jvm + "-" + i);
                        break;
                    }
                    catch (final IndexOutOfBoundsException shortened)
                    {
                        Thread.onSpinWait();
                    }
                }
                list.add(0, "marker-" + jvm);
                list.remove("marker-" + jvm);
            }
        }
    }

    /**
     * Appends numbered elements, acknowledging each in a shared array once the append returned; between appends it
     * inserts a marker at the front and removes it (a kill between the two leaves one).
     */
    static final class AckingAppender
    {
        public static void main(final String[] args)
        {
            @SuppressWarnings("unchecked")
            final SharedList<String> list = (SharedList<String>)Handles.decode(args[0]);
            final LongArray acks = (LongArray)Handles.decode(args[1]);
            final int writer = Integer.parseInt(args[2]);
            for (long n = 0; ; n++)
            {
                list.add("w" + writer + "-" + n);
                acks.set(writer, n + 1);
                if (n % 10 == 0)
                {
                    list.add(0, "marker");
                    list.remove("marker");
                }
            }
        }
    }
}
