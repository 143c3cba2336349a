package dev.jipc.stress;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.jipc.core.JvmFlags;

/**
 * Runs jcstress over jipc's suites with jipc's JVM flags in every forked VM, and exits non-zero when a test fails
 * or errors (jcstress itself always exits 0). Interesting outcomes do not fail the run.
 * <p>
 * Usage: {@code java <jipc flags> -cp jcstress.jar dev.jipc.stress.StressMain [--single-vm] [jcstress options]};
 * {@code --single-vm} runs one JVM configuration (jcstress's {@code -jvmArgs}) instead of every detected one.
 */
public final class StressMain
{
    private StressMain()
    {
    }

    /**
     * @param args {@code --single-vm} and any jcstress options.
     * @throws Exception when jcstress cannot run.
     */
    public static void main(final String[] args) throws Exception
    {
        final List<String> jcstressArgs = new ArrayList<>();
        boolean singleVm = false;
        for (final String arg : args)
        {
            if (arg.equals("--single-vm"))
            {
                singleVm = true;
            }
            else
            {
                jcstressArgs.add(arg);
            }
        }
        jcstressArgs.add(singleVm ? "-jvmArgs" : "-jvmArgsPrepend");
        jcstressArgs.add(String.join(" ", JvmFlags.required()));

        final PrintStream console = System.out;
        final ByteArrayOutputStream transcript = new ByteArrayOutputStream();
        System.setOut(new PrintStream(new Tee(console, transcript), true, StandardCharsets.UTF_8));
        try
        {
            org.openjdk.jcstress.Main.main(jcstressArgs.toArray(String[]::new));
        }
        finally
        {
            System.out.flush();
            System.setOut(console);
        }
        final String output = transcript.toString(StandardCharsets.UTF_8);
        final String verdict = verdict(output);
        if (verdict != null)
        {
            System.err.println("jipc stress: " + verdict);
            System.exit(1);
        }
        System.out.println("jipc stress: every test passed");
    }

    /** Why a jcstress transcript is a failure, or null when every test passed. */
    static String verdict(final String output)
    {
        if (output.contains("FATAL"))
        {
            return "jcstress could not run the tests (FATAL in its output)";
        }
        if (!output.contains("RUN RESULTS:"))
        {
            return "jcstress printed no results";
        }
        if (!output.contains("Failed tests: No matches."))
        {
            return "some tests FAILED (a forbidden outcome was seen): see 'Failed tests' above";
        }
        if (!output.contains("Error tests: No matches."))
        {
            return "some tests ERRORED: see 'Error tests' above";
        }
        return null;
    }

    /** Writes to the console and keeps a copy. */
    private static final class Tee extends OutputStream
    {
        private final OutputStream first;
        private final OutputStream second;

        Tee(final OutputStream first, final OutputStream second)
        {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(final int b)
        {
            try
            {
                first.write(b);
            }
            catch (final java.io.IOException ignore)
            {
                // the console is gone; the copy still decides the verdict
            }
            synchronized (second)
            {
                ((ByteArrayOutputStream)second).write(b);
            }
        }

        @Override
        public void write(final byte[] bytes, final int offset, final int length)
        {
            try
            {
                first.write(bytes, offset, length);
            }
            catch (final java.io.IOException ignore)
            {
                // as above
            }
            synchronized (second)
            {
                ((ByteArrayOutputStream)second).write(bytes, offset, length);
            }
        }

        @Override
        public void flush() throws java.io.IOException
        {
            first.flush();
        }
    }
}
