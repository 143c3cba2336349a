package dev.jipc.pool;

import java.io.Serial;

/**
 * Stands for an exception that a task threw in a worker JVM and that this JVM cannot rebuild: its class is not on
 * this class path, it is not serialisable, or it failed to deserialise. It carries the remote exception's class
 * name, message and stack trace (as its own stack trace), so the failure still reads as what happened, where
 * Python's {@code Pool} attaches the worker's traceback as a {@code RemoteTraceback}. An exception that can be
 * rebuilt arrives as itself, with the worker's stack trace already in it.
 */
public final class RemoteException extends RuntimeException
{
    @Serial
    private static final long serialVersionUID = 1L;

    private final String remoteClassName;

    RemoteException(final String remoteClassName, final String message, final StackTraceElement[] stackTrace,
        final String why)
    {
        super(remoteClassName + (message == null ? "" : ": " + message) + " [" + why + "]");
        this.remoteClassName = remoteClassName;
        setStackTrace(stackTrace);
    }

    /**
     * The class name of the exception the task threw.
     *
     * @return a binary class name, such as {@code com.example.PricingException}.
     */
    public String remoteClassName()
    {
        return remoteClassName;
    }
}
