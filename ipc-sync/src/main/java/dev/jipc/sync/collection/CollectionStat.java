package dev.jipc.sync.collection;

import static dev.jipc.sync.collection.CollectionDescriptor.DATA_LIST_WORD_OFFSET;
import static dev.jipc.sync.collection.CollectionDescriptor.DATA_USED_OFFSET;
import static dev.jipc.sync.collection.CollectionDescriptor.ROOT_GENERATION_OFFSET;
import static dev.jipc.sync.collection.CollectionDescriptor.ROOT_KEY_CODEC_OFFSET;
import static dev.jipc.sync.collection.CollectionDescriptor.ROOT_SIZE_OFFSET;
import static dev.jipc.sync.collection.CollectionDescriptor.ROOT_STRIPES_OFFSET;
import static dev.jipc.sync.collection.CollectionDescriptor.ROOT_VALUE_CODEC_OFFSET;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.jipc.core.Segment;
import dev.jipc.core.SegmentFormatException;
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
        if (kind == SegmentKind.DICT)
        {
            facts.put("key codec", Codecs.describe(rootBuffer.getInt(ROOT_KEY_CODEC_OFFSET)));
        }
        facts.put("value codec", Codecs.describe(rootBuffer.getInt(ROOT_VALUE_CODEC_OFFSET)));
        final int stripesWord = kind == SegmentKind.DICT ? rootBuffer.getInt(ROOT_STRIPES_OFFSET) : 0;
        if (stripesWord == DictStripes.OF_ANOTHER)
        {
            facts.put("stripe", "a stripe of another map: stat the map by its own name");
        }
        // a word that is no count (corrupt) shows this root alone, as the map's open refuses it
        final int stripes = Math.max(DictStripes.count(stripesWord), 1);
        if (stripes > 1)
        {
            facts.put("stripes", Integer.toString(stripes));
        }
        final Part total = new Part();
        for (int stripe = 0; stripe < stripes; stripe++)
        {
            final String where = stripes > 1 ? " (stripe " + stripe + ")" : "";
            if (stripe == 0)
            {
                total.add(part(root, directory, root.name(), where));
                continue;
            }
            final String name = CollectionDescriptor.stripeName(root.name(), stripe);
            try (Segment stripeRoot = Segment.open(directory, name, kind))
            {
                total.add(part(stripeRoot, directory, name, where));
            }
        }
        final long number = rootBuffer.getLongVolatile(ROOT_GENERATION_OFFSET);
        facts.put("generation", number + " (" + CollectionDescriptor.dataName(root.name(), number) + ")" +
            (stripes > 1 ? ", the first stripe's" : ""));
        facts.put("entries", Long.toString(total.entries));
        facts.put("capacity", total.capacity + (kind == SegmentKind.DICT ? " slots, " + total.usedSlots +
            " not empty (live and removed)" : " elements"));
        facts.put("heap", total.heapBytes + " bytes: " + (total.changing != null ? total.bumped + " allocated (" +
            total.changing + "), " : total.used + " used, " + total.free + " free for reuse, ") +
            (total.heapBytes - total.bumped) + " never used");
        facts.put("file bytes", Long.toString(total.fileBytes));
        facts.put("write intent", total.intents.isEmpty() ? "none" : String.join("; ", total.intents));
        facts.put("lock", total.holders.isEmpty() ? "free" : String.join("; ", total.holders));
        facts.put("lock owner deaths", Integer.toString(total.ownerDeaths));
        return facts;
    }

    /** One collection's figures: the whole of a list or a one-stripe dict, or a stripe of a dict. */
    private Part part(final Segment root, final Path directory, final String name, final String where)
    {
        final Part part = new Part();
        final AtomicBuffer rootBuffer = root.buffer();
        final long number = rootBuffer.getLongVolatile(ROOT_GENERATION_OFFSET);
        final Generation generation = Generation.open(directory, name, number, kind == SegmentKind.DICT ? 1 : 2);
        try
        {
            final AtomicBuffer data = generation.buffer();
            part.capacity = generation.tableLength();
            if (kind == SegmentKind.DICT)
            {
                part.entries = rootBuffer.getLongVolatile(ROOT_SIZE_OFFSET);
                part.usedSlots = data.getLongVolatile(DATA_USED_OFFSET);
            }
            else
            {
                part.entries = data.getLongVolatile(DATA_LIST_WORD_OFFSET) & 0x7FFF_FFFFL;
            }
            part.heapBytes = generation.heapEnd() - generation.heapStart();
            part.bumped = generation.heap().bump() - generation.heapStart();
            try
            {
                final long free = generation.heap().freeBytes();
                part.used = part.bumped - free;
                part.free = free;
            }
            catch (final SegmentFormatException changing)
            {
                // the walk takes no lock: a writer may move a block off a free list under it
                part.changing = "free lists changed during the walk: " + changing.getMessage();
            }
            part.fileBytes = generation.heapEnd();
        }
        finally
        {
            generation.segment().close();
        }
        final long intent = new WriteIntent(rootBuffer).state();
        if (intent != WriteIntent.NONE)
        {
            part.intents.add(describeIntent(intent) + where);
        }
        try (Lock lock = Lock.open(directory, CollectionDescriptor.lockName(name), WaitStrategy.PARK))
        {
            if (lock.isLocked())
            {
                part.holders.add("held by pid " + lock.ownerPid() + where);
            }
            part.ownerDeaths = lock.ownerDeaths();
        }
        return part;
    }

    /** Figures of one collection, or their sums over a dict's stripes. */
    private static final class Part
    {
        long entries;
        long capacity;
        long usedSlots;
        long heapBytes;
        long bumped;
        long used;
        long free;
        String changing;
        long fileBytes;
        // java.util's: CollectionStat.List is the stat of a SharedList
        final java.util.List<String> intents = new ArrayList<>();
        final java.util.List<String> holders = new ArrayList<>();
        int ownerDeaths;

        void add(final Part other)
        {
            entries += other.entries;
            capacity += other.capacity;
            usedSlots += other.usedSlots;
            heapBytes += other.heapBytes;
            bumped += other.bumped;
            used += other.used;
            free += other.free;
            changing = changing != null ? changing : other.changing;
            fileBytes += other.fileBytes;
            intents.addAll(other.intents);
            holders.addAll(other.holders);
            ownerDeaths += other.ownerDeaths;
        }
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
