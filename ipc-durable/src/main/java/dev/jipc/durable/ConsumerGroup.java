package dev.jipc.durable;

import static dev.jipc.durable.ConsumerDescriptor.BODY_LENGTH;
import static dev.jipc.durable.ConsumerDescriptor.CURSOR_OFFSET;
import static dev.jipc.durable.ConsumerDescriptor.LOCK_PREFIX;
import static dev.jipc.durable.ConsumerDescriptor.RANGES;
import static dev.jipc.durable.ConsumerDescriptor.RANGE_END_COUNT_OFFSET;
import static dev.jipc.durable.ConsumerDescriptor.RANGE_FROM_OFFSET;
import static dev.jipc.durable.ConsumerDescriptor.RANGE_TO_OFFSET;
import static dev.jipc.durable.ConsumerDescriptor.REDO_LOG_OFFSET;
import static dev.jipc.durable.ConsumerDescriptor.SEGMENT_PREFIX;
import static dev.jipc.durable.ConsumerDescriptor.SLOTS;
import static dev.jipc.durable.ConsumerDescriptor.SLOT_ACKED_OFFSET;
import static dev.jipc.durable.ConsumerDescriptor.SLOT_HEAD_OFFSET;
import static dev.jipc.durable.ConsumerDescriptor.SLOT_OWNER_OFFSET;
import static dev.jipc.durable.ConsumerDescriptor.SLOT_TAIL_OFFSET;
import static dev.jipc.durable.ConsumerDescriptor.START;

import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import dev.jipc.core.ProcessOwner;
import dev.jipc.core.ProcessRegistry;
import dev.jipc.core.Segment;
import dev.jipc.core.SegmentDirectory;
import dev.jipc.core.SegmentFormatException;
import dev.jipc.core.SegmentKind;
import dev.jipc.core.wait.WaitStrategy;
import dev.jipc.sync.Lock;
import org.agrona.concurrent.AtomicBuffer;

/**
 * The shared state of one consumer name (see {@link ConsumerDescriptor}): the cursor, the member slots and the lock
 * that serialises claims, with the operations on them. Methods marked "under the lock" need {@link #lock()} held;
 * the owner of a slot acknowledges in it without the lock, since nobody else writes a live member's Acked or Head.
 */
final class ConsumerGroup implements AutoCloseable
{
    /** The longest consumer name. */
    static final int MAX_NAME_LENGTH = SegmentDirectory.MAX_NAME_LENGTH - LOCK_PREFIX.length();
    private static final int OPEN_ATTEMPTS = 100;

    private final String name;
    private final Segment segment;
    private final Lock lock;
    private final AtomicBuffer buffer;
    private final int base;
    private final RedoLog redo;
    private final ProcessRegistry registry;
    private final ConsumerState state;

    private ConsumerGroup(final String name, final Segment segment, final Lock lock)
    {
        this.state = new ConsumerState(segment);
        this.name = name;
        this.segment = segment;
        this.lock = lock;
        this.buffer = segment.buffer();
        this.base = segment.bodyOffset();
        this.redo = new RedoLog(buffer, base + REDO_LOG_OFFSET, base, base + BODY_LENGTH);
        this.registry = segment.registry();
    }

    /** Opens the consumer's files in a queue's directory, making them if this is the name's first use. */
    static ConsumerGroup openOrCreate(final Path directory, final String name)
    {
        validateName(name);
        for (int attempt = 0; attempt < OPEN_ATTEMPTS; attempt++)
        {
            final Segment segment = openOrCreateSegment(directory, SEGMENT_PREFIX + name);
            if (segment != null)
            {
                return withLock(directory, name, segment);
            }
        }
        throw new IllegalStateException("consumer '" + name + "' in " + directory +
            ": its segment kept being made and removed while opening it");
    }

    /**
     * Opens an existing consumer's files, never making them (for retention and statistics).
     *
     * @return the group, or null if the name has no segment (any more).
     */
    static ConsumerGroup open(final Path directory, final String name)
    {
        final Segment segment;
        try
        {
            segment = Segment.open(directory, SEGMENT_PREFIX + name, SegmentKind.DURABLE_CONSUMER);
        }
        catch (final UncheckedIOException ex)
        {
            if (ex.getCause() instanceof NoSuchFileException)
            {
                return null;
            }
            throw ex;
        }
        return withLock(directory, name, segment);
    }

    private static ConsumerGroup withLock(final Path directory, final String name, final Segment segment)
    {
        Lock lock = null;
        try
        {
            lock = openOrCreateLock(directory, LOCK_PREFIX + name);
            return new ConsumerGroup(name, segment, lock);
        }
        catch (final RuntimeException | Error ex)
        {
            if (lock != null)
            {
                lock.close();
            }
            segment.close();
            throw ex;
        }
    }

