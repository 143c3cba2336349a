package dev.jipc.durable;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.CRC32C;

import dev.jipc.core.ChronicleDefaults;
import dev.jipc.core.ProcessRegistry;
import dev.jipc.core.Segment;
import dev.jipc.core.SegmentDirectory;
import dev.jipc.core.SegmentFormatException;
import dev.jipc.core.SegmentKind;
import dev.jipc.core.codec.Codec;
import dev.jipc.core.codec.StoredCodec;
import dev.jipc.core.wait.ClosableMapping;
import dev.jipc.core.wait.EventCount;
import dev.jipc.core.wait.WaitStrategy;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.RollingResourcesCache;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.agrona.ExpandableArrayBuffer;

/**
 * A queue that keeps every message on disk, journaled by Chronicle Queue, for producers and consumers in any
 * number of processes: Python's {@code multiprocessing.Queue} for data that must outlive the processes, and the
 * machine.
 * <ul>
 *   <li><b>Producers</b> ({@link #put}) append from any thread of any process; each message gets an index
 *   (Chronicle's: the cycle and a sequence), in one total order.</li>
 *   <li><b>Named consumers</b> ({@link #consumer(String)}) read at least once: a consumer resumes where its name
 *   last acknowledged, so a process that dies before {@link DurableConsumer#ack acknowledging} gets the message
 *   again when it, or another member of the name, carries on. Processes that share a name share the work (each
 *   message goes to one of them); different names each see every message.</li>
 *   <li><b>Replay</b> ({@link #reader()}, {@link #reader(long)}, {@link #reader(Instant)}) reads history without
 *   acknowledging anything.</li>
 *   <li><b>Retention</b>: the journal rolls to a new file every cycle (daily unless {@link Builder#rollCycle} says
 *   otherwise); with {@link Builder#retention} set, {@link #deleteRetiredCycles()} (which appenders also run when the
 *   journal rolls) deletes the cycles older than the limit that every named consumer has acknowledged past.</li>
 * </ul>
 * A consumer at the end of the journal sleeps on an event count in {@code queue.jipc} that appenders signal, and so
 * wakes as a {@code Queue}'s consumer does; it uses no CPU while it sleeps.
 *
 * <h2>Files</h2>
 * The directory (a real disk by default is the caller's choice; it must be the user's own, with no group or other
 * access, as every jipc directory) holds Chronicle's cycle files ({@code *.cq4}) and {@code metadata.cq4t}, jipc's
 * {@code queue.jipc}, one {@code consumer.<name>} segment and lock per consumer name, and the directory's process
 * registry. Messages and acknowledgements reach the page cache at once and survive {@code kill -9} of any process;
 * like Chronicle's, they reach the disk when the kernel writes dirty pages back, so a power cut can lose the last
 * seconds (an acknowledgement lost that way means a message delivered again, never one lost to its consumer while
 * the journal has it).
 *
 * <h2>Crashes</h2>
 * A producer killed in the middle of an append holds Chronicle's write lock and leaves an incomplete header: readers
 * never see a partial record, and the next append waits the {@link Builder#appendTimeout append timeout} (one
 * second by default) times 1.5, finds the holder's process dead and takes over, overwriting the incomplete record.
 * Chronicle judges the holder by its pid, so processes that share the directory must share a pid namespace.
 *
 * @param <E> the element type.
 */
public final class DurableQueue<E> implements AutoCloseable
{
    /** How long an append waits for Chronicle's write lock before judging whether its holder died. */
    public static final Duration DEFAULT_APPEND_TIMEOUT = Duration.ofSeconds(1);

    private final Path directory;
    private final Codec<E> codec;
    private final Segment segment;
    private final EventCount appended;
    private final WaitStrategy strategy;
    private final SingleChronicleQueue journal;
    private final Duration retention;
    private final int maxMessageLength;
    private static final Logger LOGGER = Logger.getLogger(DurableQueue.class.getName());

    private final ThreadLocal<Producer> producers = ThreadLocal.withInitial(Producer::new);
    private final ConcurrentLinkedQueue<AutoCloseable> openParts = new ConcurrentLinkedQueue<>();
    private final RollingResourcesCache cycleFiles;
    private final ClosableMapping mapping;
    /** Whether this handle checked, before its first append, that no consumer name has read past the journal. */
    private volatile boolean appendsChecked;
    /** The newest cycle retention has run for; an append in a newer one runs it again. */
    private volatile int retainedCycle = Integer.MIN_VALUE;

