package dev.jipc.sync;

import static dev.jipc.sync.SyncArenaDescriptor.ALIGNMENT;
import static dev.jipc.sync.SyncArenaDescriptor.ALLOCATION_OFFSET;
import static dev.jipc.sync.SyncArenaDescriptor.ENTRY_CAPACITY_OFFSET;
import static dev.jipc.sync.SyncArenaDescriptor.ENTRY_KIND_OFFSET;
import static dev.jipc.sync.SyncArenaDescriptor.ENTRY_OBJECT_LENGTH_OFFSET;
import static dev.jipc.sync.SyncArenaDescriptor.ENTRY_OBJECT_OFFSET_OFFSET;
import static dev.jipc.sync.SyncArenaDescriptor.MAX_ENTRIES;
import static dev.jipc.sync.SyncArenaDescriptor.alignedLength;
import static dev.jipc.sync.SyncArenaDescriptor.allocation;
import static dev.jipc.sync.SyncArenaDescriptor.entryCount;
import static dev.jipc.sync.SyncArenaDescriptor.entryOffset;
import static dev.jipc.sync.SyncArenaDescriptor.nextFreeOffset;
import static dev.jipc.sync.SyncArenaDescriptor.objectsOffset;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntConsumer;

import dev.jipc.core.Segment;
import dev.jipc.core.SegmentDirectory;
import dev.jipc.core.SegmentFormatException;
import dev.jipc.core.SegmentKind;
import dev.jipc.core.wait.WaitStrategy;
import org.agrona.concurrent.AtomicBuffer;

/**
 * A segment holding many small synchronisation objects (locks, semaphores, conditions, events, barriers, values and
 * arrays), each on cache lines of its own; the layout is in {@link SyncArenaDescriptor}.
 * <pre>{@code
 * try (SyncArena arena = SyncArena.create("app-sync", 64, 16 * 1024)) {
 *     Lock lock = arena.newLock();
 *     IntValue counter = arena.newIntValue(0);
 *     // pass lock and counter to other JVMs: they serialise as handles to this arena
 * }
 * }</pre>
 * Any process may allocate from an arena at any time; objects are never freed, the arena is removed as a whole by
 * {@link #unlink()}. Objects keep the arena mapped: closing the arena releases only the caller's reference, the
 * mapping goes when the arena and every object taken from it are closed. The classes' own {@code create(name)}
 * methods make an arena for one object (with room for a few more, such as a lock's conditions).
 * <p>
 * Thread-safe. Every entry, offset and length read from the file is checked before use: a corrupt or foreign arena
 * gives a {@link SegmentFormatException} naming the file and the fault, never a crash.
 */
public final class SyncArena implements AutoCloseable
{
    /** Entries of an arena made for one object by a class's {@code create(name)}. */
    static final int DEDICATED_ENTRIES = 4;
    /** Spare bytes of an arena made for one object: room for a few conditions. */
    static final int DEDICATED_SPARE_BYTES = 3 * ConditionDescriptor.LENGTH;

    private final Segment segment;
    private final AtomicBuffer buffer;
    private final int capacity;
    private final int objectsOffset;
    private final int limit;
    private final AtomicInteger references = new AtomicInteger(1);
    private final AtomicBoolean closed = new AtomicBoolean();

    private SyncArena(final Segment segment)
    {
        this.segment = segment;
        this.buffer = segment.buffer();
        this.limit = buffer.capacity();
        final int entryCapacity = buffer.getInt(ENTRY_CAPACITY_OFFSET);
        if (entryCapacity < 1 || entryCapacity > MAX_ENTRIES || objectsOffset(entryCapacity) > limit)
        {
            throw new SegmentFormatException(segment.path(), "invalid sync arena entry capacity: capacity=" +
                entryCapacity + ", max=" + MAX_ENTRIES + ", fileLength=" + limit);
        }
        this.capacity = entryCapacity;
        this.objectsOffset = objectsOffset(entryCapacity);
    }

    /**
     * Creates an arena in the default directory.
     *
     * @param name        the arena's name.
     * @param maxObjects  entries in its table, at least 1.
     * @param objectBytes room for objects (a lock, semaphore, condition, event or barrier takes 64 bytes, a value
     *                    128, an array 128 plus its elements rounded up to 64).
     * @return the new arena.
     * @throws java.io.UncheckedIOException if the name exists.
     */
    public static SyncArena create(final String name, final int maxObjects, final int objectBytes)
    {
        return create(SegmentDirectory.defaultDirectory(), name, maxObjects, objectBytes);
    }

