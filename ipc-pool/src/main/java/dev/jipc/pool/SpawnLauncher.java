package dev.jipc.pool;

/**
 * The spawn start method: a fresh JVM per process, started at {@code start()} by {@link ChildLaunch}, which hands
 * it the task on its stdin.
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
        final TaskCodec.Encoded encoded = encode(process);
        final java.lang.Process child = ChildLaunch.start(
            ChildLaunch.command(context, process.jvmOptionList()), "name=" + process.name());
        return ChildLaunch.hand(child, encoded, context, process);
    }

    /** The task a child JVM reads: the process and who starts it. */
    static TaskCodec.Encoded encode(final Process process)
    {
        final ProcessInfo self = Processes.currentProcess();
        return TaskCodec.encodeTask(new ChildTask(process, self.pid(), self.name()), process.name());
    }
}
