package dev.jipc.sync.collection;

import static dev.jipc.sync.collection.CollectionDescriptor.BLOCK_KEY_LENGTH_OFFSET;
import static dev.jipc.sync.collection.CollectionDescriptor.BLOCK_LINK_OFFSET;
import static dev.jipc.sync.collection.CollectionDescriptor.DATA_HEAP_END_OFFSET;
import static dev.jipc.sync.collection.CollectionDescriptor.ROOT_GENERATION_OFFSET;
import static dev.jipc.sync.collection.CollectionDescriptor.ROOT_INTENT_OFFSET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Consumer;

import dev.jipc.core.Segment;
import dev.jipc.core.SegmentFormatException;
import dev.jipc.core.SegmentKind;
import dev.jipc.core.SegmentStat;
import dev.jipc.core.codec.Codecs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile bytes in a collection's files give named errors on every access, never a crash or a stray write. */
class CollectionBadInputTest
{
    @TempDir
    Path dir;

    @Test
    void shouldNameACorruptEntryHeaderOnReadAndWrite()
    {
        try (SharedDict<String, Long> dict = SharedDict.create(dir, "d", Codecs.strings(), Codecs.longs(), 1))
        {
            dict.set("a", 1L);
            dict.set("b", 2L);
            final int block = blockOf(dict, "a");
            withGeneration(dict, g -> g.buffer().putInt(block + BLOCK_KEY_LENGTH_OFFSET, Integer.MAX_VALUE - 8));
            final SegmentFormatException read = assertThrows(SegmentFormatException.class, () -> dict.get("a"));
            assertTrue(read.getMessage().contains("d.g1") && read.getMessage().contains("corrupt entry header"),
                read.getMessage());
            assertThrows(SegmentFormatException.class, () -> dict.put("a", 3L));
            assertEquals(2L, dict.get("b"), "other entries still read");
        }
    }

    @Test
    void shouldNameASlotOutsideTheHeap()
    {
        try (SharedDict<String, Long> dict = SharedDict.create(dir, "d", Codecs.strings(), Codecs.longs(), 1))
        {
            dict.set("a", 1L);
            withGeneration(dict, g ->
            {
                for (int index = 0; index < g.tableLength(); index++)
                {
                    final long word = g.buffer().getLong(SharedDict.slotOffset(index));
                    if (word != SharedDict.EMPTY)
                    {
                        final long outside = (word & 0xFFFF_FFFF_0000_0000L) | 0x7FFF_0000L;
                        g.buffer().putLong(SharedDict.slotOffset(index), outside);
                    }
                }
            });
            final SegmentFormatException ex = assertThrows(SegmentFormatException.class, () -> dict.get("a"));
            assertTrue(ex.getMessage().contains("outside the heap"), ex.getMessage());
        }
    }

    @Test
    void shouldNameACorruptFreeListInsteadOfWritingThroughIt()
    {
        try (SharedDict<String, Long> dict = SharedDict.create(dir, "d", Codecs.strings(), Codecs.longs(), 1))
        {
            dict.set("a", 1L);
            dict.remove("a");
            withGeneration(dict, g ->
            {
                final long head = g.heap().head(0);
                assertTrue(head != 0, "the removed entry's block is on the free list");
                g.buffer().putLong((int)head + BLOCK_LINK_OFFSET, 0x7FFF_FFF0L);
            });
            final SegmentFormatException ex = assertThrows(SegmentFormatException.class, () -> dict.set("a", 2L));
            assertTrue(ex.getMessage().contains("outside the heap"), ex.getMessage());
        }
    }

    @Test
    void shouldRefuseACorruptWriteIntent()
    {
        try (SharedDict<String, Long> dict = SharedDict.create(dir, "d", Codecs.strings(), Codecs.longs(), 1))
        {
            dict.store().root().buffer().putLongVolatile(ROOT_INTENT_OFFSET, 7);
            final SegmentFormatException ex = assertThrows(SegmentFormatException.class, () -> dict.set("a", 1L));
            assertTrue(ex.getMessage().contains("corrupt write intent: state=7"), ex.getMessage());
            assertEquals(null, dict.get("a"), "reads do not depend on the intent");
        }
    }

    @Test
    void shouldRefuseCorruptOrMissingGenerationsAtOpen() throws Exception
    {
        try (SharedDict<String, Long> dict = SharedDict.create(dir, "d", Codecs.strings(), Codecs.longs(), 1))
        {
            withGeneration(dict, g -> g.buffer().putLong(DATA_HEAP_END_OFFSET, 1L << 40));
        }
        final SegmentFormatException heap = assertThrows(SegmentFormatException.class,
            () -> SharedDict.open(dir, "d", Codecs.strings(), Codecs.longs()));
        assertTrue(heap.getMessage().contains("corrupt data header"), heap.getMessage());

        try (SharedDict<String, Long> other = SharedDict.create(dir, "e", Codecs.strings(), Codecs.longs(), 1))
        {
            other.store().root().buffer().putLongVolatile(ROOT_GENERATION_OFFSET, 9);
        }
        final SegmentFormatException missing = assertThrows(SegmentFormatException.class,
            () -> SharedDict.open(dir, "e", Codecs.strings(), Codecs.longs()));
        assertTrue(missing.getMessage().contains("missing"), missing.getMessage());

        try (SharedDict<String, Long> foreign = SharedDict.create(dir, "f", Codecs.strings(), Codecs.longs(), 1))
        {
            foreign.store().root().buffer().putLongVolatile(ROOT_GENERATION_OFFSET, 2);
        }
        Files.write(dir.resolve("f.g2"), new byte[8192]);
        assertThrows(SegmentFormatException.class, () -> SharedDict.open(dir, "f", Codecs.strings(), Codecs.longs()));
    }

