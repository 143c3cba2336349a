package dev.jipc.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import dev.jipc.core.Handles;
import dev.jipc.core.SegmentFormatException;
import dev.jipc.core.SharedMemory;
import dev.jipc.core.wait.WaitStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every bad input gives a clear exception naming what and where, never a crash. */
class BadInputTest
{
    @TempDir
    Path dir;

    @Test
    void shouldRejectASegmentOfAnotherKind()
    {
        try (SharedMemory block = SharedMemory.create(dir, "block", 4096))
        {
            final SegmentFormatException ex = assertThrows(SegmentFormatException.class,
                () -> Lock.open(dir, "block", WaitStrategy.PARK));
            assertMessage(ex, "block", "wrong kind: kind=SHARED_MEMORY, expected=SYNC_ARENA");
        }
    }

    @Test
    void shouldRejectAForeignFile() throws IOException
    {
        Files.write(dir.resolve("foreign"), new byte[4096]);
        final SegmentFormatException ex = assertThrows(SegmentFormatException.class,
            () -> SyncArena.open(dir, "foreign"));
        assertMessage(ex, "foreign", "not initialised");
        Files.write(dir.resolve("text"), "hello, this is not a jipc segment at all".repeat(10).getBytes());
        assertMessage(assertThrows(SegmentFormatException.class, () -> SyncArena.open(dir, "text")), "text",
            "not a jipc segment");
    }

    @Test
    void shouldRejectAMissingArena()
    {
        final UncheckedIOException ex = assertThrows(UncheckedIOException.class,
            () -> Semaphore.open(dir, "missing", WaitStrategy.PARK));
        assertMessage(ex, "missing", "no such segment");
    }

