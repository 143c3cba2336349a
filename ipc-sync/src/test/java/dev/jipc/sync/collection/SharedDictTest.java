package dev.jipc.sync.collection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.jipc.core.Handles;
import dev.jipc.core.SegmentDirectory;
import dev.jipc.core.SegmentFormatException;
import dev.jipc.core.codec.Codecs;
import dev.jipc.core.test.Names;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SharedDict in one JVM: the ConcurrentMap contract, growth, reuse of space, iteration and bad input. */
class SharedDictTest
{
    private final String name = Names.unique("dict");
    private final Path directory = SegmentDirectory.defaultDirectory();

    @AfterEach
    void removeFiles() throws IOException
    {
        CollectionTestFiles.removeStartingWith(directory, name);
    }

    @Test
    void shouldBehaveAsAConcurrentMap()
    {
        try (SharedDict<String, Long> dict = SharedDict.create(name, Codecs.strings(), Codecs.longs()))
        {
            assertTrue(dict.isEmpty());
            assertNull(dict.put("a", 1L));
            assertEquals(1L, dict.put("a", 2L));
            assertEquals(2L, dict.get("a"));
            assertNull(dict.get("b"));
            assertNull(dict.get(42), "a key of another type is not there");
            assertEquals(2L, dict.putIfAbsent("a", 9L));
            assertNull(dict.putIfAbsent("b", 3L));
            assertTrue(dict.containsKey("b"));
            assertFalse(dict.replace("b", 4L, 5L));
            assertTrue(dict.replace("b", 3L, 3L), "replacing a value by an equal one succeeds");
            assertEquals(3L, dict.replace("b", 6L));
            assertFalse(dict.remove("b", 3L));
            assertTrue(dict.remove("b", 6L));
            assertFalse(dict.containsKey("b"));
            assertEquals(5L, dict.merge("a", 3L, Long::sum));
            assertEquals(1L, dict.merge("c", 1L, Long::sum));
            assertNull(dict.merge("c", 1L, (x, y) -> null), "merge to null removes");
            assertFalse(dict.containsKey("c"));
            assertEquals(10L, dict.compute("a", (k, v) -> v * 2));
            assertEquals(7L, dict.computeIfAbsent("d", k -> 7L));
            assertEquals(7L, dict.computeIfAbsent("d", k -> 8L));
            assertNull(dict.computeIfPresent("e", (k, v) -> 1L));
            assertEquals(8L, dict.computeIfPresent("d", (k, v) -> v + 1));
            assertNull(dict.compute("d", (k, v) -> null));
            dict.set("f", 11L);
            assertEquals(Map.of("a", 10L, "f", 11L), new HashMap<>(dict));
            assertEquals(2, dict.size());
            assertEquals(10L, dict.remove("a"));
            assertNull(dict.remove("a"));
            assertNull(dict.remove(42));
            assertEquals(Map.of("f", 11L), dict);
            dict.clear();
            assertTrue(dict.isEmpty());
            assertNull(dict.get("f"));
            assertThrows(NullPointerException.class, () -> dict.put(null, 1L));
            assertThrows(NullPointerException.class, () -> dict.put("x", null));
        }
    }