    @Test
    void shouldShowEntriesCapacityHeapAndLockInStat()
    {
        final SegmentStat stat = dictStat();
        try (SharedDict<String, Long> dict = SharedDict.create(dir, "d", Codecs.strings(), Codecs.longs(), 1);
            Segment root = Segment.open(dir, "d", SegmentKind.DICT))
        {
            for (long i = 0; i < 100; i++)
            {
                dict.set("k" + i, i);
            }
            for (long i = 0; i < 10; i++)
            {
                dict.remove("k" + i);
            }
            Map<String, String> facts = stat.describe(root);
            assertEquals("90", facts.get("entries"));
            assertTrue(facts.get("capacity").startsWith("256 slots"), facts.get("capacity"));
            assertTrue(facts.get("heap").contains(" free for reuse"), facts.get("heap"));
            assertTrue(!facts.get("heap").contains(" 0 free for reuse"), facts.get("heap"));
            assertEquals("free", facts.get("lock"));
            dict.store().lock();
            try
            {
                facts = stat.describe(root);
                assertEquals("held by pid " + ProcessHandle.current().pid(), facts.get("lock"));
            }
            finally
            {
                dict.store().unlock();
            }
        }
    }

    @Test
    void shouldSumTheStripesInStatAndNameAStripeHoldingItsLock()
    {
        final SegmentStat stat = dictStat();
        try (SharedDict<String, Long> dict = SharedDict.create(dir, "d", Codecs.strings(), Codecs.longs(), 4);
            Segment root = Segment.open(dir, "d", SegmentKind.DICT))
        {
            for (long i = 0; i < 100; i++)
            {
                dict.set("k" + i, i);
            }
            Map<String, String> facts = stat.describe(root);
            assertEquals("4", facts.get("stripes"));
            assertEquals("100", facts.get("entries"), "the entries of every stripe");
            assertEquals("free", facts.get("lock"));
            final CollectionStore third = dict.stripeStores()[2];
            third.lock();
            try
            {
                facts = stat.describe(root);
                assertEquals("held by pid " + ProcessHandle.current().pid() + " (stripe 2)", facts.get("lock"));
            }
            finally
            {
                third.unlock();
            }
        }
    }

    @Test
    void shouldNameACorruptStripeCount()
    {
        try (SharedDict<String, Long> dict = SharedDict.create(dir, "d", Codecs.strings(), Codecs.longs(), 2))
        {
            dict.store().root().buffer().putIntVolatile(CollectionDescriptor.ROOT_STRIPES_OFFSET, 6);
            final SegmentFormatException six = assertThrows(SegmentFormatException.class,
                () -> SharedDict.open(dir, "d", Codecs.strings(), Codecs.longs()));
            assertTrue(six.getMessage().contains("not a dict's stripe count") && six.getMessage().contains(": 6"),
                six.getMessage());
            dict.store().root().buffer().putIntVolatile(CollectionDescriptor.ROOT_STRIPES_OFFSET, 2);
            dict.stripeStores()[1].root().buffer().putIntVolatile(CollectionDescriptor.ROOT_STRIPES_OFFSET, 2);
            final SegmentFormatException unmarked = assertThrows(SegmentFormatException.class,
                () -> SharedDict.open(dir, "d", Codecs.strings(), Codecs.longs()));
            assertTrue(unmarked.getMessage().contains("not marked as a stripe"), unmarked.getMessage());
        }
    }

    private static SegmentStat dictStat()
    {
        return ServiceLoader.load(SegmentStat.class).stream().map(ServiceLoader.Provider::get)
            .filter(s -> s.kind() == SegmentKind.DICT).findFirst()
            .orElseThrow(() -> new AssertionError("no SegmentStat registered for DICT"));
    }

    private static int blockOf(final SharedDict<String, Long> dict, final String key)
    {
        final int[] block = new int[1];
        withGeneration(dict, g ->
        {
            final org.agrona.ExpandableArrayBuffer bytes = new org.agrona.ExpandableArrayBuffer();
            final int length = Codecs.strings().encode(key, bytes, 0);
            final int index = SharedDict.locate(g, bytes, length, Blocks.hash(bytes, length));
            block[0] = (int)g.buffer().getLong(SharedDict.slotOffset(index));
        });
        return block[0];
    }

    private static void withGeneration(final SharedDict<?, ?> dict, final Consumer<Generation> action)
    {
        final Generation generation = dict.store().enter();
        try
        {
            action.accept(generation);
        }
        finally
        {
            dict.store().exit(generation);
        }
    }
}
