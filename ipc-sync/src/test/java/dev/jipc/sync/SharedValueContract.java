package dev.jipc.sync;

import static dev.jipc.sync.SyncTestSupport.CHILD_TIMEOUT_SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongUnaryOperator;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.ChildProcesses;
import dev.jipc.core.Handles;
import dev.jipc.core.test.ChildLogs;
import dev.jipc.core.test.Names;
import dev.jipc.core.wait.WaitStrategy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every typed value promises ({@link IntValue}, {@link LongValue}, {@link DoubleValue}): one abstract test and a
 * thin subclass per class, as JCTools' {@code QueueSanityTest}. A subclass adapts its value to {@code long}s (small
 * whole numbers, exact in every type) through the class's real API.
 *
 * @param <V> the value class.
 */
abstract class SharedValueContract<V extends SharedValue>
{
    static final long WAIT_SECONDS = 10;
    static final long STILL_BLOCKED_MILLIS = 100;

    @TempDir
    Path directory;

    private final ChildProcesses children = ChildLogs.group();
    private V value;

    abstract V create(Path directory, String name, long initial);

    abstract V open(Path directory, String name);

    /** Creates a value of another kind, that {@link #open} must refuse; closing it unlinks and closes it. */
    abstract AutoCloseable createOtherKind(Path directory, String name);

    abstract long get(V value);

    abstract void set(V value, long newValue);

    abstract long getRaw(V value);

    abstract void setRaw(V value, long newValue);

    abstract long getAndAdd(V value, long delta);

    abstract boolean compareAndSet(V value, long expected, long newValue);

    abstract long update(V value, LongUnaryOperator op);

    @AfterEach
    void cleanUp()
    {
        children.close();
        if (value != null)
        {
            value.unlink();
            value.close();
        }
    }

    final V value(final long initial)
    {
        value = create(directory, Names.unique("value-contract"), initial);
        return value;
    }

    @Test
    void shouldStartAtTheInitialValueAndReadWhatWasSet()
    {
        final V value = value(7);
        assertEquals(7, get(value));
        set(value, 11);
        assertEquals(11, get(value));
        assertEquals(11, getRaw(value), "a locked write is seen by a raw read");
        setRaw(value, 13);
        assertEquals(13, get(value), "a raw write is seen by a locked read");
    }

    @Test
    void shouldAddAndCompareAndSetAtomically()
    {
        final V value = value(5);
        assertEquals(5, getAndAdd(value, 3), "getAndAdd returns the value before");
        assertEquals(8, get(value));
        assertFalse(compareAndSet(value, 5, 1), "not the expected value");
        assertEquals(8, get(value));
        assertTrue(compareAndSet(value, 8, 2));
        assertEquals(2, get(value));
    }

    @Test
    void shouldUpdateUnderTheLockAndReturnTheNewValue()
    {
        final V value = value(4);
        assertEquals(12, update(value, old ->
        {
            assertTrue(value.getLock().isHeldByCurrentThread(), "update runs with the lock held");
            return old * 3;
        }));
        assertEquals(12, get(value));
    }

    @Test
    void shouldLoseNoIncrementFromThreadsThatHoldTheEmbeddedLockAroundAReadAndAWrite() throws Exception
    {
        final V value = value(0);
        final int perThread = 2_000;
        final Runnable incrementer = () ->
        {
            for (int i = 0; i < perThread; i++)
            {
                value.getLock().lock();
                try
                {
                    set(value, get(value) + 1);
                }
                finally
                {
                    value.getLock().unlock();
                }
            }
        };
        final CompletableFuture<Void> first = CompletableFuture.runAsync(incrementer, SyncTestSupport.THREADS);
        final CompletableFuture<Void> second = CompletableFuture.runAsync(incrementer, SyncTestSupport.THREADS);
        first.get(WAIT_SECONDS * 6, TimeUnit.SECONDS);
        second.get(WAIT_SECONDS * 6, TimeUnit.SECONDS);
        assertEquals(2L * perThread, get(value));
    }

