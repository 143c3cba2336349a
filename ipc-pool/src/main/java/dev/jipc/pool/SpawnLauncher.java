package dev.jipc.pool;

/**
 * The spawn start method: a fresh JVM per process, started at {@code start()} by {@link ChildLaunch}, which hands
 * it the task on its stdin. A task of a program run from a source file starts its child in {@link SourceMode}.
 */
final class SpawnLauncher implements Launcher
{
    static final SpawnLauncher INSTANCE = new SpawnLauncher();

    private SpawnLauncher()
    {
    }

    @Override
    public Running launch(final Process process, final Context context)
    {
        return launch(process, context, encode(process));
    }

    /**
     * Starts a child JVM for a task encoded already: in source mode when the task uses classes of a source file.
     *
     * @param process the process.
     * @param context its context.
     * @param encoded its task, from {@link #encode}.
     * @return what runs it.
     */
    static Running launch(final Process process, final Context context, final TaskCodec.Encoded encoded)
    {
        final String[] sourceMode = encoded.program() == null ? new String[0] : encoded.program().jvmArgs();
        final java.lang.Process child = ChildLaunch.start(
            ChildLaunch.command(context, process.jvmOptionList(), sourceMode), "name=" + process.name());
        return ChildLaunch.hand(child, encoded, context, process);
    }

    /** The task a child JVM reads: the process and who starts it. */
    static TaskCodec.Encoded encode(final Process process)
    {
        final ProcessInfo self = Processes.currentProcess();
        return TaskCodec.encodeTask(new ChildTask(process, self.pid(), self.name()), process.name());
    }
}
