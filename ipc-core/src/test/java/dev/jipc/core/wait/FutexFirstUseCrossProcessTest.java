package dev.jipc.core.wait;

import static dev.jipc.core.ChildProcesses.awaitSuccess;

import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.ChildProcesses;
import dev.jipc.core.SharedMemory;
import dev.jipc.core.test.ChildLogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The futex downcall is set up (66-100 ms of FFM linking on first use) when a fresh JVM maps its first segment, off
 * the caller's thread, so that the first wake does not pay for it. Timing the first wake would be flaky on a loaded
 * machine; the child checks instead, without initialising {@link Futex} itself, that mapping a segment is enough for
 * its class initialisation (linker, method handle and a probing call) to complete on its own within a generous bound.
 */
class FutexFirstUseCrossProcessTest
{
    @TempDir
    Path dir;

    @Test
    void shouldLinkTheFutexDowncallInTheBackgroundWhenTheFirstSegmentIsMapped() throws InterruptedException
    {
        try (ChildProcesses children = ChildLogs.group())
        {
            awaitSuccess(children.start(ChildJvm.of(FreshJvm.class).args(dir)), 60, TimeUnit.SECONDS);
        }
    }

    /** Maps a segment in a fresh JVM and waits, without touching Futex, for Futex to be initialised. */
    public static final class FreshJvm
    {
        public static void main(final String[] args) throws Exception
        {
            // jdk.internal.misc is exported to jipc's JVMs for Agrona; reflection keeps the test free of compile flags
            final Class<?> unsafeClass = Class.forName("jdk.internal.misc.Unsafe");
            final Object unsafe = unsafeClass.getMethod("getUnsafe").invoke(null);
            final Method shouldBeInitialized = unsafeClass.getMethod("shouldBeInitialized", Class.class);
            if (!(boolean)shouldBeInitialized.invoke(unsafe, Futex.class))
            {
                throw new AssertionError("Futex initialised before any segment was mapped: the test proves nothing");
            }
            try (SharedMemory block = SharedMemory.create(Path.of(args[0]), "first-use", 64))
            {
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while ((boolean)shouldBeInitialized.invoke(unsafe, Futex.class))
                {
                    if (System.nanoTime() - deadline > 0)
                    {
                        throw new AssertionError("the futex downcall was not set up within 30 s of the first mapping");
                    }
                    Thread.sleep(1);
                }
                final long start = System.nanoTime();
                Futex.wake(block.segment(), 0, 1);
                System.out.println("first wake after the background link-up: micros=" +
                    TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start));
                block.unlink();
            }
        }
    }
}
