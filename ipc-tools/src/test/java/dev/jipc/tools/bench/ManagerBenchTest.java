package dev.jipc.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import dev.jipc.tools.bench.ManagerBenchChild.LongValues;
import dev.jipc.tools.bench.ManagerBenchChild.Op;
import org.junit.jupiter.api.Test;

/**
 * {@code bench manager} runs end to end with tiny sizes and prints a row with a positive rate for every map, operation
 * and process count; and its check of a map after a round rejects lost merges and values no worker wrote.
 */
class ManagerBenchTest
{
    @Test
    void shouldMeasureEveryRowWithAPositiveRate() throws Exception
    {
        final ManagerBench bench = new ManagerBench();
        bench.rounds.rounds = 1;
        bench.keys = 1000;
        bench.kbKeys = 200;
        bench.size = 64;
        bench.seconds = 0.05;
        bench.warmupSeconds = 0.05;
        bench.pythonSeconds = 0.05;
        final String out = BenchOutput.of(bench);
        final boolean python = Python.find().isPresent();
        for (final String table : List.of("small keys (\"k\" + i, 1,000 keys), Long values",
            "byte[64] values, 200 keys"))
        {
            assertTrue(out.contains("| " + table + " | processes | M ops/s |"), "table " + table + ":\n" + out);
        }
        for (final String call : List.of("set(k, v)", "put(k, v)", "get(k)", "merge(k, 1L, Long::sum)"))
        {
            // merges are measured in the small table only
            final int tables = call.startsWith("merge") ? 1 : 2;
            for (final String detail : List.of("1 JVM", "2 JVMs"))
            {
                assertPositive(out, "jipc SharedDict." + call, detail, tables);
            }
            if (!call.startsWith("set"))
            {
                // the ceiling of set and put is one row, ConcurrentHashMap.put
                for (final String detail : List.of("1 thread", "2 threads"))
                {
                    assertPositive(out, "ConcurrentHashMap." + call + " (ceiling)", detail, tables);
                }
            }
        }
        if (python)
        {
            for (final String call : List.of("d[k] = v", "d[k]"))
            {
                assertPositive(out, "Python Manager().dict() " + call, "1 process", 2);
                assertPositive(out, "Python Manager().dict() " + call, "2 processes", 2);
            }
            for (final String processes : List.of("1 process", "2 processes"))
            {
                assertPositive(out, "Python Manager().dict() with lock: d[k] = d.get(k, 0) + 1 (no atomic merge)",
                    processes, 1);
            }
            // jipc's rows are compared with Python's of the same processes, the ceiling's with jipc's
            assertTrue(out.matches("(?s).*\\| jipc SharedDict\\.set\\(k, v\\) \\| 2 JVMs \\|[^\\n]*\\| [0-9.]+x " +
                "Python 2 processes \\|.*"), out);
        }
        else
        {
            assertTrue(out.contains("no python3"), out);
        }
        assertTrue(out.matches("(?s).*\\| ConcurrentHashMap\\.get\\(k\\) \\(ceiling\\) \\| 2 threads \\|[^\\n]*\\| " +
            "[0-9.]+x jipc 2 JVMs \\|.*"), out);
        assertTrue(out.contains("targets of issue 14"), out);
    }

    @Test
    void shouldRejectAMapWhoseMergesDoNotAddUp()
    {
        final ConcurrentMap<String, Long> map = new ConcurrentHashMap<>();
        final String[] keys = ManagerBenchChild.keys(10);
        for (final String key : keys)
        {
            map.put(key, 3L);
        }
        ManagerBench.check("merge", map, new LongValues(), Op.MERGE, keys, new long[]{20, 10});
        map.put(keys[4], 2L);
        final IllegalStateException lost = assertThrows(IllegalStateException.class,
            () -> ManagerBench.check("merge", map, new LongValues(), Op.MERGE, keys, new long[]{20, 10}));
        assertTrue(lost.getMessage().contains("add up to 29"), lost.getMessage());
        map.remove(keys[9]);
        assertThrows(IllegalStateException.class,
            () -> ManagerBench.check("merge", map, new LongValues(), Op.MERGE, keys, new long[]{20, 10}));
    }

    @Test
    void shouldRejectAValueThatNoWorkerWroteThere()
    {
        final LongValues values = new LongValues();
        final ConcurrentMap<String, Long> map = new ConcurrentHashMap<>();
        final String[] keys = ManagerBenchChild.keys(10);
        // worker 0 of 2 starts at key 0 and made 3 sets, worker 1 starts at key 5 and made 12 (so reached every key):
        // keys 0-2 hold worker 0's value or worker 1's, the others worker 1's
        for (int i = 0; i < keys.length; i++)
        {
            map.put(keys[i], values.value(i, i < 2 ? 2 : 3));
        }
        final long[] totals = {3, 12};
        ManagerBench.check("set", map, values, Op.SET, keys, totals);
        map.put(keys[4], values.value(4, 2));
        assertThrows(IllegalStateException.class, () -> ManagerBench.check("set", map, values, Op.SET, keys, totals));
        map.put(keys[4], values.value(5, 3));
        assertThrows(IllegalStateException.class, () -> ManagerBench.check("set", map, values, Op.SET, keys, totals));
        map.put(keys[4], values.value(4, 3));
        ManagerBench.check("set", map, values, Op.SET, keys, totals);
        // worker 0 reached keys 0-2 and worker 1 keys 5-8 only: keys 3, 4 and 9 still hold their filling
        final long[] partial = {3, 4};
        for (int i = 0; i < keys.length; i++)
        {
            map.put(keys[i], values.value(i, i < 3 ? 2 : i >= 5 && i <= 8 ? 3 : 0));
        }
        ManagerBench.check("set", map, values, Op.SET, keys, partial);
        map.put(keys[9], values.value(9, 3));
        assertThrows(IllegalStateException.class, () -> ManagerBench.check("set", map, values, Op.SET, keys, partial));
    }

    private static void assertPositive(final String out, final String label, final String detail, final int count)
    {
        final String prefix = "| " + label + " | " + detail + " | ";
        final List<String> lines = out.lines().filter(line -> line.startsWith(prefix)).toList();
        assertEquals(count, lines.size(), "rows " + prefix + ":\n" + out);
        for (final String line : lines)
        {
            final double rate = Double.parseDouble(line.substring(prefix.length(), line.indexOf(" |",
                prefix.length())));
            assertTrue(rate > 0, "rate of " + line + ":\n" + out);
        }
    }
}
