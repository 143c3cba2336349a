package dev.jipc.tools;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * What one run of the {@code jipc} command line printed, for tests.
 *
 * @param status the exit status.
 * @param out    what went to stdout.
 * @param err    what went to stderr.
 */
record CommandLineResult(int status, String out, String err)
{
    /**
     * Runs the command line in this JVM, capturing its output.
     *
     * @param args the arguments, as after {@code ./jipc}.
     * @return the status and output.
     */
    static CommandLineResult run(final String... args)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final PrintStream originalOut = System.out;
        try (PrintStream capture = new PrintStream(out, true, StandardCharsets.UTF_8);
            PrintStream errors = new PrintStream(err, true, StandardCharsets.UTF_8))
        {
            System.setOut(capture);
            final int status = Main.commandLine().setErr(new PrintWriter(errors, true)).execute(args);
            return new CommandLineResult(
                status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }
        finally
        {
            System.setOut(originalOut);
        }
    }
}
