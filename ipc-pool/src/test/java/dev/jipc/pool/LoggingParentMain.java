package dev.jipc.pool;

/**
 * A parent JVM for {@link ProcessLoggingTest}: logs to stderr through {@link Processes#logToStderr}, starts a child
 * that does the same, and joins it.
 */
public final class LoggingParentMain
{
    private LoggingParentMain()
    {
    }

    /**
     * Logs, and has a child log.
     *
     * @param args none.
     * @throws Exception if the child fails.
     */
    public static void main(final String[] args) throws Exception
    {
        Processes.logToStderr(System.Logger.Level.INFO).log(System.Logger.Level.INFO, "from the parent");
        Processes.getLogger().log(System.Logger.Level.DEBUG, "hidden: below the level");
        try (Context context = Context.spawn())
        {
            final Process child = context.process(() ->
            {
                Processes.logToStderr(System.Logger.Level.DEBUG);
                Processes.getLogger().log(System.Logger.Level.WARNING, "from the child");
                Processes.getLogger().log(System.Logger.Level.DEBUG, "debug from the child");
            });
            child.start();
            child.join();
            System.out.println("child-exit=" + child.exitCode());
        }
    }
}
