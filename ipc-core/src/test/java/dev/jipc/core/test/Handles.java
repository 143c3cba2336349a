package dev.jipc.core.test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Base64;

/** Passes a serialisable handle (a queue, a pipe end, a codec) to a child JVM as one Base64 argument. */
public final class Handles
{
    private Handles()
    {
    }

    /**
     * Serialises an object for a command line.
     *
     * @param object the handle.
     * @return its Java serialisation in Base64.
     * @throws IOException if it does not serialise.
     */
    public static String serialise(final Object object) throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes))
        {
            out.writeObject(object);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    /**
     * Reads back what {@link #serialise} wrote.
     *
     * @param base64 the argument.
     * @return the re-attached handle.
     * @throws IOException            if it does not deserialise.
     * @throws ClassNotFoundException if a class is missing.
     */
    public static Object deserialise(final String base64) throws IOException, ClassNotFoundException
    {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(Base64.getDecoder().decode(base64))))
        {
            return in.readObject();
        }
    }
}
