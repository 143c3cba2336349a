package dev.jipc.durable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.jipc.core.ChronicleDefaults;
import dev.jipc.core.Segment;
import dev.jipc.core.SegmentKind;
import dev.jipc.core.SegmentStat;
import dev.jipc.core.wait.EventCount;

/**
 * {@code jipc stat queue.jipc} of a {@link DurableQueue}: its codec, the consumers and readers asleep at the end of
 * the journal, the journal's cycle files and extent (read with Chronicle in read-only mode) and, per consumer name,
 * its floor, lag and unacknowledged messages. Reads without any lock: a racy snapshot.
 */
public final class DurableQueueStat implements SegmentStat
{
    /** The suffix of Chronicle's cycle files. */
    static final String CYCLE_FILE_SUFFIX = ".cq4";

    /** For the service loader. */
    public DurableQueueStat()
    {
        // no state
    }

    @Override
    public SegmentKind kind()
    {
        return SegmentKind.DURABLE_QUEUE;
    }

    @Override
    public Map<String, String> describe(final Segment segment)
    {
        ChronicleDefaults.apply();
        final Map<String, String> facts = new LinkedHashMap<>();
        final Path directory = segment.path().getParent();
        if (segment.bodyLength() < DurableQueueDescriptor.BODY_LENGTH)
        {
            facts.put("state", "corrupt: body length " + segment.bodyLength() + " is shorter than a durable queue's, " +
                DurableQueueDescriptor.BODY_LENGTH);
            return facts;
        }
        facts.put("codec", DurableQueueDescriptor.storedCodec(segment.bodyOffset()).describe(segment.buffer()));
        facts.put("waiters", new EventCount(segment.buffer(), segment.bodyOffset() +
            DurableQueueDescriptor.APPENDED_OFFSET).waiters() + " (consumers and readers asleep at the journal's end)");
        facts.put("cycle files", cycleFiles(directory));
        final List<String> names = DurableQueue.consumerNames(directory);
        if (!JournalView.exists(directory))
        {
            facts.put("journal", "none: no " + JournalView.METADATA_FILE + " in " + directory);
            facts.put("consumers", names.isEmpty() ? "none" : names.size() + ": " + String.join(", ", names));
            return facts;
        }
        try (JournalView journal = JournalView.open(directory))
        {
            facts.put("roll cycle", journal.rollCycle());
            final long first = journal.firstIndex();
            if (first == Long.MAX_VALUE)
            {
                facts.put("messages", "0 (empty journal)");
            }
            else
            {
                facts.put("messages", Long.toString(journal.messages()));
                facts.put("first index", journal.describe(first));
                facts.put("last index", journal.describe(journal.lastIndex()));
            }
            facts.put("consumers", names.isEmpty() ? "none" : names.size() + ": " + String.join(", ", names));
            for (final String name : names)
            {
                facts.put("consumer " + name, describeConsumer(directory, name, journal));
            }
        }
        catch (final RuntimeException ex)
        {
            facts.put("journal", "cannot read it: " + ex);
            facts.put("consumers", names.isEmpty() ? "none" : names.size() + ": " + String.join(", ", names));
        }
        return facts;
    }

    private static String describeConsumer(final Path directory, final String name, final JournalView journal)
    {
        try (Segment consumer = Segment.open(directory, ConsumerDescriptor.SEGMENT_PREFIX + name,
            SegmentKind.DURABLE_CONSUMER))
        {
            final ConsumerState state = new ConsumerState(consumer);
            final String fault = state.fault();
            if (fault != null)
            {
                return "corrupt consumer state: " + fault;
            }
            return "floor=" + DurableConsumerStat.index(state.floor()) + ", lag=" + journal.lag(state) +
                ", unacknowledged=" +
                state.unacknowledged() + ", live members=" + state.liveMembers();
        }
        catch (final RuntimeException ex)
        {
            return "cannot read it: " + ex.getMessage();
        }
    }

    /** How many cycle files the journal has and their bytes (apparent sizes: Chronicle's files are sparse). */
    static String cycleFiles(final Path directory)
    {
        int files = 0;
        long bytes = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "*" + CYCLE_FILE_SUFFIX))
        {
            for (final Path entry : entries)
            {
                if (Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS))
                {
                    files++;
                    bytes += Files.size(entry);
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list durable queue directory " + directory, ex);
        }
        return files + " (" + bytes + " bytes)";
    }
}
