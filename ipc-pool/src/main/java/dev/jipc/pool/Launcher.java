package dev.jipc.pool;

/** A start method: how a {@link Context} turns a {@link Process} into something running. */
interface Launcher
{
    /**
     * Starts a process.
     *
     * @param process the process, not yet started.
     * @param context its context, for the options it gives every process.
     * @return what runs it.
     */
    Running launch(Process process, Context context);

    /** Called when the context makes a process: a start method that keeps spare JVMs boots them now. */
    default void prepare()
    {
    }

    /** Called when the context closes: a start method that keeps spare JVMs lets them go. */
    default void close()
    {
    }
}
