package dev.jipc.core.codec;

import java.io.ObjectInputFilter;
import java.io.Serial;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Supplier;

import dev.jipc.core.JvmFlags;
import net.openhft.chronicle.bytes.BytesMarshallable;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The built-in codecs. Numbers are little-endian, strings UTF-8, byte arrays and buffers their bytes as they are;
 * Chronicle Bytes carries {@code BytesMarshallable} classes; Java serialisation is the fallback for everything else
 * and always reads through an {@link ObjectInputFilter} allow-list, because any local process that can open the
 * segment can write into the ring.
 */
public final class Codecs
{
    /** Record type id of {@link #longs()}, also used by {@code LongQueue} and {@code Connection.sendLong}. */
    public static final int LONG_TYPE_ID = 1;
    /** Record type id of {@link #ints()}. */
    public static final int INT_TYPE_ID = 2;
    /** Record type id of {@link #doubles()}. */
    public static final int DOUBLE_TYPE_ID = 3;
    /** Record type id of {@link #strings()}. */
    public static final int STRING_TYPE_ID = 4;
    /** Record type id of {@link #bytes()}, also used by {@code Connection.sendBytes}. */
    public static final int BYTES_TYPE_ID = 5;
    /** Record type id of {@link #byteBuffers()}. */
    public static final int BYTE_BUFFER_TYPE_ID = 6;
    /** Record type id of {@link #serializable(String...)}. */
    public static final int JAVA_SERIALIZATION_TYPE_ID = 7;
    /**
     * Record type id of {@link #marshallable(Class)}, whatever the class: a queue or pipe of this codec also stores
     * the codec's {@link Codec#name() name}, which names the class, and opening it compares both.
     */
    public static final int MARSHALLABLE_TYPE_ID = 8;

    private static final Codec<Long> LONGS = new LongCodec();
    private static final Codec<Integer> INTS = new IntCodec();
    private static final Codec<Double> DOUBLES = new DoubleCodec();
    private static final Codec<String> STRINGS = new StringCodec();
    private static final Codec<byte[]> BYTES = new BytesCodec();
    private static final Codec<ByteBuffer> BYTE_BUFFERS = new ByteBufferCodec();

    private Codecs()
    {
    }

    /**
     * {@code Long} as 8 bytes.
     *
     * @return the codec.
     */
    public static Codec<Long> longs()
    {
        return LONGS;
    }

    /**
     * {@code Integer} as 4 bytes.
     *
     * @return the codec.
     */
    public static Codec<Integer> ints()
    {
        return INTS;
    }

    /**
     * {@code Double} as its 8 IEEE 754 bytes.
     *
     * @return the codec.
     */
    public static Codec<Double> doubles()
    {
        return DOUBLES;
    }

    /**
     * {@code String} as UTF-8.
     *
     * @return the codec.
     */
    public static Codec<String> strings()
    {
        return STRINGS;
    }

    /**
     * {@code byte[]} as its bytes; the decoded array is a fresh copy.
     *
     * @return the codec.
     */
    public static Codec<byte[]> bytes()
    {
        return BYTES;
    }

    /**
     * {@code ByteBuffer}: the bytes between position and limit (the buffer's position is not moved); decodes into a
     * fresh heap buffer.
     *
     * @return the codec.
     */
    public static Codec<ByteBuffer> byteBuffers()
    {
        return BYTE_BUFFERS;
    }

    /**
     * Java serialisation, reading only classes the allow-list admits. The patterns use the syntax of
     * {@link ObjectInputFilter.Config#createFilter(String)} ({@code "com.example.Order"}, {@code "com.example.*"},
     * {@code "java.base/*"}); anything not matched is rejected before its class is even resolved, so no gadget in a
     * hostile record runs. Arrays of allowed classes are allowed, and so are {@code String}, the boxed primitives,
     * {@code Number}, {@code Enum}, {@code Object} and {@code Map.Entry} (the element types of the tables inside
     * collections such as {@code ArrayList} and {@code HashMap}).
     * <p>
     * Every record is read under limits in proportion to its own length, checked before anything they cover is
     * allocated: its arrays (and the tables collections size from a count in the record) may claim at most 2 bytes
     * per record byte, counting a primitive element as its size and a reference as 1 byte, the least each takes in a
     * well-formed record. So a record of length R allocates at most 2R array elements, and no well-formed record
     * exceeds the limit. Objects nest at most 64 deep. A refused record throws {@link IllegalArgumentException}
     * naming the limit, the value and the record's length.
     * <p>
     * Collections that hash their elements as they are read, {@code java.util.HashMap}, {@code HashSet},
     * {@code Hashtable}, {@code java.util.concurrent.ConcurrentHashMap} and their subclasses (such as
     * {@code LinkedHashMap}, {@code LinkedHashSet}, {@code Properties}), and {@code java.util.CollSer} (the serial
     * form of {@code List.of}, {@code Set.of} and {@code Map.of}), are unsafe to allow when a writer may be hostile:
     * nested sets that share members (the SerialDOS shape) make a 1.6 KB record cost 15 s of {@code hashCode}
     * calls, each further level of nesting doubles that, and no limit on bytes, references or depth bounds it. A
     * wildcard pattern never admits them; a pattern that names one exactly ({@code "java.util.HashMap"}) does, and
     * says that every process able to write into the queue is trusted. {@code TreeMap}, {@code TreeSet},
     * {@code EnumMap}, {@code EnumSet}, {@code IdentityHashMap}, {@code ArrayList}, {@code ArrayDeque} and
     * {@code LinkedList} do not hash. What a {@code readObject} of your own allocates from a count in the record is
     * beyond the filter: bound it there.
     *
     * @param allowed class name patterns, at least one.
     * @param <E>     the element type.
     * @return the codec.
     * @throws IllegalArgumentException if no pattern is given or one starts with {@code !}.
     */
    public static <E extends Serializable> Codec<E> serializable(final String... allowed)
    {
        return new SerializableCodec<>(allowed);
    }

