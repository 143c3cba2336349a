package dev.jipc.pool;

import java.io.IOException;
import java.io.Serial;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleUnaryOperator;
import java.util.function.LongUnaryOperator;

import dev.jipc.core.queue.Queue;
import dev.jipc.sync.LongArray;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;


/**
 * What a pool's worker JVM runs: its initializer once, then the jobs of its task ring until it reads STOP (the
 * messages are in {@link PoolWire}). Before each job it writes the job's id to its started slot, so that the pool
 * can tell, if this JVM dies, whether the job ran. A job's exception is its result; only an {@link Error} of the
 * JVM itself (out of memory, say) ends the worker, which the pool sees as the worker's death.
 *
 * @param tasks       the worker's own task ring.
 * @param results     the pool's result queue.
 * @param started     the pool's started slots.
 * @param cancels     the pool's cancel words, {@code prefetch} per worker: ids of jobs not to run.
 * @param prefetch    how many jobs a worker holds at once.
 * @param slot        this worker's place in the pool.
 * @param generation  this worker's generation in that place.
 * @param initializer the serialised initializer, or null.
 */
record ChildWorkerLoop(Queue<byte[]> tasks, Queue<byte[]> results, LongArray started, LongArray cancels,
    int prefetch, int slot, int generation, byte[] initializer) implements SerializableRunnable
{
    @Serial
    private static final long serialVersionUID = 1L;
    private static final Job.Kind[] KINDS = Job.Kind.values();

    @Override
    public void run()
    {
        final ExpandableArrayBuffer out = new ExpandableArrayBuffer(256);
        if (initializer != null)
        {
            try
            {
                ((SerializableRunnable)TaskCodec.decode(initializer)).run();
            }
            catch (final Exception | StackOverflowError | AssertionError ex)
            {
                send(out, WorkerEvent.Kind.INIT_FAILED, 0, ex);
                return;
            }
        }
        send(out, PoolWire.writeResultHeader(out, WorkerEvent.Kind.READY, slot, generation, 0));
        final Map<Integer, Object> functions = new HashMap<>();
        final WorkerArrays arrays = new WorkerArrays();
        final UnsafeBuffer in = new UnsafeBuffer(new byte[0]);
        final int[] cursor = new int[2];
        final BooleanSupplier taskThere = () -> !tasks.isEmpty();
        long lastTask = System.nanoTime();
        try
        {
            while (true)
            {
                Linger.awaitWithin(taskThere, lastTask);
                final byte[] message = tasks.take();
                in.wrap(message);
                cursor[0] = 1;
                cursor[1] = message.length;
                if (message.length == 0 || message[0] == PoolWire.STOP)
                {
                    return;
                }
                if (message[0] == PoolWire.DEFINE)
                {
                    final int fnId = in.getInt(PoolValues.take(cursor, 4));
                    functions.put(fnId, define(Arrays.copyOfRange(message, 5, message.length)));
                    continue;
                }
                runJob(message, in, cursor, functions, arrays, out);
                lastTask = System.nanoTime();
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        catch (final IOException | ClassNotFoundException ex)
        {
            throw new IllegalStateException("worker " + Processes.currentProcess().name() + " cannot read a " +
                "message of its task ring " + tasks.name() + ": " + ex, ex);
        }
        finally
        {
            arrays.close();
        }
    }

    private void runJob(final byte[] message, final UnsafeBuffer in, final int[] cursor,
        final Map<Integer, Object> functions, final WorkerArrays arrays, final ExpandableArrayBuffer out)
        throws IOException, ClassNotFoundException, InterruptedException
    {
        final byte kindByte = in.getByte(PoolValues.take(cursor, 1));
        if (kindByte < 0 || kindByte >= KINDS.length)
        {
            throw new IOException("not a job kind: " + kindByte);
        }
        final Job.Kind kind = KINDS[kindByte];
        final long jobId = in.getLong(PoolValues.take(cursor, 8));
        // a cancel's interrupt, or the previous task's own, is not this task's
        Thread.interrupted();
        // started, then the cancel words; the pool writes a cancel word, then reads started: one of the two sees
        // the other, so a job cancelled before it started never runs, and one that started is the pool's to kill
        started.setRaw(slot, jobId);
        if (isCancelled(jobId))
        {
            send(out, WorkerEvent.Kind.FAILED, jobId, new CancellationException("job " + jobId + " was cancelled"));
            return;
        }
        final int fnId = in.getInt(PoolValues.take(cursor, 4));
        try
        {
            final Object fn;
            if (fnId >= 0)
            {
                fn = functions.get(fnId);
                if (fn instanceof UndefinedFunction undefined)
                {
                    throw undefined.why();
                }
                if (fn == null)
                {
                    throw new IOException("job " + jobId + " names function " + fnId + ", which was never defined");
                }
            }
            else
            {
                final int length = in.getInt(PoolValues.take(cursor, 4));
                final int at = PoolValues.take(cursor, length);
                fn = TaskCodec.decode(Arrays.copyOfRange(message, at, at + length));
            }
            final Object value = switch (kind)
            {
                case CALL, CHUNK -> JobRunner.run(kind, fn, PoolValues.read(in, cursor));
                case RUN -> JobRunner.run(kind, fn, null);
                case LONG_RANGE, DOUBLE_RANGE -> runRange(kind, fn, in, cursor, arrays);
            };
            try
            {
                sendResult(out, jobId, value, value instanceof Object[] && kind == Job.Kind.CHUNK);
            }
            catch (final TaskNotSerializableException ex)
            {
                send(out, WorkerEvent.Kind.FAILED, jobId, ex);
            }
        }
        catch (final Exception | StackOverflowError | AssertionError | LinkageError ex)
        {
            send(out, WorkerEvent.Kind.FAILED, jobId, ex);
        }
    }

    /**
     * Sends a result; a chunk's results too long for one message go as several, each a part of the chunk in order,
     * the last one the RESULT.
     */
    private void sendResult(final ExpandableArrayBuffer out, final long jobId, final Object value,
        final boolean splittable)
    {
        final int at = PoolWire.writeResultHeader(out, WorkerEvent.Kind.RESULT, slot, generation, jobId);
        final int end = PoolValues.write(out, at, value, "the result of job " + jobId);
        if (end <= results.maxMessageLength())
        {
            send(out, end);
            return;
        }
        final Object[] values = splittable ? (Object[])value : null;
        if (values == null || values.length < 2)
        {
            send(out, WorkerEvent.Kind.FAILED, jobId, new IllegalStateException("the result of job " + jobId +
                " encodes to " + end + " bytes, more than the " + results.maxMessageLength() + " the pool's " +
                "result queue takes in one message: return large values through shared memory (a jipc array or " +
                "SharedMemory)"));
            return;
        }
        final int half = values.length / 2;
        sendPart(out, jobId, Arrays.copyOfRange(values, 0, half));
        sendResult(out, jobId, Arrays.copyOfRange(values, half, values.length), true);
    }

    /** Sends the first results of a chunk as a part; one part too long is split again. */
    private void sendPart(final ExpandableArrayBuffer out, final long jobId, final Object[] values)
    {
        final int at = PoolWire.writeResultHeader(out, WorkerEvent.Kind.RESULT_PART, slot, generation, jobId);
        final int end = PoolValues.write(out, at, values, "the result of job " + jobId);
        if (end <= results.maxMessageLength() || values.length < 2)
        {
            // a single value too long goes anyway: the queue refuses it, and the worker's death fails the job
            send(out, end);
            return;
        }
        final int half = values.length / 2;
        sendPart(out, jobId, Arrays.copyOfRange(values, 0, half));
        sendPart(out, jobId, Arrays.copyOfRange(values, half, values.length));
    }

    private boolean isCancelled(final long jobId)
    {
        for (int i = slot * prefetch, end = i + prefetch; i < end; i++)
        {
            if (cancels.getRaw(i) == jobId)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads a function the pool sends once. One this JVM cannot read (a class missing from its class path, say)
     * fails each job that names it, rather than the worker: a worker that died of it would be replaced, sent the
     * same function, and die again.
     */
    private static Object define(final byte[] serialised)
    {
        try
        {
            return TaskCodec.decode(serialised);
        }
        catch (final IOException | ClassNotFoundException | RuntimeException | LinkageError ex)
        {
            return new UndefinedFunction(new IOException("the worker cannot read the task's function: " + ex, ex));
        }
    }

    /** A function the worker could not read, and why. */
    private record UndefinedFunction(IOException why)
    {
    }

    private static Object runRange(final Job.Kind kind, final Object fn, final UnsafeBuffer in, final int[] cursor,
        final WorkerArrays arrays) throws IOException
    {
        final String inName = (String)PoolValues.read(in, cursor);
        final String outName = (String)PoolValues.read(in, cursor);
        final int from = in.getInt(PoolValues.take(cursor, 4));
        final int to = in.getInt(PoolValues.take(cursor, 4));
        if (kind == Job.Kind.LONG_RANGE)
        {
            arrays.applyLongs((LongUnaryOperator)fn, inName, outName, from, to);
        }
        else
        {
            arrays.applyDoubles((DoubleUnaryOperator)fn, inName, outName, from, to);
        }
        return null;
    }

    private void send(final ExpandableArrayBuffer out, final WorkerEvent.Kind kind, final long jobId,
        final Throwable failure)
    {
        final int at = PoolWire.writeResultHeader(out, kind, slot, generation, jobId);
        int end;
        try
        {
            end = PoolWire.writeFailure(out, at, failure);
        }
        catch (final RuntimeException | StackOverflowError ex)
        {
            end = results.maxMessageLength() + 1;
        }
        if (end > results.maxMessageLength())
        {
            // too long, or its getMessage() threw: a summary that fits, rather than a worker that dies of it
            end = PoolWire.writeFailure(out, at, new IllegalStateException("the task failed with a " +
                failure.getClass().getName() + " too large to send (or whose message could not be read)"));
        }
        send(out, end);
    }

    /** Puts a result; an interrupt does not drop it (the pool would take the next result for this one's job). */
    private void send(final ExpandableArrayBuffer out, final int length)
    {
        final byte[] message = Arrays.copyOf(out.byteArray(), length);
        boolean interrupted = false;
        while (true)
        {
            try
            {
                results.put(message);
                break;
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
    }
}