    private DurableQueue(final Builder builder, final Codec<E> codec, final Segment segment)
    {
        this.directory = builder.directory;
        this.codec = codec;
        this.segment = segment;
        if (segment.bodyLength() < DurableQueueDescriptor.BODY_LENGTH)
        {
            throw new SegmentFormatException(segment.path(), "durable queue segment too short: bodyLength=" +
                segment.bodyLength() + ", expected=" + DurableQueueDescriptor.BODY_LENGTH);
        }
        this.appended = new EventCount(segment.buffer(), segment.bodyOffset() + DurableQueueDescriptor.APPENDED_OFFSET);
        this.strategy = builder.strategy;
        this.retention = builder.retention;
        this.journal = SingleChronicleQueueBuilder.single(directory.toFile())
            .rollCycle(builder.rollCycle)
            .timeoutMS(builder.appendTimeout.toMillis())
            .build();
        this.maxMessageLength = (int)Math.min(Integer.MAX_VALUE - 64,
            journal.overlapSize() - DurableQueueDescriptor.RECORD_HEADER_LENGTH - 64);
        this.cycleFiles = new RollingResourcesCache(journal.rollCycle(), journal.epoch(),
            text -> new File(directory.toFile(), text + SingleChronicleQueue.SUFFIX),
            file -> file.getName().substring(0, file.getName().length() - SingleChronicleQueue.SUFFIX.length()));
        this.mapping = new ClosableMapping(this::release, "durable queue " + directory + " is closed");
        retainBestEffort(journal.cycle());
    }

    /**
     * Opens the durable queue in a directory, making it (and the directory) if there is none, with the defaults.
     *
     * @param directory the queue's directory.
     * @param codec     how elements become bytes; must be the codec the queue was made with.
     * @param <E>       the element type.
     * @return the queue, open until {@link #close()}.
     */
    public static <E> DurableQueue<E> open(final Path directory, final Codec<E> codec)
    {
        return builder(directory).open(codec);
    }

    /**
     * Starts describing a durable queue.
     *
     * @param directory the queue's directory.
     * @return a builder.
     */
    public static Builder builder(final Path directory)
    {
        return new Builder(directory);
    }

    /**
     * Appends a message.
     *
     * @param element the element, not null.
     * @return its index.
     * @throws IllegalArgumentException if its encoding is longer than the journal can hold, naming both sizes.
     * @throws IllegalStateException    if the queue is closed; or, at this handle's first append, if a consumer name
     *                                  has read past the journal's end (its cycle file cut short or removed), naming
     *                                  the consumer's files: the append would take an index that name has passed.
     */
    public long put(final E element)
    {
        Objects.requireNonNull(element, "element");
        checkOpen();
        if (!appendsChecked)
        {
            checkNoConsumerPastTheJournal();
        }
        final Producer producer = producers.get();
        final int length = codec.encode(element, producer.scratch, DurableQueueDescriptor.RECORD_HEADER_LENGTH);
        if (length > maxMessageLength)
        {
            throw new IllegalArgumentException("message too large for durable queue " + directory + ": length=" +
                length + ", maxLength=" + maxMessageLength);
        }
        final ExcerptAppender appender = producer.appender(journal);
        try (DocumentContext document = appender.writingDocument())
        {
            JournalRecords.write(document.wire().bytes(), producer.scratch, length, producer.crc);
        }
        final long index = appender.lastIndexAppended();
        appended.signalAll();
        final int cycle = journal.rollCycle().toCycle(index);
        if (cycle > retainedCycle)
        {
            retainBestEffort(cycle);
        }
        return index;
    }

