package dev.jipc.pool;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;

/** A child JVM running a task, started by spawn or taken from the forkserver's spares. */
final class SpawnedChild implements Running
{
    private final java.lang.Process child;
    private final OutputStream stdin;
    private final CompletableFuture<Integer> exit;

    /**
     * A child running its task.
     *
     * @param child the JVM.
     * @param stdin the pipe to its stdin, held open until it ends (its parent watch sees this JVM die by it).
     */
    SpawnedChild(final java.lang.Process child, final OutputStream stdin)
    {
        this.child = child;
        this.stdin = stdin;
        this.exit = child.onExit().thenApply(ended -> exitCode(ended.exitValue()));
    }

    @Override
    public long pid()
    {
        return child.pid();
    }

    @Override
    public CompletableFuture<Integer> exit()
    {
        return exit;
    }

    @Override
    public void terminate()
    {
        child.destroy();
    }

    @Override
    public void kill()
    {
        child.destroyForcibly();
    }

    @Override
    public boolean isChildJvm()
    {
        return true;
    }

    @Override
    public void release()
    {
        try
        {
            stdin.close();
        }
        catch (final IOException ignore)
        {
            // the child has exited: nothing reads the pipe any more
        }
    }

    /** Status 129 to 192 is death by signal N = status - 128, or a JVM's own exit after SIGTERM, SIGINT, SIGHUP. */
    static int exitCode(final int status)
    {
        return status > 128 && status <= 128 + 64 ? -(status - 128) : status;
    }
}
