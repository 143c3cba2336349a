package dev.jipc.tools.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Python baselines (scripts kept as resources under {@code /python/}) with the machine's {@code python3},
 * so that jipc and Python's multiprocessing are measured side by side in one run.
 */
public final class Python
{
    private Python()
    {
    }

    /**
     * The {@code python3} on the PATH.
     *
     * @return its path, or empty when there is none (benchmarks then print a note instead of the baseline).
     */
    public static Optional<Path> find()
    {
        for (final String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
        {
            final Path candidate = Path.of(dir, "python3");
            if (Files.isExecutable(candidate))
            {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Runs a baseline script, as one round of a table's row, with the {@code python3} on the PATH.
     *
     * @param script         resource name under {@code /python/}.
     * @param timeoutSeconds the longest run.
     * @param args           script arguments.
     * @return its stdout lines.
     * @throws InterleavedTable.Unavailable when there is no {@code python3}: the table notes it instead of the row.
     */
    static List<String> runRound(final String script, final long timeoutSeconds, final Object... args)
        throws InterleavedTable.Unavailable
    {
        final Path python = find().orElseThrow(() ->
            new InterleavedTable.Unavailable("no python3 on the PATH: the Python baselines were skipped"));
        return run(python, script, timeoutSeconds, args);
    }

    /**
     * Runs a baseline script and returns what it printed.
     *
     * @param python         the interpreter.
     * @param script         resource name under {@code /python/}, such as {@code value_lock.py}.
     * @param timeoutSeconds the longest run.
     * @param args           script arguments.
     * @return its stdout lines.
     */
    public static List<String> run(final Path python, final String script, final long timeoutSeconds,
        final Object... args)
    {
        try (InputStream in = Python.class.getResourceAsStream("/python/" + script))
        {
            if (in == null)
            {
                throw new IllegalArgumentException("no such baseline script: " + script);
            }
            final Path file = Files.createTempFile("jipc-", "-" + script);
            try
            {
                Files.write(file, in.readAllBytes());
                final List<String> command = new ArrayList<>(List.of(python.toString(), file.toString()));
                for (final Object arg : args)
                {
                    command.add(String.valueOf(arg));
                }
                final Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
                final String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS))
                {
                    process.destroyForcibly();
                    throw new IllegalStateException(script + " did not finish within " + timeoutSeconds + " s");
                }
                if (process.exitValue() != 0)
                {
                    throw new IllegalStateException(script + " exited with " + process.exitValue());
                }
                return out.lines().toList();
            }
            finally
            {
                Files.deleteIfExists(file);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + script, ex);
        }
    }
}
