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
 * The lock-free read of a {@link dev.jipc.sync.collection.SharedDict} against a writer that replaces the same key:
 * the read returns the value before or after, whole, never a torn or missing one, also when the block it copies is
 * freed and reused by another key and then by this one. (Removals and merges are covered between JVMs by the
 * collection tests; two suites keep the default build's jcstress pass short.)
 * <p>
 * Run: {@code ./jipc stress -t SharedDictReadTest}.
 * <p>
 * r1: what the reader saw: 1 the old value, 2 (or 4, 5) a new one, 0 nothing, 3 a torn or foreign value.
 */
public final class SharedDictReadTest
{
    private static final byte[] OLD = filled(64, (byte)1);
    private static final byte[] NEW = filled(200, (byte)2);
    private static final byte[] SAME_SIZE_4 = filled(64, (byte)4);
    private static final byte[] SAME_SIZE_5 = filled(64, (byte)5);
    private static final SharedDict<String, byte[]> VALUES = dict("bytes", Codecs.bytes());
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

    /**
     * A reader while the block of the key's value is freed, reused by another key, freed again and reused by the key
     * itself (blocks of one size), so that the slot names the same block again: the read must not take the other
     * key's entry for a miss.
     */
    @JCStressTest
    @Outcome(id = {"1", "4", "5"}, expect = ACCEPTABLE, desc = "One of the key's values.")
    @Outcome(id = "0", expect = FORBIDDEN, desc = "A key present throughout was missed.")
    @Outcome(expect = FORBIDDEN, desc = "A torn or foreign value.")
    @State
    public static class ReadDuringReuse
    {
        private final String key = nextKey();
        private final String other = key + "x";

        /** A state whose key holds the old value. */
        public ReadDuringReuse()
        {
            VALUES.set(key, OLD);
        }

        @Actor
        public void writer()
        {
            VALUES.set(key, SAME_SIZE_4);
            VALUES.set(other, OLD);
            VALUES.remove(other);
            VALUES.set(key, SAME_SIZE_5);
        }

        @Actor
        public void reader(final I_Result r)
        {
            final byte[] value = VALUES.get(key);
            r.r1 = value == null ? 0 : Arrays.equals(value, OLD) ? 1 : Arrays.equals(value, SAME_SIZE_4) ? 4 :
                Arrays.equals(value, SAME_SIZE_5) ? 5 : 3;
        }

        @Arbiter
        public void arbiter(final I_Result r)
        {
            VALUES.remove(key);
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