    static void validateName(final String name)
    {
        if (name != null && name.length() > MAX_NAME_LENGTH)
        {
            throw new IllegalArgumentException("consumer name too long: length=" + name.length() + ", max=" +
                MAX_NAME_LENGTH + ", name=" + name);
        }
        SegmentDirectory.validateName(name);
    }

    private static Segment openOrCreateSegment(final Path directory, final String segmentName)
    {
        try
        {
            return Segment.open(directory, segmentName, SegmentKind.DURABLE_CONSUMER);
        }
        catch (final UncheckedIOException ex)
        {
            if (!(ex.getCause() instanceof NoSuchFileException))
            {
                throw ex;
            }
        }
        try
        {
            return Segment.create(directory, segmentName, SegmentKind.DURABLE_CONSUMER, BODY_LENGTH,
                created -> created.buffer().putLong(created.bodyOffset() + CURSOR_OFFSET, START));
        }
        catch (final UncheckedIOException ex)
        {
            if (ex.getCause() instanceof FileAlreadyExistsException)
            {
                return null;
            }
            throw ex;
        }
    }

    private static Lock openOrCreateLock(final Path directory, final String lockName)
    {
        for (int attempt = 0; attempt < OPEN_ATTEMPTS; attempt++)
        {
            try
            {
                return Lock.open(directory, lockName, WaitStrategy.SPIN_THEN_PARK);
            }
            catch (final UncheckedIOException ex)
            {
                if (!(ex.getCause() instanceof NoSuchFileException))
                {
                    throw ex;
                }
            }
            try
            {
                return Lock.create(directory, lockName, WaitStrategy.SPIN_THEN_PARK);
            }
            catch (final UncheckedIOException ex)
            {
                if (!(ex.getCause() instanceof FileAlreadyExistsException))
                {
                    throw ex;
                }
            }
        }
        throw new IllegalStateException("lock " + lockName + " in " + directory +
            " kept being made and removed while opening it");
    }

    /**
     * Under the lock (after a dead holder's change was finished): checks every field a decision reads, so that a
     * hostile or corrupt file is refused with its fault named rather than read out of bounds or overflowed.
     */
    void validate()
    {
        final String fault = state.fault();
        if (fault != null)
        {
            throw fault(fault);
        }
    }

    private SegmentFormatException fault(final String what)
    {
        return new SegmentFormatException(segment.path(), "corrupt consumer state: " + what);
    }

    String name()
    {
        return name;
    }

    Path path()
    {
        return segment.path();
    }

    /** Takes the lock; when its last holder died, finishes the change that holder committed. */
    void lock()
    {
        lock.lock();
        if (lock.previousOwnerDied())
        {
            try
            {
                redo.recover();
            }
            catch (final IllegalStateException ex)
            {
                lock.unlock();
                throw new SegmentFormatException(segment.path(), ex.getMessage());
            }
        }
    }

    void unlock()
    {
        lock.unlock();
    }

    /**
     * Under the lock: takes a slot for this process: a free one with no ranges, or else (every slot held or left with
     * unacknowledged messages) one that a dead or departed member left, ranges and all, for this member to deliver.
     */
    int attach()
    {
        int orphan = -1;
        for (int slot = 0; slot < SLOTS; slot++)
        {
            final long owner = owner(slot);
            if (owner == ProcessOwner.FREE || !registry.isAlive(ProcessOwner.token(owner)))
            {
                if (head(slot) == tail(slot))
                {
                    return own(slot);
                }
                orphan = orphan < 0 ? slot : orphan;
            }
        }
        if (orphan >= 0)
        {
            return own(orphan);
        }
        throw new IllegalStateException("consumer '" + name + "' has no free member slot: all " + SLOTS +
            " are held by live processes (" + segment.path() + ")");
    }

    private int own(final int slot)
    {
        buffer.putLongRelease(slotField(slot, SLOT_OWNER_OFFSET), ProcessOwner.word(registry, slot + 1));
        return slot;
    }

    /** Under the lock: gives the slot up; its unacknowledged ranges stay for another member to adopt. */
    void detach(final int slot)
    {
        buffer.putLongRelease(slotField(slot, SLOT_OWNER_OFFSET), ProcessOwner.FREE);
    }

