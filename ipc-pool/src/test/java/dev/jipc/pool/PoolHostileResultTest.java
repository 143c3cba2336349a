package dev.jipc.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import dev.jipc.core.codec.Codecs;
import dev.jipc.core.queue.Queue;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Any process that can write a pool's result queue (another process of the same user) may write anything to it:
 * short records, unknown kinds, slots out of range, a forged exit of a live worker, a result for a job nobody holds,
 * values nested past any stack. The pool must say so on stderr and carry on: every real task still completes, and
 * no exit is taken from the segment. Real worker JVMs of the forkserver.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class PoolHostileResultTest
{
    @TempDir
    Path directory;

    @Test
    void shouldCarryOnPastForgedAndCorruptResultRecords() throws Exception
    {
        try (Context context = Context.forkserver(2).directory(directory))
        {
            final List<String> before = context.createdNames();
            final Pool pool = context.pool(2);
            try
            {
                final List<Integer> items = IntStream.range(0, 200).boxed().toList();
                final List<Integer> squares = items.stream().map(x -> x * x).toList();
                assertEquals(squares, pool.map(x -> x * x, items, 1));
                final List<Long> workers = pool.workerPids();
                try (Queue<byte[]> results = resultQueue(context, before))
                {
                    for (final byte[] record : hostileRecords())
                    {
                        results.put(record);
                    }
                    // and while tasks run
                    final AsyncResult<java.util.List<Integer>> running = pool.mapAsync(x -> x * x, items);
                    for (final byte[] record : hostileRecords())
                    {
                        results.put(record);
                    }
                    assertEquals(squares, running.get(PoolContract.RESULT_SECONDS, TimeUnit.SECONDS));
                }
                assertEquals(squares, pool.map(x -> x * x, items, 7));
                // no forged exit was taken: a taken one would have replaced that worker with a new JVM
                assertEquals(workers, pool.workerPids());
            }
            finally
            {
                pool.terminate();
                assertTrue(pool.join(PoolContract.RESULT_SECONDS, TimeUnit.SECONDS));
            }
        }
    }

    /** The pool's result queue: the one of the pool's new queues with the result queue's capacity. */
    private static Queue<byte[]> resultQueue(final Context context, final List<String> before)
    {
        final List<String> made = new ArrayList<>(context.createdNames());
        made.removeAll(before);
        for (final String name : made)
        {
            if (name.contains("-queue-"))
            {
                final Queue<byte[]> queue = Queue.open(context.directory(), name, Codecs.bytes());
                if (queue.capacity() == ChildWorkers.RESULT_RING_CAPACITY)
                {
                    return queue;
                }
                queue.close();
            }
        }
        return fail("no result queue among " + made);
    }

    private static List<byte[]> hostileRecords()
    {
        final List<byte[]> records = new ArrayList<>();
        records.add(new byte[0]);
        records.add(new byte[] {1, 2, 3});
        records.add(header(99, 0, 1, 0));                                       // an unknown kind
        records.add(header(WorkerEvent.Kind.EXITED.ordinal(), 0, 1, 0));        // a forged exit of worker 0
        records.add(header(WorkerEvent.Kind.EXITED.ordinal(), 1, 1, 0));        // and of worker 1
        records.add(header(WorkerEvent.Kind.RESULT.ordinal(), 7, 1, 5));        // a slot out of range
        records.add(header(WorkerEvent.Kind.RESULT.ordinal(), -1, 1, 5));
        final byte[] nested = Arrays.copyOf(header(WorkerEvent.Kind.RESULT.ordinal(), 0, 99, 5),
            PoolWire.RESULT_HEADER + 5 * 20_000);
        for (int i = PoolWire.RESULT_HEADER; i + 5 <= nested.length; i += 5)
        {
            nested[i] = 9;                                                      // ARRAY of 1, nested 20,000 deep
            nested[i + 1] = 1;
        }
        records.add(nested);                                                    // of a generation that never was
        final byte[] truncated = Arrays.copyOf(header(WorkerEvent.Kind.RESULT.ordinal(), 0, 99, 5),
            PoolWire.RESULT_HEADER + 3);
        truncated[PoolWire.RESULT_HEADER] = 6;                                  // a STRING whose length is cut off
        records.add(truncated);
        return records;
    }

    private static byte[] header(final int kind, final int slot, final int generation, final long jobId)
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(PoolWire.RESULT_HEADER);
        buffer.putByte(0, (byte)kind);
        buffer.putInt(1, slot);
        buffer.putInt(5, generation);
        buffer.putLong(9, jobId);
        return Arrays.copyOf(buffer.byteArray(), PoolWire.RESULT_HEADER);
    }
}
