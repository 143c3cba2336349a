package dev.jipc.sync;

import static dev.jipc.core.ChildProcesses.awaitSuccess;
import static dev.jipc.sync.SyncTestSupport.CHILD_TIMEOUT_SECONDS;
import static dev.jipc.sync.SyncTestSupport.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.ChildProcesses;
import dev.jipc.core.Handles;
import dev.jipc.core.SegmentDirectory;
import dev.jipc.core.test.ChildLogs;
import dev.jipc.core.test.Names;
import dev.jipc.core.wait.WaitStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process opening a dedicated object's name while another process is still making it: the name must not appear
 * before the object is in its arena (it did, and an {@code open} at that moment failed with "matches=0"). The maker
 * is this test, holding its allocation open until a child JVM has tried to open the name many times.
 */
class DedicatedCreateRaceTest
{
    private static final int ATTEMPTS_BEFORE_RELEASE = 20;

    @Test
    void shouldNotShowTheNameOfALockToAnotherJvmBeforeTheLockIsMade() throws InterruptedException
    {
        final Path directory = SegmentDirectory.defaultDirectory();
        final String name = Names.unique("dedicated-race");
        try (SyncArena counters = SyncArena.create(Names.unique("dedicated-race-counters"), 2, 256);
            IntValue attempts = counters.newIntValue(0);
            ChildProcesses children = ChildLogs.group())
        {
            try
            {
                final ChildProcesses.Child opener = children.start(ChildJvm.of(Opener.class)
                    .args(name, Handles.encode(attempts)));
                final Lock lock = SyncObject.createDedicated(directory, name, MutexDescriptor.LENGTH, arena ->
                {
                    final int offset = arena.allocateMutex(SyncKind.LOCK);
                    // the object is laid out in the arena; the child keeps trying to open the name meanwhile
                    awaitTrue(() -> attempts.getRaw() >= ATTEMPTS_BEFORE_RELEASE || !opener.process().isAlive(),
                        CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS, "the child's attempts to open the name");
                    assertFalse(Files.exists(directory.resolve(name)), "the name appeared before the lock was made");
                    return new Lock(arena, offset, WaitStrategy.SPIN_THEN_PARK);
                });
                try (lock)
                {
                    awaitSuccess(opener, CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    assertFalse(lock.isLocked(), "the child released the lock it took");
                }
                finally
                {
                    lock.unlink();
                }
            }
            finally
            {
                counters.unlink();
            }
        }
    }

    @Test
    void shouldLeaveNoFileWhenTheObjectCannotBeMade(@TempDir final Path directory) throws IOException
    {
        final IllegalStateException failure = new IllegalStateException("no lock today");
        assertEquals(failure, assertThrows(IllegalStateException.class,
            () -> SyncObject.createDedicated(directory, "failed", MutexDescriptor.LENGTH, arena ->
            {
                arena.allocateMutex(SyncKind.LOCK);
                throw failure;
            })));
        try (Stream<Path> files = Files.list(directory))
        {
            assertEquals(0, files.filter(file -> file.getFileName().toString().contains("failed")).count(),
                "files left by a failed create");
        }
    }

    /** Opens the lock by name until it exists, counting each try; takes and releases it once it opened. */
    public static final class Opener
    {
        public static void main(final String[] args) throws InterruptedException
        {
            final String name = args[0];
            final IntValue attempts = Handles.decode(args[1]);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CHILD_TIMEOUT_SECONDS);
            while (System.nanoTime() - deadline < 0)
            {
                try (Lock lock = Lock.open(name))
                {
                    lock.acquire();
                    lock.release();
                    return;
                }
                catch (final UncheckedIOException ex)
                {
                    if (!(ex.getCause() instanceof NoSuchFileException))
                    {
                        throw ex;
                    }
                }
                attempts.getAndAdd(1);
                Thread.sleep(1);
            }
            throw new AssertionError("the lock never appeared: " + name);
        }
    }
}
