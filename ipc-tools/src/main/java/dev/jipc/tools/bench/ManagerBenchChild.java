package dev.jipc.tools.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiFunction;

import dev.jipc.core.SharedMemory;
import dev.jipc.core.codec.Codec;
import dev.jipc.core.codec.Codecs;
import dev.jipc.sync.collection.SharedDict;
import org.agrona.concurrent.AtomicBuffer;

/**
 * The workers of {@code jipc bench manager}: each runs one operation on one map, in a child JVM of its own (a
 * {@link SharedDict}) or as a thread of the bench's JVM (the {@code ConcurrentHashMap} ceiling), the same code either
 * way. As a child JVM: {@code <control> <directory> <dict> <op> <value size, 0 for Long> <keys> <worker> <workers>
 * <warm-up ns> <measured ns>}; it exits 0 when done, 2 when the start signal never came.
 * <p>
 * A worker cycles through the keys {@code "k" + i} from {@code worker * keys / workers} on (so that two workers
 * start half the key space apart, not on the same entry), first for the warm-up (untimed, so that the measured loop
 * runs compiled), then adds one to READY and waits for START, then runs the measured loop for its duration, and
 * writes into its own slot its start and end ({@code System.nanoTime()}, the host's monotonic clock), the operations
 * it timed, all the operations it made (warm-up included: the bench checks the map against them) and the checks
 * that failed (a {@code get} that did not return the value its key holds, a {@code put} that found no old value).
 * <pre>
 *   0        64       128                                    192                   128 + 64 * MAX_WORKERS
 *   +--------+--------+--------------------------------------+--- ... ---+
 *   | READY  | START  | slot 0: STARTED_AT ENDED_AT TIMED    |  slot 1   |
 *   |        |        |         TOTAL ERRORS                 |           |
 *   +--------+--------+--------------------------------------+--- ... ---+
 *   (READY and START on cache lines of their own; a slot, 5 longs, is written by its worker only, once at its end)
 * </pre>
 * The values a worker writes and expects are {@link Values#of tagged}: tag 0 is what the bench fills the map with,
 * tag 1 what it rewrites every key to between the warm-up and the start of a {@code get} row (so that the measured
 * gets must see the other process's write), and tag {@code 2 + worker} what worker writes with {@code put} or
 * {@code set}.
 */
public final class ManagerBenchChild
{
    /** The most workers (processes or threads) a row may have. */
    static final int MAX_WORKERS = 4;
    /** Bytes of the control block. */
    static final int CONTROL_LENGTH = 128 + 64 * MAX_WORKERS;
    static final int READY = 0;
    static final int START = 64;
    static final int STARTED_AT = 0;
    static final int ENDED_AT = 8;
    static final int TIMED = 16;
    static final int TOTAL = 24;
    static final int ERRORS = 32;
    /** The tag of the values the map is filled with. */
    static final int FILLED = 0;
    /** The tag every key is rewritten to before a {@code get} row starts. */
    static final int REWRITTEN = 1;

    private static final int CHUNK = 256;
    private static final long START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(120);
    private static final long WAIT_NANOS = 100_000;
    private static final Long ONE = 1L;
    private static final BiFunction<Long, Long, Long> SUM = Long::sum;

    /** What a row does to each key. */
    enum Op
    {
        /** {@code map.put(k, v)}, which returns the old value. */
        PUT,
        /** {@code SharedDict.set(k, v)} (Python's {@code d[k] = v}), {@code put} for a {@code ConcurrentHashMap}. */
        SET,
        /** {@code map.get(k)}. */
        GET,
        /** {@code map.merge(k, 1L, Long::sum)}. */
        MERGE
    }

    private ManagerBenchChild()
    {
    }