    /**
     * Creates an arena.
     *
     * @param directory   where the file goes.
     * @param name        the arena's name.
     * @param maxObjects  entries in its table, from 1 to {@value SyncArenaDescriptor#MAX_ENTRIES}.
     * @param objectBytes room for objects, a multiple of 64 is best.
     * @return the new arena.
     * @throws java.io.UncheckedIOException if the name exists.
     */
    public static SyncArena create(
        final Path directory, final String name, final int maxObjects, final int objectBytes)
    {
        return create(directory, name, maxObjects, objectBytes, Function.identity());
    }

    /**
     * Creates an arena with its first objects in it: {@code content} lays them out before the arena's name appears,
     * so that a process opening the name at any moment finds them (a dedicated object's {@code open} by another
     * process would otherwise find the arena empty). If {@code content} throws, no file is left.
     *
     * @param content allocates the objects in the new arena and returns what the caller wants of it.
     * @return what {@code content} returned; the caller owns the arena's creating reference.
     */
    static <T> T create(final Path directory, final String name, final int maxObjects, final int objectBytes,
        final Function<SyncArena, T> content)
    {
        if (maxObjects < 1 || maxObjects > MAX_ENTRIES)
        {
            throw new IllegalArgumentException("invalid sync arena capacity: maxObjects=" + maxObjects + ", max=" +
                MAX_ENTRIES);
        }
        final long bodyLength = SyncArenaDescriptor.bodyLength(maxObjects, alignedLength(Math.max(objectBytes, 0)));
        if (objectBytes < 0 || bodyLength > Integer.MAX_VALUE - ALIGNMENT * 4L)
        {
            throw new IllegalArgumentException("invalid sync arena size: objectBytes=" + objectBytes);
        }
        final List<T> made = new ArrayList<>(1);
        Segment.create(directory, name, SegmentKind.SYNC_ARENA, bodyLength, segment ->
        {
            final AtomicBuffer buffer = segment.buffer();
            buffer.putInt(ENTRY_CAPACITY_OFFSET, maxObjects);
            buffer.putLong(ALLOCATION_OFFSET, allocation(objectsOffset(maxObjects), 0));
            made.add(content.apply(new SyncArena(segment)));
        });
        return made.get(0);
    }

    /**
     * Attaches to an arena in the default directory.
     *
     * @param name the arena's name.
     * @return the arena.
     * @throws java.io.UncheckedIOException if there is no such arena.
     * @throws SegmentFormatException       if the file is not a sync arena.
     */
    public static SyncArena open(final String name)
    {
        return open(SegmentDirectory.defaultDirectory(), name);
    }

    /**
     * Attaches to an arena.
     *
     * @param directory where the file is.
     * @param name      the arena's name.
     * @return the arena.
     * @throws java.io.UncheckedIOException if there is no such arena.
     * @throws SegmentFormatException       if the file is not a sync arena.
     */
    public static SyncArena open(final Path directory, final String name)
    {
        final Segment segment = Segment.open(directory, name, SegmentKind.SYNC_ARENA);
        try
        {
            return new SyncArena(segment);
        }
        catch (final RuntimeException ex)
        {
            segment.close();
            throw ex;
        }
    }

    /**
     * Reads the arena of a segment that is already mapped, without taking a reference: for {@code jipc stat}.
     *
     * @param segment a mapped sync arena.
     * @return the entries, in allocation order.
     */
    static List<Entry> entries(final Segment segment)
    {
        return new SyncArena(segment).entries();
    }

    /**
     * The arena's name.
     *
     * @return the name.
     */
    public String name()
    {
        return segment.name();
    }

    /**
     * The directory holding the arena.
     *
     * @return the directory.
     */
    public Path directory()
    {
        return segment.directory();
    }

    /**
     * The arena's file.
     *
     * @return the path.
     */
    public Path path()
    {
        return segment.path();
    }

    /**
     * Allocates a {@link Lock}.
     *
     * @return the new lock, free.
     */
    public Lock newLock()
    {
        return new Lock(this, allocateMutex(SyncKind.LOCK), WaitStrategy.SPIN_THEN_PARK);
    }

