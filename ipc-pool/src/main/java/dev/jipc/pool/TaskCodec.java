package dev.jipc.pool;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import dev.jipc.core.pipe.Connection;

/**
 * Turns a task into bytes in the parent and back in the child. Encoding fails with a
 * {@link TaskNotSerializableException} that names what could not be serialised and who captured it; decoding reads
 * through a {@link TaskFilter}.
 *
 * <pre>
 * Overview
 *
 * The parent serialises through an ObjectOutputStream with replaceObject enabled: the stream calls it for every
 * object after the object's own writeReplace (a serialisable lambda has become a SerializedLambda by then), so it
 * sees the first object that is not Serializable before the stream throws, and it keeps the lambdas and the objects
 * of non-JDK classes seen so far. When one is not serialisable, the diagnosis looks among those for who holds it: a
 * lambda's captured value (value 0 of a lambda whose body is an instance method is its captured this) or a field
 * (this$0 is the enclosing instance of an inner or anonymous class). Only the failure path uses reflection.
 *
 * annotateClass sees every class the stream describes, a lambda's capturing class among them: one of a program run
 * from a source file (SourceMode) makes the task's child compile that file, and decode resolves the task's classes
 * with the loader of the compiled classes. Those classes and the lambdas are the task's TaskShape.
 * </pre>
 */
final class TaskCodec
{
    private TaskCodec()
    {
    }

    /**
     * Serialises a task, or says exactly why it cannot be.
     *
     * @param task the task (a {@link Process} holding its target or overriding {@code run()}).
     * @param what names the task in a message, such as {@code "Process-1"}.
     * @return the serialisation.
     * @throws TaskNotSerializableException naming the type that is not serialisable and who captured it.
     */
    static byte[] encode(final Serializable task, final String what)
    {
        return encodeTask(task, what).bytes();
    }

    /**
     * Serialises a task and says whether it holds a pipe end, or says exactly why it cannot be serialised.
     *
     * @param task the task (a {@link Process} holding its target or overriding {@code run()}).
     * @param what names the task in a message, such as {@code "Process-1"}.
     * @return the serialisation.
     * @throws TaskNotSerializableException naming the type that is not serialisable and who captured it.
     */
    static Encoded encodeTask(final Serializable task, final String what)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final List<Object> seen = new ArrayList<>();
        final Object[] offending = new Object[1];
        final TrackingOutput out;
        try
        {
            out = new TrackingOutput(bytes, seen, offending);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        try (out)
        {
            out.writeObject(task);
        }
        catch (final NotSerializableException ex)
        {
            final String reason = offending[0] != null ? diagnose(offending[0], seen) :
                "it reaches a " + ex.getMessage() + ", which is not Serializable";
            throw new TaskNotSerializableException("cannot send the task of " + what + " to a child JVM: " + reason,
                ex);
        }
        catch (final IOException | RuntimeException ex)
        {
            throw new TaskNotSerializableException("cannot send the task of " + what + " to a child JVM: " +
                "serialisation failed: " + ex, ex);
        }
        return new Encoded(bytes.toByteArray(), out.holdsPipeEnd, out.program,
            new TaskShape(out.classes, seen));
    }

    /**
     * A serialised task.
     *
     * @param bytes        the serialisation.
     * @param holdsPipeEnd whether it holds a pipe {@link Connection}, whose end moves to the child as it reads it.
     * @param program      the program run from a source file whose classes it uses (a lambda of the file), which the
     *                     child must compile to read it; {@code null} when its classes are on the class path.
     * @param shape        what its decode loads and links, for a forkserver spare to load ahead.
     */
    record Encoded(byte[] bytes, boolean holdsPipeEnd, SourceMode.Program program, TaskShape shape)
    {
    }

    /**
     * Reads a task in the child, through a {@link TaskFilter} bounded by the task's length.
     *
     * @param bytes what {@link #encode} wrote.
     * @return the task.
     * @throws IOException            if the bytes are not a task, or the filter refused a class or a limit.
     * @throws ClassNotFoundException if the task names a class this JVM does not have.
     */
    static Object decode(final byte[] bytes) throws IOException, ClassNotFoundException
    {
        return decode(bytes, null);
    }

    /**
     * Reads a task in the child, through a {@link TaskFilter} bounded by the task's length, resolving its classes
     * with a loader first (the classes of a program compiled from its source file, see {@link SourceMode}).
     *
     * @param bytes  what {@link #encode} wrote.
     * @param loader the loader of the task's classes, or {@code null} for the class path's.
     * @return the task.
     * @throws IOException            if the bytes are not a task, or the filter refused a class or a limit.
     * @throws ClassNotFoundException if the task names a class neither the loader nor this JVM has.
     */
    static Object decode(final byte[] bytes, final ClassLoader loader) throws IOException, ClassNotFoundException
    {
        final ByteArrayInputStream source = new ByteArrayInputStream(bytes);
        try (ObjectInputStream in = loader == null ? new ObjectInputStream(source) : new LoaderInput(source, loader))
        {
            in.setObjectInputFilter(TaskFilter.forLength(bytes.length));
            return in.readObject();
        }
    }

