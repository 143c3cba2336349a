package dev.jipc.durable;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

import dev.jipc.core.ChronicleDefaults;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

/**
 * A queue's Chronicle journal opened read-only, for tools: its extent and how far behind a consumer's floor is. It
 * writes nothing (Chronicle's read-only mode maps the files read-only and takes no write lock) and needs the journal's
 * {@code metadata.cq4t}. Chronicle's analytics are turned off before its classes load.
 */
final class JournalView implements AutoCloseable
{
    private final SingleChronicleQueue journal;

    private JournalView(final SingleChronicleQueue journal)
    {
        this.journal = journal;
    }

    /** The name of the journal's metadata file, which read-only mode needs. */
    static final String METADATA_FILE = SingleChronicleQueue.QUEUE_METADATA_FILE;

    /**
     * Whether a queue directory has a journal to open: its metadata file.
     *
     * @param directory the queue's directory.
     * @return true when {@value #METADATA_FILE} is there.
     */
    static boolean exists(final Path directory)
    {
        return Files.isRegularFile(directory.resolve(METADATA_FILE), LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Opens a queue directory's journal read-only.
     *
     * @param directory the queue's directory.
     * @return the view; close it.
     */
    static JournalView open(final Path directory)
    {
        ChronicleDefaults.apply();
        return new JournalView(SingleChronicleQueueBuilder.single(directory.toFile()).readOnly(true).build());
    }

    /** The index of the oldest message kept, or {@link Long#MAX_VALUE} when the journal is empty. */
    long firstIndex()
    {
        return journal.firstIndex();
    }

    /** The index of the newest message, or -1 when the journal is empty. */
    long lastIndex()
    {
        return journal.lastIndex();
    }

    /** The name of the journal's roll cycle (the one its files were made with). */
    String rollCycle()
    {
        final RollCycle rollCycle = journal.rollCycle();
        return rollCycle instanceof Enum<?> named ? named.name() : rollCycle.format();
    }

    /** How many messages the journal holds. */
    long messages()
    {
        return countFrom(Long.MIN_VALUE);
    }

    /**
     * How many messages a consumer has still to acknowledge, taken or not: from its oldest unacknowledged message to
     * the end of the journal, or, when everything it took is acknowledged, the messages after its cursor (the last
     * message it claimed).
     *
     * @param consumer the consumer's state.
     * @return the count.
     */
    long lag(final ConsumerState consumer)
    {
        final long oldest = consumer.oldestUnacknowledged();
        if (oldest != ConsumerState.NONE)
        {
            return countFrom(oldest);
        }
        final long cursor = consumer.cursor();
        final long first = journal.firstIndex();
        final long last = journal.lastIndex();
        if (cursor == ConsumerDescriptor.START || first == Long.MAX_VALUE || cursor < first)
        {
            return countFrom(Long.MIN_VALUE);
        }
        return cursor >= last ? 0 : journal.countExcerpts(cursor, last + 1) - 1;
    }

    /** The messages from an index (the journal's first when it is older) to the end. */
    private long countFrom(final long index)
    {
        final long first = journal.firstIndex();
        final long last = journal.lastIndex();
        if (first == Long.MAX_VALUE || last < 0)
        {
            return 0;
        }
        final long from = Math.max(index, first);
        return from > last ? 0 : journal.countExcerpts(from, last + 1);
    }

    /** An index as a tool shows it: hex, with its cycle and sequence. */
    String describe(final long index)
    {
        final RollCycle rollCycle = journal.rollCycle();
        return "0x" + Long.toHexString(index) + " (cycle " + rollCycle.toCycle(index) + ", sequence " +
            rollCycle.toSequenceNumber(index) + ")";
    }

    @Override
    public void close()
    {
        journal.close();
    }
}
