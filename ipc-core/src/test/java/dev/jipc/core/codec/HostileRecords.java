package dev.jipc.core.codec;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.ObjectStreamConstants;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Set;

/** Java-serialisation records a hostile writer could put into a ring, written byte by byte where they must be. */
final class HostileRecords
{
    private HostileRecords()
    {
    }

    /**
     * {@code levels} nested {@code Object[length]}, each holding the next as its first element, the last holding a
     * {@code long[length]}; no element follows any of them. With 60 levels of 16777216 this is the 657-byte
     * record: a reader that allocates each array as its header arrives makes 4 GB before the stream ends.
     */
    static byte[] nestedArrayHeaders(final int levels, final int length)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes))
        {
            out.writeShort(ObjectStreamConstants.STREAM_MAGIC);
            out.writeShort(ObjectStreamConstants.STREAM_VERSION);
            for (int i = 0; i < levels; i++)
            {
                out.writeByte(ObjectStreamConstants.TC_ARRAY);
                if (i == 0)
                {
                    arrayClassDescriptor(out, Object[].class);
                }
                else
                {
                    // the first handle went to Object[]'s descriptor
                    out.writeByte(ObjectStreamConstants.TC_REFERENCE);
                    out.writeInt(ObjectStreamConstants.baseWireHandle);
                }
                out.writeInt(length);
            }
            out.writeByte(ObjectStreamConstants.TC_ARRAY);
            arrayClassDescriptor(out, long[].class);
            out.writeInt(length);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return bytes.toByteArray();
    }

    /**
     * The SerialDOS record: a set of two sets t1 and t2, each level's two sets both members of both sets of the
     * level above, {@code depth} levels deep. About 57 bytes a level; hashing it costs 2^depth calls.
     */
    static byte[] serialDos(final int depth)
    {
        final Set<Object> root = new HashSet<>();
        Set<Object> s1 = root;
        Set<Object> s2 = new HashSet<>();
        for (int i = 0; i < depth; i++)
        {
            final Set<Object> t1 = new HashSet<>();
            final Set<Object> t2 = new HashSet<>();
            t1.add("foo"); // t1 and t2 must differ, or the sets above would hold one member
            s1.add(t1);
            s1.add(t2);
            s2.add(t1);
            s2.add(t2);
            s1 = t1;
            s2 = t2;
        }
        return serialise(root);
    }

    static byte[] serialise(final Object element)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes))
        {
            out.writeObject(element);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return bytes.toByteArray();
    }

    private static void arrayClassDescriptor(final DataOutputStream out, final Class<?> arrayClass)
        throws IOException
    {
        out.writeByte(ObjectStreamConstants.TC_CLASSDESC);
        out.writeUTF(arrayClass.getName());
        out.writeLong(ObjectStreamClass.lookup(arrayClass).getSerialVersionUID());
        out.writeByte(ObjectStreamConstants.SC_SERIALIZABLE);
        out.writeShort(0); // no fields
        out.writeByte(ObjectStreamConstants.TC_ENDBLOCKDATA);
        out.writeByte(ObjectStreamConstants.TC_NULL); // no superclass
    }
}
