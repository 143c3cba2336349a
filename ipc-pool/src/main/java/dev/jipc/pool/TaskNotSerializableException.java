package dev.jipc.pool;

import java.io.Serial;

/**
 * A task cannot be sent to a child JVM: it captures, or reaches through its fields, an object that is not
 * serialisable. Thrown in the parent, by {@link Process#start()}, before any child starts; the message names the
 * type that is not serialisable and, when a lambda captured it, the lambda and whether it captured {@code this}.
 */
public final class TaskNotSerializableException extends IllegalArgumentException
{
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * An exception with a message that names what cannot be serialised.
     *
     * @param message what was captured, by what, and how to fix it.
     * @param cause   the serialisation error, if any.
     */
    public TaskNotSerializableException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
