package dev.jipc.core;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Base64;

/**
 * jipc objects passed to a child JVM on its command line, as Python pickles them for a child process: a queue, a
 * pipe end, a lock or a shared block serialises as a small handle (directory, name, offset, kind) that re-attaches
 * when it is read back on the other side. The argument is the Base64 of the object's Java serialisation.
 * <p>
 * Errors in a handle's own check (no such segment, wrong kind) come out of {@link #decode} as the handle throws them.
 */
public final class Handles
{
    private Handles()
    {
    }

    /**
     * Serialises one object into one command-line argument.
     *
     * @param object a jipc object (or any serialisable value).
     * @return Base64 of its Java serialisation.
     * @throws UncheckedIOException if it does not serialise.
     */
    public static String encode(final Serializable object)
    {
        return Base64.getEncoder().encodeToString(toBytes(object));
    }

    /**
     * Serialises several objects into one command-line argument; {@link #decode} gives them back as an
     * {@code Object[]} in the same order.
     *
     * @param objects jipc objects (or any serialisable values).
     * @return Base64 of the Java serialisation of the array.
     * @throws UncheckedIOException if one does not serialise.
     */
    public static String encodeAll(final Serializable... objects)
    {
        return encode(objects);
    }

    /**
     * Re-attaches what {@link #encode} or {@link #encodeAll} wrote.
     *
     * @param encoded the argument.
     * @param <T>     the type the caller expects ({@code Object[]} for {@link #encodeAll}).
     * @return the object.
     * @throws IllegalArgumentException if the argument is not Base64.
     * @throws UncheckedIOException     if it is not a Java serialisation or a handle cannot be read.
     * @throws IllegalStateException    if it names a class this JVM does not have.
     */
    public static <T> T decode(final String encoded)
    {
        final byte[] bytes;
        try
        {
            bytes = Base64.getDecoder().decode(encoded);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("not a Base64 handle: length=" + encoded.length() + ": " +
                ex.getMessage(), ex);
        }
        return fromBytes(bytes);
    }

    /**
     * The Java serialisation of an object: what {@link #encode} puts in Base64.
     *
     * @param object a jipc object (or any serialisable value).
     * @return its serialisation.
     * @throws UncheckedIOException if it does not serialise.
     */
    public static byte[] toBytes(final Serializable object)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes))
        {
            out.writeObject(object);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot serialise: class=" + object.getClass().getName(), ex);
        }
        return bytes.toByteArray();
    }

    /**
     * Re-attaches what {@link #toBytes} wrote.
     *
     * @param bytes the serialisation.
     * @param <T>   the type the caller expects.
     * @return the object.
     * @throws UncheckedIOException  if it is not a Java serialisation or a handle cannot be read.
     * @throws IllegalStateException if it names a class this JVM does not have.
     */
    @SuppressWarnings("unchecked")
    public static <T> T fromBytes(final byte[] bytes)
    {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes)))
        {
            return (T)in.readObject();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read handle: length=" + bytes.length + ": " + ex, ex);
        }
        catch (final ClassNotFoundException ex)
        {
            throw new IllegalStateException("a handle names a class this JVM does not have: " + ex.getMessage(), ex);
        }
    }
}
