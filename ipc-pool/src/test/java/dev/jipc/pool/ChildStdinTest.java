package dev.jipc.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.queue.LongQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a child JVM does with what arrives on its stdin besides a well-formed task: a forkserver spare survives a task
 * shape it cannot decode and runs the task after it; a shape of a hostile length, or a shape sent to a child that is
 * not a spare, ends the child with {@link ChildMain#BAD_TASK_EXIT} and says what was wrong.
 */
class ChildStdinTest
{
    private static final long EXIT_SECONDS = 120;

    @TempDir
    Path directory;

    @Test
    void shouldRunTheTaskAfterAShapeItCannotDecode() throws Exception
    {
        try (Context ctx = Context.spawn().directory(directory))
        {
            final LongQueue queue = ctx.longQueue(1024);
            final Process process = ctx.process(reporting(queue, 42));
            final java.lang.Process child = start(ctx, true);
            try
            {
                // not a serialisation at all: the spare logs it at debug level and waits on
                assertTrue(ChildLaunch.writeShape(child.getOutputStream(), new byte[] {1, 2, 3}));
                ChildLaunch.hand(child, SpawnLauncher.encode(process), ctx, process);
                final long[] reported = new long[1];
                assertTrue(queue.poll(value -> reported[0] = value, EXIT_SECONDS, TimeUnit.SECONDS),
                    "the task did not run: " + stderr(child));
                assertEquals(42, reported[0]);
                assertTrue(child.waitFor(EXIT_SECONDS, TimeUnit.SECONDS), "the child did not exit");
                assertEquals(0, child.exitValue(), stderr(child));
            }
            finally
            {
                child.destroyForcibly();
            }
        }
    }

    @Test
    void shouldEndASpareGivenAShapeOfANegativeLength() throws Exception
    {
        assertEndsSaying(true, "invalid task length: length=-1", ChildLaunch.SHAPE_MAGIC, -1);
    }

    @Test
    void shouldRefuseAShapeSentToAChildThatIsNotASpare() throws Exception
    {
        assertEndsSaying(false, "not a jipc task on stdin: magic=0x" + Integer.toHexString(ChildLaunch.SHAPE_MAGIC),
            ChildLaunch.SHAPE_MAGIC, 3);
    }

    /** Writes words on a child's stdin, and checks that it exits with BAD_TASK_EXIT after the message on stderr. */
    private void assertEndsSaying(final boolean spare, final String message, final int... words) throws Exception
    {
        try (Context ctx = Context.spawn().directory(directory))
        {
            final java.lang.Process child = start(ctx, spare);
            try
            {
                write(child, words);
                assertTrue(child.waitFor(EXIT_SECONDS, TimeUnit.SECONDS), "the child did not exit");
                final String stderr = stderr(child);
                assertEquals(ChildMain.BAD_TASK_EXIT, child.exitValue(), stderr);
                assertTrue(stderr.contains(message), stderr);
            }
            finally
            {
                child.destroyForcibly();
            }
        }
    }

    private static SerializableCallable<Void> reporting(final LongQueue queue, final long value)
    {
        return () ->
        {
            queue.put(value);
            return null;
        };
    }

    /** A child JVM of the context, its stderr kept (to a pipe read once it has exited: it writes little). */
    private static java.lang.Process start(final Context ctx, final boolean spare) throws IOException
    {
        final List<String> command = spare ?
            ChildLaunch.command(ctx, List.of(), "-D" + ChildMain.SPARE_PROPERTY + "=true") :
            ChildLaunch.command(ctx, List.of());
        return new ProcessBuilder(command)
            .redirectInput(ProcessBuilder.Redirect.PIPE)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    }

    private static void write(final java.lang.Process child, final int... words) throws IOException
    {
        final DataOutputStream out = new DataOutputStream(child.getOutputStream());
        for (final int word : words)
        {
            out.writeInt(word);
        }
        out.flush();
    }

    private static String stderr(final java.lang.Process child) throws IOException
    {
        if (child.isAlive())
        {
            return "(still running)";
        }
        return new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
