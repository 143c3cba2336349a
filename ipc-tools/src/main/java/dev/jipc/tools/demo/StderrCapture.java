package dev.jipc.tools.demo;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import dev.jipc.pool.Processes;

/**
 * Logs a line through {@link Processes#logToStderr} and returns what reached stderr, so that the demo can check the
 * line's shape. {@code logToStderr} binds its handler to {@code System.err} as it is at the first call, so stderr
 * is, from then on, a stream that writes to the real stderr and, while a line is being captured, to a buffer too.
 */
final class StderrCapture extends OutputStream
{
    private static StderrCapture installed;

    private final PrintStream target;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private boolean capturing;

    private StderrCapture(final PrintStream target)
    {
        this.target = target;
    }

    /**
     * Logs {@code message} at INFO through jipc's logger sent to stderr, and returns the line stderr received.
     *
     * @param message what to log.
     * @return the line, without its line separator; empty when stderr received nothing (a handler installed before
     *     this JVM's first call went elsewhere).
     */
    static synchronized String logAndCapture(final String message)
    {
        if (installed == null)
        {
            installed = new StderrCapture(System.err);
            System.setErr(new PrintStream(installed, true, StandardCharsets.UTF_8));
        }
        final StderrCapture capture = installed;
        synchronized (capture)
        {
            capture.captured.reset();
            capture.capturing = true;
        }
        Processes.logToStderr(System.Logger.Level.INFO).log(System.Logger.Level.INFO, message);
        System.err.flush();
        synchronized (capture)
        {
            capture.capturing = false;
            return capture.captured.toString(StandardCharsets.UTF_8).strip();
        }
    }

    @Override
    public synchronized void write(final int b)
    {
        target.write(b);
        if (capturing)
        {
            captured.write(b);
        }
    }

    @Override
    public synchronized void write(final byte[] bytes, final int offset, final int length)
    {
        target.write(bytes, offset, length);
        if (capturing)
        {
            captured.write(bytes, offset, length);
        }
    }

    @Override
    public synchronized void flush()
    {
        target.flush();
    }
}