    /**
     * Chronicle Bytes: an element is written by its {@code writeMarshallable(BytesOut)} and read back by
     * {@code readMarshallable(BytesIn)} into an instance made by the class's public no-arg constructor. The codec's
     * name is {@code chronicle-bytes:<simple name>#<crc32 of the class name>}, and a queue or pipe created with it
     * refuses to open with a codec for another class, naming both. A record that {@code readMarshallable} cannot
     * read, or reads only part of, throws {@link IllegalArgumentException}; bytes that merely hold other values
     * cannot be told apart from a valid encoding.
     * <p>
     * Classes that rely on the default (reflective) {@code readMarshallable} / {@code writeMarshallable} need
     * {@code --add-opens=java.base/java.lang.reflect=ALL-UNNAMED}, which is in {@link JvmFlags#required()}.
     * Chronicle's analytics are excluded from the dependencies, and {@code chronicle.analytics.disable=true} is set
     * before this codec touches a Chronicle class: jipc never phones home.
     *
     * @param type the element class: public, concrete, with a public no-arg constructor.
     * @param <E>  the element type.
     * @return the codec.
     * @throws IllegalArgumentException if the class has no public no-arg constructor.
     * @throws IllegalStateException    if this JVM lacks a flag of {@link JvmFlags#required()}.
     */
    public static <E extends BytesMarshallable> Codec<E> marshallable(final Class<E> type)
    {
        return new MarshallableCodec<>(type, null);
    }

    /**
     * Chronicle Bytes, as {@link #marshallable(Class)}, with decoded elements made by a factory instead of a
     * constructor. The factory travels with the codec (a queue handle passed to another JVM brings it along), so it
     * must be {@link Serializable}: {@code Codecs.marshallable(Trade.class, (Supplier<Trade> & Serializable)
     * Trade::new)}.
     *
     * @param type    the element class, which names the codec.
     * @param factory makes an empty element for each decode; returns an instance of {@code type}.
     * @param <E>     the element type.
     * @return the codec.
     * @throws IllegalArgumentException if the factory is not {@link Serializable}.
     * @throws IllegalStateException    if this JVM lacks a flag of {@link JvmFlags#required()}.
     */
    public static <E extends BytesMarshallable> Codec<E> marshallable(final Class<E> type,
        final Supplier<? extends E> factory)
    {
        return new MarshallableCodec<>(type, Objects.requireNonNull(factory, "factory"));
    }

    /**
     * A short name for a record type id, for the messages of a queue or pipe that met a record of another type.
     *
     * @param typeId a record type id.
     * @return the built-in codec's name, or {@code custom}.
     */
    public static String describe(final int typeId)
    {
        return switch (typeId)
        {
            case LONG_TYPE_ID -> "long";
            case INT_TYPE_ID -> "int";
            case DOUBLE_TYPE_ID -> "double";
            case STRING_TYPE_ID -> "string-utf8";
            case BYTES_TYPE_ID -> "bytes";
            case BYTE_BUFFER_TYPE_ID -> "byte-buffer";
            case JAVA_SERIALIZATION_TYPE_ID -> "java-serialization";
            case MARSHALLABLE_TYPE_ID -> "chronicle-bytes";
            default -> "custom";
        };
    }

    static IllegalArgumentException badLength(final Codec<?> codec, final int length, final int expected)
    {
        return new IllegalArgumentException(
            "invalid record for codec " + codec.name() + ": length=" + length + ", expected=" + expected);
    }

    private static final class LongCodec implements Codec<Long>
    {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        public int typeId()
        {
            return LONG_TYPE_ID;
        }

        @Override
        public String name()
        {
            return "long";
        }

        @Override
        public int encodedLength(final Long element)
        {
            return Long.BYTES;
        }

