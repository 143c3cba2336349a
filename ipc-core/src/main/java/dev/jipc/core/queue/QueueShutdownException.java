package dev.jipc.core.queue;

import java.io.Serial;

/**
 * Thrown by a put on a queue that was {@link Queue#shutdown() shut down}, and by a take once such a queue is drained:
 * Python's {@code queue.ShutDown}. It is the documented end of a queue's stream, not an error in the queue.
 */
public class QueueShutdownException extends IllegalStateException
{
    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * @param message what happened, naming the queue.
     */
    public QueueShutdownException(final String message)
    {
        super(message);
    }
}
