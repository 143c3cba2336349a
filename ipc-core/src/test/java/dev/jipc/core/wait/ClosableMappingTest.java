package dev.jipc.core.wait;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.jipc.core.SharedMemory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClosableMappingTest
{
    @TempDir
    Path dir;
    private SharedMemory block;
    private EventCount eventCount;
    private final AtomicInteger releases = new AtomicInteger();
    private final ClosableMapping mapping = new ClosableMapping(releases::incrementAndGet, "closed: handle=test");

    @BeforeEach
    void map()
    {
        block = SharedMemory.create(dir, "mapping", 64);
        eventCount = new EventCount(block.buffer(), 0);
    }

    @AfterEach
    void unmap()
    {
        block.close();
    }

    @Test
    void shouldReleaseAtOnceWhenNoLeaseIsHeld()
    {
        assertTrue(mapping.markClosed());
        assertFalse(mapping.markClosed(), "closed once");
        mapping.close();
        mapping.close();
        assertEquals(1, releases.get());
        assertEquals("closed: handle=test", assertThrows(IllegalStateException.class, mapping::enter).getMessage());
        assertEquals(1, releases.get(), "a refused lease releases nothing again");
    }

    @Test
    void shouldReleaseWhenTheLastLeaseholderLeaves()
    {
        mapping.enter();
        mapping.enter();
        mapping.markClosed();
        mapping.close();
        mapping.exit();
        assertEquals(0, releases.get(), "a lease is still held");
        mapping.exit();
        assertEquals(1, releases.get());
    }

    @Test
    void shouldEndAWaitWhenTheHandleIsClosed() throws Exception
    {
        final CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> waitForever(() -> false),
            task -> Thread.ofPlatform().daemon().start(task));
        while (eventCount.waiters() == 0)
        {
            Thread.sleep(1);
        }
        mapping.markClosed();
        mapping.close();
        final ExecutionException ex = assertThrows(ExecutionException.class, () -> waiter.get(10, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, ex.getCause());
        assertEquals("closed: handle=test (closed while waiting)", ex.getCause().getMessage());
        assertEquals(1, releases.get(), "released by the waiter as it left");
    }

    @Test
    void shouldReportAConditionThatHeldAsTheHandleWasClosed()
    {
        // the condition took something (a permit, a lock) just as the handle closed: reported, not lost
        assertTrue(waitForever(mapping::markClosed));
        assertThrows(IllegalStateException.class, () -> waitForever(() -> true), "a closed handle refuses waits");
    }

    private boolean waitForever(final WaitCondition condition)
    {
        try
        {
            return mapping.await(eventCount, condition, Long.MAX_VALUE, WaitStrategy.PARK);
        }
        catch (final InterruptedException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
