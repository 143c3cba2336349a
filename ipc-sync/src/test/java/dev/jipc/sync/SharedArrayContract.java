package dev.jipc.sync;

import static dev.jipc.sync.SharedValueContract.WAIT_SECONDS;
import static dev.jipc.sync.SharedValueContract.assertClosed;
import static dev.jipc.sync.SharedValueContract.assertStillBlocked;
import static dev.jipc.sync.SyncTestSupport.CHILD_TIMEOUT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.ChildProcesses;
import dev.jipc.core.Handles;
import dev.jipc.core.test.ChildLogs;
import dev.jipc.core.test.Names;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every typed array promises ({@link IntArray}, {@link LongArray}, {@link DoubleArray}, {@link ByteArray}): one
 * abstract test and a thin subclass per class, as JCTools' {@code QueueSanityTest}. A subclass adapts its array to
 * {@code long}s (small whole numbers, exact in every element type, bytes included) through the class's real API.
 *
 * @param <A> the array class.
 */
abstract class SharedArrayContract<A extends SharedArray>
{
    static final int LENGTH = 5;

    @TempDir
    Path directory;

    private final ChildProcesses children = ChildLogs.group();
    private A array;

    abstract A create(Path directory, String name, int length);

    abstract A open(Path directory, String name);

    /** Creates an array of another element type, that {@link #open} must refuse; closing it unlinks and closes it. */
    abstract AutoCloseable createOtherKind(Path directory, String name);

    abstract long get(A array, int index);

    abstract void set(A array, int index, long value);

    abstract long getRaw(A array, int index);

    abstract void setRaw(A array, int index, long value);

    /** Adds atomically; a class without atomics overrides the atomics case with {@code @Disabled}. */
    abstract long getAndAdd(A array, int index, long delta);

    abstract boolean compareAndSet(A array, int index, long expected, long value);

    /** Copies {@code count} elements from index {@code index} into {@code dst} from {@code dstIndex}. */
    abstract void copyTo(A array, int index, long[] dst, int dstIndex, int count);

    /** Copies {@code count} elements of {@code src} from {@code srcIndex} into the array from {@code index}. */
    abstract void copyFrom(A array, long[] src, int srcIndex, int index, int count);

    abstract long[] toArray(A array);

    @AfterEach
    void cleanUp()
    {
        children.close();
        if (array != null)
        {
            array.unlink();
            array.close();
        }
    }

    final A array()
    {
        array = create(directory, Names.unique("array-contract"), LENGTH);
        return array;
    }

    @Test
    void shouldStartZeroedAndReadWhatWasSetAtEachIndex()
    {
        final A array = array();
        assertEquals(LENGTH, array.length());
        assertArrayEquals(new long[LENGTH], toArray(array));
        for (int i = 0; i < LENGTH; i++)
        {
            set(array, i, 10 + i);
        }
        for (int i = 0; i < LENGTH; i++)
        {
            assertEquals(10 + i, get(array, i));
            assertEquals(10 + i, getRaw(array, i), "a locked write is seen by a raw read");
        }
        setRaw(array, 2, 99);
        assertEquals(99, get(array, 2), "a raw write is seen by a locked read");
        assertArrayEquals(new long[]{10, 11, 99, 13, 14}, toArray(array));
    }

    @Test
    void shouldCopyRangesToAndFromJavaArrays()
    {
        final A array = array();
        copyFrom(array, new long[]{-1, 1, 2, 3, -1}, 1, 2, 3);
        assertArrayEquals(new long[]{0, 0, 1, 2, 3}, toArray(array));
        final long[] into = {7, 7, 7, 7};
        copyTo(array, 2, into, 1, 2);
        assertArrayEquals(new long[]{7, 1, 2, 7}, into);
        copyTo(array, 0, into, 0, 0);
        copyFrom(array, new long[0], 0, LENGTH, 0);
        assertArrayEquals(new long[]{0, 0, 1, 2, 3}, toArray(array), "empty copies at the ends change nothing");
    }

    @Test
    void shouldRefuseIndexesOutOfBoundsWithTheIndexAndTheLengthInTheMessage()
    {
        final A array = array();
        assertOutOfBounds(() -> get(array, LENGTH), LENGTH);
        assertOutOfBounds(() -> get(array, -1), -1);
        assertOutOfBounds(() -> set(array, LENGTH, 1), LENGTH);
        assertOutOfBounds(() -> getRaw(array, LENGTH), LENGTH);
        assertOutOfBounds(() -> setRaw(array, -1, 1), -1);
        assertOutOfBounds(() -> copyTo(array, 3, new long[LENGTH], 0, 3), 3);
        assertOutOfBounds(() -> copyFrom(array, new long[LENGTH], 0, 4, 2), 4);
        assertOutOfBounds(() -> copyTo(array, 0, new long[2], 1, 2), 1);
        assertArrayEquals(new long[LENGTH], toArray(array), "a refused copy wrote nothing");
    }

