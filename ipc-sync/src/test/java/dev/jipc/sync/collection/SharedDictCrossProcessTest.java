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
import dev.jipc.sync.LongValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SharedDict between JVMs: ten writers with exact merges, and growth to a million entries under readers. */
class SharedDictCrossProcessTest
{
    private static final long CHILD_SECONDS = 180;

    private final String name = Names.unique("dict-xp");
    private final Path directory = SegmentDirectory.defaultDirectory();

    @AfterEach
    void removeFiles() throws IOException
    {
        CollectionTestFiles.removeStartingWith(directory, name);
    }

    @Test
    void shouldKeepEveryWriteOfTenJvmsAndCountTheirMergesExactly() throws Exception
    {
        final int jvms = 10;
        final int keysEach = 3_000;
        try (SharedDict<String, Long> dict = SharedDict.create(name, Codecs.strings(), Codecs.longs());
            ChildProcesses children = ChildLogs.group())
        {
            final List<ChildProcesses.Child> writers = new ArrayList<>();
            for (int jvm = 0; jvm < jvms; jvm++)
            {
                writers.add(children.start(ChildJvm.of(Writer.class).args(Handles.encode(dict), jvm, keysEach)));
            }
            for (final ChildProcesses.Child writer : writers)
            {
                ChildProcesses.awaitSuccess(writer, CHILD_SECONDS, TimeUnit.SECONDS);
            }
            final Map<String, Long> expected = new HashMap<>();
            for (int jvm = 0; jvm < jvms; jvm++)
            {
                for (int i = 0; i < keysEach; i++)
                {
                    expected.put("p" + jvm + "-" + i, (long)i * jvm);
                    expected.merge("c" + i % 100, 1L, Long::sum);
                    expected.put("shared-" + i % 50, -1L);
                }
            }
            final Map<String, Long> actual = new HashMap<>(dict);
            for (int i = 0; i < 50; i++)
            {
                final long last = actual.get("shared-" + i);
                assertTrue(last >= 0 && last < jvms, "an overlapping key holds one writer's value: " + last);
                actual.put("shared-" + i, -1L);
            }
            assertEquals(expected, actual);
            assertEquals(expected.size(), dict.size());
            assertEquals(List.of(), CollectionAudit.audit(dict));
        }
    }

    @Test
    void shouldGrowToAMillionEntriesWhileAnotherJvmReads() throws Exception
    {
        final long entries = 1_000_000;
        try (SharedDict<Long, Long> dict = SharedDict.create(name, Codecs.longs(), Codecs.longs());
            LongValue progress = LongValue.create(Names.unique("dict-progress"), 0);
            ChildProcesses children = ChildLogs.group())
        {
            try
            {
                final ChildProcesses.Child reader = children.start(ChildJvm.of(GrowthReader.class)
                    .args(Handles.encode(dict), Handles.encode(progress), entries));
                final ChildProcesses.Child grower = children.start(ChildJvm.of(Grower.class)
                    .args(Handles.encode(dict), Handles.encode(progress), entries));
                ChildProcesses.awaitSuccess(grower, CHILD_SECONDS, TimeUnit.SECONDS);
                ChildProcesses.awaitSuccess(reader, CHILD_SECONDS, TimeUnit.SECONDS);
                assertTrue(reader.output().contains("reads="), reader.output());
                assertEquals(entries, dict.size());
                for (int i = 0; i < 10_000; i++)
                {
                    final long key = ThreadLocalRandom.current().nextLong(entries);
                    assertEquals(key * 3, dict.get(key));
                }
                assertEquals(List.of(), CollectionAudit.audit(dict));
            }
            finally
            {
                progress.unlink();
            }
        }
    }

    /** Writes its own keys, merges shared counters and overwrites keys that every writer writes. */
    static final class Writer
    {
        public static void main(final String[] args)
        {
            @SuppressWarnings("unchecked")
            final SharedDict<String, Long> dict = (SharedDict<String, Long>)Handles.decode(args[0]);
            final int jvm = Integer.parseInt(args[1]);
            final int keys = Integer.parseInt(args[2]);
            for (int i = 0; i < keys; i++)
            {
                dict.put("p" + jvm + "-" + i, (long)i * jvm);
                dict.merge("c" + i % 100, 1L, Long::sum);
                dict.set("shared-" + i % 50, (long)jvm);
            }
        }
    }

    /** Inserts keys 0..n-1 with value 3 * key, publishing its progress every thousand. */
    static final class Grower
    {
        public static void main(final String[] args)
        {
            @SuppressWarnings("unchecked")
            final SharedDict<Long, Long> dict = (SharedDict<Long, Long>)Handles.decode(args[0]);
            final LongValue progress = (LongValue)Handles.decode(args[1]);
            final long entries = Long.parseLong(args[2]);
            for (long key = 0; key < entries; key++)
            {
                dict.set(key, key * 3);
                if (key % 1_000 == 999)
                {
                    progress.set(key + 1);
                }
            }
            progress.set(entries);
        }
    }

    /** Reads keys the grower has acknowledged until it is done: each must be there with its value (exit 3 if not). */
    static final class GrowthReader
    {
        public static void main(final String[] args)
        {
            @SuppressWarnings("unchecked")
            final SharedDict<Long, Long> dict = (SharedDict<Long, Long>)Handles.decode(args[0]);
            final LongValue progress = (LongValue)Handles.decode(args[1]);
            final long entries = Long.parseLong(args[2]);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CHILD_SECONDS);
            long reads = 0;
            long acknowledged;
            while ((acknowledged = progress.get()) < entries && System.nanoTime() < deadline)
            {
                if (acknowledged == 0)
                {
                    Thread.onSpinWait();
                    continue;
                }
                final long key = ThreadLocalRandom.current().nextLong(acknowledged);
                final Long value = dict.get(key);
                if (value == null || value != key * 3)
                {
                    System.out.println("acknowledged key " + key + " read as " + value);
                    System.exit(3);
                }
                reads++;
            }
            System.out.println("reads=" + reads);
        }
    }
}
