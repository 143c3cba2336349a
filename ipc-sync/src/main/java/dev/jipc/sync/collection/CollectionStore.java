package dev.jipc.sync.collection;

import static dev.jipc.sync.collection.CollectionDescriptor.ROOT_GENERATION_OFFSET;
import static dev.jipc.sync.collection.CollectionDescriptor.ROOT_KEY_CODEC_OFFSET;
import static dev.jipc.sync.collection.CollectionDescriptor.ROOT_SIZE_OFFSET;
import static dev.jipc.sync.collection.CollectionDescriptor.ROOT_STRIPES_OFFSET;
import static dev.jipc.sync.collection.CollectionDescriptor.ROOT_VALUE_CODEC_OFFSET;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import dev.jipc.core.Segment;
import dev.jipc.core.SegmentDirectory;
import dev.jipc.core.SegmentFormatException;
import dev.jipc.core.SegmentKind;
import dev.jipc.core.codec.Codec;
import dev.jipc.core.codec.Codecs;
import dev.jipc.core.wait.WaitStrategy;
import dev.jipc.sync.Lock;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.AtomicBuffer;

/**
 * What {@link SharedDict} and {@link SharedList} share: the root segment, the writers' robust lock, the generation
 * this handle reads, following the root when a writer replaces it, and the recovery of a write whose writer died.
 * <p>
 * Readers take no lock: they lease the current {@link Generation} ({@link #enter()} ... {@link #exit}), which stays
 * mapped in this process until the last lease of a replaced generation is returned. Writers hold {@link #lock()}.
 * A new generation is written whole before it appears under its name, then published by one store of its number in
 * the root; the replaced file is unlinked (processes that still read it keep their mapping until they move on).
 */
final class CollectionStore implements AutoCloseable
{
    /** How often a reader follows a generation that was replaced again before it could map it, before giving up. */
    private static final int FOLLOW_ATTEMPTS = 1000;

    private final Path directory;
    private final String name;
    private final SegmentKind kind;
    private final int tableArrays;
    private final Segment root;
    private final AtomicBuffer rootBuffer;
    private final Lock lock;
    private final WriteIntent intent;
    /** The root's file as it was attached: a name removed and made again by another collection is not this one's. */
    private final Object rootFile;
    private final AtomicInteger mappedGenerations = new AtomicInteger();
    private final AtomicBoolean rootReleased = new AtomicBoolean();
    private volatile Generation current;
    private volatile boolean closed;

    private CollectionStore(
        final Path directory, final String name, final SegmentKind kind, final int tableArrays, final Segment root,
        final Lock lock)
    {
        this.directory = directory;
        this.name = name;
        this.kind = kind;
        this.tableArrays = tableArrays;
        this.root = root;
        this.rootBuffer = root.buffer();
        this.lock = lock;
        this.intent = new WriteIntent(rootBuffer);
        this.rootFile = fileKey(root.path());
    }

    /**
     * Creates a collection's files: its lock, its first generation, then its root (whose appearance under the name
     * makes the collection exist), whose stripes word says {@code stripes}.
     */
    static CollectionStore create(
        final Path directory, final String name, final SegmentKind kind, final int tableArrays, final Codec<?> keys,
        final Codec<?> values, final int tableLength, final long heapBytes, final int stripes)
    {
        validateName(name);
        final Lock lock = Lock.create(directory, CollectionDescriptor.lockName(name), WaitStrategy.SPIN_THEN_PARK);
        Generation first = null;
        try
        {
            first = Generation.create(directory, name, 1, tableLength, tableArrays, heapBytes, Generation::leaveEmpty);
            final Segment root = Segment.create(directory, name, kind, CollectionDescriptor.ROOT_BODY_LENGTH,
                created ->
                {
                    created.buffer().putLong(ROOT_GENERATION_OFFSET, 1);
                    created.buffer().putInt(ROOT_KEY_CODEC_OFFSET, keys == null ? 0 : keys.typeId());
                    created.buffer().putInt(ROOT_VALUE_CODEC_OFFSET, values.typeId());
                    created.buffer().putInt(ROOT_STRIPES_OFFSET, stripes);
                });
            final CollectionStore store = new CollectionStore(directory, name, kind, tableArrays, root, lock);
            store.current = store.adopt(first);
            return store;
        }
        catch (final RuntimeException | Error ex)
        {
            if (first != null)
            {
                first.segment().unlink();
                first.segment().close();
            }
            lock.unlink();
            lock.close();
            throw ex;
        }
    }

