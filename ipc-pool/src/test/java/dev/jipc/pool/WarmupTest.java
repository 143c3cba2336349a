package dev.jipc.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The warm-up of a forkserver spare and of the AOT training run: a step that fails only prints a line and costs the
 * task the time it would have saved, so nothing else would notice; here it must run clean and leave nothing behind.
 */
class WarmupTest
{
    @Test
    void shouldWarmUpWithoutAFailureAndRemoveItsThrowawayDirectory() throws IOException
    {
        final List<Path> before = warmupDirectories();
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        final PrintStream err = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try
        {
            Warmup.run();
            Warmup.prepareSpare();
        }
        finally
        {
            System.setErr(err);
        }
        assertEquals("", captured.toString(StandardCharsets.UTF_8), "the warm-up reported a failure");
        final List<Path> after = warmupDirectories();
        assertTrue(before.containsAll(after), "the warm-up left its directory behind: " + after);
    }

    private static List<Path> warmupDirectories() throws IOException
    {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir"))))
        {
            return files.filter(file -> file.getFileName().toString().startsWith("jipc-warmup-")).toList();
        }
    }
}