    @Test
    void shouldGrowFromEmptyToManyEntriesAndKeepEveryOne()
    {
        final int entries = 200_000;
        try (SharedDict<String, Long> dict = SharedDict.create(name, Codecs.strings(), Codecs.longs()))
        {
            for (int i = 0; i < entries; i++)
            {
                dict.set("key-" + i, (long)i);
            }
            assertEquals(entries, dict.size());
            for (int i = 0; i < entries; i++)
            {
                assertEquals((long)i, dict.get("key-" + i), "key-" + i);
            }
            final Map<String, Long> copy = new HashMap<>();
            for (final Map.Entry<String, Long> entry : dict.entrySet())
            {
                assertNull(copy.put(entry.getKey(), entry.getValue()), "returned twice: " + entry);
            }
            assertEquals(entries, copy.size());
            try (Stream<Path> files = Files.list(directory))
            {
                assertEquals(1, files.filter(f -> f.getFileName().toString().startsWith(name + ".g")).count(),
                    "replaced generations are unlinked");
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
        }
    }

    @Test
    void shouldReuseTheSpaceOfOverwrittenAndRemovedEntries() throws IOException
    {
        try (SharedDict<String, byte[]> dict = SharedDict.create(name, Codecs.strings(), Codecs.bytes()))
        {
            for (int i = 0; i < 1_000; i++)
            {
                dict.set("k" + i, new byte[100]);
            }
            final long settled = generationBytes();
            for (int round = 0; round < 200; round++)
            {
                for (int i = 0; i < 1_000; i++)
                {
                    dict.set("k" + i, new byte[60 + (round + i) % 60]);
                }
                for (int i = 0; i < 100; i++)
                {
                    dict.remove("k" + (round * 7 + i) % 1_000);
                    dict.set("k" + (round * 7 + i) % 1_000, new byte[90]);
                }
            }
            assertEquals(1_000, dict.size());
            assertTrue(generationBytes() <= 2 * settled,
                "a rewrite loop stays bounded: settled=" + settled + ", now=" + generationBytes());
        }
    }

    @Test
    void shouldIterateWeaklyWhileAnotherThreadWrites() throws Exception
    {
        try (SharedDict<Long, Long> dict = SharedDict.create(name, Codecs.longs(), Codecs.longs()))
        {
            for (long i = 0; i < 10_000; i++)
            {
                dict.set(i, i);
            }
            final ExecutorService writer = Executors.newSingleThreadExecutor();
            final CountDownLatch started = new CountDownLatch(1);
            try
            {
                final Future<?> writes = writer.submit(() ->
                {
                    started.countDown();
                    for (long i = 10_000; i < 60_000; i++)
                    {
                        dict.set(i, i);
                        if (i < 15_000)
                        {
                            dict.remove(i - 5_000);
                        }
                    }
                    return null;
                });
                assertTrue(started.await(10, TimeUnit.SECONDS));
                final Map<Long, Long> seen = new HashMap<>();
                for (final Iterator<Map.Entry<Long, Long>> it = dict.entrySet().iterator(); it.hasNext(); )
                {
                    final Map.Entry<Long, Long> entry = it.next();
                    assertEquals(entry.getKey(), entry.getValue(), "never a torn entry");
                    assertNull(seen.put(entry.getKey(), entry.getValue()), "never twice: " + entry);
                }
                for (long i = 0; i < 5_000; i++)
                {
                    assertTrue(seen.containsKey(i), "present throughout, so returned: " + i);
                }
                writes.get(60, TimeUnit.SECONDS);
            }
            finally
            {
                writer.shutdownNow();
            }
        }
    }

    @Test
    void shouldCountExactlyWithMergeFromManyThreads() throws Exception
    {
        try (SharedDict<String, Long> dict = SharedDict.create(name, Codecs.strings(), Codecs.longs()))
        {
            final ConcurrentHashMap<String, Long> expected = new ConcurrentHashMap<>();
            final ExecutorService threads = Executors.newFixedThreadPool(4);
            try
            {
                final Future<?>[] done = new Future<?>[4];
                for (int t = 0; t < done.length; t++)
                {
                    final int thread = t;
                    done[t] = threads.submit(() ->
                    {
                        for (int i = 0; i < 20_000; i++)
                        {
                            final String word = "w" + (i * 31 + thread) % 500;
                            dict.merge(word, 1L, Long::sum);
                            expected.merge(word, 1L, Long::sum);
                        }
                        return null;
                    });
                }
                for (final Future<?> future : done)
                {
                    future.get(60, TimeUnit.SECONDS);
                }
            }
            finally
            {
                threads.shutdownNow();
            }
            assertEquals(expected, new HashMap<>(dict));
        }
    }

    @Test
    void shouldRefuseARecursiveUpdateInsteadOfDeadlocking()
    {
        try (SharedDict<String, Long> dict = SharedDict.create(name, Codecs.strings(), Codecs.longs()))
        {
            final IllegalStateException ex = assertThrows(IllegalStateException.class,
                () -> dict.compute("a", (k, v) -> dict.put("b", 1L)));
            assertTrue(ex.getMessage().contains("recursive update"), ex.getMessage());
            assertEquals(1L, dict.merge("a", 1L, Long::sum), "the lock was released");
        }
    }

    @Test
    void shouldRefuseARecursiveUpdateOfAnotherStripe()
    {
        try (SharedDict<String, Long> dict = SharedDict.create(directory, name, Codecs.strings(), Codecs.longs(), 16))
        {
            final String other = keyOfAnotherStripe(dict, "a");
            final IllegalStateException ex = assertThrows(IllegalStateException.class,
                () -> dict.compute("a", (k, v) -> dict.put(other, 1L)));
            assertTrue(ex.getMessage().contains("recursive update"), ex.getMessage());
            assertNull(dict.get(other), "the nested write did not happen");
            dict.set("a", 5L);
            dict.set(other, 6L);
            assertEquals(2, dict.size(), "both stripes' locks were released");
        }
    }

    @Test
    void shouldSpreadKeysOverItsStripesAndActAsOneMap() throws IOException
    {
        try (SharedDict<String, Long> dict = SharedDict.create(directory, name, Codecs.strings(), Codecs.longs(), 8))
        {
            assertEquals(8, dict.stripes());
            for (long i = 0; i < 4_000; i++)
            {
                dict.set("k" + i, i);
            }
            assertEquals(4_000, dict.size());
            for (final CollectionStore stripe : dict.stripeStores())
            {
                assertTrue(stripe.size() > 300 && stripe.size() < 700, stripe.name() + " holds " + stripe.size());
            }
            final Map<String, Long> copy = new HashMap<>(dict);
            assertEquals(4_000, copy.size(), "the iteration walks every stripe once");
            for (long i = 0; i < 4_000; i++)
            {
                assertEquals(i, copy.get("k" + i));
            }
            final Iterator<Map.Entry<String, Long>> walk = dict.entrySet().iterator();
            while (walk.hasNext())
            {
                if (walk.next().getValue() % 2 == 0)
                {
                    walk.remove();
                }
            }
            assertEquals(2_000, dict.size(), "the iterator's remove reaches every stripe");
            assertEquals(List.of(), CollectionAudit.audit(dict));
            try (SharedDict<String, Long> again = SharedDict.open(directory, name, Codecs.strings(), Codecs.longs()))
            {
                assertEquals(8, again.stripes(), "the count is read from the map's root");
                assertEquals(1_999L, again.get("k1999"));
                again.clear();
            }
            assertTrue(dict.isEmpty(), "clear empties every stripe");
            dict.unlink();
        }
        try (Stream<Path> files = Files.list(directory))
        {
            assertEquals(List.of(), files.map(f -> f.getFileName().toString()).filter(f -> f.startsWith(name))
                .toList(), "unlink removes every stripe's root, lock and generation");
        }
    }

    @Test
    void shouldRefuseABadStripeCountOrAStripeOpenedAsAMap()
    {
        for (final int bad : new int[] {0, -1, 3, 32})
        {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> SharedDict.create(directory, name, Codecs.strings(), Codecs.longs(), bad));
            assertTrue(ex.getMessage().contains("stripes must be a power of two from 1 to 16: " + bad),
                ex.getMessage());
        }
        try (SharedDict<String, Long> dict = SharedDict.create(directory, name, Codecs.strings(), Codecs.longs(), 2))
        {
            final SegmentFormatException ex = assertThrows(SegmentFormatException.class,
                () -> SharedDict.open(directory, name + ".s1", Codecs.strings(), Codecs.longs()));
            assertTrue(ex.getMessage().contains("a stripe of another map") && ex.getMessage().contains(name + ".s1"),
                ex.getMessage());
            dict.unlink();
        }
    }

