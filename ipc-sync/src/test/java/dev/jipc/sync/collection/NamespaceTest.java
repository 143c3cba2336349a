package dev.jipc.sync.collection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;

import dev.jipc.core.Handles;
import dev.jipc.core.test.Names;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Namespace}: attributes, the allow-list, names, serialisation and unlink, in one JVM. */
class NamespaceTest
{
    @TempDir
    Path directory;

    private String name;
    private Namespace namespace;

    @BeforeEach
    void setUp()
    {
        name = Names.unique("ns");
        namespace = Namespace.create(directory, name);
    }

    @AfterEach
    void tearDown()
    {
        try
        {
            namespace.unlink();
        }
        finally
        {
            namespace.close();
        }
    }

    @Test
    void shouldSetGetAndRemoveAttributes()
    {
        namespace.set("x", 1);
        namespace.set("y", "hello");
        namespace.set("x", 2);
        assertEquals(2, namespace.get("x"));
        assertEquals("hello", namespace.get("y", String.class));
        assertTrue(namespace.contains("x"));
        assertFalse(namespace.contains("z"));
        assertNull(namespace.get("z"), "an attribute never set reads as null");
        assertEquals(Set.of("x", "y"), namespace.names());
        assertEquals("Namespace(x=2, y=hello)", namespace.toString());
        assertTrue(namespace.remove("x"));
        assertFalse(namespace.remove("x"));
        assertEquals(Set.of("y"), namespace.names());
    }

    @Test
    void shouldReadTheDefaultAllowListsClasses()
    {
        final Map<String, Object> values = new TreeMap<>();
        values.put("date", LocalDate.of(2026, 12, 2));
        values.put("duration", Duration.ofMillis(1500));
        values.put("decimal", new BigDecimal("1.25"));
        values.put("list", new ArrayList<>(List.of(1, "two", 3.0)));
        values.put("tree", new TreeMap<>(Map.of("a", 1, "b", 2)));
        values.put("uuid", UUID.nameUUIDFromBytes(new byte[] {1, 2, 3}));
        values.put("array", new long[] {1, 2, 3});
        values.forEach(namespace::set);
        try (Namespace other = Namespace.open(directory, name))
        {
            for (final Map.Entry<String, Object> value : values.entrySet())
            {
                if (value.getValue() instanceof long[] array)
                {
                    assertArrayEquals(array, (long[])other.get(value.getKey()));
                }
                else
                {
                    assertEquals(value.getValue(), other.get(value.getKey()), value.getKey());
                }
            }
        }
    }

    @Test
    void shouldRefuseAHashMapUnlessTheCallerNamesIt()
    {
        final HashMap<String, Integer> map = new HashMap<>(Map.of("a", 1));
        namespace.set("map", map);
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> namespace.get("map"));
        assertTrue(ex.getMessage().contains("java.util.HashMap"), ex.getMessage());
        try (Namespace trusting = Namespace.open(directory, name, "java.util.HashMap"))
        {
            assertEquals(map, trusting.get("map"));
        }
    }

    @Test
    void shouldRefuseAValueOfAnotherTypeNamingBoth()
    {
        namespace.set("x", "text");
        final ClassCastException ex = assertThrows(ClassCastException.class, () -> namespace.get("x", Integer.class));
        assertTrue(ex.getMessage().contains("java.lang.String") && ex.getMessage().contains("java.lang.Integer") &&
            ex.getMessage().contains("attribute x"), ex.getMessage());
    }

    @Test
    void shouldRefuseNullAndUnserialisableValues()
    {
        assertThrows(NullPointerException.class, () -> namespace.set("x", null));
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> namespace.set("x", new Object()));
        assertTrue(ex.getMessage().contains("not Serializable") && ex.getMessage().contains("java.lang.Object"),
            ex.getMessage());
        assertEquals(Set.of(), namespace.names());
    }

    @Test
    void shouldRefuseBadAttributeNamesSayingWhatIsWrong()
    {
        assertFault(() -> namespace.set("", 1), "attribute name is empty");
        assertFault(() -> namespace.set(null, 1), "attribute name is empty");
        assertFault(() -> namespace.get("x".repeat(Namespace.MAX_ATTRIBUTE_NAME_LENGTH + 1)), "too long");
        assertFault(() -> namespace.contains("a\nb"), "control characters");
        assertFault(() -> namespace.remove(""), "attribute name is empty");
        namespace.set("x".repeat(Namespace.MAX_ATTRIBUTE_NAME_LENGTH), 1);
        assertEquals(1, namespace.names().size(), "the longest name is accepted");
    }

    @Test
    void shouldSerialiseAsAHandleThatReattaches()
    {
        namespace.set("x", 5);
        final byte[] bytes = Handles.toBytes(namespace);
        assertTrue(bytes.length < 1024, "a handle, not the contents: size=" + bytes.length);
        try (Namespace copy = (Namespace)Handles.fromBytes(bytes))
        {
            assertEquals(5, copy.get("x"));
            copy.set("y", 6);
        }
        assertEquals(6, namespace.get("y"));
    }

    @Test
    void shouldRemoveItsFilesOnUnlink() throws IOException
    {
        final String other = Names.unique("ns");
        try (Namespace doomed = Namespace.create(directory, other))
        {
            doomed.set("x", 1);
            assertFalse(filesOf(other).isEmpty());
            doomed.unlink();
        }
        assertEquals(List.of(), filesOf(other));
    }

    @Test
    void shouldRefuseToUnlinkThroughAClosedHandle() throws IOException
    {
        final String other = Names.unique("ns");
        final Namespace closed = Namespace.create(directory, other);
        closed.close();
        final IllegalStateException ex = assertThrows(IllegalStateException.class, closed::unlink);
        assertTrue(ex.getMessage().contains("closed"), ex.getMessage());
        try (Namespace open = Namespace.open(directory, other))
        {
            open.unlink();
        }
        assertEquals(List.of(), filesOf(other));
    }

    private static void assertFault(final Runnable call, final String fault)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(ex.getMessage().contains(fault), "expected \"" + fault + "\" in: " + ex.getMessage());
    }

    private List<String> filesOf(final String prefix) throws IOException
    {
        try (Stream<Path> files = Files.list(directory))
        {
            return files.map(file -> file.getFileName().toString()).filter(file -> file.startsWith(prefix)).toList();
        }
    }
}