    /** Attaches to a collection, checking its kind and that the caller's codecs are the ones it was made with. */
    static CollectionStore open(
        final Path directory, final String name, final SegmentKind kind, final int tableArrays, final Codec<?> keys,
        final Codec<?> values)
    {
        validateName(name);
        final Segment root = Segment.open(directory, name, kind);
        Lock lock = null;
        try
        {
            checkCodec(root, ROOT_KEY_CODEC_OFFSET, keys, "key");
            checkCodec(root, ROOT_VALUE_CODEC_OFFSET, values, "value");
            lock = Lock.open(directory, CollectionDescriptor.lockName(name), WaitStrategy.SPIN_THEN_PARK);
            final CollectionStore store = new CollectionStore(directory, name, kind, tableArrays, root, lock);
            store.current = store.follow(root.buffer().getLongVolatile(ROOT_GENERATION_OFFSET));
            return store;
        }
        catch (final RuntimeException | Error ex)
        {
            if (lock != null)
            {
                lock.close();
            }
            root.close();
            throw ex;
        }
    }

    private static void validateName(final String name)
    {
        SegmentDirectory.validateName(name);
        if (name.length() > CollectionDescriptor.MAX_NAME_LENGTH)
        {
            throw new IllegalArgumentException("collection name too long: length=" + name.length() + ", max=" +
                CollectionDescriptor.MAX_NAME_LENGTH);
        }
    }

    private static void checkCodec(final Segment root, final int offset, final Codec<?> codec, final String role)
    {
        final int stored = root.buffer().getInt(offset);
        final int given = codec == null ? 0 : codec.typeId();
        if (stored != given)
        {
            throw new IllegalArgumentException("wrong " + role + " codec for " + root.path() + ": stored=" +
                Codecs.describe(stored) + " (" + stored + "), given=" + (codec == null ? "none" : codec.name()) +
                " (" + given + ")");
        }
    }

    /**
     * Leases the current generation: call {@link #exit} in a finally. A lease also keeps this handle's root and lock
     * mapped (they go when the handle is closed and the last generation it mapped is released), so every operation
     * holds one before it touches the root.
     *
     * @return the generation the root names now (or one replaced since the call began).
     * @throws IllegalStateException if this handle is closed.
     */
    Generation enter()
    {
        Generation held = leaseCurrent();
        while (true)
        {
            final long published = rootBuffer.getLongVolatile(ROOT_GENERATION_OFFSET);
            if (held.number() == published)
            {
                return held;
            }
            try
            {
                final Generation next = follow(published);
                if (tryLease(next))
                {
                    exit(held);
                    held = next;
                }
            }
            catch (final RuntimeException | Error ex)
            {
                exit(held);
                throw ex;
            }
        }
    }

    private Generation leaseCurrent()
    {
        while (true)
        {
            ensureOpen();
            final Generation generation = current;
            if (tryLease(generation))
            {
                return generation;
            }
        }
    }

    private static boolean tryLease(final Generation generation)
    {
        try
        {
            generation.mapping().enter();
            return true;
        }
        catch (final IllegalStateException replacedMeanwhile)
        {
            // another thread of this process moved on and released it: lease the newer one
            return false;
        }
    }

    void exit(final Generation generation)
    {
        generation.mapping().exit();
    }

    /**
     * Takes the writers' lock; if its last holder died, completes or undoes what that holder was writing first.
     * A thread that holds it already gets an error, not a deadlock (a {@code compute} function that writes to its
     * own map).
     */
    void lock()
    {
        ensureOpen();
        if (!lock.tryLock())
        {
            if (lock.isHeldByCurrentThread())
            {
                throw new IllegalStateException("recursive update of " + root.path() +
                    ": a function given to compute or merge wrote to the same collection");
            }
            lock.lock();
        }
        if (lock.previousOwnerDied() || intent.state() != WriteIntent.NONE)
        {
            try
            {
                recover();
            }
            catch (final RuntimeException | Error ex)
            {
                lock.unlock();
                throw ex;
            }
        }
    }

    void unlock()
    {
        lock.unlock();
    }

