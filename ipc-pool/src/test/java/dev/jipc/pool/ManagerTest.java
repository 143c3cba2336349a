package dev.jipc.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import dev.jipc.core.Handles;
import dev.jipc.core.codec.Codecs;
import dev.jipc.core.test.Names;
import dev.jipc.core.wait.WaitStrategy;
import dev.jipc.sync.LongValue;
import dev.jipc.sync.collection.Namespace;
import dev.jipc.sync.collection.SharedDict;
import dev.jipc.sync.collection.SharedList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Manager} in one JVM: naming, the registry, kinds, bad names, and what close removes. */
class ManagerTest
{
    @TempDir
    Path directory;

    @Test
    void shouldOpenTheSameObjectsFromASecondHandleAndListThemWithTheirKinds()
    {
        final String name = Names.unique("mgr");
        try (Manager manager = Manager.create(directory, name);
            Manager other = Manager.open(directory, name))
        {
            assertTrue(manager.isCreator());
            assertFalse(other.isCreator());
            manager.dict("d", Codecs.strings(), Codecs.longs()).put("a", 1L);
            manager.list("l", Codecs.strings()).add("x");
            manager.namespace("ns").set("x", 1);
            manager.queue("q").add("hello");
            manager.lock("lk");
            manager.rlock("rl");
            manager.semaphore("s", 2);
            manager.boundedSemaphore("bs", 1);
            manager.condition("c");
            manager.event("e").set();
            manager.barrier("b", 2);
            manager.intValue("iv", 3);
            manager.longValue("lv", 4L);
            manager.doubleValue("dv", 5.5);
            manager.intArray("ia", 2);
            manager.longArray("la", 3);
            manager.doubleArray("da", 4);
            manager.byteArray("ba", 5);
            manager.joinableQueue("jq", Codecs.longs());

            final Map<String, Manager.Kind> expected = new TreeMap<>();
            expected.put("d", Manager.Kind.DICT);
            expected.put("l", Manager.Kind.LIST);
            expected.put("ns", Manager.Kind.NAMESPACE);
            expected.put("q", Manager.Kind.QUEUE);
            expected.put("lk", Manager.Kind.LOCK);
            expected.put("rl", Manager.Kind.RLOCK);
            expected.put("s", Manager.Kind.SEMAPHORE);
            expected.put("bs", Manager.Kind.BOUNDED_SEMAPHORE);
            expected.put("c", Manager.Kind.CONDITION);
            expected.put("e", Manager.Kind.EVENT);
            expected.put("b", Manager.Kind.BARRIER);
            expected.put("iv", Manager.Kind.INT_VALUE);
            expected.put("lv", Manager.Kind.LONG_VALUE);
            expected.put("dv", Manager.Kind.DOUBLE_VALUE);
            expected.put("ia", Manager.Kind.INT_ARRAY);
            expected.put("la", Manager.Kind.LONG_ARRAY);
            expected.put("da", Manager.Kind.DOUBLE_ARRAY);
            expected.put("ba", Manager.Kind.BYTE_ARRAY);
            expected.put("jq", Manager.Kind.JOINABLE_QUEUE);
            assertEquals(expected, manager.names());
            assertEquals(expected, other.names(), "the registry is in shared memory: another handle sees it");

            assertEquals(1L, other.dict("d", Codecs.strings(), Codecs.longs()).get("a"));
            assertEquals(List.of("x"), List.copyOf(other.list("l", Codecs.strings())));
            assertEquals(1, other.namespace("ns").get("x", Integer.class));
            assertEquals("hello", other.queue("q").poll());
            assertTrue(other.event("e").isSet());
            assertEquals(2, other.semaphore("s", 99).value(), "an existing semaphore keeps its count");
            assertEquals(4L, other.longValue("lv", 99L).get(), "an existing value keeps its value");
            assertEquals(3, other.longArray("la", 3).length());
            assertEquals(expected, other.names(), "opening adds nothing");
        }
    }