        @Override
        public int encode(final Long element, final MutableDirectBuffer buffer, final int offset)
        {
            buffer.putLong(offset, element);
            return Long.BYTES;
        }

        @Override
        public Long decode(final DirectBuffer buffer, final int offset, final int length)
        {
            if (length != Long.BYTES)
            {
                throw badLength(this, length, Long.BYTES);
            }
            return buffer.getLong(offset);
        }

        @Serial
        private Object readResolve()
        {
            return LONGS;
        }
    }

    private static final class IntCodec implements Codec<Integer>
    {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        public int typeId()
        {
            return INT_TYPE_ID;
        }

        @Override
        public String name()
        {
            return "int";
        }

        @Override
        public int encodedLength(final Integer element)
        {
            return Integer.BYTES;
        }

        @Override
        public int encode(final Integer element, final MutableDirectBuffer buffer, final int offset)
        {
            buffer.putInt(offset, element);
            return Integer.BYTES;
        }

        @Override
        public Integer decode(final DirectBuffer buffer, final int offset, final int length)
        {
            if (length != Integer.BYTES)
            {
                throw badLength(this, length, Integer.BYTES);
            }
            return buffer.getInt(offset);
        }

        @Serial
        private Object readResolve()
        {
            return INTS;
        }
    }

    private static final class DoubleCodec implements Codec<Double>
    {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        public int typeId()
        {
            return DOUBLE_TYPE_ID;
        }

        @Override
        public String name()
        {
            return "double";
        }

        @Override
        public int encodedLength(final Double element)
        {
            return Double.BYTES;
        }

        @Override
        public int encode(final Double element, final MutableDirectBuffer buffer, final int offset)
        {
            buffer.putDouble(offset, element);
            return Double.BYTES;
        }

        @Override
        public Double decode(final DirectBuffer buffer, final int offset, final int length)
        {
            if (length != Double.BYTES)
            {
                throw badLength(this, length, Double.BYTES);
            }
            return buffer.getDouble(offset);
        }

        @Serial
        private Object readResolve()
        {
            return DOUBLES;
        }
    }

    private static final class StringCodec implements Codec<String>
    {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        public int typeId()
        {
            return STRING_TYPE_ID;
        }

        @Override
        public String name()
        {
            return "string-utf8";
        }

        @Override
        public int encode(final String element, final MutableDirectBuffer buffer, final int offset)
        {
            // ASCII (most keys) is its own UTF-8: written char by char, with no byte[] to allocate
            final int length = element.length();
            for (int i = 0; i < length; i++)
            {
                final char c = element.charAt(i);
                if (c >= 0x80)
                {
                    final byte[] bytes = element.getBytes(StandardCharsets.UTF_8);
                    buffer.putBytes(offset, bytes);
                    return bytes.length;
                }
                buffer.putByte(offset + i, (byte)c);
            }
            return length;
        }

        @Override
        public String decode(final DirectBuffer buffer, final int offset, final int length)
        {
            final byte[] bytes = new byte[length];
            buffer.getBytes(offset, bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }

        @Serial
        private Object readResolve()
        {
            return STRINGS;
        }
    }

    private static final class BytesCodec implements Codec<byte[]>
    {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        public int typeId()
        {
            return BYTES_TYPE_ID;
        }

        @Override
        public String name()
        {
            return "bytes";
        }

        @Override
        public int encodedLength(final byte[] element)
        {
            return element.length;
        }

        @Override
        public int encode(final byte[] element, final MutableDirectBuffer buffer, final int offset)
        {
            buffer.putBytes(offset, element);
            return element.length;
        }

        @Override
        public byte[] decode(final DirectBuffer buffer, final int offset, final int length)
        {
            final byte[] bytes = new byte[length];
            buffer.getBytes(offset, bytes);
            return bytes;
        }

        @Serial
        private Object readResolve()
        {
            return BYTES;
        }
    }

    private static final class ByteBufferCodec implements Codec<ByteBuffer>
    {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        public int typeId()
        {
            return BYTE_BUFFER_TYPE_ID;
        }

        @Override
        public String name()
        {
            return "byte-buffer";
        }

        @Override
        public int encodedLength(final ByteBuffer element)
        {
            return element.remaining();
        }

        @Override
        public int encode(final ByteBuffer element, final MutableDirectBuffer buffer, final int offset)
        {
            final int length = element.remaining();
            buffer.putBytes(offset, element, element.position(), length);
            return length;
        }

        @Override
        public ByteBuffer decode(final DirectBuffer buffer, final int offset, final int length)
        {
            final ByteBuffer bytes = ByteBuffer.allocate(length);
            buffer.getBytes(offset, bytes, 0, length);
            return bytes;
        }

        @Serial
        private Object readResolve()
        {
            return BYTE_BUFFERS;
        }
    }
}
