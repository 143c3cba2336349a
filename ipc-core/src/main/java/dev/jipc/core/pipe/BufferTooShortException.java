package dev.jipc.core.pipe;

import java.io.IOException;
import java.io.Serial;

/**
 * Thrown by {@link Connection#recvBytes} when the message does not fit the caller's buffer (Python's
 * {@code BufferTooShort}). The message stays in the pipe: receive it again with a buffer of at least
 * {@link #messageLength()} bytes.
 */
public final class BufferTooShortException extends IOException
{
    @Serial
    private static final long serialVersionUID = 1L;

    private final int messageLength;

    /**
     * @param messageLength the length of the message waiting in the pipe.
     * @param bufferLength  the room the caller offered.
     */
    public BufferTooShortException(final int messageLength, final int bufferLength)
    {
        super("message does not fit the buffer: messageLength=" + messageLength + ", bufferLength=" + bufferLength);
        this.messageLength = messageLength;
    }

    /**
     * The length of the message that is still waiting.
     *
     * @return bytes.
     */
    public int messageLength()
    {
        return messageLength;
    }
}