    /**
     * Allocates an {@link RLock}.
     *
     * @return the new lock, free.
     */
    public RLock newRLock()
    {
        return new RLock(this, allocateMutex(SyncKind.RLOCK), WaitStrategy.SPIN_THEN_PARK);
    }

    /**
     * Allocates a {@link Semaphore}.
     *
     * @param value the initial number of permits, at least 0.
     * @return the new semaphore.
     */
    public Semaphore newSemaphore(final int value)
    {
        return new Semaphore(this, allocateSemaphore(SyncKind.SEMAPHORE, value), WaitStrategy.SPIN_THEN_PARK);
    }

    /**
     * Allocates a {@link BoundedSemaphore}.
     *
     * @param value the initial and the largest number of permits, at least 0.
     * @return the new semaphore.
     */
    public BoundedSemaphore newBoundedSemaphore(final int value)
    {
        return new BoundedSemaphore(
            this, allocateSemaphore(SyncKind.BOUNDED_SEMAPHORE, value), WaitStrategy.SPIN_THEN_PARK);
    }

    /**
     * Allocates a {@link Condition} with a new {@link RLock} of its own, as Python's {@code Condition()}.
     *
     * @return the new condition.
     */
    public Condition newCondition()
    {
        try (RLock lock = newRLock())
        {
            return newCondition(lock);
        }
    }

    /**
     * Allocates a {@link Condition} over an existing lock of this arena.
     *
     * @param lock a {@link Lock} or {@link RLock} allocated in this arena (not the embedded lock of a value).
     * @return the new condition.
     */
    public Condition newCondition(final RobustLock lock)
    {
        Objects.requireNonNull(lock, "lock");
        if (lock.arena().segment != segment)
        {
            throw new IllegalArgumentException("a condition's lock must be in the same arena: lock=" + lock +
                ", arena=" + path());
        }
        return new Condition(this, allocateCondition(lock.offset()), lock.waitStrategy());
    }

    /**
     * Allocates an {@link Event}, clear.
     *
     * @return the new event.
     */
    public Event newEvent()
    {
        return new Event(this, allocateEvent(), WaitStrategy.SPIN_THEN_PARK);
    }

    /**
     * Allocates a {@link Barrier} with no action.
     *
     * @param parties how many parties must call {@link Barrier#await()} before any passes, from 1 to
     *                {@value BarrierDescriptor#MAX_PARTIES}.
     * @return the new barrier.
     */
    public Barrier newBarrier(final int parties)
    {
        return new Barrier(this, allocateBarrier(parties), WaitStrategy.SPIN_THEN_PARK);
    }

    /**
     * Allocates an {@link IntValue}.
     *
     * @param initial its value.
     * @return the new value.
     */
    public IntValue newIntValue(final int initial)
    {
        return new IntValue(this, allocateValue(SyncKind.INT_VALUE, initial), WaitStrategy.SPIN_THEN_PARK);
    }

    /**
     * Allocates a {@link LongValue}.
     *
     * @param initial its value.
     * @return the new value.
     */
    public LongValue newLongValue(final long initial)
    {
        return new LongValue(this, allocateValue(SyncKind.LONG_VALUE, initial), WaitStrategy.SPIN_THEN_PARK);
    }

    /**
     * Allocates a {@link DoubleValue}.
     *
     * @param initial its value.
     * @return the new value.
     */
    public DoubleValue newDoubleValue(final double initial)
    {
        return new DoubleValue(this, allocateValue(SyncKind.DOUBLE_VALUE, Double.doubleToRawLongBits(initial)),
            WaitStrategy.SPIN_THEN_PARK);
    }

    /**
     * Allocates an {@link IntArray} of zeros.
     *
     * @param length elements, at least 0.
     * @return the new array.
     */
    public IntArray newIntArray(final int length)
    {
        return new IntArray(this, allocateArray(SyncKind.INT_ARRAY, length), WaitStrategy.SPIN_THEN_PARK);
    }

    /**
     * Allocates a {@link LongArray} of zeros.
     *
     * @param length elements, at least 0.
     * @return the new array.
     */
    public LongArray newLongArray(final int length)
    {
        return new LongArray(this, allocateArray(SyncKind.LONG_ARRAY, length), WaitStrategy.SPIN_THEN_PARK);
    }

