package dev.jipc.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.jipc.core.codec.Codecs;
import dev.jipc.core.pipe.Pipe;
import dev.jipc.core.queue.Queue;
import dev.jipc.sync.IntValue;
import dev.jipc.sync.Lock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Context}: start methods by name, and the objects it makes and unlinks. No child JVM. */
class ContextTest
{
    @TempDir
    Path directory;

    @Test
    void shouldOfferSpawnForkserverAndThreads()
    {
        assertEquals(List.of(Context.SPAWN, Context.FORKSERVER, Context.THREADS), Context.startMethods());
        assertEquals(Context.SPAWN, Context.of("spawn").startMethod());
        try (Context forkserver = Context.of("forkserver"))
        {
            assertEquals(Context.FORKSERVER, forkserver.startMethod());
        }
        assertEquals(Context.THREADS, Context.of("threads").startMethod());
        assertEquals(Context.SPAWN, Context.spawn().startMethod());
    }

    @Test
    void shouldRefuseForkAndPointAtForkserver()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> Context.of("fork"));
        assertTrue(ex.getMessage().contains("cannot fork"), ex.getMessage());
        assertTrue(ex.getMessage().contains("forkserver"), ex.getMessage());
    }

    @Test
    void shouldRefuseAForkserverWithoutSpares()
    {
        assertThrows(IllegalArgumentException.class, () -> Context.forkserver(0));
    }

    @Test
    void shouldRefuseJvmOptionsOnceItHasMadeAProcess()
    {
        try (Context context = Context.threads().directory(directory))
        {
            context.jvmOptions("-Xmx64m");
            context.process(() ->
            {
            });
            assertThrows(IllegalStateException.class, () -> context.jvmOptions("-Xmx32m"));
        }
    }

    @Test
    void shouldRefuseAnUnknownStartMethodNamingTheKnownOnes()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> Context.of("clone"));
        assertTrue(ex.getMessage().contains("spawn"), ex.getMessage());
    }

    @Test
    void shouldHaveASpawnDefault()
    {
        assertEquals(Context.SPAWN, Context.getDefault().startMethod());
        assertTrue(Context.getDefault() == Context.getDefault());
        Context.setDefault(Context.SPAWN);
        assertThrows(IllegalStateException.class, () -> Context.setDefault(Context.THREADS));
    }

    @Test
    void shouldUnlinkWhatItMadeWhenClosed() throws Exception
    {
        final Context context = Context.threads().directory(directory);
        final Queue<String> queue = context.queue(Codecs.strings());
        final IntValue value = context.intValue(3);
        final Lock lock = context.lock();
        final Pipe<String> pipe = context.pipe(true, Codecs.strings());
        queue.put("x");
        assertEquals(3, value.get());
        assertEquals("x", queue.take());
        lock.lock();
        lock.unlock();
        pipe.first().send("y");
        assertEquals("y", pipe.second().recv());
        final List<String> names = context.createdNames();
        assertEquals(4, names.size());
        for (final String name : names)
        {
            assertTrue(Files.exists(directory.resolve(name)), name);
        }
        context.close();
        for (final String name : names)
        {
            assertFalse(Files.exists(directory.resolve(name)), name);
        }
        assertTrue(context.createdNames().isEmpty());
        assertThrows(IllegalStateException.class, () -> context.intValue(1));
        context.close();
    }

    @Test
    void shouldRefuseANewDirectoryOnceItHasMadeSomething()
    {
        try (Context context = Context.threads().directory(directory))
        {
            context.event();
            assertThrows(IllegalStateException.class, () -> context.directory(directory.resolve("other")));
        }
    }

    @Test
    void shouldNameEverySegmentApart()
    {
        try (Context first = Context.threads().directory(directory);
            Context second = Context.threads().directory(directory))
        {
            first.semaphore(1);
            second.semaphore(1);
            first.barrier(2);
            assertEquals(3, List.of(first.createdNames(), second.createdNames()).stream()
                .flatMap(List::stream).distinct().count());
        }
    }
}
