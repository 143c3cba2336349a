package dev.jipc.sync.collection;

import static dev.jipc.sync.collection.CollectionDescriptor.DATA_BUMP_OFFSET;
import static dev.jipc.sync.collection.CollectionDescriptor.DATA_LIST_WORD_OFFSET;
import static dev.jipc.sync.collection.CollectionDescriptor.ROOT_INTENT_OFFSET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ListIterator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import dev.jipc.core.SegmentFormatException;
import dev.jipc.core.codec.Codecs;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The defects an adversarial review found, each shown fixed: reads racing the reuse of a block, close during writes,
 * a stale handle of a name made again, and corrupt bytes that were trusted.
 */
class CollectionReviewFindingsTest
{
    private static final long RACE_MILLIS = 2_000;

    @TempDir
    Path dir;

    @Test
    void shouldNeverMissAKeyWhoseFreedBlockAnotherKeyReuses() throws Exception
    {
        try (SharedDict<String, String> dict = SharedDict.create(dir, "d", Codecs.strings(), Codecs.strings(), 1))
        {
            dict.set("k", "v0");
            final long[] counts = race(() ->
            {
                // every block is of one size class: k's freed block is reused by x, and x's by k
                for (int i = 0; i < 100; i++)
                {
                    dict.set("k", "v" + i % 10);
                    dict.set("x", "w" + i % 10);
                    dict.remove("x");
                }
            }, () -> dict.get("k") != null);
            assertEquals(0, counts[1], "get of a key present throughout returned null; reads=" + counts[0]);
        }
    }

    @Test
    void shouldNeverReturnAnotherIndexsElementWhenSetReusesBlocks() throws Exception
    {
        try (SharedList<String> list = SharedList.create(dir, "l", Codecs.strings()))
        {
            list.add("A0");
            list.add("B0");
            final long[] counts = race(() ->
            {
                for (int i = 0; i < 100; i++)
                {
                    list.set(0, "A" + i % 10);
                    list.set(1, "B" + i % 10);
                }
            }, () -> list.get(0).startsWith("A"));
            assertEquals(0, counts[1], "get(0) returned index 1's element; reads=" + counts[0]);
        }
    }

    @Test
    void shouldNotCrashWhenClosedWhileAnotherThreadWritesAndGrows() throws Exception
    {
        for (int round = 0; round < 100; round++)
        {
            final SharedDict<String, String> dict = SharedDict.create(dir, "c" + round, Codecs.strings(),
                Codecs.strings(), 1);
            final AtomicLong writes = new AtomicLong();
            final Thread writer = new Thread(() ->
            {
                try
                {
                    for (long i = 0; ; i++)
                    {
                        dict.set("k" + (i & 4095), "value-" + i);
                        writes.incrementAndGet();
                    }
                }
                catch (final IllegalStateException closed)
                {
                    // what a write after close gets
                }
            });
            writer.start();
            Thread.sleep(1 + round % 3);
            dict.close();
            writer.join(TimeUnit.SECONDS.toMillis(30));
            assertTrue(!writer.isAlive(), "the writer ended");
            try (SharedDict<String, String> again = SharedDict.open(dir, "c" + round, Codecs.strings(),
                Codecs.strings()))
            {
                assertEquals(List.of(), CollectionAudit.audit(again), "round " + round);
                again.unlink();
            }
        }
    }

    @Test
    void shouldLeaveANameMadeAgainAloneWhenAStaleHandleGrowsOrUnlinks() throws Exception
    {
        final SharedDict<String, Long> old = SharedDict.create(dir, "d", Codecs.strings(), Codecs.longs(), 1);
        old.set("theirs", 2L);
        old.unlink();
        try (SharedDict<String, Long> fresh = SharedDict.create(dir, "d", Codecs.strings(), Codecs.longs(), 1))
        {
            fresh.clear();
            fresh.set("mine", 1L);
            final IllegalStateException grow = assertThrows(IllegalStateException.class, old::clear);
            assertTrue(grow.getMessage().contains("unlinked"), grow.getMessage());
            assertEquals(2L, old.get("theirs"), "the unlinked map is still readable");
            old.unlink();
            try (SharedDict<String, Long> attach = SharedDict.open(dir, "d", Codecs.strings(), Codecs.longs()))
            {
                assertEquals(1L, attach.get("mine"));
                assertEquals(null, attach.get("theirs"));
            }
        }
        finally
        {
            old.close();
        }
    }