    /**
     * Before this handle's first append: refuses to append while a consumer name has read past the journal's end,
     * since the append would take an index that name has passed (see {@link #checkNotPastTheJournal}).
     */
    private void checkNoConsumerPastTheJournal()
    {
        for (final String name : consumerNames(directory))
        {
            final ConsumerGroup group;
            try
            {
                group = ConsumerGroup.open(directory, name);
            }
            catch (final RuntimeException ex)
            {
                // a foreign or damaged consumer file: its members are refused when they attach, naming it, and
                // appends go on (as retention does)
                continue;
            }
            try (group)
            {
                if (group != null && group.state().fault() == null)
                {
                    checkNotPastTheJournal(group, "cannot append");
                }
            }
        }
        appendsChecked = true;
    }

    /**
     * Refuses a name whose last claimed message lies past the end of the journal in the cycle the journal appends to
     * now. The journal then lost messages the name had read (a cycle file cut short, replaced or removed), and its
     * next appends take indexes the name has passed: the name would skip them without a word.
     *
     * @param refused what is refused, for the message: "cannot attach", "cannot append".
     */
    void checkNotPastTheJournal(final ConsumerGroup group, final String refused)
    {
        final long cursor = group.state().cursor();
        if (cursor == ConsumerDescriptor.START)
        {
            return;
        }
        final int appendCycle = Math.max(journal.cycle(), journal.lastCycle());
        final long last = journal.lastIndex();
        if (journal.rollCycle().toCycle(cursor) >= appendCycle && cursor > last)
        {
            throw new IllegalStateException(refused + ": consumer '" + group.name() + "' of durable queue " +
                directory + " has read up to index 0x" + Long.toHexString(cursor) + ", past the journal's last " +
                "message (" + (last < 0 ? "none" : "0x" + Long.toHexString(last)) + "): the journal lost messages " +
                "it had read (a cycle file cut short, replaced or removed?), and the messages appended next would " +
                "take indexes it has passed and never reach it. To read the journal again from its oldest message, " +
                "remove " + group.path() + " and " + directory.resolve(ConsumerDescriptor.LOCK_PREFIX + group.name()) +
                " while no process uses the name");
        }
    }

    /**
     * Retention when the journal reaches a new cycle: best effort, since the message that got there is appended
     * already (a caller told that {@code put} failed would append it again).
     */
    private void retainBestEffort(final int cycle)
    {
        retainedCycle = cycle;
        if (retention == null)
        {
            return;
        }
        try
        {
            deleteRetiredCycles();
        }
        catch (final RuntimeException ex)
        {
            LOGGER.log(Level.WARNING, "retention of durable queue " + directory + " failed; it runs again at the " +
                "next cycle or deleteRetiredCycles()", ex);
        }
    }

    /**
     * Appends a message: the same as {@link #put}, since a journal on disk is never full (the name is
     * {@link java.util.concurrent.BlockingQueue}'s).
     *
     * @param element the element, not null.
     * @return its index.
     */
    public long offer(final E element)
    {
        return put(element);
    }

    /**
     * A consumer that reads at least once under a name, resuming where the name last acknowledged. A name's first
     * consumer starts at the oldest message the journal keeps. Each call makes a new member of the name (for one
     * thread at a time); several members, in any processes, share the name's messages.
     *
     * @param name the consumer's name: a valid segment name.
     * @return the consumer, open until closed.
     * @throws IllegalArgumentException if the name has a {@code /}, is {@code ..} or too long.
     * @throws IllegalStateException    if all {@value ConsumerDescriptor#SLOTS} member slots of the name are held,
     *                                  or the name has read past the journal's end (see {@link #put}).
     */
    public DurableConsumer<E> consumer(final String name)
    {
        checkOpen();
        return register(new DurableConsumer<>(this, ConsumerGroup.openOrCreate(directory, name)));
    }

    /**
     * A reader of the whole journal from its oldest message; it acknowledges nothing.
     *
     * @return the reader.
     */
    public DurableReader<E> reader()
    {
        checkOpen();
        return register(new DurableReader<>(this, journal.createTailer().toStart()));
    }

    /**
     * A reader from a message's index.
     *
     * @param index an index returned by {@link #put} or carried by a {@link Message}.
     * @return the reader, at that message.
     * @throws IllegalArgumentException if the journal has no message at that index.
     */
    public DurableReader<E> reader(final long index)
    {
        checkOpen();
        final var tailer = journal.createTailer();
        if (!tailer.moveToIndex(index))
        {
            tailer.close();
            throw new IllegalArgumentException("durable queue " + directory + " has no message at index 0x" +
                Long.toHexString(index) + " (first 0x" + Long.toHexString(journal.firstIndex()) + ", last 0x" +
                Long.toHexString(journal.lastIndex()) + ")");
        }
        return register(new DurableReader<>(this, tailer));
    }

