package dev.jipc.durable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import dev.jipc.core.test.Names;

/** A fresh queue directory under {@code target/durable} per test, removed after it. */
final class DurableTestFiles
{
    private static final Path ROOT = Path.of("target", "durable").toAbsolutePath();

    private DurableTestFiles()
    {
    }

    static Path newDirectory(final String prefix)
    {
        try
        {
            Files.createDirectories(ROOT);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
        return ROOT.resolve(Names.unique(prefix));
    }

    /** A directory for the logs of a test's children, beside its queue. */
    static Path newLogDirectory(final Path queueDirectory)
    {
        final Path logs = queueDirectory.resolveSibling(queueDirectory.getFileName() + "-logs");
        try
        {
            return Files.createDirectories(logs);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /** How many Chronicle cycle files a queue directory holds. */
    static long cycleFiles(final Path directory) throws IOException
    {
        try (Stream<Path> files = Files.list(directory))
        {
            return files.filter(file -> file.getFileName().toString().endsWith(".cq4")).count();
        }
    }

    /** Sleeps into the next wall-clock second (and 20 ms on): the next cycle of a TEST_SECONDLY journal. */
    static void nextSecond() throws InterruptedException
    {
        final long now = System.currentTimeMillis();
        Thread.sleep(1000 - now % 1000 + 20);
    }

    static void remove(final Path directory)
    {
        if (!Files.exists(directory))
        {
            return;
        }
        try (Stream<Path> files = Files.walk(directory))
        {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
