package dev.jipc.sync.collection;

import static dev.jipc.sync.collection.CollectionDescriptor.BLOCK_HEADER_LENGTH;
import static dev.jipc.sync.collection.CollectionDescriptor.ROOT_GENERATION_OFFSET;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.ChildProcesses;
import dev.jipc.core.Handles;
import dev.jipc.core.SegmentDirectory;
import dev.jipc.core.codec.Codecs;
import dev.jipc.core.test.ChildLogs;
import dev.jipc.core.test.Names;
import dev.jipc.sync.LongArray;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A writer JVM that dies in the middle of a write: at each step of a put (deterministically, by halting there while
 * it holds the lock), and at random moments under {@code kill -9} while other JVMs read and write. The next writer
 * recovers; the write happened wholly or not at all; nothing else is lost; the audit finds every invariant intact.
 */
class SharedDictCrashTest
{
    private static final long CHILD_SECONDS = 120;

    private final String name = Names.unique("dict-crash");
    private final Path directory = SegmentDirectory.defaultDirectory();

    @AfterEach
    void removeFiles() throws IOException
    {
        CollectionTestFiles.removeStartingWith(directory, name);
    }

    @ParameterizedTest(name = "overwrite={0}")
    @ValueSource(booleans = {false, true})
    void shouldFinishOrUndoAPutWhoseWriterDiedAtEachStep(final boolean overwrite) throws Exception
    {
        for (int step = 1; step <= HaltingWriter.STEPS; step++)
        {
            final String dictName = name + "-" + overwrite + "-" + step;
            // one stripe: the victim's writer dies holding the lock this test looks at
            try (SharedDict<String, byte[]> dict = SharedDict.create(SegmentDirectory.defaultDirectory(), dictName,
                    Codecs.strings(), Codecs.bytes(), 1);
                ChildProcesses children = ChildLogs.group())
            {
                for (int i = 0; i < 20; i++)
                {
                    dict.set("other-" + i, value(i, 40));
                }
                if (overwrite)
                {
                    dict.set("victim", value(1, 300));
                }
                final ChildProcesses.Child writer = children.start(ChildJvm.of(HaltingWriter.class)
                    .args(Handles.encode(dict), step));
                assertEquals(0, ChildProcesses.awaitExit(writer, CHILD_SECONDS, TimeUnit.SECONDS), writer.output());
                assertTrue(dict.store().writeLock().isLocked(), "the writer died holding the lock");

                dict.set("after", value(7, 10));
                assertTrue(dict.store().writeLock().ownerDeaths() >= 1, "the next writer recovered the lock");
                final byte[] victim = dict.get("victim");
                if (step >= HaltingWriter.PUBLISHED_FROM_STEP)
                {
                    assertArrayEquals(value(2, 500), victim, "step " + step + ": the published write stands");
                }
                else if (overwrite)
                {
                    assertArrayEquals(value(1, 300), victim, "step " + step + ": the old value stands");
                }
                else
                {
                    assertNull(victim, "step " + step + ": the unpublished insert is undone");
                }
                for (int i = 0; i < 20; i++)
                {
                    assertArrayEquals(value(i, 40), dict.get("other-" + i), "nothing else lost");
                }
                assertEquals(List.of(), CollectionAudit.audit(dict), "step " + step);
                dict.set("victim", value(3, 500));
                assertArrayEquals(value(3, 500), dict.get("victim"));
                assertEquals(List.of(), CollectionAudit.audit(dict), "step " + step + ", written again");
                dict.unlink();
            }
        }
    }

    @ParameterizedTest(name = "published={0}")
    @ValueSource(booleans = {false, true})
    void shouldRecoverAGrowthWhoseWriterDied(final boolean published) throws Exception
    {
        // one stripe: the dying writer grows the stripe this test looks at
        try (SharedDict<String, Long> dict = SharedDict.create(SegmentDirectory.defaultDirectory(), name,
                Codecs.strings(), Codecs.longs(), 1);
            ChildProcesses children = ChildLogs.group())
        {
            for (long i = 0; i < 30; i++)
            {
                dict.set("k" + i, i);
            }
            final ChildProcesses.Child writer = children.start(ChildJvm.of(HaltingGrower.class)
                .args(Handles.encode(dict), published));
            assertEquals(0, ChildProcesses.awaitExit(writer, CHILD_SECONDS, TimeUnit.SECONDS), writer.output());
            for (long i = 0; i < 30; i++)
            {
                assertEquals(i, dict.get("k" + i), "readers are served before any writer recovers");
            }
            dict.set("after", 1L);
            for (long i = 0; i < 30; i++)
            {
                assertEquals(i, dict.get("k" + i));
            }
            assertEquals(31, dict.size());
            assertEquals(List.of(), CollectionAudit.audit(dict), "one generation file, the current one");
        }
    }