    /**
     * @param args as above.
     * @throws Exception on failure, which exits the child with status 1.
     */
    public static void main(final String[] args) throws Exception
    {
        final String control = args[0];
        final Path directory = Path.of(args[1]);
        final String dictName = args[2];
        final Op op = Op.valueOf(args[3]);
        final int valueSize = Integer.parseInt(args[4]);
        final int keys = Integer.parseInt(args[5]);
        final int worker = Integer.parseInt(args[6]);
        final int workers = Integer.parseInt(args[7]);
        final long warmUpNanos = Long.parseLong(args[8]);
        final long measuredNanos = Long.parseLong(args[9]);
        final Values<?> values = Values.of(valueSize);
        try (SharedMemory block = SharedMemory.open(control))
        {
            if (!run(block.buffer(), directory, dictName, values, op, keys, worker, workers, warmUpNanos,
                measuredNanos))
            {
                System.err.println("worker " + worker + ": the start signal never came");
                System.exit(2);
            }
        }
    }

    private static <V> boolean run(final AtomicBuffer control, final Path directory, final String dictName,
        final Values<V> values, final Op op, final int keys, final int worker, final int workers,
        final long warmUpNanos, final long measuredNanos) throws InterruptedException
    {
        try (SharedDict<String, V> dict = SharedDict.open(directory, dictName, Codecs.strings(), values.codec()))
        {
            return work(control, dict, values, op, keys(keys), worker, workers, warmUpNanos, measuredNanos);
        }
    }

    /**
     * The keys of a row: {@code "k" + i}.
     *
     * @param count how many.
     * @return them, made once, so that building strings is not measured.
     */
    static String[] keys(final int count)
    {
        final String[] keys = new String[count];
        for (int i = 0; i < count; i++)
        {
            keys[i] = "k" + i;
        }
        return keys;
    }

    /**
     * The first key a worker uses: the workers start spread evenly over the key space.
     *
     * @param worker  the worker.
     * @param workers how many there are.
     * @param keys    the key space.
     * @return its first key's index.
     */
    static int firstKey(final int worker, final int workers, final int keys)
    {
        return (int)((long)worker * keys / workers);
    }

    /**
     * A slot's offset in the control block.
     *
     * @param worker the worker.
     * @return the offset of its slot.
     */
    static int slot(final int worker)
    {
        return 128 + 64 * worker;
    }

    /**
     * One worker: warm-up, READY, wait for START, the measured loop, its slot.
     *
     * @param control       the control block.
     * @param map           the map under test.
     * @param values        what its values are.
     * @param op            the operation.
     * @param keys          the keys.
     * @param worker        this worker's index.
     * @param workers       how many workers the row has.
     * @param warmUpNanos   the untimed warm-up.
     * @param measuredNanos the measured loop's duration.
     * @param <V>           the value type.
     * @return false if START did not come within two minutes.
     * @throws InterruptedException if interrupted while waiting for START.
     */
    static <V> boolean work(final AtomicBuffer control, final ConcurrentMap<String, V> map, final Values<V> values,
        final Op op, final String[] keys, final int worker, final int workers, final long warmUpNanos,
        final long measuredNanos) throws InterruptedException
    {
        final V[] writes = op == Op.PUT || op == Op.SET ? values.all(keys.length, 2 + worker) : null;
        final long[] cursor = {firstKey(worker, workers, keys.length), 0, 0};
        loop(map, values, op, keys, writes, FILLED, System.nanoTime() + warmUpNanos, cursor);
        control.getAndAddInt(READY, 1);
        final long deadline = System.nanoTime() + START_TIMEOUT_NANOS;
        while (control.getIntVolatile(START) == 0)
        {
            if (System.nanoTime() - deadline > 0)
            {
                return false;
            }
            if (Thread.interrupted())
            {
                throw new InterruptedException("waiting for the start signal");
            }
            LockSupport.parkNanos(WAIT_NANOS);
        }
        final long warmUpOps = cursor[1];
        final long startedAt = System.nanoTime();
        loop(map, values, op, keys, writes, REWRITTEN, startedAt + measuredNanos, cursor);
        final long endedAt = System.nanoTime();
        final int slot = slot(worker);
        control.putLong(slot + STARTED_AT, startedAt);
        control.putLong(slot + ENDED_AT, endedAt);
        control.putLong(slot + TIMED, cursor[1] - warmUpOps);
        control.putLong(slot + TOTAL, cursor[1]);
        control.putLongVolatile(slot + ERRORS, cursor[2]);
        return true;
    }

