package dev.jipc.tools.demo;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Base64;

/**
 * jipc objects passed to a child JVM on its command line, as Python pickles them for a child process: each
 * serialises as a small handle (directory, name, offset, kind) that re-attaches on the other side.
 */
public final class Handles
{
    private Handles()
    {
    }

    /**
     * Serialises objects into one command-line argument.
     *
     * @param objects jipc objects (or any serialisable values).
     * @return Base64 of their Java serialisation.
     */
    public static String encode(final Serializable... objects)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes))
        {
            out.writeObject(objects);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    /**
     * Re-attaches what {@link #encode} wrote.
     *
     * @param encoded the argument.
     * @return the objects, in order.
     */
    public static Object[] decode(final String encoded)
    {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(encoded))))
        {
            return (Object[])in.readObject();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        catch (final ClassNotFoundException ex)
        {
            throw new IllegalStateException("a handle names a class this JVM does not have", ex);
        }
    }
}