    /**
     * A reader from the first message appended at or after a time (at the end of the journal if there is none yet).
     *
     * @param time the time.
     * @return the reader.
     */
    public DurableReader<E> reader(final Instant time)
    {
        checkOpen();
        final var tailer = journal.createTailer();
        final DurableReader<E> reader = register(new DurableReader<>(this, tailer));
        reader.seek(time.toEpochMilli());
        return reader;
    }

    /**
     * Deletes the cycle files that every named consumer has acknowledged past and that ended longer ago than the
     * retention limit. Never deletes the current cycle. Does nothing when no limit was set.
     *
     * @return how many cycle files were deleted.
     */
    public int deleteRetiredCycles()
    {
        checkOpen();
        if (retention == null)
        {
            return 0;
        }
        // the cycles other processes appended since this handle last listed the directory
        journal.refreshDirectoryListing();
        final int current = journal.cycle();
        int limit = current;
        for (final String name : consumerNames(directory))
        {
            try (ConsumerGroup group = ConsumerGroup.open(directory, name))
            {
                if (group == null)
                {
                    continue; // removed meanwhile
                }
                // under the name's lock: a claim racing this read cannot move the floor into a cycle deleted below
                final long floor = group.floorLocked();
                limit = Math.min(limit, floor == ConsumerDescriptor.START ? Integer.MIN_VALUE :
                    journal.rollCycle().toCycle(floor));
            }
        }
        final long keepAfter = System.currentTimeMillis() - retention.toMillis();
        final long length = journal.rollCycle().lengthInMillis();
        int deleted = 0;
        final int firstCycle = journal.firstCycle();
        final int lastCycle = journal.lastCycle();
        if (firstCycle > lastCycle)
        {
            return 0;
        }
        // Chronicle lists between two cycles that have files
        for (final long cycle : journal.listCyclesBetween(firstCycle, lastCycle))
        {
            final long end = journal.epoch() + (cycle + 1) * length;
            if (cycle < limit && cycle < current && end <= keepAfter)
            {
                final File file = cycleFiles.resourceFor((int)cycle).path;
                if (file.delete())
                {
                    deleted++;
                }
            }
        }
        if (deleted > 0)
        {
            journal.refreshDirectoryListing();
        }
        return deleted;
    }

