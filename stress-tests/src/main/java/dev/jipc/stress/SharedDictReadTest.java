package dev.jipc.stress;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

import dev.jipc.core.codec.Codecs;
import dev.jipc.sync.collection.SharedDict;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * The lock-free read of a {@link dev.jipc.sync.collection.SharedDict} against a writer that replaces, removes or
 * merges the same key: the read returns the value before or after, whole, never a torn or missing one. Blocks of
 * replaced values are reused by later states' writes, so a reader also races the reuse of the block it copies.
 * <p>
 * Run: {@code ./jipc stress -t SharedDictReadTest}.
 * <p>
 * r1: what the reader saw: 1 the old value, 2 the new one, 0 nothing, 3 a torn value.
 */
public final class SharedDictReadTest
{
    private static final byte[] OLD = filled(64, (byte)1);
    private static final byte[] NEW = filled(200, (byte)2);
    private static final SharedDict<String, byte[]> VALUES = dict("bytes", Codecs.bytes());
    private static final SharedDict<String, Long> COUNTS = dict("counts", Codecs.longs());
    private static final AtomicLong NEXT = new AtomicLong();

    private SharedDictReadTest()
    {
    }

    /** A reader during a put that replaces the value (in a block of another size). */
    @JCStressTest
    @Outcome(id = "1", expect = ACCEPTABLE, desc = "Read before the replacement was published.")
    @Outcome(id = "2", expect = ACCEPTABLE, desc = "Read after.")
    @Outcome(id = "0", expect = FORBIDDEN, desc = "A key present throughout was missed.")
    @Outcome(id = "3", expect = FORBIDDEN, desc = "A torn value: the read mixed two entries.")
    @State
    public static class ReadDuringReplace
    {
        private final String key = nextKey();

        /** A state whose the key holds the old value (its key's previous state's block is freed and reused). */
        public ReadDuringReplace()
        {
            VALUES.set(key, OLD);
        }

        @Actor
        public void writer()
        {
            VALUES.set(key, NEW);
        }

        @Actor
        public void reader(final I_Result r)
        {
            r.r1 = classify(VALUES.get(key));
        }

        @Arbiter
        public void arbiter(final I_Result r)
        {
            VALUES.remove(key);
        }
    }

    /** A reader during a remove. */
    @JCStressTest
    @Outcome(id = "1", expect = ACCEPTABLE, desc = "Read before the removal.")
    @Outcome(id = "0", expect = ACCEPTABLE, desc = "Read after.")
    @Outcome(expect = FORBIDDEN, desc = "A torn or foreign value.")
    @State
    public static class ReadDuringRemove
    {
        private final String key = nextKey();

        /** A state whose the key holds the old value (its key's previous state's block is freed and reused). */
        public ReadDuringRemove()
        {
            VALUES.set(key, OLD);
        }

        @Actor
        public void writer()
        {
            VALUES.remove(key);
        }

        @Actor
        public void reader(final I_Result r)
        {
            r.r1 = classify(VALUES.get(key));
        }

        @Arbiter
        public void arbiter(final I_Result r)
        {
            VALUES.remove(key);
        }
    }

    /** Two merges of one counter: both count. */
    @JCStressTest
    @Outcome(id = "2", expect = ACCEPTABLE, desc = "Both merges counted.")
    @Outcome(expect = FORBIDDEN, desc = "A lost update: merge was not atomic.")
    @State
    public static class Merges
    {
        private final String key = nextKey();

        /** A state whose the counter is 0 (its key's previous state's block is freed and reused). */
        public Merges()
        {
            COUNTS.set(key, 0L);
        }

        @Actor
        public void actor1()
        {
            COUNTS.merge(key, 1L, Long::sum);
        }

        @Actor
        public void actor2()
        {
            COUNTS.merge(key, 1L, Long::sum);
        }

        @Arbiter
        public void arbiter(final I_Result r)
        {
            r.r1 = (int)(long)COUNTS.remove(key);
        }
    }

    private static String nextKey()
    {
        // a key per state, removed by its arbiter: jcstress keeps an unknown number of states alive at once
        return "s" + NEXT.getAndIncrement();
    }

    private static int classify(final byte[] value)
    {
        if (value == null)
        {
            return 0;
        }
        if (Arrays.equals(value, OLD))
        {
            return 1;
        }
        return Arrays.equals(value, NEW) ? 2 : 3;
    }

    private static byte[] filled(final int length, final byte b)
    {
        final byte[] bytes = new byte[length];
        Arrays.fill(bytes, b);
        return bytes;
    }

    private static <V> SharedDict<String, V> dict(final String what, final dev.jipc.core.codec.Codec<V> codec)
    {
        final SharedDict<String, V> dict = SharedDict.create(
            "jcstress-dict-" + what + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime(),
            Codecs.strings(), codec);
        // the files go when this JVM ends; the mappings live as long as it does
        Runtime.getRuntime().addShutdownHook(new Thread(dict::unlink));
        return dict;
    }
}