    /**
     * Allocates a {@link DoubleArray} of zeros.
     *
     * @param length elements, at least 0.
     * @return the new array.
     */
    public DoubleArray newDoubleArray(final int length)
    {
        return new DoubleArray(this, allocateArray(SyncKind.DOUBLE_ARRAY, length), WaitStrategy.SPIN_THEN_PARK);
    }

    /**
     * Allocates a {@link ByteArray} of zeros.
     *
     * @param length elements, at least 0.
     * @return the new array.
     */
    public ByteArray newByteArray(final int length)
    {
        return new ByteArray(this, allocateArray(SyncKind.BYTE_ARRAY, length), WaitStrategy.SPIN_THEN_PARK);
    }

    /**
     * Attaches to an object of this arena, as a handle does.
     *
     * @param offset   the object's offset, {@link SyncObject#offset()}.
     * @param kind     what it must be.
     * @param strategy how this process waits on it.
     * @return the object, to be closed by the caller.
     * @throws IllegalArgumentException if no object of that kind starts at the offset.
     */
    public SyncObject attach(final int offset, final SyncKind kind, final WaitStrategy strategy)
    {
        Objects.requireNonNull(strategy, "strategy");
        ensureMapped();
        checkEntry(offset, kind);
        return switch (kind)
        {
            case LOCK -> new Lock(this, offset, strategy);
            case RLOCK -> new RLock(this, offset, strategy);
            case SEMAPHORE -> new Semaphore(this, offset, strategy);
            case BOUNDED_SEMAPHORE -> new BoundedSemaphore(this, offset, strategy);
            case CONDITION -> new Condition(this, offset, strategy);
            case EVENT -> new Event(this, offset, strategy);
            case BARRIER -> new Barrier(this, offset, strategy);
            case INT_VALUE -> new IntValue(this, offset, strategy);
            case LONG_VALUE -> new LongValue(this, offset, strategy);
            case DOUBLE_VALUE -> new DoubleValue(this, offset, strategy);
            case INT_ARRAY -> new IntArray(this, offset, strategy);
            case LONG_ARRAY -> new LongArray(this, offset, strategy);
            case DOUBLE_ARRAY -> new DoubleArray(this, offset, strategy);
            case BYTE_ARRAY -> new ByteArray(this, offset, strategy);
        };
    }

