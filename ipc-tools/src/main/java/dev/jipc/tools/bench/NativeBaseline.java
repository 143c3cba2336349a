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
 * Compiles and runs a C baseline (sources kept as resources under {@code /c/}) with the machine's {@code gcc}, so
 * that jipc is measured beside what the kernel and hardware give a C program, in the same run.
 */
public final class NativeBaseline
{
    private NativeBaseline()
    {
    }

    /**
     * Compiles a baseline and runs it.
     *
     * @param source         resource name under {@code /c/}.
     * @param timeoutSeconds the longest run.
     * @param args           program arguments.
     * @return its stdout lines, or empty when there is no {@code gcc} or it cannot compile the source.
     */
    public static Optional<List<String>> run(final String source, final long timeoutSeconds, final Object... args)
    {
        try (InputStream in = NativeBaseline.class.getResourceAsStream("/c/" + source))
        {
            if (in == null)
            {
                throw new IllegalArgumentException("no such baseline source: " + source);
            }
            final Path dir = Files.createTempDirectory("jipc-c-");
            final Path file = dir.resolve(source);
            final Path binary = dir.resolve("baseline");
            try
            {
                Files.write(file, in.readAllBytes());
                if (exec(List.of("gcc", "-O2", "-o", binary.toString(), file.toString()), 60).isEmpty())
                {
                    return Optional.empty();
                }
                final List<String> command = new ArrayList<>(List.of(binary.toString()));
                for (final Object arg : args)
                {
                    command.add(String.valueOf(arg));
                }
                return exec(command, timeoutSeconds);
            }
            finally
            {
                Files.deleteIfExists(binary);
                Files.deleteIfExists(file);
                Files.deleteIfExists(dir);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static Optional<List<String>> exec(final List<String> command, final long timeoutSeconds)
    {
        try
        {
            final Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            final String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
                return Optional.empty();
            }
            return process.exitValue() == 0 ? Optional.of(out.lines().toList()) : Optional.empty();
        }
        catch (final IOException ex)
        {
            return Optional.empty(); // no gcc on this machine
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