    /** The consumer names that have state in a queue directory. */
    static List<String> consumerNames(final Path directory)
    {
        final List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory,
            ConsumerDescriptor.SEGMENT_PREFIX + "*"))
        {
            for (final Path entry : entries)
            {
                final String file = entry.getFileName().toString();
                if (SegmentDirectory.isValidName(file))
                {
                    names.add(file.substring(ConsumerDescriptor.SEGMENT_PREFIX.length()));
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        names.sort(null);
        return names;
    }

    /**
     * The index of the oldest message the journal keeps.
     *
     * @return the index, or {@link Long#MAX_VALUE} when the journal is empty.
     */
    public long firstIndex()
    {
        checkOpen();
        return journal.firstIndex();
    }

    /**
     * The index of the newest message.
     *
     * @return the index, or -1 when the journal is empty.
     */
    public long lastIndex()
    {
        checkOpen();
        return journal.lastIndex();
    }

    /**
     * How many messages the journal holds between two indexes.
     *
     * @param fromIndex the first, inclusive.
     * @param toIndex   the last, exclusive.
     * @return the count.
     */
    public long count(final long fromIndex, final long toIndex)
    {
        checkOpen();
        return journal.countExcerpts(fromIndex, toIndex);
    }

    /**
     * The queue's directory.
     *
     * @return the directory.
     */
    public Path directory()
    {
        return directory;
    }

    /**
     * The codec of the queue's elements.
     *
     * @return the codec.
     */
    public Codec<E> codec()
    {
        return codec;
    }

    /**
     * Closes this process's handle: its consumers and readers (a wait in another thread ends with an
     * {@link IllegalStateException}) and, once no thread waits, the journal. The files stay. A {@code put} running
     * in another thread meanwhile is the caller's error, as using any closed handle is.
     */
    @Override
    public void close()
    {
        if (!mapping.markClosed())
        {
            return;
        }
        for (AutoCloseable part = openParts.poll(); part != null; part = openParts.poll())
        {
            try
            {
                part.close();
            }
            catch (final Exception ex)
            {
                LOGGER.log(Level.WARNING, "closing " + part + " of durable queue " + directory + " failed", ex);
            }
        }
        appended.signalAll();
        mapping.close();
    }

    /** Runs once the queue is closed and no thread waits in it any more. */
    private void release()
    {
        journal.close();
        segment.close();
    }

    @Override
    public String toString()
    {
        return "DurableQueue[" + directory + ", codec=" + codec.name() + "]";
    }

    SingleChronicleQueue journal()
    {
        return journal;
    }

    EventCount appended()
    {
        return appended;
    }

    WaitStrategy strategy()
    {
        return strategy;
    }

    void checkOpen()
    {
        mapping.ensureOpen();
    }

    /** Takes a lease on the queue's mapping for a wait: see {@link ClosableMapping#enter()}. */
    void enter()
    {
        mapping.enter();
    }

    void exit()
    {
        mapping.exit();
    }

    void forget(final AutoCloseable part)
    {
        openParts.remove(part);
    }

    private <T extends AutoCloseable> T register(final T part)
    {
        openParts.add(part);
        if (mapping.isClosed() && openParts.remove(part))
        {
            try
            {
                part.close();
            }
            catch (final Exception ex)
            {
                LOGGER.log(Level.WARNING, "closing " + part + " of durable queue " + directory + " failed", ex);
            }
            throw new IllegalStateException("durable queue " + directory + " is closed");
        }
        return part;
    }

    /** One thread's buffers for encoding and checking its elements. */
    private static final class Producer
    {
        final ExpandableArrayBuffer scratch = new ExpandableArrayBuffer(256);
        final CRC32C crc = new CRC32C();
        private ExcerptAppender appender;

        /**
         * Chronicle's thread-local appender of this thread, which Chronicle closes when the thread ends or the queue
         * closes: kept here so that a put does one thread-local lookup, not two.
         */
        ExcerptAppender appender(final SingleChronicleQueue journal)
        {
            if (appender == null || appender.isClosing())
            {
                appender = journal.acquireAppender();
            }
            return appender;
        }
    }

    /** How a durable queue is opened: its roll cycle, retention, append timeout and wait strategy. */
    public static final class Builder
    {
        private final Path directory;
        private RollCycle rollCycle = RollCycles.FAST_DAILY;
        private Duration retention;
        private Duration appendTimeout = DEFAULT_APPEND_TIMEOUT;
        private WaitStrategy strategy = WaitStrategy.SPIN_THEN_PARK;

        private Builder(final Path directory)
        {
            this.directory = Objects.requireNonNull(directory, "directory").toAbsolutePath().normalize();
        }

        /**
         * How often the journal starts a new file (daily by default). An existing queue keeps the cycle it was made
         * with.
         *
         * @param rollCycle one of Chronicle's roll cycles.
         * @return this builder.
         */
        public Builder rollCycle(final RollCycle rollCycle)
        {
            this.rollCycle = Objects.requireNonNull(rollCycle, "rollCycle");
            return this;
        }

        /**
         * Keeps cycles for at least this long after they end; older ones that every named consumer has acknowledged
         * past are deleted when the journal rolls and by {@link #deleteRetiredCycles()}. Unset: keep everything.
         *
         * @param retention the limit, not negative.
         * @return this builder.
         */
        public Builder retention(final Duration retention)
        {
            if (retention.isNegative())
            {
                throw new IllegalArgumentException("retention must not be negative: " + retention);
            }
            this.retention = retention;
            return this;
        }

        /**
         * How long an append waits for Chronicle's write lock before it checks whether the holder died (it waits
         * 1.5 times this). Chronicle's own default is 10 s; jipc's is {@link #DEFAULT_APPEND_TIMEOUT}.
         *
         * @param timeout the timeout, positive.
         * @return this builder.
         */
        public Builder appendTimeout(final Duration timeout)
        {
            if (timeout.isNegative() || timeout.isZero())
            {
                throw new IllegalArgumentException("append timeout must be positive: " + timeout);
            }
            this.appendTimeout = timeout;
            return this;
        }

        /**
         * How this process's consumers and readers wait at the end of the journal.
         *
         * @param strategy the strategy.
         * @return this builder.
         */
        public Builder waitStrategy(final WaitStrategy strategy)
        {
            this.strategy = Objects.requireNonNull(strategy, "strategy");
            return this;
        }

        /**
         * Opens the queue, making it if the directory holds none.
         *
         * @param codec the elements' codec; an existing queue must have been made with the same one.
         * @param <E>   the element type.
         * @return the queue.
         * @throws IllegalStateException  if the directory is not safe or holds files that are not a durable
         *                                queue's.
         * @throws SegmentFormatException if the directory holds a queue of another codec, or a corrupt
         *                                {@code queue.jipc}.
         */
        public <E> DurableQueue<E> open(final Codec<E> codec)
        {
            Objects.requireNonNull(codec, "codec");
            ChronicleDefaults.apply();
            createDirectory();
            SegmentDirectory.requireSafe(directory);
            final Segment segment = openOrCreateSegment(codec);
            try
            {
                final StoredCodec stored = DurableQueueDescriptor.storedCodec(segment.bodyOffset());
                stored.checkNameLength(segment);
                stored.checkSame(segment, codec.typeId(), codec.name());
                return new DurableQueue<>(this, codec, segment);
            }
            catch (final RuntimeException | Error ex)
            {
                segment.close();
                throw ex;
            }
        }

        private void createDirectory()
        {
            if (Files.exists(directory, LinkOption.NOFOLLOW_LINKS))
            {
                return;
            }
            try
            {
                Files.createDirectories(directory,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            catch (final FileAlreadyExistsException ex)
            {
                // made by another process meanwhile: requireSafe checks it
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot make durable queue directory " + directory, ex);
            }
        }

        private Segment openOrCreateSegment(final Codec<?> codec)
        {
            final byte[] nameBytes = StoredCodec.nameBytes(codec.name());
            while (true)
            {
                try
                {
                    return Segment.open(directory, DurableQueueDescriptor.SEGMENT_NAME, SegmentKind.DURABLE_QUEUE);
                }
                catch (final UncheckedIOException ex)
                {
                    if (!(ex.getCause() instanceof NoSuchFileException))
                    {
                        throw ex;
                    }
                }
                refuseForeignFiles();
                try
                {
                    return Segment.create(directory, DurableQueueDescriptor.SEGMENT_NAME, SegmentKind.DURABLE_QUEUE,
                        DurableQueueDescriptor.BODY_LENGTH,
                        created -> DurableQueueDescriptor.storedCodec(created.bodyOffset())
                            .write(created.buffer(), codec.typeId(), nameBytes));
                }
                catch (final UncheckedIOException ex)
                {
                    if (!(ex.getCause() instanceof FileAlreadyExistsException))
                    {
                        throw ex;
                    }
                }
            }
        }

        /** A directory without {@code queue.jipc} may be new, but must not hold anything else's files. */
        private void refuseForeignFiles()
        {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory))
            {
                for (final Path entry : entries)
                {
                    final String file = entry.getFileName().toString();
                    if (file.equals(DurableQueueDescriptor.SEGMENT_NAME))
                    {
                        return; // another process made the queue meanwhile: open it
                    }
                    if (file.equals(ProcessRegistry.FILE_NAME) ||
                        SegmentDirectory.temporaryFileCreator(file).isPresent())
                    {
                        continue;
                    }
                    throw new IllegalStateException("not a durable queue: " + directory + " has no " +
                        DurableQueueDescriptor.SEGMENT_NAME + " but holds " + file +
                        (file.endsWith(SingleChronicleQueue.SUFFIX) || file.endsWith(".cq4t") ?
                        " (a Chronicle Queue that jipc did not make)" : "") +
                        "; give a new or empty directory");
                }
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException("cannot list durable queue directory " + directory, ex);
            }
        }
    }
}