    /** A key whose stripe is not the given key's. */
    private static String keyOfAnotherStripe(final SharedDict<String, Long> dict, final String key)
    {
        final int stripe = stripeOf(dict, key);
        for (int i = 0; ; i++)
        {
            if (stripeOf(dict, "o" + i) != stripe)
            {
                return "o" + i;
            }
        }
    }

    private static int stripeOf(final SharedDict<String, Long> dict, final String key)
    {
        final org.agrona.ExpandableArrayBuffer bytes = new org.agrona.ExpandableArrayBuffer();
        final int length = Codecs.strings().encode(key, bytes, 0);
        return DictStripes.index(Blocks.hash(bytes, length), dict.stripes());
    }

    @Test
    void shouldPassAsAHandle()
    {
        try (SharedDict<String, Long> dict = SharedDict.create(name, Codecs.strings(), Codecs.longs()))
        {
            dict.set("x", 5L);
            @SuppressWarnings("unchecked")
            final SharedDict<String, Long> other = (SharedDict<String, Long>)Handles.decode(Handles.encode(dict));
            try (other)
            {
                assertEquals(5L, other.get("x"));
                other.set("y", 6L);
            }
            assertEquals(6L, dict.get("y"));
        }
    }

    @Test
    void shouldRefuseBadInputWithNamedErrors() throws IOException
    {
        assertThrows(IllegalArgumentException.class, () -> SharedDict.create("a/b", Codecs.strings(), Codecs.longs()));
        assertThrows(IllegalArgumentException.class, () -> SharedDict.create("..", Codecs.strings(), Codecs.longs()));
        try (SharedDict<String, Long> dict = SharedDict.create(name, Codecs.strings(), Codecs.longs()))
        {
            final IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                () -> SharedDict.open(name, Codecs.longs(), Codecs.longs()));
            assertTrue(wrong.getMessage().contains("wrong key codec"), wrong.getMessage());
            assertThrows(UncheckedIOException.class, () -> SharedDict.create(name, Codecs.strings(), Codecs.longs()));
        }
        final Path foreign = directory.resolve(name + "-foreign");
        Files.write(foreign, new byte[4096]);
        assertThrows(SegmentFormatException.class,
            () -> SharedDict.open(name + "-foreign", Codecs.strings(), Codecs.longs()));
        try (SharedDict<String, byte[]> dict = SharedDict.create(name + "-big", Codecs.strings(), Codecs.bytes()))
        {
            final IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                () -> dict.set("k", new byte[CollectionDescriptor.MAX_BLOCK]));
            assertTrue(big.getMessage().contains("entry too large"), big.getMessage());
            assertTrue(dict.isEmpty());
        }
    }

    @Test
    void shouldRefuseUseAfterCloseNamingTheMap()
    {
        final SharedDict<String, Long> dict = SharedDict.create(name, Codecs.strings(), Codecs.longs());
        dict.set("a", 1L);
        final Iterator<Map.Entry<String, Long>> open = dict.entrySet().iterator();
        dict.close();
        dict.close();
        final IllegalStateException get = assertThrows(IllegalStateException.class, () -> dict.get("a"));
        assertTrue(get.getMessage().contains("closed") && get.getMessage().contains(name), get.getMessage());
        assertThrows(IllegalStateException.class, () -> dict.set("a", 2L));
        assertThrows(IllegalStateException.class, dict::size);
        assertEquals("a", open.next().getKey(), "an iterator made before the close finishes its walk");
        try (SharedDict<String, Long> again = SharedDict.open(name, Codecs.strings(), Codecs.longs()))
        {
            assertEquals(1L, again.get("a"), "closing a handle leaves the map");
        }
        dict.unlink();
        assertThrows(UncheckedIOException.class, () -> SharedDict.open(name, Codecs.strings(), Codecs.longs()),
            "unlink of a closed handle removes the files by name");
    }

    private long generationBytes() throws IOException
    {
        try (Stream<Path> files = Files.list(directory))
        {
            long bytes = 0;
            for (final Path file : files.filter(f -> f.getFileName().toString().startsWith(name + ".g")).toList())
            {
                bytes += Files.size(file);
            }
            return bytes;
        }
    }
}
