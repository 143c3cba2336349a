package dev.jipc.core.codec;

import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.io.DirectBufferInputStream;
import org.agrona.io.ExpandableDirectBufferOutputStream;

/**
 * The Java-serialisation codec behind {@link Codecs#serializable(String...)}: an allow-list of classes, and limits
 * that bound what one record can make the reader allocate.
 */
final class SerializableCodec<E extends Serializable> implements Codec<E>
{
    /*
     * Overview
     *
     * Any process that can open the segment can write any bytes into the ring, so decode treats a record as hostile.
     * Each decode gets its own RecordFilter, made for the record's length. ObjectInputStream consults it for every
     * class descriptor, every back-reference and every array, and for an array before allocating it: arrays in the
     * stream, and the tables that collections size from a count in the stream (ArrayList, HashMap, ArrayDeque,
     * IdentityHashMap and the others call checkArray before they allocate).
     *
     * Arrays. A well-formed stream holds every element of every array it describes: a primitive element as its
     * bytes (a long[n] is followed by 8n bytes), a reference element as at least its one-byte tag (TC_NULL,
     * TC_REFERENCE, TC_OBJECT...), and each tag byte belongs to exactly one element, however the arrays nest. So
     * the sum over a record's arrays of length x (primitive size, or 1 for a reference) is at most the record's
     * length. The filter keeps that sum (arrayBytes) and refuses the array that takes it past the limit, before the
     * array exists. A list's table (ArrayList, ArrayDeque, PriorityQueue, CopyOnWriteArrayList, List.of) has a slot
     * per element and counts the same. A hash table is sized ahead of its entries, from a count and a load factor
     * in the stream, and each entry has at least 4 bytes of its own that no other array counts (a key's tag with its
     * handle, or its length and first character; a value's tag). The most slots per such byte are 2, for a HashSet
     * at the lowest load factor it accepts (0.25: up to 8n slots for n elements of 4 bytes); HashMap reaches 1.6,
     * IdentityHashMap 1.5 (its keys may be 3-byte empty strings), Hashtable less than 1. Each byte is counted by at
     * most one array or table, so maxArrayBytes is 2 x the record's length: no well-formed record exceeds it, and a
     * record of length R makes at most 2R array elements, at most 16R bytes of heap (an 8-byte reference per 1-byte
     * TC_NULL; 8R with compressed oops), where a 657-byte record used to make 4 GB. An array that a readResolve
     * returns is counted again when the stream re-checks it: conservative, and no class jipc knows of does that.
     *
     * References and stream bytes need no limit of their own: every reference the stream counts costs at least its
     * tag byte, so a record of R bytes makes at most R objects, and the stream ends where the record does. Objects
     * take heap in proportion to their bytes (each field is in the stream). The old fixed maxrefs=100000 refused
     * legitimate records of more than 100,000 objects and bounded nothing that the record's length does not.
     *
     * Hashing. Nothing that counts bytes or references bounds the time a record costs when the reader hashes what
     * it decodes: a set whose two members are sets sharing the same members, 28 levels deep, is 1.6 KB and costs
     * 2^28 hashCode calls (15 s) when HashSet.readObject inserts it; with k shared members per level the cost is
     * k^depth (measured: k=3 at depth 18 takes 2.3 s in 1.8 KB, k=8 at depth 12 takes 7 s in 4.3 KB, and each
     * further level multiplies that by k). No depth limit bounds it. So the classes whose readObject or readResolve
     * hashes elements the record chooses (HASHING_CLASSES) are refused unless the allow-list names them exactly: a
     * wildcard such as "java.util.*" or "java.base/*" does not admit them. Their subclasses (LinkedHashMap,
     * LinkedHashSet, Properties, a class of yours extending HashMap) are caught too: the stream describes each
     * superclass and the filter sees it. Naming one says that every process able to write into the segment is
     * trusted.
     *
     * Depth. maxDepth stays at 64, which keeps the reader's recursion far from a stack overflow. A lower one would
     * not bound the hashing above (depth 12 is enough for 7 s) and would refuse deep legitimate graphs.
     *
     * The allow-list matches an array by its element type, so arrays of the allowed classes pass; it leaves primitive
     * arrays undecided, which admits them, and the filter counts them. Map.Entry is always allowed: it is the type
     * HashMap, HashSet and Hashtable check their tables as, and an interface, so no record holds an instance of it.
     */

    @Serial
    private static final long serialVersionUID = 1L;
    static final int MAX_DEPTH = 64;
    /** How many array bytes (see Overview) a record may claim per byte of its length. */
    private static final int ARRAY_BYTES_PER_RECORD_BYTE = 2;
    private static final String ALWAYS_ALLOWED = "java.lang.Object;java.lang.String;java.lang.Number;" +
        "java.lang.Boolean;java.lang.Byte;java.lang.Character;java.lang.Short;java.lang.Integer;" +
        "java.lang.Long;java.lang.Float;java.lang.Double;java.lang.Enum;java.util.Map$Entry";
    /** Classes whose decoding may hash elements the record chooses; admitted only by an exact pattern. */
    private static final Set<String> HASHING_CLASSES = Set.of("java.util.HashMap", "java.util.HashSet",
        "java.util.Hashtable", "java.util.concurrent.ConcurrentHashMap", "java.util.CollSer");

    private final String pattern;
    private transient ObjectInputFilter allowList;
    private transient Set<String> namedHashingClasses;

