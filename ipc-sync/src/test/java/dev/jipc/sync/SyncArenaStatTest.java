package dev.jipc.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;

import dev.jipc.core.Segment;
import dev.jipc.core.SegmentKind;
import dev.jipc.core.SegmentStat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncArenaStatTest
{
    @TempDir
    Path dir;

    @Test
    void shouldShowOwnersValuesAndParties() throws Exception
    {
        final SegmentStat stat = ServiceLoader.load(SegmentStat.class).stream()
            .map(ServiceLoader.Provider::get)
            .filter(s -> s.kind() == SegmentKind.SYNC_ARENA)
            .findFirst()
            .orElseThrow(() -> new AssertionError("no SegmentStat registered for SYNC_ARENA"));
        try (SyncArena arena = SyncArena.create(dir, "arena", 8, 4096);
            RLock lock = arena.newRLock();
            Semaphore semaphore = arena.newBoundedSemaphore(3);
            Barrier barrier = arena.newBarrier(4);
            LongValue value = arena.newLongValue(-7);
            Event event = arena.newEvent();
            Segment segment = Segment.open(dir, "arena", SegmentKind.SYNC_ARENA))
        {
            lock.lock();
            lock.lock();
            semaphore.acquire();
            event.set();
            final Map<String, String> facts = stat.describe(segment);
            assertEquals("8", facts.get("capacity"));
            assertEquals("5", facts.get("objects"));
            final String owner = facts.get("object 0");
            assertTrue(owner.startsWith("RLOCK offset=" + lock.offset()), owner);
            assertTrue(owner.contains("ownerPid=" + ProcessHandle.current().pid()), owner);
            assertTrue(owner.contains("ownerThread=" + (int)Thread.currentThread().threadId()), owner);
            assertTrue(owner.contains("ownerAlive=true, holds=2"), owner);
            assertTrue(facts.get("object 1").contains("value=2, bound=3"), facts.get("object 1"));
            assertTrue(facts.get("object 2").contains("parties=4, arrived=0"), facts.get("object 2"));
            assertTrue(facts.get("object 3").contains("value=-7, lock: owner=none"), facts.get("object 3"));
            assertTrue(facts.get("object 4").contains("set=true"), facts.get("object 4"));
            lock.unlock();
            lock.unlock();
            assertTrue(stat.describe(segment).get("object 0").contains("owner=none"));
        }
    }
}
