package dev.jipc.tools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/** Runs a bench command in this JVM and returns what it printed, checking that it succeeded. */
final class BenchOutput
{
    private BenchOutput()
    {
    }

    static String of(final Callable<Integer> bench) throws Exception
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final PrintStream original = System.out;
        try (PrintStream capture = new PrintStream(out, true, StandardCharsets.UTF_8))
        {
            System.setOut(capture);
            assertEquals(0, bench.call());
        }
        finally
        {
            System.setOut(original);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