    private static String diagnose(final Object offending, final List<Object> seen)
    {
        final String type = describe(offending.getClass());
        for (int i = seen.size() - 1; i >= 0; i--)
        {
            if (seen.get(i) instanceof SerializedLambda lambda)
            {
                for (int arg = 0; arg < lambda.getCapturedArgCount(); arg++)
                {
                    if (lambda.getCapturedArg(arg) == offending)
                    {
                        return describeCapture(lambda, arg, offending, type);
                    }
                }
            }
        }
        for (int i = seen.size() - 1; i >= 0; i--)
        {
            final Object holder = seen.get(i);
            final Field field = fieldHolding(holder, offending);
            if (field != null)
            {
                final String owner = field.getDeclaringClass().getName();
                if (field.getName().startsWith("this$"))
                {
                    return owner + " captures this, its enclosing instance, a " + type + ", which is not " +
                        "Serializable: make " + owner + " a static nested or top-level class (or make its " +
                        "enclosing class Serializable)";
                }
                return "field " + owner + "." + field.getName() + " holds a " + type + ", which is not " +
                    "Serializable: make it Serializable or transient";
            }
        }
        return "it reaches a " + type + ", which is not Serializable";
    }

    private static String describeCapture(
        final SerializedLambda lambda, final int arg, final Object offending, final String type)
    {
        final String capturing = lambda.getCapturingClass().replace('/', '.');
        final String where = "the lambda " + capturing + "." + lambda.getImplMethodName();
        final int kind = lambda.getImplMethodKind();
        final boolean instanceBody = kind == MethodHandleInfo.REF_invokeVirtual ||
            kind == MethodHandleInfo.REF_invokeSpecial || kind == MethodHandleInfo.REF_invokeInterface;
        if (arg == 0 && instanceBody && offending.getClass().getName().equals(capturing))
        {
            return where + " captures this, a " + type + ", which is not Serializable: the lambda uses a field " +
                "or method of its enclosing instance; copy what it needs into local variables (or make " +
                capturing + " Serializable)";
        }
        return where + " captures a " + type + " (captured value " + (arg + 1) + " of " +
            lambda.getCapturedArgCount() + "), which is not Serializable";
    }

    private static String describe(final Class<?> type)
    {
        if (type.isHidden() || type.getName().contains("$$Lambda"))
        {
            final String interfaces = Arrays.stream(type.getInterfaces()).map(Class::getName)
                .collect(Collectors.joining(", "));
            return "lambda of " + interfaces + " (" + type.getName() + "); declare it as one of dev.jipc.pool's " +
                "Serializable interfaces, such as SerializableRunnable or SerializableFunction, so that it is " +
                "serialisable";
        }
        return type.getName();
    }

    private static Field fieldHolding(final Object holder, final Object offending)
    {
        for (Class<?> type = holder.getClass(); type != null && type != Object.class; type = type.getSuperclass())
        {
            for (final Field field : type.getDeclaredFields())
            {
                if (Modifier.isStatic(field.getModifiers()) || field.getType().isPrimitive())
                {
                    continue;
                }
                try
                {
                    field.setAccessible(true);
                    if (field.get(holder) == offending)
                    {
                        return field;
                    }
                }
                catch (final InaccessibleObjectException | IllegalAccessException ignore)
                {
                    // a class of a named module: its fields are not ours to read, look elsewhere
                }
            }
        }
        return null;
    }

    /** Resolves the classes of a task with a given loader (which delegates to the class path's first). */
    private static final class LoaderInput extends ObjectInputStream
    {
        private final ClassLoader loader;

        LoaderInput(final InputStream in, final ClassLoader loader) throws IOException
        {
            super(in);
            this.loader = loader;
        }

        @Override
        protected Class<?> resolveClass(final ObjectStreamClass desc) throws IOException, ClassNotFoundException
        {
            try
            {
                return Class.forName(desc.getName(), false, loader);
            }
            catch (final ClassNotFoundException ex)
            {
                // a primitive type, or a class the loader cannot see
                return super.resolveClass(desc);
            }
        }
    }

    /** Records what the stream writes, so that a failure can say who held the object that is not serialisable. */
    private static final class TrackingOutput extends ObjectOutputStream
    {
        private final List<Object> seen;
        private final Object[] offending;
        private final List<Class<?>> classes = new ArrayList<>();
        private boolean holdsPipeEnd;
        private SourceMode.Program program;

        TrackingOutput(final OutputStream out, final List<Object> seen, final Object[] offending) throws IOException
        {
            super(out);
            this.seen = seen;
            this.offending = offending;
            enableReplaceObject(true);
        }

        @Override
        protected Object replaceObject(final Object object) throws IOException
        {
            if (!(object instanceof Serializable) && !object.getClass().isArray())
            {
                offending[0] = object;
                throw new NotSerializableException(object.getClass().getName());
            }
            if (object instanceof SerializedLambda || !object.getClass().getName().startsWith("java."))
            {
                seen.add(object);
            }
            // a Connection has become its handle (a class nested in Connection) by now: its writeReplace ran first
            holdsPipeEnd |= object.getClass().getEnclosingClass() == Connection.class;
            return object;
        }

        @Override
        protected void annotateClass(final Class<?> type)
        {
            // every class the stream describes, a lambda's capturing class among them
            if (program == null)
            {
                program = SourceMode.programOf(type);
            }
            final ClassLoader loader = type.getClassLoader();
            if (loader != null && loader != ClassLoader.getPlatformClassLoader())
            {
                // the application's and jipc's classes: the JDK's come from its class data archive in any JVM
                classes.add(type);
            }
        }
    }
}
