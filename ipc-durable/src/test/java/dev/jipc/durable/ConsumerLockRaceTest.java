package dev.jipc.durable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.codec.Codecs;
import dev.jipc.sync.SyncArena;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A member attaching while another process is making the name's lock: the lock's arena is in the directory, empty,
 * until its creator has made the lock in it (CI saw a second consumer JVM fail there with "matches=0"). The creator
 * is played by this test, which makes the arena and the lock itself, with the window held open on purpose.
 */
class ConsumerLockRaceTest
{
    private final Path directory = DurableTestFiles.newDirectory("durable-lock-race");

    @AfterEach
    void removeFiles()
    {
        DurableTestFiles.remove(directory);
    }

    @Test
    void shouldWaitForTheCreatorOfTheLockToMakeIt() throws Exception
    {
        try (DurableQueue<String> queue = DurableQueue.open(directory, Codecs.strings());
            SyncArena arena = SyncArena.create(directory, ConsumerDescriptor.LOCK_PREFIX + "late", 4, 256))
        {
            final long start = System.nanoTime();
            final Thread creator = new Thread(() ->
            {
                try
                {
                    Thread.sleep(300);
                    arena.newLock().close();
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                }
            });
            creator.start();
            final long queuedAt = queue.put("first");
            try (DurableConsumer<String> consumer = queue.consumer("late"))
            {
                // the creator makes the lock 300 ms after start at the earliest; its thread may still be ending
                assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(300),
                    "the member attached before the lock was made");
                final Message<String> message = consumer.poll(5, TimeUnit.SECONDS);
                assertEquals(queuedAt, message.index());
                assertEquals("first", message.value());
            }
            creator.join(TimeUnit.SECONDS.toMillis(10));
            assertFalse(creator.isAlive(), "the creator thread did not end");
        }
    }

    @Test
    void shouldNameTheFileOfALockItsCreatorNeverMade()
    {
        try (DurableQueue<String> queue = DurableQueue.open(directory, Codecs.strings());
            SyncArena ignored = SyncArena.create(directory, ConsumerDescriptor.LOCK_PREFIX + "orphan", 4, 256))
        {
            final long start = System.nanoTime();
            final IllegalStateException ex = assertThrows(IllegalStateException.class,
                () -> queue.consumer("orphan"));
            assertTrue(System.nanoTime() - start >= TimeUnit.SECONDS.toNanos(5), "gave up before 5 s");
            assertTrue(ex.getMessage().contains(directory.resolve(ConsumerDescriptor.LOCK_PREFIX + "orphan")
                .toString()) && ex.getMessage().contains("holds no lock"), ex.getMessage());
        }
    }
}
