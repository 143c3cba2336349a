package dev.jipc.sync;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Passing objects to child JVMs as serialised handles, and bounded waits. */
final class SyncTestSupport
{
    /** Runs each task on a thread of its own: the common pool may have a single thread on a 2-core machine. */
    static final Executor THREADS = task ->
    {
        final Thread thread = new Thread(task, "sync-test");
        thread.setDaemon(true);
        thread.start();
    };

    /** The longest any child of these tests may run. */
    static final long CHILD_TIMEOUT_SECONDS = 120;

    private SyncTestSupport()
    {
    }

    static String encode(final Object object)
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes))
        {
            out.writeObject(object);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }

    static byte[] serialise(final Object object)
    {
        return Base64.getDecoder().decode(encode(object));
    }

    static Object deserialise(final byte[] bytes)
    {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes)))
        {
            return in.readObject();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        catch (final ClassNotFoundException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    @SuppressWarnings("unchecked")
    static <T> T decode(final String handle)
    {
        return (T)deserialise(Base64.getDecoder().decode(handle));
    }

    /**
     * Polls until the condition holds.
     *
     * @throws AssertionError if it does not within the timeout.
     */
    static void awaitTrue(final BooleanSupplier condition, final long timeout, final TimeUnit unit, final String what)
    {
        final long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline > 0)
            {
                throw new AssertionError("timed out after " + timeout + " " + unit + " waiting for " + what);
            }
            try
            {
                Thread.sleep(1);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, ex);
            }
        }
    }
}
