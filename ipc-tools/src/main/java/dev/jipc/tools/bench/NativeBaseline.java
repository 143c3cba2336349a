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
    /** The label of the C futex ping-pong row, the floor every latency table compares its rows with. */
    static final String FUTEX_FLOOR = "C, fork + FUTEX_WAIT/WAKE (kernel floor for a parked round trip)";

    private NativeBaseline()
    {
    }

    /**
     * One round of the C futex ping-pong (two processes, {@code FUTEX_WAIT} / {@code FUTEX_WAKE} on a shared word):
     * the kernel's floor for a round trip in which both sides sleep, which parked waits cannot beat.
     *
     * @param roundTrips measured round trips.
     * @param warmup     unmeasured round trips first.
     * @return the round's percentiles.
     * @throws InterleavedTable.Unavailable when there is no {@code gcc}.
     */
    static InterleavedTable.Sample futexFloor(final int roundTrips, final int warmup)
        throws InterleavedTable.Unavailable
    {
        final List<String> lines = run("futex_pingpong.c", 600, roundTrips, warmup).orElseThrow(
            () -> new InterleavedTable.Unavailable("no gcc: the C kernel-floor baseline was skipped"));
        return InterleavedTable.Sample.latency(lines.getFirst());
    }

    /**
     * Adds the C futex floor to a latency table and compares every row of the table, and the floor itself, with it.
     *
     * @param table a latency table.
     * @param sizes the round trips of each round.
     */
    static void addFutexFloor(final InterleavedTable table, final RoundTripOptions sizes)
    {
        final InterleavedTable.Row floor = table.add(FUTEX_FLOOR, () -> futexFloor(sizes.roundTrips, sizes.warmup))
            .shortName("C floor");
        table.compareAllWith(floor);
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
