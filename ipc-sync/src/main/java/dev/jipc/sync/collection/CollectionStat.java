package dev.jipc.sync.collection;

import static dev.jipc.sync.collection.CollectionDescriptor.DATA_LIST_WORD_OFFSET;
import static dev.jipc.sync.collection.CollectionDescriptor.DATA_USED_OFFSET;
import static dev.jipc.sync.collection.CollectionDescriptor.ROOT_GENERATION_OFFSET;
import static dev.jipc.sync.collection.CollectionDescriptor.ROOT_KEY_CODEC_OFFSET;
import static dev.jipc.sync.collection.CollectionDescriptor.ROOT_SIZE_OFFSET;
import static dev.jipc.sync.collection.CollectionDescriptor.ROOT_VALUE_CODEC_OFFSET;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.jipc.core.Segment;
import dev.jipc.core.SegmentKind;
import dev.jipc.core.SegmentStat;
import dev.jipc.core.codec.Codecs;
import dev.jipc.core.wait.WaitStrategy;
import dev.jipc.sync.Lock;
import org.agrona.concurrent.AtomicBuffer;

/**
 * {@code jipc stat} of a {@link SharedDict} or {@link SharedList}: entries, capacity, the heap's bytes used and free,
 * the current generation, the write intent and who holds the writers' lock. Reads without the lock: a racy
 * snapshot.
 */
public abstract class CollectionStat implements SegmentStat
{
    private final SegmentKind kind;

    CollectionStat(final SegmentKind kind)
    {
        this.kind = kind;
    }

    @Override
    public SegmentKind kind()
    {
        return kind;
    }

    @Override
    public Map<String, String> describe(final Segment root)
    {
        final Map<String, String> facts = new LinkedHashMap<>();
        final AtomicBuffer rootBuffer = root.buffer();
        final Path directory = root.path().getParent();
        final long number = rootBuffer.getLongVolatile(ROOT_GENERATION_OFFSET);
        if (kind == SegmentKind.DICT)
        {
            facts.put("key codec", Codecs.describe(rootBuffer.getInt(ROOT_KEY_CODEC_OFFSET)));
        }
        facts.put("value codec", Codecs.describe(rootBuffer.getInt(ROOT_VALUE_CODEC_OFFSET)));
        facts.put("generation", number + " (" + CollectionDescriptor.dataName(root.name(), number) + ")");
        final Generation generation = Generation.open(directory, root.name(), number, kind == SegmentKind.DICT ? 1 : 2);
        try
        {
            final AtomicBuffer data = generation.buffer();
            if (kind == SegmentKind.DICT)
            {
                facts.put("entries", Long.toString(rootBuffer.getLongVolatile(ROOT_SIZE_OFFSET)));
                facts.put("capacity", generation.tableLength() + " slots, " +
                    data.getLongVolatile(DATA_USED_OFFSET) + " not empty (live and removed)");
            }
            else
            {
                facts.put("entries", Long.toString(data.getLongVolatile(DATA_LIST_WORD_OFFSET) & 0x7FFF_FFFFL));
                facts.put("capacity", generation.tableLength() + " elements");
            }
            final long heapBytes = generation.heapEnd() - generation.heapStart();
            final long bumped = generation.heap().bump() - generation.heapStart();
            final long free = generation.heap().freeBytes();
            facts.put("heap", heapBytes + " bytes: " + (bumped - free) + " used, " + free + " free for reuse, " +
                (heapBytes - bumped) + " never used");
            facts.put("file bytes", Long.toString(generation.heapEnd()));
        }
        finally
        {
            generation.segment().close();
        }
        facts.put("write intent", describeIntent(new WriteIntent(rootBuffer).state()));
        try (Lock lock = Lock.open(directory, CollectionDescriptor.lockName(root.name()), WaitStrategy.PARK))
        {
            facts.put("lock", lock.isLocked() ? "held by pid " + lock.ownerPid() : "free");
            facts.put("lock owner deaths", Integer.toString(lock.ownerDeaths()));
        }
        return facts;
    }

    private static String describeIntent(final long state)
    {
        if (state == WriteIntent.NONE)
        {
            return "none";
        }
        return state == WriteIntent.MUTATE ? "a write in progress" :
            state == WriteIntent.REPLACE ? "a new generation in progress" : "corrupt (" + state + ")";
    }

    /** The stat of a {@link SharedDict}'s root. */
    public static final class Dict extends CollectionStat
    {
        /** For the service loader. */
        public Dict()
        {
            super(SegmentKind.DICT);
        }
    }

    /** The stat of a {@link SharedList}'s root. */
    public static final class List extends CollectionStat
    {
        /** For the service loader. */
        public List()
        {
            super(SegmentKind.LIST);
        }
    }
}
