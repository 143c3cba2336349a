package dev.jipc.durable;

import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.jipc.core.ChronicleDefaults;
import dev.jipc.core.Segment;
import dev.jipc.core.SegmentKind;
import dev.jipc.core.SegmentStat;
import dev.jipc.core.wait.WaitStrategy;
import dev.jipc.sync.Lock;

/**
 * {@code jipc stat consumer.<name>} of one named consumer of a {@link DurableQueue}: its cursor and floor, its
 * unacknowledged messages (those its members claimed, in batches of up to {@value DurableConsumer#BATCH}, delivered
 * yet or not) and live members, one line per member slot in use, a redo log left by a holder that died,
 * its lock, and its lag (read from the journal with Chronicle in read-only mode). Reads without the consumer's lock:
 * a racy snapshot. A corrupt segment is reported, not trusted.
 */
public final class DurableConsumerStat implements SegmentStat
{
    /** For the service loader. */
    public DurableConsumerStat()
    {
        // no state
    }

    @Override
    public SegmentKind kind()
    {
        return SegmentKind.DURABLE_CONSUMER;
    }

    @Override
    public Map<String, String> describe(final Segment segment)
    {
        ChronicleDefaults.apply();
        final Map<String, String> facts = new LinkedHashMap<>();
        final ConsumerState state = new ConsumerState(segment);
        final Path directory = segment.path().getParent();
        facts.put("consumer", state.name());
        final long cursor = state.cursor();
        facts.put("cursor", cursor >= 0 ? index(cursor) + " (the last message claimed)" : index(cursor));
        final String fault = state.fault();
        if (fault != null)
        {
            facts.put("state", "corrupt consumer state: " + fault);
            return facts;
        }
        final long floor = state.floor();
        facts.put("floor", index(floor));
        facts.put("unacknowledged", state.unacknowledged() + " (claimed by members, delivered or not, and not " +
            "acknowledged)");
        facts.put("live members", Integer.toString(state.liveMembers()));
        for (int slot = 0; slot < ConsumerDescriptor.SLOTS; slot++)
        {
            if (state.isUsed(slot))
            {
                facts.put("member " + slot, member(state, slot));
            }
        }
        final long redo = state.pendingRedoEntries();
        facts.put("redo log", redo == 0 ? "clear" : redo + " entries committed by a holder that died (the next " +
            "holder of the lock applies them)");
        facts.put("lock", lock(directory, ConsumerDescriptor.LOCK_PREFIX +
            segment.name().substring(ConsumerDescriptor.SEGMENT_PREFIX.length())));
        if (!JournalView.exists(directory))
        {
            facts.put("lag", "unknown: no journal (" + JournalView.METADATA_FILE + ") in " + directory);
            return facts;
        }
        try (JournalView journal = JournalView.open(directory))
        {
            facts.put("lag", journal.lag(state) + " messages not acknowledged yet, taken or not");
        }
        catch (final RuntimeException ex)
        {
            facts.put("lag", "unknown: cannot read the journal: " + ex);
        }
        return facts;
    }

    /** An index as the stats show it: hex, or {@code start} for {@link ConsumerDescriptor#START}. */
    static String index(final long index)
    {
        return index == ConsumerDescriptor.START ? "start (nothing claimed yet)" : "0x" + Long.toHexString(index);
    }

    private static String member(final ConsumerState state, final int slot)
    {
        final long pid = state.ownerPid(slot);
        final String owner = pid == 0 ? "left" : "pid " + pid + (state.isLive(slot) ? " (alive)" : " (dead)");
        return owner + ", claimed=" + state.claimed(slot) + ", acked=" + state.acked(slot) + ", unacknowledged=" +
            state.unacknowledged(slot) + ", ranges=" + (state.tail(slot) - state.head(slot));
    }

    private static String lock(final Path directory, final String name)
    {
        try (Lock lock = Lock.open(directory, name, WaitStrategy.PARK))
        {
            return (lock.isLocked() ? "held by pid " + lock.ownerPid() : "free") + ", owner deaths " +
                lock.ownerDeaths();
        }
        catch (final UncheckedIOException ex)
        {
            if (ex.getCause() instanceof NoSuchFileException)
            {
                return "none (" + name + " is made again when the consumer opens)";
            }
            return "cannot read it: " + ex.getMessage();
        }
        catch (final RuntimeException ex)
        {
            return "cannot read it: " + ex.getMessage();
        }
    }
}
