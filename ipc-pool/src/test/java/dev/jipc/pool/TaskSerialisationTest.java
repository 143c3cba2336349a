package dev.jipc.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link TaskCodec} says about a task that cannot be serialised, and what its filter refuses. No child JVM: the
 * failure is in the parent, before one starts (the spawn contract proves that {@code start()} throws it).
 */
class TaskSerialisationTest
{
    private final Object notSerializable = new Object();

    @AfterEach
    void clearFilterProperty()
    {
        System.clearProperty(TaskFilter.PROPERTY);
    }

    @Test
    void shouldNameTheTypeALambdaCapturedThatIsNotSerializable()
    {
        final Thread thread = new Thread(() ->
        {
        });
        final SerializableRunnable task = () -> thread.setName("x");
        final TaskNotSerializableException ex = assertThrows(TaskNotSerializableException.class,
            () -> TaskCodec.encode(task, "Process-7"));
        assertTrue(ex.getMessage().contains("java.lang.Thread"), ex.getMessage());
        assertTrue(ex.getMessage().contains("Process-7"), ex.getMessage());
        assertTrue(ex.getMessage().contains("TaskSerialisationTest.lambda$"), ex.getMessage());
        assertFalse(ex.getMessage().contains("captures this"), ex.getMessage());
    }

    @Test
    void shouldSayWhenALambdaCapturedItsEnclosingInstance()
    {
        final SerializableRunnable task = () -> notSerializable.hashCode();
        final TaskNotSerializableException ex = assertThrows(TaskNotSerializableException.class,
            () -> TaskCodec.encode(task, "Process-1"));
        assertTrue(ex.getMessage().contains("captures this"), ex.getMessage());
        assertTrue(ex.getMessage().contains(TaskSerialisationTest.class.getName()), ex.getMessage());
    }

    @Test
    void shouldSayWhenAnAnonymousSubclassCapturedItsEnclosingInstance()
    {
        final Process process = new Process(Context.threads())
        {
            @Override
            public void run()
            {
                notSerializable.hashCode();
            }
        };
        final TaskNotSerializableException ex = assertThrows(TaskNotSerializableException.class,
            () -> TaskCodec.encode(process, "Process-1"));
        assertTrue(ex.getMessage().contains("captures this"), ex.getMessage());
        assertTrue(ex.getMessage().contains(TaskSerialisationTest.class.getName()), ex.getMessage());
    }

    @Test
    void shouldNameAFieldThatHoldsSomethingNotSerializable()
    {
        final Holder holder = new Holder();
        final SerializableRunnable task = () -> holder.values.size();
        final TaskNotSerializableException ex = assertThrows(TaskNotSerializableException.class,
            () -> TaskCodec.encode(task, "Process-1"));
        assertTrue(ex.getMessage().contains("field " + Holder.class.getName() + ".counter"), ex.getMessage());
        assertTrue(ex.getMessage().contains(NotSerializableCounter.class.getName()), ex.getMessage());
    }

    @Test
    void shouldSayThatACapturedPlainLambdaShouldBeASerializableInterface()
    {
        final Supplier<String> plain = () -> "x";
        final SerializableRunnable task = () -> plain.get();
        final TaskNotSerializableException ex = assertThrows(TaskNotSerializableException.class,
            () -> TaskCodec.encode(task, "Process-1"));
        assertTrue(ex.getMessage().contains("lambda of java.util.function.Supplier"), ex.getMessage());
        assertTrue(ex.getMessage().contains("SerializableRunnable"), ex.getMessage());
    }

    @Test
    void shouldRoundTripALambdaWithSerializableCaptures() throws Exception
    {
        final List<String> seen = new ArrayList<>();
        final String word = "hello";
        final int number = 42;
        final SerializableFunction<String, String> task = prefix -> prefix + word + number;
        final byte[] bytes = TaskCodec.encode(task, "Process-1");
        @SuppressWarnings("unchecked")
        final SerializableFunction<String, String> copy = (SerializableFunction<String, String>)TaskCodec.decode(bytes);
        seen.add(copy.apply(">"));
        assertEquals(List.of(">hello42"), seen);
    }

    @Test
    void shouldRefuseAClassOfAGadgetPackage()
    {
        assertTrue(TaskFilter.isRefused(javax.management.ObjectName.class));
        assertTrue(TaskFilter.isRefused(javax.management.ObjectName[].class));
        assertFalse(TaskFilter.isRefused(String.class));
        assertFalse(TaskFilter.isRefused(Holder.class));
    }

    @Test
    void shouldRefuseWhatTheConfiguredPatternRefuses() throws Exception
    {
        final byte[] bytes = serialise(new AtomicInteger(5));
        assertInstanceOf(AtomicInteger.class, TaskCodec.decode(bytes));
        System.setProperty(TaskFilter.PROPERTY, "!java.util.concurrent.atomic.*");
        assertThrows(InvalidClassException.class, () -> TaskCodec.decode(bytes));
    }

    @Test
    void shouldRefuseAStreamDeeperThanTheLimit() throws Exception
    {
        Node node = null;
        for (int i = 0; i < TaskFilter.MAX_DEPTH + 10; i++)
        {
            node = new Node(node);
        }
        final Node chain = node;
        // a thousand nested records take more stack than a default thread has while the code is interpreted, so
        // both directions run on a thread with room to spare: the refusal must come from the filter's depth bound
        final AtomicReference<Throwable> outcome = new AtomicReference<>();
        final Thread deep = new Thread(null, () ->
        {
            try
            {
                final byte[] bytes = serialise(chain);
                outcome.set(assertThrows(InvalidClassException.class, () -> TaskCodec.decode(bytes)));
            }
            catch (final Throwable ex)
            {
                outcome.set(new AssertionError("serialising or decoding the chain failed", ex));
            }
        }, "deep-stream", 256L << 20);
        deep.start();
        deep.join(TimeUnit.MINUTES.toMillis(1));
        assertFalse(deep.isAlive(), "the deep stream's thread did not finish within a minute");
        final Throwable result = outcome.get();
        if (result instanceof AssertionError failure)
        {
            throw failure;
        }
        assertInstanceOf(InvalidClassException.class, result);
    }

    private static byte[] serialise(final Serializable object) throws IOException
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes))
        {
            out.writeObject(object);
        }
        return bytes.toByteArray();
    }

    static final class NotSerializableCounter
    {
        int count;
    }

    static final class Holder implements Serializable
    {
        final List<String> values = new ArrayList<>();
        final NotSerializableCounter counter = new NotSerializableCounter();
    }

    record Node(Node next) implements Serializable
    {
    }
}
