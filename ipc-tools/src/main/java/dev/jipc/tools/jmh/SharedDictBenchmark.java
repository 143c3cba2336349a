package dev.jipc.tools.jmh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

import dev.jipc.core.codec.Codecs;
import dev.jipc.sync.collection.SharedDict;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * In-process cost of one {@link SharedDict} operation, one thread, nobody else about, small keys ({@code "k" + i},
 * cycled through in order) and {@code Long} values, beside the same operation on a {@code ConcurrentHashMap}: what
 * {@code jipc bench manager} measures across processes, without the processes. Every key is in the map before the
 * first call, so {@code put} and {@code set} overwrite and {@code get} finds.
 * <p>
 * Run: {@code ./jipc jmh SharedDictBenchmark -prof gc}: {@code gc.alloc.rate.norm} is the bytes each call
 * allocates. A {@code get} must allocate the {@code Long} it returns (24 bytes), as any {@code Map<String, Long>}
 * whose values are past the {@code Long} cache does; {@code set} need allocate nothing; {@code put} and {@code merge}
 * also decode the old value, and (as SharedDict has them now) allocate the function they pass to the locked update
 * and the record of its outcome.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SharedDictBenchmark
{
    private static final Long ONE = 1L;
    private static final BiFunction<Long, Long, Long> SUM = Long::sum;

    /** Keys in the map, cycled through. */
    @Param("10000")
    public int keys;

    private Path directory;
    private SharedDict<String, Long> dict;
    private ConcurrentHashMap<String, Long> map;
    private String[] names;
    private Long[] values;
    private int next;

    @Setup
    public void setUp() throws Exception
    {
        directory = Files.createTempDirectory(Path.of("/dev/shm"), "jipc-jmh-");
        dict = SharedDict.create(directory, "dict", Codecs.strings(), Codecs.longs());
        map = new ConcurrentHashMap<>();
        names = new String[keys];
        values = new Long[keys];
        for (int i = 0; i < keys; i++)
        {
            names[i] = "k" + i;
            values[i] = 1000L + i;
            dict.set(names[i], values[i]);
            map.put(names[i], values[i]);
        }
    }

    @TearDown
    public void tearDown() throws Exception
    {
        dict.unlink();
        dict.close();
        try (var files = Files.list(directory))
        {
            for (final Path file : files.toList())
            {
                Files.deleteIfExists(file);
            }
        }
        Files.deleteIfExists(directory);
    }

    private int nextKey()
    {
        final int i = next;
        next = i + 1 == keys ? 0 : i + 1;
        return i;
    }

    /** {@link SharedDict#get}: decodes the value into a {@code Long}. */
    @Benchmark
    public Long dictGet()
    {
        return dict.get(names[nextKey()]);
    }

    /** {@link SharedDict#set}: Python's {@code d[k] = v}, the old value left undecoded. */
    @Benchmark
    public void dictSet()
    {
        final int i = nextKey();
        dict.set(names[i], values[i]);
    }

    /** {@link SharedDict#put}: returns the old value, decoded. */
    @Benchmark
    public Long dictPut()
    {
        final int i = nextKey();
        return dict.put(names[i], values[i]);
    }

    /** {@link SharedDict#merge}: {@code merge(k, 1L, Long::sum)}, a counter. */
    @Benchmark
    public Long dictMerge()
    {
        return dict.merge(names[nextKey()], ONE, SUM);
    }

    /** {@link ConcurrentHashMap#get}, the ceiling of {@link #dictGet}. */
    @Benchmark
    public Long mapGet()
    {
        return map.get(names[nextKey()]);
    }

    /** {@link ConcurrentHashMap#put}, the ceiling of {@link #dictSet} and {@link #dictPut}. */
    @Benchmark
    public Long mapPut()
    {
        final int i = nextKey();
        return map.put(names[i], values[i]);
    }

    /** {@link ConcurrentHashMap#merge}, the ceiling of {@link #dictMerge}. */
    @Benchmark
    public Long mapMerge()
    {
        return map.merge(names[nextKey()], ONE, SUM);
    }
}