    @Test
    void shouldNameCorruptIntentOffsetsBumpSlotsAndSizes()
    {
        try (SharedDict<String, Long> dict = SharedDict.create(dir, "d", Codecs.strings(), Codecs.longs(), 1))
        {
            dict.set("victim", 1L);
            final int[] slot = new int[1];
            final long[] bump = new long[1];
            withGeneration(dict, g ->
            {
                slot[0] = slotOf(g, "victim");
                bump[0] = g.heap().bump();
            });
            final AtomicBuffer root = dict.store().root().buffer();
            root.putLong(ROOT_INTENT_OFFSET + 8, 1);
            root.putLong(ROOT_INTENT_OFFSET + 16, SharedDict.slotOffset(0));
            root.putLong(ROOT_INTENT_OFFSET + 32, 0);
            root.putLong(ROOT_INTENT_OFFSET + 40, bump[0]);
            root.putLong(ROOT_INTENT_OFFSET + 48, 0);
            root.putLong(ROOT_INTENT_OFFSET + 56, SharedDict.slotOffset(slot[0]) - 8);
            root.putLong(ROOT_INTENT_OFFSET + 64, 0);
            root.putLong(ROOT_INTENT_OFFSET + 72, 0);
            root.putLongVolatile(ROOT_INTENT_OFFSET, WriteIntent.MUTATE);
            final SegmentFormatException intent = assertThrows(SegmentFormatException.class, () -> dict.set("o", 2L));
            assertTrue(intent.getMessage().contains("allocHead"), intent.getMessage());
            assertEquals(1L, dict.get("victim"), "recovery wrote nothing through the corrupt intent");
            root.putLongVolatile(ROOT_INTENT_OFFSET, WriteIntent.NONE);

            withGeneration(dict, g -> g.buffer().putLong(DATA_BUMP_OFFSET, CollectionDescriptor.TABLE_OFFSET));
            final SegmentFormatException low = assertThrows(SegmentFormatException.class, () -> dict.set("n", 3L));
            assertTrue(low.getMessage().contains("bump outside the heap"), low.getMessage());
            assertEquals(1L, dict.get("victim"), "nothing written over the table");
            withGeneration(dict, g -> g.buffer().putLong(DATA_BUMP_OFFSET, bump[0]));

            withGeneration(dict, g ->
            {
                final long word = g.buffer().getLong(SharedDict.slotOffset(slot[0]));
                g.buffer().putLong(SharedDict.slotOffset(slot[0]), (word & 0xFFFF_FFFF_0000_0000L) | 0x7FFF_FFF8L);
            });
            assertThrows(SegmentFormatException.class, () -> dict.get("victim"), "a block near 2^31 is named");
        }
        try (SharedList<String> list = SharedList.create(dir, "l", Codecs.strings()))
        {
            list.add("x");
            final Generation g = list.store().enter();
            try
            {
                final long word = g.buffer().getLong(DATA_LIST_WORD_OFFSET);
                g.buffer().putLongVolatile(DATA_LIST_WORD_OFFSET, (word & ~0x7FFF_FFFFL) | 0x7FFF_FFFFL);
            }
            finally
            {
                list.store().exit(g);
            }
            final SegmentFormatException size = assertThrows(SegmentFormatException.class, list::size);
            assertTrue(size.getMessage().contains("beyond its capacity"), size.getMessage());
            assertThrows(SegmentFormatException.class, () -> list.get(1_000_000));
        }
    }

    @Test
    void shouldNotFailAListIteratorsNextAfterHasNext()
    {
        try (SharedList<String> list = SharedList.create(dir, "l", Codecs.strings());
            SharedList<String> other = SharedList.open(dir, "l", Codecs.strings()))
        {
            list.add("a");
            list.add("b");
            final ListIterator<String> it = list.listIterator();
            assertTrue(it.hasNext());
            other.remove(0);
            assertEquals("a", it.next(), "what hasNext() saw");
            it.set("c");
            assertEquals(List.of("c"), list, "set() writes the index next() returned, whatever is there now");
            assertTrue(Files.exists(dir.resolve("l")));
        }
    }

    /** Runs writes on a thread while this one reads for a while: {reads, reads that failed the check}. */
    private static long[] race(final Runnable writes, final java.util.function.BooleanSupplier read)
        throws InterruptedException
    {
        final AtomicBoolean stop = new AtomicBoolean();
        final Thread writer = new Thread(() ->
        {
            while (!stop.get())
            {
                writes.run();
            }
        });
        writer.start();
        long reads = 0;
        long failed = 0;
        final long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RACE_MILLIS);
        try
        {
            while (System.nanoTime() < end)
            {
                reads++;
                if (!read.getAsBoolean())
                {
                    failed++;
                }
            }
        }
        finally
        {
            stop.set(true);
            writer.join(TimeUnit.SECONDS.toMillis(30));
        }
        return new long[] {reads, failed};
    }

    private static int slotOf(final Generation g, final String key)
    {
        final ExpandableArrayBuffer bytes = new ExpandableArrayBuffer();
        final int length = Codecs.strings().encode(key, bytes, 0);
        return SharedDict.locate(g, bytes, length, Blocks.hash(bytes, length));
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