    /** Runs one operation until the deadline; cursor holds the next key, the operations made and the failed checks. */
    @SuppressWarnings("unchecked")
    private static <V> void loop(final ConcurrentMap<String, V> map, final Values<V> values, final Op op,
        final String[] keys, final V[] writes, final int tag, final long deadline, final long[] cursor)
    {
        switch (op)
        {
            case PUT -> put(map, keys, writes, deadline, cursor);
            case SET ->
            {
                if (map instanceof SharedDict<String, V> dict)
                {
                    set(dict, keys, writes, deadline, cursor);
                }
                else
                {
                    set(map, keys, writes, deadline, cursor);
                }
            }
            case GET -> get(map, values, keys, tag, deadline, cursor);
            case MERGE -> merge((ConcurrentMap<String, Long>)map, keys, deadline, cursor);
            default -> throw new IllegalArgumentException("unknown op: op=" + op);
        }
    }

    private static <V> void put(final ConcurrentMap<String, V> map, final String[] keys, final V[] writes,
        final long deadline, final long[] cursor)
    {
        final int n = keys.length;
        int i = (int)cursor[0];
        long ops = cursor[1];
        long errors = cursor[2];
        do
        {
            for (int j = 0; j < CHUNK; j++)
            {
                if (map.put(keys[i], writes[i]) == null)
                {
                    errors++;
                }
                if (++i == n)
                {
                    i = 0;
                }
            }
            ops += CHUNK;
        }
        while (System.nanoTime() - deadline < 0);
        cursor[0] = i;
        cursor[1] = ops;
        cursor[2] = errors;
    }

    private static <V> void set(final SharedDict<String, V> dict, final String[] keys, final V[] writes,
        final long deadline, final long[] cursor)
    {
        final int n = keys.length;
        int i = (int)cursor[0];
        long ops = cursor[1];
        do
        {
            for (int j = 0; j < CHUNK; j++)
            {
                dict.set(keys[i], writes[i]);
                if (++i == n)
                {
                    i = 0;
                }
            }
            ops += CHUNK;
        }
        while (System.nanoTime() - deadline < 0);
        cursor[0] = i;
        cursor[1] = ops;
    }

    /** A {@code ConcurrentHashMap}'s {@code d[k] = v}: a put whose old value is dropped. */
    private static <V> void set(final ConcurrentMap<String, V> map, final String[] keys, final V[] writes,
        final long deadline, final long[] cursor)
    {
        final int n = keys.length;
        int i = (int)cursor[0];
        long ops = cursor[1];
        do
        {
            for (int j = 0; j < CHUNK; j++)
            {
                map.put(keys[i], writes[i]);
                if (++i == n)
                {
                    i = 0;
                }
            }
            ops += CHUNK;
        }
        while (System.nanoTime() - deadline < 0);
        cursor[0] = i;
        cursor[1] = ops;
    }

    private static <V> void get(final ConcurrentMap<String, V> map, final Values<V> values, final String[] keys,
        final int tag, final long deadline, final long[] cursor)
    {
        final int n = keys.length;
        int i = (int)cursor[0];
        long ops = cursor[1];
        long errors = cursor[2];
        do
        {
            for (int j = 0; j < CHUNK; j++)
            {
                if (!values.matches(map.get(keys[i]), i, tag))
                {
                    errors++;
                }
                if (++i == n)
                {
                    i = 0;
                }
            }
            ops += CHUNK;
        }
        while (System.nanoTime() - deadline < 0);
        cursor[0] = i;
        cursor[1] = ops;
        cursor[2] = errors;
    }

    private static void merge(final ConcurrentMap<String, Long> map, final String[] keys, final long deadline,
        final long[] cursor)
    {
        final int n = keys.length;
        int i = (int)cursor[0];
        long ops = cursor[1];
        do
        {
            for (int j = 0; j < CHUNK; j++)
            {
                map.merge(keys[i], ONE, SUM);
                if (++i == n)
                {
                    i = 0;
                }
            }
            ops += CHUNK;
        }
        while (System.nanoTime() - deadline < 0);
        cursor[0] = i;
        cursor[1] = ops;
    }

