package dev.jipc.pool;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
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
 * class's $deserializeLambda$ (whose invokedynamic call site spins the lambda's hidden class) and for mapping the
 * segments its handles name. The rehearsal is a serialised Object[] of the task's classes (each read back as a Class:
 * loaded, not initialised) and of its SerializedLambdas with every captured value replaced by null, or by the zero
 * of its box (the lambda's factory unboxes a primitive capture): reading one back runs $deserializeLambda$ as the
 * task's decode will, and no handle attaches, no value of the task reaches the spare. The capturing class is
 * initialised then, as the task's decode initialises it: its static initialiser runs in the spare before the task
 * arrives (as a Python forkserver's preloaded modules run before their children exist).
 *
 * The key names the shape: its classes and, per lambda, its capturing class, body and functional interface. Two
 * tasks of one lambda with different captured values have one shape.
 * </pre>
 */
final class TaskShape
{
    private final List<Class<?>> classes;
    private final List<Object> written;
    private List<SerializedLambda> lambdas;
    private String key;

    /**
     * A shape, made as every task is encoded (a pool encodes a task per call): it only holds what the stream recorded,
     * and works out its lambdas and key when a forkserver first asks.
     *
     * @param classes the classes the task's stream describes that are not the JDK's.
     * @param written objects the stream wrote, its {@link SerializedLambda}s among them.
     */
    TaskShape(final List<Class<?>> classes, final List<Object> written)
    {
        this.classes = classes;
        this.written = written;
    }

    /**
     * The shape's identity: equal for tasks whose decode loads and links the same things.
     *
     * @return the key.
     */
    synchronized String key()
    {
        if (key == null)
        {
            final StringBuilder text = new StringBuilder();
            for (final Class<?> type : classes)
            {
                text.append(type.getName()).append(';');
            }
            for (final SerializedLambda lambda : lambdas())
            {
                text.append(lambda.getCapturingClass()).append(' ').append(lambda.getImplMethodName())
                    .append(lambda.getImplMethodSignature()).append(' ').append(lambda.getFunctionalInterfaceClass())
                    .append(';');
            }
            key = text.toString();
        }
        return key;
    }

    private synchronized List<SerializedLambda> lambdas()
    {
        if (lambdas == null)
        {
            lambdas = written.stream().filter(SerializedLambda.class::isInstance).map(SerializedLambda.class::cast)
                .toList();
        }
        return lambdas;
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
        for (final SerializedLambda lambda : lambdas())
        {
            final Class<?> capturing = capturingClass(lambda);
            if (capturing != null)
            {
                standIns.add(standIn(lambda, capturing));
            }
        }
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes))
        {
            out.writeObject(standIns.toArray());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot serialise the stand-ins of a task's shape: " + key(), ex);
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
