package dev.jipc.pool;

import java.io.IOException;
import java.io.InvalidClassException;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * The messages between a pool and its worker JVMs, each one record of a jipc {@code Queue<byte[]>}. Every number is
 * little-endian; a value is a {@link PoolValues} value.
 * <pre>
 * task ring of one worker (pool to worker):
 *   DEFINE  1:byte fnId:int serialised-function...        a function the worker keeps under its id
 *   JOB     2:byte jobKind:byte jobId:long fnId:int [fnLength:int serialised-function, when fnId is -1] payload
 *   STOP    3:byte                                          exit once read
 *   payload of CALL, CHUNK: the argument value; of RUN: none;
 *   of LONG_RANGE, DOUBLE_RANGE: in:value(String) out:value(String) from:int to:int (segment names)
 *
 * result queue (every worker, and the pool itself, to the pool's result thread):
 *   kind:byte slot:int generation:int jobId:long body
 *   READY: none        RESULT: value        FAILED, INIT_FAILED: failure        EXITED: exitCode:int
 *   failure := thrownLength:int Java-serialised-Throwable (length 0 when it would not serialise)
 *              value(Object[] {className, message, frames}), frames an Object[] of 4 values per stack frame
 * </pre>
 */
final class PoolWire
{
    static final byte DEFINE = 1;
    static final byte JOB = 2;
    static final byte STOP = 3;
    /** Bytes before a result message's body. */
    static final int RESULT_HEADER = 17;

    private PoolWire()
    {
    }

    static int writeResultHeader(final ExpandableArrayBuffer buffer, final WorkerEvent.Kind kind, final int slot,
        final int generation, final long jobId)
    {
        buffer.putByte(0, (byte)kind.ordinal());
        buffer.putInt(1, slot);
        buffer.putInt(5, generation);
        buffer.putLong(9, jobId);
        return RESULT_HEADER;
    }

    /**
     * Writes a failure: the exception itself if it serialises, and always its class name, message and frames.
     *
     * @return the offset after it.
     */
    static int writeFailure(final ExpandableArrayBuffer buffer, final int offset, final Throwable failure)
    {
        byte[] thrown;
        try
        {
            thrown = TaskCodec.encode(failure, "the exception");
        }
        catch (final RuntimeException ex)
        {
            thrown = new byte[0];
        }
        buffer.putInt(offset, thrown.length);
        buffer.putBytes(offset + 4, thrown);
        final StackTraceElement[] trace = failure.getStackTrace();
        final Object[] frames = new Object[trace.length * 4];
        for (int i = 0; i < trace.length; i++)
        {
            frames[i * 4] = trace[i].getClassName();
            frames[i * 4 + 1] = trace[i].getMethodName();
            frames[i * 4 + 2] = trace[i].getFileName();
            frames[i * 4 + 3] = trace[i].getLineNumber();
        }
        final Object[] summary = {failure.getClass().getName(), messageWithCauses(failure), frames};
        return PoolValues.write(buffer, offset + 4 + thrown.length, summary, "the exception's summary");
    }

    /**
     * Reads a failure: the exception itself when this JVM can rebuild it, else a {@link RemoteException} that says
     * what it was.
     */
    static Throwable readFailure(final DirectBuffer buffer, final int[] cursor) throws IOException
    {
        final int thrownLength = buffer.getInt(PoolValues.take(cursor, 4));
        if (thrownLength < 0)
        {
            throw new IOException("a failure's length is negative: " + thrownLength);
        }
        final byte[] thrown = new byte[thrownLength];
        buffer.getBytes(PoolValues.take(cursor, thrownLength), thrown);
        final Object[] summary = (Object[])PoolValues.read(buffer, cursor);
        final String className = (String)summary[0];
        final String message = (String)summary[1];
        final Object[] frames = (Object[])summary[2];
        final StackTraceElement[] trace = new StackTraceElement[frames.length / 4];
        for (int i = 0; i < trace.length; i++)
        {
            trace[i] = new StackTraceElement((String)frames[i * 4], (String)frames[i * 4 + 1],
                (String)frames[i * 4 + 2], (Integer)frames[i * 4 + 3]);
        }
        if (thrownLength == 0)
        {
            return new RemoteException(className, message, trace, "the exception is not serialisable");
        }
        try
        {
            final Object decoded = TaskCodec.decode(thrown);
            if (decoded instanceof Throwable throwable)
            {
                return throwable;
            }
            return new RemoteException(className, message, trace, "it arrived as a " + decoded.getClass().getName());
        }
        catch (final ClassNotFoundException | InvalidClassException ex)
        {
            return new RemoteException(className, message, trace, "its class cannot be read here: " + ex);
        }
        catch (final IOException | RuntimeException ex)
        {
            return new RemoteException(className, message, trace, "it could not be deserialised here: " + ex);
        }
    }

    /** The message, with each cause's class and message, for a failure that arrives only as text. */
    private static String messageWithCauses(final Throwable failure)
    {
        final StringBuilder text = new StringBuilder(String.valueOf(failure.getMessage()));
        Throwable cause = failure.getCause();
        for (int depth = 0; cause != null && depth < 8; depth++, cause = cause.getCause())
        {
            text.append("; caused by ").append(cause.getClass().getName()).append(": ").append(cause.getMessage());
        }
        return text.toString();
    }
}