    /**
     * Under the lock: moves the unacknowledged messages of every member that died or left into this slot, as new
     * ranges after its own, one redo-logged change per range.
     *
     * @return how many ranges were adopted; 0 when this slot's ring is full or nobody left anything.
     */
    int adoptOrphans(final int mine)
    {
        int adopted = 0;
        for (int slot = 0; slot < SLOTS; slot++)
        {
            if (slot == mine || head(slot) == tail(slot))
            {
                continue;
            }
            final long owner = owner(slot);
            if (owner != ProcessOwner.FREE && registry.isAlive(ProcessOwner.token(owner)))
            {
                continue;
            }
            final long acked = acked(slot);
            for (long position = head(slot); position < tail(slot); position++)
            {
                if (tail(mine) - head(mine) >= RANGES)
                {
                    return adopted;
                }
                final long to = to(slot, position);
                final long firstUnacked = state.firstUnacknowledged(slot, position, acked);
                final RedoLog change = redo;
                if (firstUnacked <= to)
                {
                    final long myTail = tail(mine);
                    final long myEnd = myTail == head(mine) ? acked(mine) : endCount(mine, myTail - 1);
                    change.put(rangeField(mine, myTail, RANGE_FROM_OFFSET), firstUnacked)
                        .put(rangeField(mine, myTail, RANGE_TO_OFFSET), to)
                        .put(rangeField(mine, myTail, RANGE_END_COUNT_OFFSET), myEnd + (to - firstUnacked + 1))
                        .put(slotField(mine, SLOT_TAIL_OFFSET), myTail + 1);
                    adopted++;
                }
                change.put(slotField(slot, SLOT_HEAD_OFFSET), position + 1).commit();
            }
            buffer.putLongRelease(slotField(slot, SLOT_OWNER_OFFSET), ProcessOwner.FREE);
        }
        return adopted;
    }

    /**
     * Under the lock: records that this slot took messages {@code from..to} (one cycle, contiguous) and moves the
     * cursor to the last of them, extending the slot's newest range when they follow it.
     *
     * @return false when the slot's ring is full (nothing recorded).
     */
    boolean recordClaim(final int slot, final long from, final long to)
    {
        final RedoLog change = prepareClaim(slot, from, to);
        if (change == null)
        {
            return false;
        }
        change.commit();
        return true;
    }

    /** The change {@link #recordClaim} commits, built but not written; null when the ring is full. */
    RedoLog prepareClaim(final int slot, final long from, final long to)
    {
        final long head = head(slot);
        final long tail = tail(slot);
        final long count = to - from + 1;
        if (tail > head && to(slot, tail - 1) == from - 1)
        {
            return redo.put(rangeField(slot, tail - 1, RANGE_TO_OFFSET), to)
                .put(rangeField(slot, tail - 1, RANGE_END_COUNT_OFFSET), endCount(slot, tail - 1) + count)
                .put(base + CURSOR_OFFSET, to);
        }
        if (tail - head >= RANGES)
        {
            return null;
        }
        final long end = (tail == head ? acked(slot) : endCount(slot, tail - 1)) + count;
        return redo.put(rangeField(slot, tail, RANGE_FROM_OFFSET), from)
            .put(rangeField(slot, tail, RANGE_TO_OFFSET), to)
            .put(rangeField(slot, tail, RANGE_END_COUNT_OFFSET), end)
            .put(slotField(slot, SLOT_TAIL_OFFSET), tail + 1)
            .put(base + CURSOR_OFFSET, to);
    }

    /**
     * By the slot's owner, without the lock: the first {@code count} messages it took are acknowledged. One store
     * makes it durable; the fully acknowledged ranges are then dropped from the ring.
     */
    void ack(final int slot, final long count)
    {
        buffer.putLongRelease(slotField(slot, SLOT_ACKED_OFFSET), count);
        long head = head(slot);
        final long tail = tail(slot);
        while (head < tail && endCount(slot, head) <= count)
        {
            head++;
        }
        buffer.putLongRelease(slotField(slot, SLOT_HEAD_OFFSET), head);
    }

    /** {@link ConsumerState#floor()} under the lock, after checking the segment: for retention, racing no claim. */
    long floorLocked()
    {
        lock();
        try
        {
            validate();
            return state.floor();
        }
        finally
        {
            unlock();
        }
    }

    /** What the segment says, read without changing it. */
    ConsumerState state()
    {
        return state;
    }

    private long cursor()
    {
        return state.cursor();
    }

    private long owner(final int slot)
    {
        return state.owner(slot);
    }

    private long acked(final int slot)
    {
        return state.acked(slot);
    }

    private long head(final int slot)
    {
        return state.head(slot);
    }

    private long tail(final int slot)
    {
        return state.tail(slot);
    }

    private long to(final int slot, final long position)
    {
        return state.to(slot, position);
    }

    private long from(final int slot, final long position)
    {
        return state.from(slot, position);
    }

    private long endCount(final int slot, final long position)
    {
        return state.endCount(slot, position);
    }

    private int slotField(final int slot, final int field)
    {
        return base + ConsumerDescriptor.slotOffset(slot) + field;
    }

    private int rangeField(final int slot, final long position, final int field)
    {
        return base + ConsumerDescriptor.rangeOffset(slot, position) + field;
    }

    @Override
    public void close()
    {
        lock.close();
        segment.close();
    }
}
