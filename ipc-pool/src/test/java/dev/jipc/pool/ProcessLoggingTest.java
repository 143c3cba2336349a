package dev.jipc.pool;

import static dev.jipc.core.ChildProcesses.awaitSuccess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.ChildProcesses;
import dev.jipc.core.test.ChildLogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Processes#logToStderr} and {@link Processes#getLogger()}: Python's {@code [LEVEL/Process-1] message}. */
class ProcessLoggingTest
{
    @TempDir
    Path directory;

    @Test
    void shouldFormatALineAsPythonDoes()
    {
        final LogRecord record = new LogRecord(Level.INFO, "hello {0}");
        record.setParameters(new Object[] {"world"});
        assertEquals("[INFO/MainProcess] hello world" + System.lineSeparator(),
            new ProcessLogFormatter().format(record));
    }

    @Test
    void shouldNameLevelsAsPythonDoes()
    {
        assertEquals("ERROR", ProcessLogFormatter.levelName(Level.SEVERE));
        assertEquals("WARNING", ProcessLogFormatter.levelName(Level.WARNING));
        assertEquals("INFO", ProcessLogFormatter.levelName(Level.INFO));
        assertEquals("DEBUG", ProcessLogFormatter.levelName(Level.FINE));
        assertEquals("TRACE", ProcessLogFormatter.levelName(Level.FINER));
    }

    @Test
    void shouldPutTheParentsAndTheChildsLinesOnOneStderr() throws Exception
    {
        try (ChildProcesses parents = ChildLogs.group())
        {
            final ChildProcesses.Child parent = parents.start(
                ChildJvm.of(LoggingParentMain.class).jvmArgs("-Djipc.dir=" + directory));
            awaitSuccess(parent, 120, TimeUnit.SECONDS);
            final String output = parent.output();
            assertTrue(output.contains("[INFO/MainProcess] from the parent"), output);
            assertTrue(output.contains("[WARNING/Process-1] from the child"), output);
            assertTrue(output.contains("[DEBUG/Process-1] debug from the child"), output);
            assertFalse(output.contains("hidden"), output);
            assertTrue(output.contains("child-exit=0"), output);
        }
    }
}