    @Test
    void shouldNameObjectsWithTheManagersNameAsPrefix()
    {
        try (Manager manager = Manager.create(directory, "orders"))
        {
            assertEquals("orders.totals", manager.segmentName("totals"));
            final LongValue value = manager.longValue("total", 9L);
            try (LongValue direct = LongValue.open(directory, "orders.total", WaitStrategy.PARK))
            {
                assertEquals(9L, direct.get(), "the object is the segment <manager>.<object>");
            }
            assertEquals(9L, value.get());
        }
    }

    @Test
    void shouldRefuseANameOfAnotherKindNamingBoth()
    {
        try (Manager manager = Manager.create(directory, Names.unique("mgr")))
        {
            manager.dict("x");
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> manager.list("x"));
            assertTrue(ex.getMessage().contains("is a dict, not a list") && ex.getMessage().contains("name=x"),
                ex.getMessage());
            assertEquals(Map.of("x", Manager.Kind.DICT), manager.names());
        }
    }

    @Test
    void shouldRefuseAnArrayOfAnotherLength()
    {
        try (Manager manager = Manager.create(directory, Names.unique("mgr")))
        {
            manager.intArray("a", 4);
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> manager.intArray("a", 5));
            assertTrue(ex.getMessage().contains("length=4") && ex.getMessage().contains("asked=5"),
                ex.getMessage());
        }
    }

    @Test
    void shouldRefuseBadObjectNamesSayingWhatIsWrong() throws IOException
    {
        final String name = Names.unique("mgr");
        try (Manager manager = Manager.create(directory, name))
        {
            final List<String> registryOnly = filesOf(name);
            assertFault(() -> manager.dict(""), "name is empty");
            assertFault(() -> manager.dict(null), "name is empty");
            assertFault(() -> manager.dict("a/b"), "path separator");
            assertFault(() -> manager.lock(".."), "'..'");
            assertFault(() -> manager.queue("a.b"), "must not contain '.'");
            assertFault(() -> manager.event("-x"), "must start with a letter or a digit");
            assertFault(() -> manager.event("_x"), "must start with a letter or a digit");
            assertFault(() -> manager.event("a b"), "only letters");
            assertFault(() -> manager.namespace("x".repeat(Manager.MAX_NAME_LENGTH + 1)), "too long");
            assertEquals(Map.of(), manager.names(), "nothing was registered");
            assertEquals(registryOnly, filesOf(name), "no file made for a refused name");
            assertTrue(registryOnly.stream().allMatch(file -> file.startsWith(name + "._")),
                registryOnly.toString());
        }
    }

    @Test
    void shouldRefuseBadManagerNamesSayingWhatIsWrong()
    {
        assertFault(() -> Manager.create(directory, "a.b"), "must not contain '.'");
        assertFault(() -> Manager.create(directory, "../x"), "path separator");
        assertFault(() -> Manager.create(directory, ""), "name is empty");
        assertFault(() -> Manager.open(directory, "a..b"), "'..'");
        assertFault(() -> Manager.create(directory, "m".repeat(Manager.MAX_NAME_LENGTH + 1)), "too long");
    }

    @Test
    void shouldRemoveEverythingWhenTheCreatorClosesButNotWhenAnOpenerDoes() throws IOException
    {
        final String name = Names.unique("mgr");
        final Manager manager = Manager.create(directory, name);
        final SharedDict<String, Serializable> dict = manager.dict("d");
        dict.put("k", "v");
        manager.list("l").add(1);
        manager.namespace("ns").set("x", 1);
        manager.semaphore("s", 1);

        final Manager opener = Manager.open(directory, name);
        opener.event("e");
        opener.close();
        assertEquals("v", dict.get("k"), "an opener's close only detaches");
        assertEquals(5, manager.names().size(), "and leaves the registry: " + manager.names());
        assertFalse(filesOf(name).isEmpty());

        manager.close();
        assertEquals(List.of(), filesOf(name), "the creator's close removes every object and the registry");
        final UncheckedIOException ex = assertThrows(UncheckedIOException.class, () -> Manager.open(directory, name));
        assertTrue(ex.getMessage().contains("no such manager"), ex.getMessage());
        assertThrows(IllegalStateException.class, () -> manager.dict("d"), "a closed handle makes nothing");
        manager.close();
        manager.unlink();
        final IllegalStateException closed = assertThrows(IllegalStateException.class, opener::unlink,
            "a closed opener cannot unlink");
        assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
    }

    @Test
    void shouldRemoveObjectsWhoseHandlesTheCallerClosedFirst() throws IOException
    {
        final String name = Names.unique("mgr");
        final Manager manager = Manager.create(directory, name);
        try (SharedDict<String, Long> dict = manager.dict("d", Codecs.strings(), Codecs.longs());
            Namespace namespace = manager.namespace("ns");
            LongValue value = manager.longValue("v", 1))
        {
            dict.put("k", 1L);
            namespace.set("x", 1);
            value.set(2);
        }
        manager.close();
        assertEquals(List.of(), filesOf(name), "closed handles are removed by name, without touching their memory");
    }

    @Test
    void shouldRefuseNewObjectsFromOpenersOnceTheCreatorHasClosed()
    {
        final String name = Names.unique("mgr");
        final Manager manager = Manager.create(directory, name);
        try (Manager opener = Manager.open(directory, name))
        {
            manager.close();
            final IllegalStateException ex = assertThrows(IllegalStateException.class, () -> opener.lock("late"));
            assertTrue(ex.getMessage().contains("shutting down"), ex.getMessage());
        }
    }

    @Test
    void shouldSerialiseAsAHandleThatOpensTheManager()
    {
        try (Manager manager = Manager.create(directory, Names.unique("mgr")))
        {
            manager.dict("d").put("k", 7L);
            final byte[] bytes = Handles.toBytes(manager);
            assertTrue(bytes.length < 1024, "a handle, not the contents: size=" + bytes.length);
            try (Manager copy = (Manager)Handles.fromBytes(bytes))
            {
                assertNotSame(manager, copy);
                assertFalse(copy.isCreator(), "a deserialised manager only detaches when it closes");
                assertEquals(manager.name(), copy.name());
                assertEquals(manager.names(), copy.names());
                assertEquals(7L, copy.dict("d").get("k"));
            }
            assertEquals(7L, manager.dict("d").get("k"), "closing the copy removed nothing");
        }
    }

    @Test
    void shouldBeMadeByAContextThatRemovesItWhenItCloses() throws IOException
    {
        final String name;
        try (Context context = Context.threads().directory(directory))
        {
            final Manager manager = context.manager();
            name = manager.name();
            assertTrue(manager.isCreator());
            manager.dict("d").put("k", 1);
            manager.namespace("ns").set("y", 2);
            assertTrue(context.createdNames().contains(name), context.createdNames().toString());
            assertFalse(filesOf(name).isEmpty());
        }
        assertEquals(List.of(), filesOf(name), "the context's close removes the manager and its objects");
    }

    @Test
    void shouldMakeANamespaceThatReadsTheCallersExtraClasses()
    {
        try (Manager manager = Manager.create(directory, Names.unique("mgr")))
        {
            final Namespace namespace = manager.namespace("ns", "java.util.HashMap");
            final HashMap<String, Integer> map = new HashMap<>(Map.of("a", 1));
            namespace.set("map", map);
            assertEquals(map, namespace.get("map"));
            final SharedList<Serializable> list = manager.list("plain");
            list.add(map);
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> list.get(0));
            assertTrue(ex.getMessage().contains("allow-list") || ex.getMessage().contains("refused"),
                "the default allow-list refuses a HashMap: " + ex.getMessage());
        }
    }

    private static void assertFault(final Runnable call, final String fault)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(ex.getMessage().contains(fault), "expected \"" + fault + "\" in: " + ex.getMessage());
    }

    private List<String> filesOf(final String managerName) throws IOException
    {
        try (Stream<Path> files = Files.list(directory))
        {
            return files.map(file -> file.getFileName().toString())
                .filter(file -> file.startsWith(managerName + ".")).sorted().toList();
        }
    }
}
