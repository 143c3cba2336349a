package dev.jipc.core.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The Java-serialisation codec bounds what one record costs: hostile records are refused quickly, before they
 * allocate, with the limit and the record's length named; legitimate records, large ones included, still decode.
 */
class SerialisationLimitsTest
{
    /** Far above what a refusal takes (milliseconds), far below what the hostile records took before (15 s, OOM). */
    private static final Duration BOUND = Duration.ofSeconds(10);

    @Test
    void shouldRefuseNestedHugeArrayHeadersBeforeAllocatingThem()
    {
        final byte[] record = HostileRecords.nestedArrayHeaders(60, 16_777_216);
        assertEquals(657, record.length);
        final IllegalArgumentException ex = assertTimeoutPreemptively(BOUND, () -> assertThrows(
            IllegalArgumentException.class, () -> decode(Codecs.serializable("java.util.*"), record)));
        assertTrue(ex.getMessage().contains("array=java.lang.Object[16777216]") &&
            ex.getMessage().contains("maxArrayBytes=1314") && ex.getMessage().contains("recordLength=657"),
            ex.getMessage());
    }

    @Test
    void shouldRefuseAPrimitiveArrayLongerThanItsRecordCanHold()
    {
        // a bare long[16777216] header: 128 MB that the record's 58 bytes cannot fill
        final byte[] record = HostileRecords.nestedArrayHeaders(0, 16_777_216);
        final IllegalArgumentException ex = assertTimeoutPreemptively(BOUND,
            () -> assertThrows(IllegalArgumentException.class, () -> decode(Codecs.serializable("x.Y"), record)));
        assertTrue(ex.getMessage().contains("array=long[16777216]") &&
            ex.getMessage().contains("arrayBytes=134217728") &&
            ex.getMessage().contains("recordLength=" + record.length), ex.getMessage());
    }

    @Test
    void shouldDecodeLargeArraysAndRecordsOfManyObjects()
    {
        final Codec<Serializable> codec = Codecs.serializable("java.util.ArrayList");
        final long[] longs = new long[100_000];
        for (int i = 0; i < longs.length; i++)
        {
            longs[i] = i * 31L;
        }
        assertArrayEquals(longs, (long[])decode(codec, HostileRecords.serialise(longs)));
        // the tightest well-formed record: one byte (TC_NULL) per element
        final Object[] nulls = new Object[100_000];
        assertArrayEquals(nulls, (Object[])decode(codec, HostileRecords.serialise(nulls)));
        // more objects than the old fixed maxrefs=100000 admitted
        final ArrayList<Integer> integers = new ArrayList<>();
        for (int i = 0; i < 150_000; i++)
        {
            integers.add(i);
        }
        assertEquals(integers, decode(codec, HostileRecords.serialise(integers)));
    }

    @Test
    void shouldDecodeAHashSetAtItsLowestLoadFactorWhoseTableOutgrowsItsRecord()
    {
        // 4097 elements of 5 bytes, table sized 4 x 4097 rounded up to 32768 slots: more slots than record bytes
        final Set<String> set = new HashSet<>(16, 0.25f);
        for (int i = 0; set.size() < 4097; i++)
        {
            set.add(String.valueOf((char)('!' + i / 90)) + (char)('!' + i % 90));
        }
        final byte[] record = HostileRecords.serialise(set);
        assertTrue(record.length < 32_768, "record.length=" + record.length);
        assertEquals(set, decode(Codecs.serializable("java.util.HashSet"), record));
    }

    @Test
    void shouldRefuseTheSerialDosRecordQuicklyWhenAWildcardAllowsJavaUtil()
    {
        for (final int depth : new int[]{28, 60})
        {
            final byte[] record = HostileRecords.serialDos(depth);
            final IllegalArgumentException ex = assertTimeoutPreemptively(BOUND, () -> assertThrows(
                IllegalArgumentException.class, () -> decode(Codecs.serializable("java.util.*"), record)));
            assertTrue(ex.getMessage().contains("class=java.util.HashSet") &&
                ex.getMessage().contains("names it exactly") &&
                ex.getMessage().contains("recordLength=" + record.length), ex.getMessage());
        }
    }

    @Test
    void shouldAdmitHashingCollectionsOnlyWhenNamedExactly()
    {
        final HashMap<String, Integer> map = new HashMap<>(Map.of("a", 1, "b", 2));
        final Codec<Serializable> wildcard = Codecs.serializable("java.util.*");
        final IllegalArgumentException refused =
            assertThrows(IllegalArgumentException.class, () -> decode(wildcard, HostileRecords.serialise(map)));
        assertTrue(refused.getMessage().contains("class=java.util.HashMap"), refused.getMessage());
        assertEquals(List.of("x"), decode(wildcard, HostileRecords.serialise(new ArrayList<>(List.of("x")))),
            "the wildcard still admits the classes that do not hash");
        assertEquals(map,
            decode(Codecs.serializable("java.util.*", "java.util.HashMap"), HostileRecords.serialise(map)));
        assertEquals(map, decode(Codecs.serializable("java.base/java.util.HashMap"), HostileRecords.serialise(map)));

        // a subclass is caught by its superclass's descriptor, and admitted with it
        final LinkedHashSet<String> linked = new LinkedHashSet<>(List.of("p", "q"));
        final IllegalArgumentException subclass = assertThrows(IllegalArgumentException.class,
            () -> decode(Codecs.serializable("java.util.LinkedHashSet"), HostileRecords.serialise(linked)));
        assertTrue(subclass.getMessage().contains("class=java.util.HashSet"), subclass.getMessage());
        assertEquals(linked, decode(Codecs.serializable("java.util.LinkedHashSet", "java.util.HashSet"),
            HostileRecords.serialise(linked)));
    }

    @Test
    void shouldNameTheDepthLimitWhenAWellFormedRecordNestsTooDeep()
    {
        Object[] nested = new Object[0];
        for (int i = 0; i < SerializableCodec.MAX_DEPTH; i++)
        {
            nested = new Object[]{nested};
        }
        final byte[] record = HostileRecords.serialise(nested);
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> decode(Codecs.serializable("x.Y"), record));
        assertTrue(ex.getMessage().contains("depth=65") && ex.getMessage().contains("maxDepth=64") &&
            ex.getMessage().contains("recordLength=" + record.length), ex.getMessage());
    }

    private static Object decode(final Codec<Serializable> codec, final byte[] record)
    {
        // at an offset, as in a ring
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[record.length + 16]);
        buffer.putBytes(16, record);
        return codec.decode(buffer, 16, record.length);
    }
}