    /**
     * The values of a row, {@code Long} or {@code byte[]}, each made from its key's index and a tag, so that a value
     * read back says which key and which writer it came from and whether it is whole.
     *
     * @param <V> the value type.
     */
    abstract static class Values<V>
    {
        /**
         * @param size 0 for {@code Long} values, else the length of {@code byte[]} values (3 or more).
         * @return the values of that kind.
         */
        static Values<?> of(final int size)
        {
            return size == 0 ? new LongValues() : new ByteValues(size);
        }

        /** @return the codec of the map's values. */
        abstract Codec<V> codec();

        /** @return 0 for {@code Long} values, else the length of each {@code byte[]}. */
        abstract int size();

        /**
         * @param key the key's index.
         * @param tag the tag.
         * @return the value.
         */
        abstract V value(int key, int tag);

        /**
         * The hot check of a {@code get}: cheap, so that it does not dominate what it checks.
         *
         * @param value what the map returned.
         * @param key   the key's index.
         * @param tag   the tag expected.
         * @return whether it is that value.
         */
        abstract boolean matches(V value, int key, int tag);

        /**
         * The full check, after a row: the tag of a value that is whole and of its key.
         *
         * @param value what the map holds.
         * @param key   the key's index.
         * @return its tag, or -1 if it is missing, torn or another key's.
         */
        abstract int tagOf(V value, int key);

        /**
         * @param count the keys.
         * @param tag   the tag.
         * @return the value of every key with that tag, made before the measured loop.
         */
        abstract V[] all(int count, int tag);
    }

    /** {@code Long} values: {@code key * 8 + tag}. */
    static final class LongValues extends Values<Long>
    {
        @Override
        Codec<Long> codec()
        {
            return Codecs.longs();
        }

        @Override
        int size()
        {
            return 0;
        }

        @Override
        Long value(final int key, final int tag)
        {
            return key * 8L + tag;
        }

        @Override
        boolean matches(final Long value, final int key, final int tag)
        {
            return value != null && value == key * 8L + tag;
        }

        @Override
        int tagOf(final Long value, final int key)
        {
            return value == null || value >> 3 != key ? -1 : (int)(value & 7);
        }

        @Override
        Long[] all(final int count, final int tag)
        {
            final Long[] values = new Long[count];
            for (int i = 0; i < count; i++)
            {
                values[i] = value(i, tag);
            }
            return values;
        }
    }

    /** {@code byte[]} values: the key's index (mod 65,536) in the first two bytes, the tag in every other byte. */
    static final class ByteValues extends Values<byte[]>
    {
        private final int size;

        ByteValues(final int size)
        {
            if (size < 3)
            {
                throw new IllegalArgumentException("byte[] values need 3 bytes or more: size=" + size);
            }
            this.size = size;
        }

        @Override
        Codec<byte[]> codec()
        {
            return Codecs.bytes();
        }

        @Override
        int size()
        {
            return size;
        }

        @Override
        byte[] value(final int key, final int tag)
        {
            final byte[] value = new byte[size];
            Arrays.fill(value, (byte)tag);
            value[0] = (byte)key;
            value[1] = (byte)(key >>> 8);
            return value;
        }

        @Override
        boolean matches(final byte[] value, final int key, final int tag)
        {
            return value != null && value.length == size && value[0] == (byte)key &&
                value[1] == (byte)(key >>> 8) && value[size - 1] == (byte)tag;
        }

        @Override
        int tagOf(final byte[] value, final int key)
        {
            if (value == null || value.length != size || value[0] != (byte)key || value[1] != (byte)(key >>> 8))
            {
                return -1;
            }
            final byte tag = value[2];
            for (int i = 3; i < size; i++)
            {
                if (value[i] != tag)
                {
                    return -1;
                }
            }
            return tag;
        }

        @Override
        byte[][] all(final int count, final int tag)
        {
            final byte[][] values = new byte[count][];
            for (int i = 0; i < count; i++)
            {
                values[i] = value(i, tag);
            }
            return values;
        }
    }
}