    /**
     * The objects allocated so far.
     *
     * @return the published entries, in allocation order.
     * @throws SegmentFormatException if an entry is corrupt.
     */
    public List<Entry> entries()
    {
        ensureMapped();
        final int count = count();
        final List<Entry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            final Entry entry = entry(i);
            if (entry != null)
            {
                entries.add(entry);
            }
        }
        return entries;
    }

    /**
     * Releases this reference to the arena; the mapping goes when the arena and all its objects are closed.
     * Idempotent. Objects taken from the arena keep working, and may allocate further objects
     * ({@link RobustLock#newCondition()}) while one of them is open.
     */
    @Override
    public void close()
    {
        if (closed.compareAndSet(false, true))
        {
            release();
        }
    }

    /** Removes the arena's file, and with it the name of every object in it; mapped users carry on. */
    public void unlink()
    {
        segment.unlink();
    }

    @Override
    public String toString()
    {
        return "SyncArena{path=" + path() + ", capacity=" + capacity + ", objects=" + count() + "}";
    }

    /**
     * One object of an arena, as its entry describes it.
     *
     * @param index  the entry's index.
     * @param kind   the object's kind.
     * @param offset where it starts in the file.
     * @param length the bytes it takes.
     */
    public record Entry(int index, SyncKind kind, int offset, int length)
    {
    }

    AtomicBuffer buffer()
    {
        return buffer;
    }

    Segment segment()
    {
        return segment;
    }

    /**
     * Throws unless this arena or one of its objects keeps the file mapped.
     *
     * @throws IllegalStateException naming the arena.
     */
    private void ensureMapped()
    {
        if (references.get() <= 0)
        {
            throw new IllegalStateException("sync arena is closed: arena=" + path());
        }
    }

    void retain()
    {
        references.incrementAndGet();
    }

    void release()
    {
        if (references.decrementAndGet() == 0)
        {
            segment.close();
        }
    }

    /**
     * The object of a kind in an arena made for one object: how a class's {@code open(name)} finds its object.
     *
     * @param kind the kind wanted.
     * @return its offset.
     * @throws IllegalArgumentException unless exactly one object of that kind is in the arena.
     */
    int only(final SyncKind kind)
    {
        int found = -1;
        int matches = 0;
        for (final Entry entry : entries())
        {
            if (entry.kind == kind)
            {
                found = entry.offset;
                matches++;
            }
        }
        if (matches != 1)
        {
            throw new IllegalArgumentException("open by name needs exactly one object of the kind in the arena: " +
                "kind=" + kind + ", matches=" + matches + ", arena=" + path() +
                " (attach to an object of a shared arena with its handle or SyncArena.attach)");
        }
        return found;
    }

    /**
     * Checks that an object of a kind starts at an offset: the kind itself, or for {@link SyncKind#RLOCK} any kind
     * that embeds one.
     *
     * @param offset the object's offset.
     * @param kind   the kind wanted.
     * @return the entry.
     * @throws IllegalArgumentException if there is no such object.
     */
    Entry checkEntry(final int offset, final SyncKind kind)
    {
        Objects.requireNonNull(kind, "kind");
        if (offset < objectsOffset || offset >= limit || (offset & (ALIGNMENT - 1)) != 0)
        {
            throw new IllegalArgumentException("no object at offset: offset=" + offset + ", kind=" + kind +
                ", objectsOffset=" + objectsOffset + ", fileLength=" + limit + ", arena=" + path());
        }
        final int count = count();
        for (int i = 0; i < count; i++)
        {
            final Entry entry = entry(i);
            if (entry != null && entry.offset == offset)
            {
                if (entry.kind == kind || (kind == SyncKind.RLOCK && entry.kind.embedsRLock()))
                {
                    return entry;
                }
                throw new IllegalArgumentException("wrong kind at offset: offset=" + offset + ", kind=" + entry.kind +
                    ", expected=" + kind + ", arena=" + path());
            }
        }
        throw new IllegalArgumentException("no object at offset: offset=" + offset + ", kind=" + kind + ", arena=" +
            path());
    }

    /**
     * Reads a value of an object that determines its length (an array's element count) and checks it fits.
     *
     * @param offset    the object's offset, already checked.
     * @param needed    the bytes the object says it needs.
     * @param what      what the value is, for the message.
     * @param value     the value read.
     * @throws SegmentFormatException if the object would overrun its entry.
     */
    void checkFits(final int offset, final long needed, final String what, final long value)
    {
        final Entry entry = findEntry(offset);
        if (entry == null || needed > entry.length)
        {
            throw new SegmentFormatException(path(), "object overruns its entry: offset=" + offset + ", " + what +
                "=" + value + ", needed=" + needed + ", length=" + (entry == null ? 0 : entry.length));
        }
    }

    SyncKind kindAt(final int offset)
    {
        final Entry entry = findEntry(offset);
        return entry == null ? null : entry.kind;
    }

    private Entry findEntry(final int offset)
    {
        final int count = count();
        for (int i = 0; i < count; i++)
        {
            final Entry entry = entry(i);
            if (entry != null && entry.offset == offset)
            {
                return entry;
            }
        }
        return null;
    }

    private int count()
    {
        return Math.min(entryCount(buffer.getLongVolatile(ALLOCATION_OFFSET)), capacity);
    }

    private Entry entry(final int index)
    {
        final int at = entryOffset(index);
        final int kindId = buffer.getIntAcquire(at + ENTRY_KIND_OFFSET);
        if (kindId == 0)
        {
            return null;
        }
        final SyncKind kind = SyncKind.ofId(kindId);
        final int offset = buffer.getInt(at + ENTRY_OBJECT_OFFSET_OFFSET);
        final int length = buffer.getInt(at + ENTRY_OBJECT_LENGTH_OFFSET);
        if (kind == null)
        {
            throw new SegmentFormatException(path(), "unknown object kind: index=" + index + ", kind=" + kindId);
        }
        if (offset < objectsOffset || (offset & (ALIGNMENT - 1)) != 0 || length < ALIGNMENT ||
            (length & (ALIGNMENT - 1)) != 0 || offset > limit - length)
        {
            throw new SegmentFormatException(path(), "corrupt entry: index=" + index + ", kind=" + kind + ", offset=" +
                offset + ", length=" + length + ", objectsOffset=" + objectsOffset + ", fileLength=" + limit);
        }
        return new Entry(index, kind, offset, length);
    }

    /**
     * Claims an entry and space, lays the object out, and publishes the entry.
     *
     * @param kind        the object's kind.
     * @param length      bytes it needs.
     * @param initializer writes its initial state at the given offset (the space is zeroed).
     * @return the object's offset.
     */
    private int allocate(final SyncKind kind, final long length, final IntConsumer initializer)
    {
        ensureMapped();
        final long aligned = alignedLength(length);
        while (true)
        {
            final long allocation = buffer.getLongVolatile(ALLOCATION_OFFSET);
            final int next = nextFreeOffset(allocation);
            final int count = entryCount(allocation);
            if (count < 0 || count >= capacity)
            {
                throw new IllegalStateException("sync arena is full: objects=" + count + ", capacity=" + capacity +
                    ", arena=" + path());
            }
            if (next < objectsOffset || next > limit || aligned > limit - next)
            {
                throw new IllegalStateException("sync arena has no room: needed=" + aligned + ", free=" +
                    (limit - next) + ", kind=" + kind + ", arena=" + path());
            }
            if (buffer.compareAndSetLong(ALLOCATION_OFFSET, allocation, allocation((int)(next + aligned), count + 1)))
            {
                final int at = entryOffset(count);
                buffer.putInt(at + ENTRY_OBJECT_OFFSET_OFFSET, next);
                buffer.putInt(at + ENTRY_OBJECT_LENGTH_OFFSET, (int)aligned);
                initializer.accept(next);
                buffer.putIntRelease(at + ENTRY_KIND_OFFSET, kind.id());
                return next;
            }
        }
    }

    int allocateMutex(final SyncKind kind)
    {
        return allocate(kind, MutexDescriptor.LENGTH, offset -> {});
    }

    int allocateSemaphore(final SyncKind kind, final int value)
    {
        if (value < 0)
        {
            throw new IllegalArgumentException("semaphore value must not be negative: value=" + value);
        }
        final int bound = kind == SyncKind.BOUNDED_SEMAPHORE ? value : Integer.MAX_VALUE;
        return allocate(kind, SemaphoreDescriptor.LENGTH, offset ->
        {
            buffer.putInt(offset + SemaphoreDescriptor.VALUE_OFFSET, value);
            buffer.putInt(offset + SemaphoreDescriptor.BOUND_OFFSET, bound);
        });
    }

    int allocateCondition(final int lockOffset)
    {
        final SyncKind lockKind = kindAt(lockOffset);
        if (lockKind != SyncKind.LOCK && lockKind != SyncKind.RLOCK)
        {
            throw new IllegalArgumentException("a condition's lock must be a Lock or RLock entry of the arena: " +
                "lockOffset=" + lockOffset + ", kind=" + lockKind + ", arena=" + path());
        }
        return allocate(SyncKind.CONDITION, ConditionDescriptor.LENGTH,
            offset -> buffer.putInt(offset + ConditionDescriptor.LOCK_OFFSET_OFFSET, lockOffset));
    }

    int allocateEvent()
    {
        return allocate(SyncKind.EVENT, EventDescriptor.LENGTH, offset -> {});
    }

    int allocateBarrier(final int parties)
    {
        if (parties < 1 || parties > BarrierDescriptor.MAX_PARTIES)
        {
            throw new IllegalArgumentException("barrier parties out of range: parties=" + parties + ", max=" +
                BarrierDescriptor.MAX_PARTIES);
        }
        return allocate(SyncKind.BARRIER, BarrierDescriptor.LENGTH,
            offset -> buffer.putInt(offset + BarrierDescriptor.PARTIES_OFFSET, parties));
    }

    int allocateValue(final SyncKind kind, final long initial)
    {
        return allocate(kind, ValueDescriptor.VALUE_LENGTH, offset ->
        {
            if (kind == SyncKind.INT_VALUE)
            {
                buffer.putInt(offset + ValueDescriptor.VALUE_OFFSET, (int)initial);
            }
            else
            {
                buffer.putLong(offset + ValueDescriptor.VALUE_OFFSET, initial);
            }
        });
    }

    int allocateArray(final SyncKind kind, final int length)
    {
        if (length < 0)
        {
            throw new IllegalArgumentException("array length must not be negative: length=" + length);
        }
        return allocate(kind, ValueDescriptor.arrayLength(kind.elementSize(), length),
            offset -> buffer.putInt(offset + ValueDescriptor.LENGTH_OFFSET, length));
    }
}
