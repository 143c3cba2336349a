package dev.jipc.core.codec;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.zip.CRC32;

import dev.jipc.core.ChronicleDefaults;
import dev.jipc.core.JvmFlags;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.BytesMarshallable;
import net.openhft.chronicle.bytes.OnHeapBytes;
import net.openhft.chronicle.bytes.PointerBytesStore;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The Chronicle Bytes codec behind {@link Codecs#marshallable(Class)}: an element's
 * {@link BytesMarshallable#writeMarshallable} is the record, {@link BytesMarshallable#readMarshallable} reads it back
 * into a fresh instance.
 */
final class MarshallableCodec<E extends BytesMarshallable> implements Codec<E>
{
    /*
     * Overview
     *
     * Analytics and Chronicle's misleading cleaner warning: ChronicleDefaults, applied by the static initialiser
     * before this class touches a Chronicle type. Loading (not initialising) Chronicle classes while this class is
     * verified runs no Chronicle code.
     *
     * Buffers. Decoding reads the record where it lies: a per-thread PointerBytesStore is pointed at
     * (address + offset, length) of an off-heap buffer (the ring), and the reader's limit is set to the record's
     * length, so a readMarshallable that reads past the record underflows instead of reading the next one (Chronicle
     * bounds reads by the Bytes' read limit, not by the store). A heap buffer is copied into a per-thread on-heap
     * Bytes first. Encoding writes into a per-thread elastic on-heap Bytes, then copies it into the caller's buffer
     * (an ExpandableArrayBuffer from Queue and Connection, which grows as needed; any MutableDirectBuffer works).
     * encodedLength stays -1: the length is only known by encoding. After warm-up nothing is allocated but the
     * decoded element (and whatever its readMarshallable allocates). Chronicle Bytes are single-threaded, hence
     * per-thread wrappers.
     *
     * Identity. Every BytesMarshallable codec writes the same record type id, so the id alone cannot tell a queue of
     * Trade from one of Quote. The name carries the class: "chronicle-bytes:" + simple name (at most 19 characters)
     * + "#" + the CRC-32 of the binary class name in hex, at most 44 ASCII bytes (StoredCodec's limit). Opening a
     * queue or pipe compares the stored name as well as the id for this type id (StoredCodec.sameCodec).
     */

    @Serial
    private static final long serialVersionUID = 1L;

    static final String NAME_PREFIX = "chronicle-bytes:";
    private static final int MAX_SIMPLE_NAME_LENGTH =
        StoredCodec.MAX_NAME_LENGTH - NAME_PREFIX.length() - 1 - 8;
    static
    {
        ChronicleDefaults.apply();
    }

    private static final ThreadLocal<Wrappers> WRAPPERS = ThreadLocal.withInitial(Wrappers::new);

    private final Class<E> type;
    private final Supplier<? extends E> factory;
    private final String name;
    private transient Constructor<E> constructor;

    MarshallableCodec(final Class<E> type, final Supplier<? extends E> factory)
    {
        JvmFlags.check();
        this.type = Objects.requireNonNull(type, "type");
        if (!BytesMarshallable.class.isAssignableFrom(type))
        {
            throw new IllegalArgumentException("not a BytesMarshallable: class=" + type.getName());
        }
        if (factory != null && !(factory instanceof Serializable))
        {
            throw new IllegalArgumentException("the factory must be Serializable, as the codec travels with a " +
                "queue handle: class=" + type.getName() + ", factory=" + factory.getClass().getName() +
                " (cast a lambda: (Supplier<T> & Serializable) T::new)");
        }
        this.factory = factory;
        this.name = nameOf(type);
        if (factory == null)
        {
            this.constructor = constructorOf(type);
        }
    }

    /**
     * The codec name for a class: {@code chronicle-bytes:<simple name>#<crc32 of the binary name>}.
     *
     * @param type the element class.
     * @return at most {@link StoredCodec#MAX_NAME_LENGTH} ASCII characters.
     */
    static String nameOf(final Class<?> type)
    {
        final StringBuilder simple = new StringBuilder();
        final String simpleName = type.getSimpleName().isEmpty() ? type.getName() : type.getSimpleName();
        for (int i = 0; i < simpleName.length() && simple.length() < MAX_SIMPLE_NAME_LENGTH; i++)
        {
            final char c = simpleName.charAt(i);
            simple.append(c >= 0x21 && c < 0x7f ? c : '_');
        }
        final CRC32 crc = new CRC32();
        crc.update(type.getName().getBytes(StandardCharsets.UTF_8));
        return NAME_PREFIX + simple + "#" + String.format("%08x", crc.getValue());
    }

    @Override
    public int typeId()
    {
        return Codecs.MARSHALLABLE_TYPE_ID;
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public int encode(final E element, final MutableDirectBuffer buffer, final int offset)
    {
        final OnHeapBytes bytes = WRAPPERS.get().encoded;
        bytes.clear();
        element.writeMarshallable(bytes);
        final long written = bytes.writePosition();
        if (written > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("encoded element too long: class=" + type.getName() + ", length=" +
                written);
        }
        final byte[] array = (byte[])bytes.underlyingObject();
        buffer.putBytes(offset, array, 0, (int)written);
        return (int)written;
    }

    @Override
    public E decode(final DirectBuffer buffer, final int offset, final int length)
    {
        if (offset < 0 || length < 0 || (long)offset + length > buffer.capacity())
        {
            throw new IllegalArgumentException("invalid record for codec " + name + ": offset=" + offset +
                ", length=" + length + ", bufferCapacity=" + buffer.capacity());
        }
        final Wrappers wrappers = WRAPPERS.get();
        final Bytes<?> in;
        final byte[] array = buffer.byteArray();
        if (array == null)
        {
            wrappers.recordStore.set(buffer.addressOffset() + offset, length);
            in = wrappers.record;
            in.clear(); // the write limit follows the store's new capacity: the record's length
        }
        else
        {
            in = wrappers.copied;
            in.clear();
            in.write(array, buffer.wrapAdjustment() + offset, length);
        }
        in.readPositionRemaining(0, length);
        final E element = newElement();
        try
        {
            element.readMarshallable(in);
        }
        catch (final RuntimeException ex)
        {
            throw new IllegalArgumentException("invalid record for codec " + name + ": length=" + length +
                ", read=" + in.readPosition() + ", cause=" + ex, ex);
        }
        if (in.readRemaining() != 0)
        {
            throw new IllegalArgumentException("invalid record for codec " + name + ": length=" + length +
                ", read=" + in.readPosition() + " (readMarshallable left " + in.readRemaining() + " bytes)");
        }
        return element;
    }

    @Override
    public String toString()
    {
        return "MarshallableCodec{" + type.getName() + ", name=" + name + "}";
    }

    private E newElement()
    {
        if (factory != null)
        {
            final E element = factory.get();
            if (!type.isInstance(element))
            {
                throw new IllegalStateException("the factory of codec " + name + " returned " +
                    (element == null ? "null" : element.getClass().getName()) + ", expected " + type.getName());
            }
            return element;
        }
        try
        {
            return constructor.newInstance();
        }
        catch (final InvocationTargetException ex)
        {
            throw new IllegalStateException("constructor failed: class=" + type.getName(), ex.getCause());
        }
        catch (final ReflectiveOperationException ex)
        {
            throw new IllegalStateException("cannot instantiate: class=" + type.getName(), ex);
        }
    }

    private static <E> Constructor<E> constructorOf(final Class<E> type)
    {
        if (Modifier.isAbstract(type.getModifiers()) || !Modifier.isPublic(type.getModifiers()))
        {
            throw new IllegalArgumentException("a BytesMarshallable decoded by its no-arg constructor must be a " +
                "public concrete class (or give a factory): class=" + type.getName());
        }
        try
        {
            return type.getConstructor();
        }
        catch (final NoSuchMethodException ex)
        {
            throw new IllegalArgumentException("no public no-arg constructor (give a factory instead): class=" +
                type.getName(), ex);
        }
    }

    @Serial
    private void readObject(final ObjectInputStream in) throws IOException, ClassNotFoundException
    {
        in.defaultReadObject();
        if (type == null || !BytesMarshallable.class.isAssignableFrom(type) || !nameOf(type).equals(name))
        {
            throw new InvalidObjectException("inconsistent codec: class=" + type + ", name=" + name);
        }
        JvmFlags.check();
        if (factory == null)
        {
            constructor = constructorOf(type);
        }
    }

    /** One thread's Chronicle views: Chronicle Bytes may only be used by one thread. */
    private static final class Wrappers
    {
        private final PointerBytesStore recordStore = new PointerBytesStore();
        private final Bytes<?> record = recordStore.bytesForRead();
        private final OnHeapBytes copied = Bytes.allocateElasticOnHeap(256);
        private final OnHeapBytes encoded = Bytes.allocateElasticOnHeap(256);
    }
}
