package dev.jipc.sync.collection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.RandomAccess;

import dev.jipc.core.Handles;
import dev.jipc.core.SegmentDirectory;
import dev.jipc.core.codec.Codecs;
import dev.jipc.core.test.Names;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SharedList in one JVM: the List contract beside an ArrayList, growth, views, iteration and bad input. */
class SharedListTest
{
    private final String name = Names.unique("list");
    private final Path directory = SegmentDirectory.defaultDirectory();

    @AfterEach
    void removeFiles() throws IOException
    {
        CollectionTestFiles.removeStartingWith(directory, name);
    }

    @Test
    void shouldBehaveAsAnArrayList() throws IOException
    {
        try (SharedList<String> list = SharedList.create(name, Codecs.strings()))
        {
            final List<String> expected = new ArrayList<>();
            assertTrue(list instanceof RandomAccess);
            for (int i = 0; i < 10; i++)
            {
                list.add("e" + i);
                expected.add("e" + i);
            }
            list.add(0, "first");
            expected.add(0, "first");
            list.add(5, "middle");
            expected.add(5, "middle");
            list.add(list.size(), "last");
            expected.add(expected.size(), "last");
            assertEquals(expected, list);
            assertEquals(expected.remove(3), list.remove(3));
            assertEquals(expected.set(2, "two"), list.set(2, "two"));
            assertEquals(expected.indexOf("e7"), list.indexOf("e7"));
            assertEquals(-1, list.indexOf("absent"));
            assertEquals(expected.lastIndexOf("last"), list.lastIndexOf("last"));
            assertTrue(list.contains("middle"));
            assertTrue(list.remove("middle"));
            expected.remove("middle");
            assertEquals(expected, list);
            assertEquals(expected.subList(2, 5), list.subList(2, 5));
            list.subList(1, 3).clear();
            expected.subList(1, 3).clear();
            assertEquals(expected, list);
            Collections.reverse(list);
            Collections.reverse(expected);
            assertEquals(expected, list);
            list.sort(null);
            expected.sort(null);
            assertEquals(expected, list);
            for (final Iterator<String> it = list.iterator(); it.hasNext(); )
            {
                if (it.next().startsWith("e"))
                {
                    it.remove();
                }
            }
            expected.removeIf(e -> e.startsWith("e"));
            assertEquals(expected, list);
            assertEquals(expected.hashCode(), list.hashCode());
            assertThrows(IndexOutOfBoundsException.class, () -> list.get(list.size()));
            assertThrows(IndexOutOfBoundsException.class, () -> list.add(list.size() + 1, "x"));
            assertThrows(IndexOutOfBoundsException.class, () -> list.remove(-1));
            assertThrows(NullPointerException.class, () -> list.add(null));
            assertEquals(List.of(), CollectionAudit.audit(list));
            list.clear();
            assertTrue(list.isEmpty());
            assertFalse(list.iterator().hasNext());
        }
    }

    @Test
    void shouldGrowAndReuseSpace() throws IOException
    {
        try (SharedList<Long> list = SharedList.create(name, Codecs.longs()))
        {
            for (long i = 0; i < 100_000; i++)
            {
                list.add(i);
            }
            for (int i = 0; i < 1_000; i++)
            {
                list.add(i * 37, -1L);
            }
            for (int i = 0; i < 1_000; i++)
            {
                list.remove(Long.valueOf(-1L));
            }
            assertEquals(100_000, list.size());
            for (int i = 0; i < 100_000; i++)
            {
                assertEquals((long)i, list.get(i));
            }
            for (int round = 0; round < 20; round++)
            {
                for (int i = 0; i < 100_000; i += 7)
                {
                    list.set(i, (long)i);
                }
            }
            assertEquals(List.of(), CollectionAudit.audit(list));
        }
    }

    @Test
    void shouldPassAsAHandleAndRefuseAWrongCodec()
    {
        try (SharedList<String> list = SharedList.create(name, Codecs.strings()))
        {
            list.add("a");
            @SuppressWarnings("unchecked")
            final SharedList<String> other = (SharedList<String>)Handles.decode(Handles.encode(list));
            try (other)
            {
                other.add("b");
            }
            assertEquals(List.of("a", "b"), list);
            final IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                () -> SharedList.open(name, Codecs.longs()));
            assertTrue(wrong.getMessage().contains("wrong value codec"), wrong.getMessage());
            assertThrows(dev.jipc.core.SegmentFormatException.class,
                () -> SharedDict.open(name, Codecs.strings(), Codecs.strings()), "a list is not a dict");
        }
    }
}
