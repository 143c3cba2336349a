package dev.jipc.pool;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.lang.invoke.SerializedLambda;
import java.util.ArrayList;
import java.util.List;

/**
 * What decoding a task loads and links in a child JVM, without the task's values: the classes its stream describes
 * and a stand-in of each of its lambdas. A forkserver spare decodes the shapes of the tasks started so far while it
 * waits, so that a task of a shape it knows finds its classes loaded, its lambdas' capturing classes initialised and
 * their call sites linked: what Python's forkserver has from importing the program before it forks.
 *
 * <pre>
 * Overview
 *
 * A task's first decode in a fresh JVM pays for loading the task's classes from the class path, for the capturing
 * class's $deserializeLambda$ (whose invokedynamic call site spins the lambda's hidden class), for running the decode
 * of the task's own types for the first time (interpreted) and for mapping the segments its handles name. The
 * rehearsal is a serialised Object[] of
 *
 *   the task's classes       each read back as a Class: loaded, not initialised
 *   its lambdas' stand-ins   each SerializedLambda with every captured value replaced by null, or by the zero of its
 *                            box (the lambda's factory unboxes a primitive capture)
 *   a stand-in of the task   the task itself written again with its lambdas replaced so, and every jipc handle and
 *                            every Process subclass (which may hold any user value) replaced by null
 *
 * Reading it back runs $deserializeLambda$ as the task's decode will, and the decode of the task's own record,
 * Process and lambdas, which a spare repeats a few times (Warmup.rehearse) so that the task's decode is not their
 * first; no handle attaches and no captured value of the task reaches the spare. The capturing class is initialised
 * then, as the task's decode initialises it: its static initialiser runs in the spare before the task arrives (as a
 * Python forkserver's preloaded modules run before their children exist).
 *
 * The key names the shape: its classes and, per lambda, its capturing class, body and functional interface. Two
 * tasks of one lambda with different captured values have one shape.
 * </pre>
 */
final class TaskShape
{
    private static final String POOL_PACKAGE = TaskShape.class.getPackageName() + ".";

    private final List<Class<?>> classes;
    private final List<SerializedLambda> lambdas;
    private final Serializable task;
    private final String key;

    /**
     * @param classes the classes the task's stream describes that are not the JDK's.
     * @param lambdas the lambdas it holds, as written.
     * @param task    the task, written again as a stand-in by {@link #rehearsal()}.
     */
    TaskShape(final List<Class<?>> classes, final List<SerializedLambda> lambdas, final Serializable task)
    {
        this.task = task;
        this.classes = List.copyOf(classes);
        this.lambdas = List.copyOf(lambdas);
        final StringBuilder text = new StringBuilder();
        for (final Class<?> type : this.classes)
        {
            text.append(type.getName()).append(';');
        }
        for (final SerializedLambda lambda : this.lambdas)
        {
            text.append(lambda.getCapturingClass()).append(' ').append(lambda.getImplMethodName())
                .append(lambda.getImplMethodSignature()).append(' ').append(lambda.getFunctionalInterfaceClass())
                .append(';');
        }
        key = text.toString();
    }

    /**
     * Whether decoding the task would load anything a stand-in can load ahead: a class of the application or a
     * lambda.
     *
     * @return true if the shape is worth a rehearsal.
     */
    boolean isEmpty()
    {
        return classes.isEmpty() && lambdas.isEmpty();
    }

    /**
     * The shape's identity: equal for tasks whose decode loads and links the same things.
     *
     * @return the key.
     */
    String key()
    {
        return key;
    }

    /**
     * Serialises the stand-ins, which {@link TaskCodec#decode(byte[])} reads back.
     *
     * @return the rehearsal.
     * @throws UncheckedIOException if a stand-in cannot be serialised (it holds only strings, classes, nulls and
     *                              zeros, so only a failing stream can).
     */
    byte[] rehearsal()
    {
        final List<Object> standIns = new ArrayList<>(classes);
        for (final SerializedLambda lambda : lambdas)
        {
            final Class<?> capturing = capturingClass(lambda);
            if (capturing != null)
            {
                standIns.add(standIn(lambda, capturing));
            }
        }
        standIns.add(task);
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new StandInOutput(bytes))
        {
            out.writeObject(standIns.toArray());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot serialise the stand-ins of a task's shape: " + key, ex);
        }
        return bytes.toByteArray();
    }

    /** The capturing class among the stream's classes (a SerializedLambda names it only by its binary name). */
    private Class<?> capturingClass(final SerializedLambda lambda)
    {
        final String name = lambda.getCapturingClass().replace('/', '.');
        for (final Class<?> type : classes)
        {
            if (type.getName().equals(name))
            {
                return type;
            }
        }
        return null;
    }

    private static SerializedLambda standIn(final SerializedLambda lambda, final Class<?> capturing)
    {
        final Object[] captured = new Object[lambda.getCapturedArgCount()];
        for (int i = 0; i < captured.length; i++)
        {
            captured[i] = zeroOf(lambda.getCapturedArg(i));
        }
        return new SerializedLambda(capturing, lambda.getFunctionalInterfaceClass(),
            lambda.getFunctionalInterfaceMethodName(), lambda.getFunctionalInterfaceMethodSignature(),
            lambda.getImplMethodKind(), lambda.getImplClass(), lambda.getImplMethodName(),
            lambda.getImplMethodSignature(), lambda.getInstantiatedMethodType(), captured);
    }

    /**
     * Writes the task as its stand-in: lambdas without their values, no jipc handle (a class of jipc's other
     * packages, by then its serial form) and no Process subclass.
     */
    private final class StandInOutput extends ObjectOutputStream
    {
        StandInOutput(final OutputStream out) throws IOException
        {
            super(out);
            enableReplaceObject(true);
        }

        @Override
        protected Object replaceObject(final Object object)
        {
            if (object instanceof SerializedLambda lambda)
            {
                final Class<?> capturing = capturingClass(lambda);
                return capturing == null ? null : standIn(lambda, capturing);
            }
            final String name = object.getClass().getName();
            if (name.startsWith("dev.jipc.") && !name.startsWith(POOL_PACKAGE))
            {
                return null;
            }
            return object instanceof Process && object.getClass() != Process.class ? null : object;
        }
    }

    /** The zero of a primitive's box (a captured primitive arrives boxed), null for any other value. */
    private static Object zeroOf(final Object value)
    {
        return switch (value)
        {
            case Integer ignore -> 0;
            case Long ignore -> 0L;
            case Double ignore -> 0.0;
            case Float ignore -> 0.0f;
            case Short ignore -> (short)0;
            case Byte ignore -> (byte)0;
            case Character ignore -> '\0';
            case Boolean ignore -> Boolean.FALSE;
            case null, default -> null;
        };
    }
}