    /**
     * Takes the writers' lock and leases the current generation into the scratch, for a write or a locked read.
     *
     * @param scratch the operation's scratch; {@link Scratch#leased} holds the lease until {@link #unlockAndExit}.
     */
    void lockAndLease(final Scratch scratch)
    {
        Generation held = enter();
        try
        {
            lock();
        }
        catch (final RuntimeException | Error ex)
        {
            exit(held);
            throw ex;
        }
        try
        {
            // a writer may have replaced the generation while this thread waited for the lock
            if (rootBuffer.getLongVolatile(ROOT_GENERATION_OFFSET) != held.number())
            {
                final Generation next = enter();
                exit(held);
                held = next;
            }
        }
        catch (final RuntimeException | Error ex)
        {
            unlock();
            exit(held);
            throw ex;
        }
        scratch.leased = held;
    }

    /**
     * Returns the lock, then the lease the scratch holds (growing may have swapped it): in that order, since the
     * last lease of a closed handle closes the lock.
     *
     * @param scratch the operation's scratch.
     */
    void unlockAndExit(final Scratch scratch)
    {
        try
        {
            unlock();
        }
        finally
        {
            exit(scratch.leased);
            scratch.leased = null;
        }
    }

    /**
     * Decodes a key, value or element, naming the collection when the bytes are not the codec's.
     *
     * @param codec  the codec.
     * @param buffer the bytes.
     * @param offset where they start.
     * @param length how many.
     * @param <T>    the decoded type.
     * @return the object.
     * @throws IllegalArgumentException naming the file and the codec.
     */
    <T> T decode(final Codec<T> codec, final DirectBuffer buffer, final int offset, final int length)
    {
        try
        {
            return codec.decode(buffer, offset, length);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("cannot decode an entry of " + root.path() + " with codec " +
                codec.name() + ": " + ex.getMessage(), ex);
        }
    }

    WriteIntent intent()
    {
        return intent;
    }

    long size()
    {
        final Generation generation = enter();
        try
        {
            return rootBuffer.getLongVolatile(ROOT_SIZE_OFFSET);
        }
        finally
        {
            exit(generation);
        }
    }

    /**
     * Under the lock: writes a new generation with {@code filler}, publishes it, and unlinks the one it replaces.
     *
     * @param replaced    the current generation (leased by the caller).
     * @param tableLength the new table's length.
     * @param heapBytes   the new heap's size.
     * @param sizeAfter   the root's size once published.
     * @param filler      copies the entries into the new generation.
     * @return the new generation, leased for the caller (who still returns the lease of {@code replaced}).
     */
    Generation replace(
        final Generation replaced, final int tableLength, final long heapBytes, final long sizeAfter,
        final Consumer<Generation> filler)
    {
        if (!stillLinked())
        {
            throw new IllegalStateException("cannot grow " + root.path() + ": it was unlinked (or its name now " +
                "belongs to another collection), so it can take no new generation file; it is still readable");
        }
        final long target = replaced.number() + 1;
        intent.beginReplace(target, sizeAfter);
        deleteIfPresent(target);
        final Generation next = adopt(
            Generation.create(directory, name, target, tableLength, tableArrays, heapBytes, filler));
        rootBuffer.putLongRelease(ROOT_GENERATION_OFFSET, target);
        rootBuffer.putLongVolatile(ROOT_SIZE_OFFSET, sizeAfter);
        replaced.segment().unlink();
        intent.clear();
        next.mapping().enter();
        install(next);
        return next;
    }

    /**
     * Removes every entry at once: under the lock, a new, empty generation replaces the current one.
     *
     * @param tableLength the empty generation's table length.
     * @param heapBytes   its heap's size.
     */
    void clear(final int tableLength, final long heapBytes)
    {
        final Scratch scratch = Scratch.acquire();
        try
        {
            lockAndLease(scratch);
            try
            {
                final Generation replaced = scratch.leased;
                scratch.leased = replace(replaced, tableLength, heapBytes, 0, Generation::leaveEmpty);
                exit(replaced);
            }
            finally
            {
                unlockAndExit(scratch);
            }
        }
        finally
        {
            scratch.release();
        }
    }