    @Test
    void shouldLoseNoAcknowledgedWriteWhenWritersAreKilledAtRandom() throws Exception
    {
        final int writers = 2;
        try (SharedDict<String, byte[]> dict = SharedDict.create(name, Codecs.strings(), Codecs.bytes());
            LongArray acks = LongArray.create(Names.unique("dict-acks"), 64);
            ChildProcesses children = ChildLogs.group())
        {
            try
            {
                final ChildProcesses.Child reader = children.start(ChildJvm.of(HotReader.class)
                    .args(Handles.encode(dict), 12_000));
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
                int next = 0;
                int kills = 0;
                final List<ChildProcesses.Child> running = new ArrayList<>();
                while (System.nanoTime() < deadline)
                {
                    while (running.size() < writers && next < acks.length())
                    {
                        running.add(children.start(ChildJvm.of(AckingWriter.class)
                            .args(Handles.encode(dict), Handles.encode(acks), next++)));
                    }
                    // each is killed mid-stream, not while its JVM starts
                    final int newest = next - 1;
                    awaitTrue(() -> acks.get(newest) > 0, CHILD_SECONDS, TimeUnit.SECONDS, "writer " + newest);
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
                assertEquals(0, ChildProcesses.awaitExit(reader, CHILD_SECONDS, TimeUnit.SECONDS), reader.output());

                long acknowledged = 0;
                for (int writer = 0; writer < next; writer++)
                {
                    final long acked = acks.get(writer);
                    acknowledged += acked;
                    for (long n = 0; n < acked; n++)
                    {
                        assertArrayEquals(value(n, (int)(n % 300)), dict.get("w" + writer + "-" + n),
                            "acknowledged write of writer " + writer + ": " + n + " of " + acked);
                    }
                }
                assertTrue(acknowledged > 0, "the writers wrote");
                final long total = dict.get("total") == null ? 0 : bytesToLong(dict.get("total"));
                assertTrue(total >= acknowledged && total <= acknowledged + kills,
                    "merges: total=" + total + ", acknowledged=" + acknowledged + ", kills=" + kills);
                for (int hot = 0; hot < AckingWriter.HOT_KEYS; hot++)
                {
                    final byte[] got = dict.get("hot-" + hot);
                    assertTrue(got == null || isWhole(got), "hot-" + hot + " is whole");
                }
                assertEquals(List.of(), CollectionAudit.audit(dict));
            }
            finally
            {
                acks.unlink();
            }
        }
    }

    private static void awaitTrue(final BooleanSupplier condition, final long timeout, final TimeUnit unit,
        final String what) throws InterruptedException
    {
        final long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() > deadline)
            {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    /** A value that says whether it is whole: its number, then bytes derived from it. */
    static byte[] value(final long n, final int extra)
    {
        final byte[] value = new byte[Long.BYTES + extra];
        for (int i = 0; i < Long.BYTES; i++)
        {
            value[i] = (byte)(n >>> (8 * i));
        }
        Arrays.fill(value, Long.BYTES, value.length, (byte)(n * 31 + extra));
        return value;
    }

    static boolean isWhole(final byte[] value)
    {
        if (value.length < Long.BYTES)
        {
            return false;
        }
        final long n = bytesToLong(value);
        return Arrays.equals(value, value(n, value.length - Long.BYTES));
    }

    static long bytesToLong(final byte[] value)
    {
        long n = 0;
        for (int i = Long.BYTES - 1; i >= 0; i--)
        {
            n = (n << 8) | (value[i] & 0xFF);
        }
        return n;
    }

    /**
     * Writes "victim" the way {@link SharedDict#set} does and halts the JVM (holding the lock) after step
     * {@code args[1]}: 1 the intent is recorded, 2 the block is allocated, 3 the entry is written, 4 the intent
     * names the published word, 5 the slot is published, 6 the write is complete.
     */
    static final class HaltingWriter
    {
        static final int STEPS = 6;
        static final int PUBLISHED_FROM_STEP = 5;

        public static void main(final String[] args)
        {
            @SuppressWarnings("unchecked")
            final SharedDict<String, byte[]> dict = (SharedDict<String, byte[]>)Handles.decode(args[0]);
            final int stop = Integer.parseInt(args[1]);
            final ExpandableArrayBuffer key = new ExpandableArrayBuffer();
            final ExpandableArrayBuffer val = new ExpandableArrayBuffer();
            final int keyLength = Codecs.strings().encode("victim", key, 0);
            final int valueLength = Codecs.bytes().encode(value(2, 500), val, 0);
            final int hash = Blocks.hash(key, keyLength);
            final CollectionStore store = dict.store();
            store.lock();
            final Generation generation = store.enter();
            final AtomicBuffer buffer = generation.buffer();
            final BlockHeap heap = generation.heap();
            final int index = SharedDict.locate(generation, key, keyLength, hash);
            final int slotOffset = SharedDict.slotOffset(index >= 0 ? index : -index - 1);
            final int sizeClass = CollectionDescriptor.sizeClass(BLOCK_HEADER_LENGTH + keyLength + valueLength);
            final int freeBlock = index >= 0 ? (int)buffer.getLong(slotOffset) : 0;
            final int freeClass = index >= 0 ? heap.sizeClassOf(freeBlock) : 0;
            final long usedDelta = buffer.getLong(slotOffset) == SharedDict.EMPTY ? 1 : 0;
            store.intent().beginMutation(generation, heap, slotOffset, sizeClass, freeBlock, freeClass,
                index >= 0 ? 0 : 1, usedDelta);
            haltAt(1, stop);
            final int block = heap.allocate(sizeClass);
            haltAt(2, stop);
            heap.write(block, hash, key, keyLength, val, valueLength);
            haltAt(3, stop);
            final long word = ((long)hash << 32) | block;
            store.intent().ready(word);
            haltAt(4, stop);
            buffer.putLongRelease(slotOffset, word);
            haltAt(5, stop);
            store.intent().complete(generation, heap);
            haltAt(6, stop);
            Runtime.getRuntime().halt(2);
        }

        private static void haltAt(final int step, final int stop)
        {
            if (step == stop)
            {
                Runtime.getRuntime().halt(0);
            }
        }
    }

    /** Grows the dict the way a writer does and halts before (or after) publishing the new generation. */
    static final class HaltingGrower
    {
        public static void main(final String[] args)
        {
            @SuppressWarnings("unchecked")
            final SharedDict<String, Long> dict = (SharedDict<String, Long>)Handles.decode(args[0]);
            final boolean publish = Boolean.parseBoolean(args[1]);
            final CollectionStore store = dict.store();
            store.lock();
            final Generation generation = store.enter();
            store.intent().beginReplace(generation.number() + 1, store.size());
            Generation.create(store.directory(), store.name(), generation.number() + 1, 256, 1, 1 << 20,
                fresh -> SharedDict.copyEntries(generation, fresh));
            if (publish)
            {
                store.root().buffer().putLongRelease(ROOT_GENERATION_OFFSET, generation.number() + 1);
            }
            Runtime.getRuntime().halt(0);
        }
    }

    /** Writes numbered keys, merges a counter, and acknowledges each write in a shared array once it returned. */
    static final class AckingWriter
    {
        static final int HOT_KEYS = 32;

        public static void main(final String[] args)
        {
            @SuppressWarnings("unchecked")
            final SharedDict<String, byte[]> dict = (SharedDict<String, byte[]>)Handles.decode(args[0]);
            final LongArray acks = (LongArray)Handles.decode(args[1]);
            final int writer = Integer.parseInt(args[2]);
            for (long n = 0; ; n++)
            {
                dict.set("w" + writer + "-" + n, value(n, (int)(n % 300)));
                dict.set("hot-" + (n % HOT_KEYS), value(n, (int)(n % 200)));
                if (n % 5 == 0)
                {
                    dict.remove("hot-" + ((n + 7) % HOT_KEYS));
                }
                dict.merge("total", value(1, 0), (a, b) -> toBytes(bytesToLong(a) + 1));
                acks.set(writer, n + 1);
            }
        }

        private static byte[] toBytes(final long n)
        {
            return value(n, 0);
        }
    }

    /** Reads the hot keys for a while and fails (exit 3) if any value it reads is torn. */
    static final class HotReader
    {
        public static void main(final String[] args)
        {
            @SuppressWarnings("unchecked")
            final SharedDict<String, byte[]> dict = (SharedDict<String, byte[]>)Handles.decode(args[0]);
            final long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[1]));
            long reads = 0;
            while (System.nanoTime() < end)
            {
                for (int hot = 0; hot < AckingWriter.HOT_KEYS; hot++)
                {
                    final byte[] got = dict.get("hot-" + hot);
                    if (got != null && !isWhole(got))
                    {
                        System.out.println("torn value of hot-" + hot + ": " + Arrays.toString(got));
                        System.exit(3);
                    }
                    reads++;
                }
            }
            System.out.println("reads=" + reads);
        }
    }
}