    SerializableCodec(final String... allowed)
    {
        Objects.requireNonNull(allowed, "allowed");
        if (allowed.length == 0)
        {
            throw new IllegalArgumentException("the serialisation allow-list is empty: allowed=[]");
        }
        final StringBuilder builder = new StringBuilder(ALWAYS_ALLOWED);
        for (final String entry : allowed)
        {
            if (entry == null || entry.isBlank() || entry.startsWith("!") || entry.contains(";") ||
                entry.contains("="))
            {
                throw new IllegalArgumentException("invalid allow-list pattern: pattern=" + entry);
            }
            builder.append(';').append(entry.strip());
        }
        this.pattern = builder.append(";!*").toString();
        compile();
    }

    @Override
    public int typeId()
    {
        return Codecs.JAVA_SERIALIZATION_TYPE_ID;
    }

    @Override
    public String name()
    {
        return "java-serialization";
    }

    @Override
    public int encode(final E element, final MutableDirectBuffer buffer, final int offset)
    {
        final ExpandableDirectBufferOutputStream stream = new ExpandableDirectBufferOutputStream(buffer, offset);
        try (ObjectOutputStream out = new ObjectOutputStream(stream))
        {
            out.writeObject(element);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot serialise: class=" + element.getClass().getName(), ex);
        }
        return stream.position();
    }

    @Override
    public E decode(final DirectBuffer buffer, final int offset, final int length)
    {
        final RecordFilter recordFilter = new RecordFilter(allowList, namedHashingClasses, length);
        try (ObjectInputStream in = new ObjectInputStream(new DirectBufferInputStream(buffer, offset, length)))
        {
            in.setObjectInputFilter(recordFilter);
            @SuppressWarnings("unchecked")
            final E element = (E)in.readObject();
            return element;
        }
        catch (final InvalidClassException ex)
        {
            if (recordFilter.refusal != null)
            {
                throw new IllegalArgumentException(recordFilter.refusal + ", recordLength=" + length, ex);
            }
            throw new IllegalArgumentException(
                "record refused by the serialisation allow-list: " + ex.getMessage() + ", filter=" + pattern, ex);
        }
        catch (final IOException | ClassNotFoundException ex)
        {
            throw new IllegalArgumentException("invalid serialised record: " + ex, ex);
        }
    }

    private void compile()
    {
        allowList = ObjectInputFilter.Config.createFilter(pattern);
        final Set<String> named = new HashSet<>();
        for (final String entry : pattern.split(";"))
        {
            // "java.base/java.util.HashMap" names the class as exactly as "java.util.HashMap"; a trailing * never does
            final String className = entry.substring(entry.indexOf('/') + 1);
            if (!entry.endsWith("*") && HASHING_CLASSES.contains(className))
            {
                named.add(className);
            }
        }
        namedHashingClasses = Set.copyOf(named);
    }

    @Serial
    private void readObject(final ObjectInputStream in) throws IOException, ClassNotFoundException
    {
        in.defaultReadObject();
        compile();
    }

    /**
     * The filter of one decode: the limits for a record of this length, then the allow-list. Not thread-safe; one
     * per {@link ObjectInputStream}. The first refusal is kept for the exception's message (the stream's own says
     * only "filter status: REJECTED").
     */
    private static final class RecordFilter implements ObjectInputFilter
    {
        private final ObjectInputFilter allowList;
        private final Set<String> namedHashingClasses;
        private final long maxArrayBytes;
        private long arrayBytes;
        private String refusal;

        private RecordFilter(final ObjectInputFilter allowList, final Set<String> namedHashingClasses,
            final int recordLength)
        {
            this.allowList = allowList;
            this.namedHashingClasses = namedHashingClasses;
            this.maxArrayBytes = (long)recordLength * ARRAY_BYTES_PER_RECORD_BYTE;
        }

        @Override
        public Status checkInput(final FilterInfo info)
        {
            if (info.depth() > MAX_DEPTH)
            {
                return refuse("record refused by the serialisation limits: nested too deep: depth=" + info.depth() +
                    ", maxDepth=" + MAX_DEPTH);
            }
            final Class<?> type = info.serialClass();
            if (type == null)
            {
                // a back-reference, or an array whose class did not resolve: the stream allocates no such array
                return Status.UNDECIDED;
            }
            if (info.arrayLength() >= 0)
            {
                arrayBytes += info.arrayLength() * elementBytes(type.getComponentType());
                if (arrayBytes > maxArrayBytes)
                {
                    return refuse("record refused by the serialisation limits: its arrays claim more than the " +
                        "record can hold: array=" + type.getComponentType().getName() + "[" + info.arrayLength() +
                        "], arrayBytes=" + arrayBytes + ", maxArrayBytes=" + maxArrayBytes + " (" +
                        ARRAY_BYTES_PER_RECORD_BYTE + " x recordLength)");
                }
            }
            else if (HASHING_CLASSES.contains(type.getName()) && !namedHashingClasses.contains(type.getName()))
            {
                return refuse("record refused by the serialisation allow-list: class=" + type.getName() +
                    " may hash the elements the record gives it, in time exponential in their nesting, so only a " +
                    "pattern that names it exactly admits it (a wildcard does not; see Codecs.serializable)");
            }
            return allowList.checkInput(info);
        }

        private Status refuse(final String reason)
        {
            if (refusal == null)
            {
                refusal = reason;
            }
            return Status.REJECTED;
        }

        /** The fewest bytes an element of this type takes in the stream: a primitive its size, a reference its tag. */
        private static long elementBytes(final Class<?> component)
        {
            if (component == long.class || component == double.class)
            {
                return Long.BYTES;
            }
            if (component == int.class || component == float.class)
            {
                return Integer.BYTES;
            }
            if (component == short.class || component == char.class)
            {
                return Short.BYTES;
            }
            return 1; // byte, boolean, and any reference: TC_NULL is one byte
        }
    }
}