    /** Recovery, under the lock, of a write whose writer died: see {@link WriteIntent}. */
    private void recover()
    {
        final long state = intent.state();
        if (state == WriteIntent.REPLACE && !stillLinked())
        {
            // the files by this name are another collection's now: nothing of this one to delete
            intent.clear();
        }
        else if (state == WriteIntent.REPLACE)
        {
            final long target = intent.generation();
            if (rootBuffer.getLongVolatile(ROOT_GENERATION_OFFSET) == target)
            {
                deleteIfPresent(target - 1);
                rootBuffer.putLongVolatile(ROOT_SIZE_OFFSET, intent.size());
            }
            else
            {
                deleteIfPresent(target);
            }
            intent.clear();
        }
        else if (state == WriteIntent.MUTATE)
        {
            final Generation generation = enter();
            try
            {
                intent.recoverMutation(generation, new BlockHeap(generation));
            }
            finally
            {
                exit(generation);
            }
        }
        else if (state != WriteIntent.NONE)
        {
            throw new SegmentFormatException(root.path(), "corrupt write intent: state=" + state);
        }
    }

    private void deleteIfPresent(final long generation)
    {
        try
        {
            Files.deleteIfExists(SegmentDirectory.requireSafe(directory)
                .resolve(SegmentDirectory.validateName(CollectionDescriptor.dataName(name, generation))));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot remove a stale generation of " + root.path() + ": " + ex, ex);
        }
    }

    /** Maps the generation the root names, following further replacements that happen while it tries. */
    private synchronized Generation follow(final long published)
    {
        ensureOpen();
        long number = published;
        for (int attempt = 0; attempt < FOLLOW_ATTEMPTS; attempt++)
        {
            final Generation mapped = current;
            if (mapped != null && mapped.number() == number)
            {
                return mapped;
            }
            try
            {
                final Generation next = adopt(Generation.open(directory, name, number, tableArrays));
                install(next);
                return next;
            }
            catch (final UncheckedIOException ex)
            {
                if (!(ex.getCause() instanceof NoSuchFileException))
                {
                    throw ex;
                }
                final long now = rootBuffer.getLongVolatile(ROOT_GENERATION_OFFSET);
                if (now == number)
                {
                    throw new SegmentFormatException(root.path(), "the current generation's file is missing: " +
                        CollectionDescriptor.dataName(name, number));
                }
                number = now;
            }
        }
        throw new IllegalStateException("could not follow the generations of " + root.path() + " in " +
            FOLLOW_ATTEMPTS + " attempts");
    }

    private synchronized void install(final Generation next)
    {
        final Generation previous = current;
        current = next;
        if (previous != null && previous != next)
        {
            retire(previous);
        }
    }

    /** Counts a generation this handle maps; the root and lock stay mapped while any is. */
    private Generation adopt(final Generation generation)
    {
        mappedGenerations.incrementAndGet();
        generation.onRelease(this::generationReleased);
        return generation;
    }

    private void generationReleased()
    {
        if (mappedGenerations.decrementAndGet() == 0 && closed && rootReleased.compareAndSet(false, true))
        {
            lock.close();
            root.close();
        }
    }

    private static void retire(final Generation generation)
    {
        if (generation.mapping().markClosed())
        {
            generation.mapping().close();
        }
    }

    private void ensureOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("closed: " + kind + " " + root.path());
        }
    }

    Path directory()
    {
        return directory;
    }

    String name()
    {
        return name;
    }

    Segment root()
    {
        return root;
    }

    /** The root's stripes word (see {@link CollectionDescriptor}), as stored: check it before trusting it. */
    int stripesWord()
    {
        return rootBuffer.getInt(ROOT_STRIPES_OFFSET);
    }

    Lock writeLock()
    {
        return lock;
    }

    boolean isClosed()
    {
        return closed;
    }

    /** Detaches this handle; threads still reading finish on their leased generation. */
    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        // the root and lock go with the last generation this handle maps, once no thread holds a lease of it
        retire(current);
    }

    /**
     * Removes the collection's files by name (root, lock and every generation), whether this handle is open or
     * closed, unless the name now belongs to another collection. Attached handles keep working until they close.
     */
    void unlink()
    {
        if (stillLinked())
        {
            CollectionFiles.remove(directory, name);
        }
    }

    /** Whether the root's name still names the file this handle attached (not unlinked, not made again since). */
    private boolean stillLinked()
    {
        final Object now = fileKey(root.path());
        return now != null && now.equals(rootFile);
    }

    private static Object fileKey(final Path path)
    {
        try
        {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        }
        catch (final NoSuchFileException gone)
        {
            return null;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read the file of " + path + ": " + ex, ex);
        }
    }
}
