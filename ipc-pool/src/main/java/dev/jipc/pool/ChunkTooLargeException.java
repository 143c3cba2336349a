package dev.jipc.pool;

import java.io.Serial;

/**
 * A job encodes to more than a worker's task ring takes in one message. A map with an automatic chunk size splits
 * its chunks and tries again; one with a given chunk size, or a single value this large, fails with this.
 */
final class ChunkTooLargeException extends IllegalArgumentException
{
    @Serial
    private static final long serialVersionUID = 1L;

    ChunkTooLargeException(final String message)
    {
        super(message);
    }
}
