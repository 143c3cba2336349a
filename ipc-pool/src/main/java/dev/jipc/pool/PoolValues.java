package dev.jipc.pool;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * How a pool's arguments and results cross to a worker JVM and back. The common types (null, {@code Long},
 * {@code Integer}, {@code Double}, {@code Boolean}, {@code String}, {@code byte[]}, {@code long[]} and arrays of
 * them) take a tag byte and their bytes, with no object stream: a map of 100,000 {@code Integer}s is 500 kB of tags
 * and ints, not 100,000 object streams. Anything else goes through Java serialisation, an {@code Object[]} of
 * mixed values in one stream so that class descriptors are written once, and is read through the
 * {@link TaskFilter}.
 * <pre>
 *   value  := tag:byte body
 *   NULL, TRUE, FALSE: no body        LONG: int64      INT: int32       DOUBLE: float64
 *   STRING, BYTES: length:int32 bytes (UTF-8 for a string)     LONGS: count:int32 int64...
 *   ARRAY: count:int32 value...       SERIAL: length:int32 Java serialisation of the value
 * </pre>
 * All numbers little-endian, as Agrona's buffers write them.
 */
final class PoolValues
{
    private static final byte NULL = 0;
    private static final byte TRUE = 1;
    private static final byte FALSE = 2;
    private static final byte LONG = 3;
    private static final byte INT = 4;
    private static final byte DOUBLE = 5;
    private static final byte STRING = 6;
    private static final byte BYTES = 7;
    private static final byte LONGS = 8;
    private static final byte ARRAY = 9;
    private static final byte SERIAL = 10;

    private PoolValues()
    {
    }

    /**
     * Writes a value.
     *
     * @param buffer where.
     * @param offset at which byte.
     * @param value  the value: a common type, or {@link Serializable}.
     * @param what   names the value in an error, such as {@code "the argument of task 3"}.
     * @return the offset after it.
     * @throws TaskNotSerializableException if the value cannot be serialised.
     */
    static int write(final ExpandableArrayBuffer buffer, final int offset, final Object value, final String what)
    {
        if (value instanceof Object[] array && array.getClass() == Object[].class && allSimple(array))
        {
            buffer.putByte(offset, ARRAY);
            buffer.putInt(offset + 1, array.length);
            int at = offset + 5;
            for (final Object element : array)
            {
                at = writeSimple(buffer, at, element);
            }
            return at;
        }
        if (isSimple(value))
        {
            return writeSimple(buffer, offset, value);
        }
        if (!(value instanceof Serializable serializable))
        {
            throw new TaskNotSerializableException("cannot send " + what + " to a worker JVM: " +
                value.getClass().getName() + " is not Serializable", null);
        }
        final byte[] bytes = TaskCodec.encode(serializable, what);
        buffer.putByte(offset, SERIAL);
        buffer.putInt(offset + 1, bytes.length);
        buffer.putBytes(offset + 5, bytes);
        return offset + 5 + bytes.length;
    }

    /**
     * Reads a value.
     *
     * @param buffer from where.
     * @param cursor the offset to read at, advanced past the value; {@code cursor[1]} is the limit.
     * @return the value.
     * @throws IOException if the bytes are not a value, or the filter refused a serialised one.
     */
    static Object read(final DirectBuffer buffer, final int[] cursor) throws IOException
    {
        final byte tag = buffer.getByte(take(cursor, 1));
        return switch (tag)
        {
            case ARRAY ->
            {
                final int count = count(buffer, cursor, 1);
                final Object[] array = new Object[count];
                for (int i = 0; i < count; i++)
                {
                    array[i] = read(buffer, cursor);
                }
                yield array;
            }
            case SERIAL ->
            {
                final int length = count(buffer, cursor, 1);
                final byte[] bytes = new byte[length];
                buffer.getBytes(take(cursor, length), bytes);
                try
                {
                    yield TaskCodec.decode(bytes);
                }
                catch (final ClassNotFoundException ex)
                {
                    throw new IOException("a value names a class this JVM does not have: " + ex.getMessage(), ex);
                }
            }
            default -> readSimple(tag, buffer, cursor);
        };
    }

