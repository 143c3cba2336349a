package dev.jipc.tools.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code bench queue} and {@code bench pipe} run end to end with tiny counts and print a row for every channel. */
class ChannelBenchTest
{
    @Test
    void shouldMeasureEveryQueueRow() throws Exception
    {
        final QueueBench bench = new QueueBench();
        bench.longMessages = 200_000;
        bench.messages = 50_000;
        bench.pythonMessages = 2_000;
        bench.sizes.roundTrips = 1_000;
        bench.sizes.warmup = 200;
        bench.rounds.rounds = 1;
        final String out = BenchOutput.of(bench);
        for (final String row : new String[]{"jipc LongQueue (8-byte longs) | 1 -> 1 | ",
            "jipc LongQueue (8-byte longs) | 2 -> 2 | ", "jipc LongQueue, Producers.ONE (8-byte longs) | 1 -> 1 | ",
            "jipc LongQueue, Producers.ONE, two threads of one JVM | 1 -> 1 | ", "bare Agrona ManyToOneRingBuffer",
            "jipc Queue<byte[]> (64 B) | 1 -> 1 | ", "jipc Queue<byte[]> (64 B) | 2 -> 2 | ",
            "jipc Queue<byte[]> (64 B), drain(handler) in place | 1 -> 1 | ",
            "jipc Queue<byte[]> (64 B), drain(handler) in place | 2 -> 2 | ",
            "jipc Queue<byte[]> (64 B), Producers.ONE | 1 -> 1 | ",
            "jipc Queue<byte[]> (64 B), Producers.ONE, drain(handler) in place | 1 -> 1 | ",
            "raw ring of 64-byte records (a sequence each, one producer, spinning: the floor) | 1 -> 1 | ",
            "Java Unix-domain socket",
            "jipc LongQueue, BUSY_SPIN | ", "jipc LongQueue, SPIN_THEN_PARK | ", "jipc LongQueue, PARK | ",
            "jipc Queue<byte[]> (64 B), BUSY_SPIN | ", "jipc Queue<byte[]> (64 B), SPIN_THEN_PARK | ",
            "jipc Queue<byte[]> (64 B), PARK | "})
        {
            assertTrue(out.contains("| " + row), "missing row " + row + ":\n" + out);
        }
        // LongQueue is compared with the bare ring of the same round: 1 round, so the ratio is of that round
        assertTrue(out.matches("(?s).*\\| jipc LongQueue \\(8-byte longs\\) \\| 1 -> 1 \\|[^\\n]*\\| " +
            "[0-9.]+x bare ring \\| 1 × 200,000 \\|.*"), out);
        assertTrue(out.contains("| 1 × 1,000 |"), out);
        assertTrue(out.contains("Python multiprocessing.Queue") || out.contains("no python3"), out);
    }

    @Test
    void shouldMeasureEveryPipeRow() throws Exception
    {
        final PipeBench bench = new PipeBench();
        bench.rounds.rounds = 2;
        bench.sizes.roundTrips = 2_000;
        bench.sizes.warmup = 500;
        bench.pythonRoundTrips = 500;
        final String out = BenchOutput.of(bench);
        for (final String row : new String[]{"jipc Pipe, BUSY_SPIN", "jipc Pipe, SPIN_THEN_PARK", "jipc Pipe, PARK",
            "Java Unix-domain socket (blocking)"})
        {
            assertTrue(out.contains("| " + row + " |"), "missing row " + row + ":\n" + out);
        }
        assertTrue(out.contains("2 rounds, rows interleaved"), out);
        assertTrue(out.contains("| 2 × 2,000 |"), out);
        assertTrue(out.contains("Python multiprocessing.Pipe") || out.contains("no python3"), out);
        assertTrue(out.contains("| C, fork + FUTEX_WAIT/WAKE") || out.contains("no gcc"), out);
    }
}