    @Test
    void shouldAddAndCompareAndSetElementsAtomically()
    {
        final A array = array();
        set(array, 1, 5);
        assertEquals(5, getAndAdd(array, 1, 3), "getAndAdd returns the value before");
        assertEquals(8, get(array, 1));
        assertFalse(compareAndSet(array, 1, 5, 1), "not the expected value");
        assertTrue(compareAndSet(array, 1, 8, 2));
        assertArrayEquals(new long[]{0, 2, 0, 0, 0}, toArray(array), "only that element changed");
        assertOutOfBounds(() -> getAndAdd(array, LENGTH, 1), LENGTH);
        assertOutOfBounds(() -> compareAndSet(array, LENGTH, 0, 1), LENGTH);
    }

    @Test
    void shouldKeepOtherThreadsOutOfLockedOperationsWhileTheEmbeddedLockIsHeld() throws Exception
    {
        final A array = array();
        array.getLock().lock();
        final CompletableFuture<Void> writer;
        try
        {
            copyFrom(array, new long[]{1, 2, 3, 4, 5}, 0, 0, LENGTH);
            writer = CompletableFuture.runAsync(() -> set(array, 0, 9), SyncTestSupport.THREADS);
            assertStillBlocked(writer, "set while another thread holds the lock");
            assertEquals(1, getRaw(array, 0));
        }
        finally
        {
            array.getLock().unlock();
        }
        writer.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertArrayEquals(new long[]{9, 2, 3, 4, 5}, toArray(array));
    }

    @Test
    void shouldReattachInAChildJvmFromItsHandleAndRecoverTheLockWhenTheChildIsKilled() throws Exception
    {
        final A array = array();
        final ChildProcesses.Child child = children.start(ChildJvm.of(LockHolder.class)
            .args(getClass().getName(), Handles.encode(array)));
        // the child's writes take the embedded lock too: only its word that it holds the lock for good says ready
        ChildProcesses.awaitOutput(child, "holding", CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        for (int i = 0; i < LENGTH; i++)
        {
            assertEquals(3L * i, getRaw(array, i), "the child wrote through its re-attached handle");
        }
        assertFalse(array.getLock().tryLock(50, TimeUnit.MILLISECONDS), "held by a live process");
        child.process().destroyForcibly();
        assertTrue(array.getLock().tryLock(WAIT_SECONDS, TimeUnit.SECONDS), "recovered the lock of a killed holder");
        try
        {
            assertTrue(array.getLock().previousOwnerDied(), "told that the holder died");
        }
        finally
        {
            array.getLock().unlock();
        }
        set(array, 0, 1);
        assertEquals(1, get(array, 0));
    }

    @Test
    void shouldAttachByNameAndRefuseAnArrayOfAnotherKind() throws Exception
    {
        final A array = array();
        try (A byName = open(directory, array.name()))
        {
            assertEquals(LENGTH, byName.length());
            set(byName, 4, 6);
            assertEquals(6, get(array, 4));
        }
        final String other = Names.unique("array-contract-other");
        try (AutoCloseable wrong = createOtherKind(directory, other))
        {
            // an arena may hold many objects: finding none of the kind is a misuse of open by name, said so by
            // SyncArena.only with IllegalArgumentException, not a bad file
            final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> open(directory, other).close(), "opened " + wrong);
            assertTrue(refused.getMessage().contains(other), "names the file: " + refused.getMessage());
            assertTrue(refused.getMessage().contains("kind="), "names the kind: " + refused.getMessage());
        }
    }

    @Test
    void shouldThrowIllegalStateExceptionOnEveryUseAfterClose()
    {
        final A array = array();
        try (A other = open(directory, array.name()))
        {
            other.close();
            assertClosed(other::length, "length");
            assertClosed(() -> get(other, 0), "get");
            assertClosed(() -> set(other, 0, 1), "set");
            assertClosed(() -> getRaw(other, 0), "getRaw");
            assertClosed(() -> setRaw(other, 0, 1), "setRaw");
            assertClosed(() -> copyTo(other, 0, new long[1], 0, 1), "copyTo");
            assertClosed(() -> copyFrom(other, new long[1], 0, 0, 1), "copyFrom");
            assertClosed(() -> toArray(other), "toArray");
            assertClosed(other::getLock, "getLock");
        }
        assertEquals(0, get(array, 0), "the other handle carries on");
    }

    static void assertOutOfBounds(final Executable use, final int index)
    {
        final IndexOutOfBoundsException refused = assertThrows(IndexOutOfBoundsException.class, use);
        final String message = String.valueOf(refused.getMessage());
        assertTrue(message.contains(String.valueOf(index)), "names the index " + index + ": " + message);
        assertTrue(message.contains("length"), "names the length: " + message);
    }

    /** Re-attaches an array from its handle, writes 0, 3, 6, ..., takes its lock and waits to be killed. */
    static final class LockHolder
    {
        @SuppressWarnings("unchecked")
        public static void main(final String[] args) throws Exception
        {
            final var constructor = Class.forName(args[0]).getDeclaredConstructor();
            constructor.setAccessible(true);
            final SharedArrayContract<SharedArray> contract =
                (SharedArrayContract<SharedArray>)constructor.newInstance();
            final SharedArray array = Handles.decode(args[1]);
            for (int i = 0; i < array.length(); i++)
            {
                contract.set(array, i, 3L * i);
            }
            array.getLock().lock();
            System.out.println("holding the lock");
            System.out.flush();
            Thread.sleep(TimeUnit.SECONDS.toMillis(CHILD_TIMEOUT_SECONDS));
            System.exit(1);
        }
    }
}