    private static Object readSimple(final byte tag, final DirectBuffer buffer, final int[] cursor) throws IOException
    {
        return switch (tag)
        {
            case NULL -> null;
            case TRUE -> Boolean.TRUE;
            case FALSE -> Boolean.FALSE;
            case LONG -> buffer.getLong(take(cursor, 8));
            case INT -> buffer.getInt(take(cursor, 4));
            case DOUBLE -> buffer.getDouble(take(cursor, 8));
            case STRING ->
            {
                final int length = count(buffer, cursor, 1);
                yield buffer.getStringWithoutLengthUtf8(take(cursor, length), length);
            }
            case BYTES ->
            {
                final int length = count(buffer, cursor, 1);
                final byte[] bytes = new byte[length];
                buffer.getBytes(take(cursor, length), bytes);
                yield bytes;
            }
            case LONGS ->
            {
                final int count = count(buffer, cursor, 8);
                final long[] longs = new long[count];
                final int at = take(cursor, count * 8);
                for (int i = 0; i < count; i++)
                {
                    longs[i] = buffer.getLong(at + i * 8);
                }
                yield longs;
            }
            default -> throw new IOException("not a pool value: tag " + tag + " at offset " + (cursor[0] - 1));
        };
    }

    private static boolean allSimple(final Object[] array)
    {
        for (final Object element : array)
        {
            if (!isSimple(element))
            {
                return false;
            }
        }
        return true;
    }

    private static boolean isSimple(final Object value)
    {
        return value == null || value instanceof Long || value instanceof Integer || value instanceof Double ||
            value instanceof Boolean || value instanceof String || value instanceof byte[] || value instanceof long[];
    }

    private static int writeSimple(final ExpandableArrayBuffer buffer, final int offset, final Object value)
    {
        if (value == null)
        {
            buffer.putByte(offset, NULL);
            return offset + 1;
        }
        if (value instanceof Boolean bool)
        {
            buffer.putByte(offset, bool ? TRUE : FALSE);
            return offset + 1;
        }
        if (value instanceof Long number)
        {
            buffer.putByte(offset, LONG);
            buffer.putLong(offset + 1, number);
            return offset + 9;
        }
        if (value instanceof Integer number)
        {
            buffer.putByte(offset, INT);
            buffer.putInt(offset + 1, number);
            return offset + 5;
        }
        if (value instanceof Double number)
        {
            buffer.putByte(offset, DOUBLE);
            buffer.putDouble(offset + 1, number);
            return offset + 9;
        }
        if (value instanceof String string)
        {
            final byte[] bytes = string.getBytes(StandardCharsets.UTF_8);
            buffer.putByte(offset, STRING);
            buffer.putInt(offset + 1, bytes.length);
            buffer.putBytes(offset + 5, bytes);
            return offset + 5 + bytes.length;
        }
        if (value instanceof byte[] bytes)
        {
            buffer.putByte(offset, BYTES);
            buffer.putInt(offset + 1, bytes.length);
            buffer.putBytes(offset + 5, bytes);
            return offset + 5 + bytes.length;
        }
        final long[] longs = (long[])value;
        buffer.putByte(offset, LONGS);
        buffer.putInt(offset + 1, longs.length);
        int at = offset + 5;
        for (final long element : longs)
        {
            buffer.putLong(at, element);
            at += 8;
        }
        return at;
    }

    /** Reads a count whose elements take {@code elementLength} bytes each, checked against the bytes left. */
    private static int count(final DirectBuffer buffer, final int[] cursor, final int elementLength)
        throws IOException
    {
        final int count = buffer.getInt(take(cursor, 4));
        if (count < 0 || (long)count * elementLength > cursor[1] - cursor[0])
        {
            throw new IOException("a pool value's length " + count + " at offset " + (cursor[0] - 4) +
                " runs past the message's end " + cursor[1]);
        }
        return count;
    }

    /** Advances the cursor over {@code length} bytes, checked against its limit, and gives where they start. */
    static int take(final int[] cursor, final int length) throws IOException
    {
        final int at = cursor[0];
        if (length < 0 || at + length > cursor[1])
        {
            throw new IOException("a pool message ends early: " + length + " bytes wanted at offset " + at +
                ", limit " + cursor[1]);
        }
        cursor[0] = at + length;
        return at;
    }
}