    @Test
    void shouldRejectOpeningByNameTheWrongKindOfObject()
    {
        try (Semaphore semaphore = Semaphore.create(dir, "sem", 1, WaitStrategy.PARK))
        {
            final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> Lock.open(dir, "sem", WaitStrategy.PARK));
            assertMessage(ex, "kind=LOCK, matches=0", "sem");
        }
    }

    @Test
    void shouldRejectAHandleWithABadOffsetOrKind()
    {
        try (SyncArena arena = SyncArena.create(dir, "arena", 4, 1024);
            Lock lock = arena.newLock();
            IntValue value = arena.newIntValue(5))
        {
            final String directory = dir.toString();
            final SyncObject.Handle[] bad = {
                new SyncObject.Handle(directory, "arena", value.offset() + ValueDescriptor.VALUE_LENGTH, SyncKind.LOCK,
                    WaitStrategy.PARK),
                new SyncObject.Handle(directory, "arena", lock.offset() + 4, SyncKind.LOCK, WaitStrategy.PARK),
                new SyncObject.Handle(directory, "arena", -64, SyncKind.LOCK, WaitStrategy.PARK),
                new SyncObject.Handle(directory, "arena", Integer.MAX_VALUE & -64, SyncKind.LOCK, WaitStrategy.PARK),
            };
            for (final SyncObject.Handle handle : bad)
            {
                final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                    () -> Handles.fromBytes(Handles.toBytes(handle)));
                assertMessage(ex, "no object at offset: offset=" + handle.offset(), "kind=LOCK");
            }
            final SyncObject.Handle wrongKind =
                new SyncObject.Handle(directory, "arena", lock.offset(), SyncKind.SEMAPHORE, WaitStrategy.PARK);
            assertMessage(assertThrows(IllegalArgumentException.class,
                () -> Handles.fromBytes(Handles.toBytes(wrongKind))),
                "wrong kind at offset", "kind=LOCK, expected=SEMAPHORE");
            final SyncObject.Handle valueAsLock =
                new SyncObject.Handle(directory, "arena", value.offset(), SyncKind.RLOCK, WaitStrategy.PARK);
            try (RLock embedded = (RLock)Handles.fromBytes(Handles.toBytes(valueAsLock)))
            {
                assertEquals(value.offset(), embedded.offset(), "a value's embedded lock attaches as an RLock");
            }
        }
    }

    @Test
    void shouldRejectACorruptEntryTable() throws IOException
    {
        try (SyncArena arena = SyncArena.create(dir, "arena", 4, 1024);
            Lock lock = arena.newLock())
        {
            assertEquals(1, arena.entries().size());
        }
        final int entry = SyncArenaDescriptor.entryOffset(0);
        writeInt("arena", entry + SyncArenaDescriptor.ENTRY_OBJECT_OFFSET_OFFSET, 1 << 30);
        try (SyncArena arena = SyncArena.open(dir, "arena"))
        {
            assertMessage(assertThrows(SegmentFormatException.class, arena::entries), "corrupt entry: index=0",
                "offset=1073741824");
        }
        writeInt("arena", entry + SyncArenaDescriptor.ENTRY_KIND_OFFSET, 99);
        try (SyncArena arena = SyncArena.open(dir, "arena"))
        {
            assertMessage(assertThrows(IllegalArgumentException.class, () -> arena.attach(1 << 30, SyncKind.LOCK,
                WaitStrategy.PARK)), "no object at offset", "fileLength=");
            assertMessage(assertThrows(SegmentFormatException.class, arena::entries), "unknown object kind",
                "kind=99");
        }
        writeInt("arena", SyncArenaDescriptor.ENTRY_CAPACITY_OFFSET, -1);
        assertMessage(assertThrows(SegmentFormatException.class, () -> SyncArena.open(dir, "arena")),
            "invalid sync arena entry capacity: capacity=-1", "arena");
    }

    @Test
    void shouldRejectCorruptObjectState() throws IOException
    {
        final int arrayOffset;
        final int conditionOffset;
        final int barrierOffset;
        try (SyncArena arena = SyncArena.create(dir, "arena", 8, 4096);
            IntArray array = arena.newIntArray(4);
            Condition condition = arena.newCondition();
            Barrier barrier = arena.newBarrier(2))
        {
            arrayOffset = array.offset();
            conditionOffset = condition.offset();
            barrierOffset = barrier.offset();
        }
        writeInt("arena", arrayOffset + ValueDescriptor.LENGTH_OFFSET, 1_000_000);
        writeInt("arena", conditionOffset + ConditionDescriptor.LOCK_OFFSET_OFFSET, arrayOffset);
        writeInt("arena", barrierOffset + BarrierDescriptor.PARTIES_OFFSET, 0);
        try (SyncArena arena = SyncArena.open(dir, "arena"))
        {
            assertMessage(assertThrows(SegmentFormatException.class,
                () -> arena.attach(arrayOffset, SyncKind.INT_ARRAY, WaitStrategy.PARK)),
                "object overruns its entry", "length=1000000");
            assertMessage(assertThrows(SegmentFormatException.class,
                () -> arena.attach(conditionOffset, SyncKind.CONDITION, WaitStrategy.PARK)),
                "a condition's lock is not a lock", "lockKind=INT_ARRAY");
            assertMessage(assertThrows(SegmentFormatException.class,
                () -> arena.attach(barrierOffset, SyncKind.BARRIER, WaitStrategy.PARK)),
                "corrupt barrier", "parties=0");
        }
    }

    @Test
    void shouldRejectBadArguments()
    {
        try (SyncArena arena = SyncArena.create(dir, "arena", 2, 256))
        {
            assertMessage(assertThrows(IllegalArgumentException.class, () -> arena.newSemaphore(-1)),
                "semaphore value must not be negative: value=-1", "");
            assertMessage(assertThrows(IllegalArgumentException.class, () -> arena.newBarrier(0)),
                "barrier parties out of range: parties=0", "");
            assertMessage(assertThrows(IllegalArgumentException.class, () -> arena.newIntArray(-3)),
                "array length must not be negative: length=-3", "");
            assertMessage(assertThrows(IllegalStateException.class, () -> arena.newLongArray(1000)),
                "sync arena has no room", "kind=LONG_ARRAY");
            arena.newEvent().close();
            arena.newEvent().close();
            assertMessage(assertThrows(IllegalStateException.class, arena::newEvent),
                "sync arena is full: objects=2, capacity=2", "arena");
        }
        assertMessage(assertThrows(IllegalArgumentException.class, () -> SyncArena.create(dir, "a/b", 2, 64)),
            "path separator", "a/b");
        assertMessage(assertThrows(IllegalArgumentException.class, () -> SyncArena.create(dir, "x", 0, 64)),
            "invalid sync arena capacity: maxObjects=0", "");
    }

    @Test
    void shouldRejectMisuse()
    {
        try (SyncArena arena = SyncArena.create(dir, "arena", 8, 4096);
            BoundedSemaphore semaphore = arena.newBoundedSemaphore(1);
            Condition condition = arena.newCondition();
            IntArray array = arena.newIntArray(3))
        {
            assertMessage(assertThrows(IllegalStateException.class, semaphore::release),
                "semaphore released too many times: value=1, permits=1, bound=1", "arena");
            assertEquals(1, semaphore.value(), "the failed release changed nothing");
            assertMessage(assertThrows(IllegalMonitorStateException.class, condition::await),
                "await without holding the lock", "Condition");
            assertMessage(assertThrows(IllegalMonitorStateException.class, condition::signal),
                "notify without holding the lock", "Condition");
            assertMessage(assertThrows(IndexOutOfBoundsException.class, () -> array.get(3)), "3", "3");
            assertThrows(IndexOutOfBoundsException.class, () -> array.setRaw(-1, 0));
            assertThrows(IndexOutOfBoundsException.class, () -> array.copyTo(1, new int[3], 0, 3));
            assertThrows(IndexOutOfBoundsException.class, () -> array.copyFrom(new int[2], 0, 0, 3));
            array.close();
            assertMessage(assertThrows(IllegalStateException.class, () -> array.get(0)),
                "closed: kind=INT_ARRAY, name=arena", "offset=" + array.offset());
            assertMessage(assertThrows(IllegalStateException.class, () -> array.getLock().lock()),
                "closed", "INT_ARRAY");
        }
    }

    @Test
    void shouldRefuseAnArenaUsedAfterTheLastCloseButKeepItMappedForItsObjects()
    {
        final SyncArena arena = SyncArena.create(dir, "arena", 4, 1024);
        final Event event = arena.newEvent();
        arena.close();
        arena.close();
        event.set();
        assertTrue(event.isSet(), "the object keeps the arena mapped");
        try (Event second = arena.newEvent())
        {
            assertEquals(2, arena.entries().size(), "an open object keeps the arena usable");
        }
        event.close();
        assertMessage(assertThrows(IllegalStateException.class, arena::newLock), "sync arena is closed", "arena");
        assertMessage(assertThrows(IllegalStateException.class, () -> arena.attach(event.offset(), SyncKind.EVENT,
            WaitStrategy.PARK)), "sync arena is closed", "arena");
    }

    private void writeInt(final String name, final int offset, final int value) throws IOException
    {
        try (FileChannel channel = FileChannel.open(dir.resolve(name), StandardOpenOption.WRITE))
        {
            final ByteBuffer bytes = ByteBuffer.allocate(Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN).putInt(value);
            channel.write(bytes.flip(), offset);
        }
    }

    private static void assertMessage(final Throwable ex, final String first, final String second)
    {
        assertTrue(ex.getMessage().contains(first) && ex.getMessage().contains(second),
            "message should name \"" + first + "\" and \"" + second + "\": " + ex.getMessage());
    }
}
