package dev.jipc.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.jipc.core.queue.LongQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shape of a task, which a forkserver spare decodes ahead: its classes and its lambdas without its values.
 */
class TaskShapeTest
{
    private static final List<String> RAN = new CopyOnWriteArrayList<>();

    @TempDir
    Path directory;

    @Test
    void shouldHoldNoHandleOfTheTaskSoThatItsRehearsalAttachesNothing() throws Exception
    {
        final TaskCodec.Encoded encoded;
        try (LongQueue queue = LongQueue.create(directory, "shape-queue", 1024))
        {
            encoded = TaskCodec.encodeTask(putting(queue, 7), "Process-1");
            queue.unlink();
        }
        // the queue is gone: the task's own decode must fail to attach, the rehearsal must not try
        assertThrows(RuntimeException.class, () -> TaskCodec.decode(encoded.bytes()));
        final Object[] standIns = (Object[])TaskCodec.decode(encoded.shape().rehearsal());
        assertTrue(Arrays.asList(standIns).contains(TaskShapeTest.class),
            "the capturing class is not among " + Arrays.toString(standIns));
        assertTrue(Arrays.stream(standIns).anyMatch(SerializableCallable.class::isInstance),
            "no lambda among " + Arrays.toString(standIns));
    }

    @Test
    void shouldStandInForCapturedPrimitivesWithTheirZeros() throws Exception
    {
        final TaskCodec.Encoded encoded = TaskCodec.encodeTask(recording(42, 9L, true, "text"), "Process-1");
        final Object[] standIns = (Object[])TaskCodec.decode(encoded.shape().rehearsal());
        final SerializableRunnable standIn = assertInstanceOf(SerializableRunnable.class,
            Arrays.stream(standIns).filter(SerializableRunnable.class::isInstance).findFirst().orElseThrow());
        RAN.clear();
        standIn.run();
        assertEquals(List.of("0 0 false null"), RAN);
    }

    @Test
    void shouldGiveTasksOfOneLambdaOneShapeWhateverTheyCapture() throws Exception
    {
        final String one = TaskCodec.encodeTask(recording(1, 2L, false, "a"), "Process-1").shape().key();
        final String other = TaskCodec.encodeTask(recording(3, 4L, true, "b"), "Process-2").shape().key();
        final String elsewhere = TaskCodec.encodeTask((SerializableRunnable)() -> RAN.add("other"), "Process-3")
            .shape().key();
        assertEquals(one, other);
        assertNotEquals(one, elsewhere);
    }

    private static SerializableCallable<Void> putting(final LongQueue queue, final long value)
    {
        return () ->
        {
            queue.put(value);
            return null;
        };
    }

    private static SerializableRunnable recording(final int number, final long big, final boolean flag,
        final String text)
    {
        return () -> RAN.add(number + " " + big + " " + flag + " " + text);
    }
}