    @Test
    void shouldKeepOtherThreadsOutOfLockedOperationsWhileTheEmbeddedLockIsHeld() throws Exception
    {
        final V value = value(1);
        value.getLock().lock();
        final CompletableFuture<Void> writer;
        try
        {
            set(value, 2);
            assertEquals(2, get(value), "the holder's own locked operations do not wait for it");
            writer = CompletableFuture.runAsync(() -> set(value, 3), SyncTestSupport.THREADS);
            assertStillBlocked(writer, "set while another thread holds the lock");
            assertEquals(2, getRaw(value));
        }
        finally
        {
            value.getLock().unlock();
        }
        writer.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals(3, get(value));
    }

    @Test
    void shouldReattachInAChildJvmFromItsHandleAndRecoverTheLockWhenTheChildIsKilled() throws Exception
    {
        final V value = value(0);
        final ChildProcesses.Child child = children.start(ChildJvm.of(LockHolder.class)
            .args(getClass().getName(), Handles.encode(value)));
        // the child's writes take the embedded lock too: only its word that it holds the lock for good says ready
        ChildProcesses.awaitOutput(child, "holding", CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertEquals(42, getRaw(value), "the child wrote through its re-attached handle");
        assertEquals(child.pid(), value.getLock().ownerPid());
        assertFalse(value.getLock().tryLock(50, TimeUnit.MILLISECONDS), "held by a live process");
        child.process().destroyForcibly();
        assertTrue(value.getLock().tryLock(WAIT_SECONDS, TimeUnit.SECONDS), "recovered the lock of a killed holder");
        try
        {
            assertTrue(value.getLock().previousOwnerDied(), "told that the holder died");
        }
        finally
        {
            value.getLock().unlock();
        }
        set(value, 43);
        assertEquals(43, get(value));
    }

    @Test
    void shouldAttachByNameAndRefuseAValueOfAnotherKind() throws Exception
    {
        final V value = value(9);
        final String name = value.name();
        try (V byName = open(directory, name))
        {
            assertEquals(9, get(byName));
            set(byName, 10);
            assertEquals(10, get(value));
        }
        final String other = Names.unique("value-contract-other");
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
        final V value = value(1);
        try (V other = open(directory, value.name()))
        {
            other.close();
            assertClosed(() -> get(other), "get");
            assertClosed(() -> set(other, 2), "set");
            assertClosed(() -> getRaw(other), "getRaw");
            assertClosed(() -> setRaw(other, 2), "setRaw");
            assertClosed(() -> getAndAdd(other, 1), "getAndAdd");
            assertClosed(() -> compareAndSet(other, 1, 2), "compareAndSet");
            assertClosed(() -> update(other, old -> old + 1), "update");
            assertClosed(other::getLock, "getLock");
        }
        assertEquals(1, get(value), "the other handle carries on");
    }

    static void assertClosed(final Executable use, final String what)
    {
        assertThrows(IllegalStateException.class, use, what + " after close");
    }

    static void assertStillBlocked(final CompletableFuture<?> future, final String what) throws Exception
    {
        try
        {
            future.get(STILL_BLOCKED_MILLIS, TimeUnit.MILLISECONDS);
            fail(what + " did not wait for the lock");
        }
        catch (final TimeoutException expected)
        {
            // still waiting, as it should be
        }
    }

    /** Re-attaches a value from its handle, sets 42, takes its lock and waits to be killed. */
    static final class LockHolder
    {
        @SuppressWarnings("unchecked")
        public static void main(final String[] args) throws Exception
        {
            final var constructor = Class.forName(args[0]).getDeclaredConstructor();
            constructor.setAccessible(true);
            final SharedValueContract<SharedValue> contract =
                (SharedValueContract<SharedValue>)constructor.newInstance();
            final SharedValue value = Handles.decode(args[1]);
            contract.set(value, 42);
            value.getLock().lock();
            System.out.println("holding the lock");
            System.out.flush();
            Thread.sleep(TimeUnit.SECONDS.toMillis(CHILD_TIMEOUT_SECONDS));
            System.exit(1);
        }
    }

    static WaitStrategy strategy()
    {
        return WaitStrategy.SPIN_THEN_PARK;
    }
}
