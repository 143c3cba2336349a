package dev.jipc.pool;

import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * Python's {@code log_to_stderr} format, {@code [LEVEL/ProcessName] message}, for the {@code java.util.logging}
 * handler of {@link Processes#logToStderr}. The process is the one the logging thread runs in
 * ({@link Processes#currentProcess()}), so a child's lines name the child.
 */
final class ProcessLogFormatter extends Formatter
{
    @Override
    public String format(final LogRecord record)
    {
        final StringBuilder line = new StringBuilder(64)
            .append('[').append(levelName(record.getLevel())).append('/')
            .append(Processes.currentProcess().name()).append("] ")
            .append(formatMessage(record))
            .append(System.lineSeparator());
        final Throwable thrown = record.getThrown();
        if (thrown != null)
        {
            final java.io.StringWriter trace = new java.io.StringWriter();
            thrown.printStackTrace(new java.io.PrintWriter(trace));
            line.append(trace);
        }
        return line.toString();
    }

    /** Python's level names for the levels System.Logger maps onto java.util.logging. */
    static String levelName(final Level level)
    {
        final int value = level.intValue();
        if (value >= Level.SEVERE.intValue())
        {
            return "ERROR";
        }
        if (value >= Level.WARNING.intValue())
        {
            return "WARNING";
        }
        if (value >= Level.INFO.intValue())
        {
            return "INFO";
        }
        if (value >= Level.FINE.intValue())
        {
            return "DEBUG";
        }
        return "TRACE";
    }
}
