package dev.jipc.tools;

import dev.jipc.tools.bench.BenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code jipc} command line. */
@Command(
    name = "jipc",
    mixinStandardHelpOptions = true,
    version = "jipc 0.1.0-SNAPSHOT",
    description = "Shared-memory IPC for JVMs on one host: inspect segments, run benchmarks.",
    subcommands = {
        LsCommand.class,
        StatCommand.class,
        RmCommand.class,
        GcCommand.class,
        BenchCommand.class,
        dev.jipc.tools.demo.DemoCommand.class,
        JmhCommand.class,
        StressCommand.class,
        CommandLine.HelpCommand.class,
    })
public final class Main
{
    private Main()
    {
    }

    /**
     * Runs the command line and exits with its status.
     *
     * @param args the arguments.
     */
    public static void main(final String[] args)
    {
        System.exit(commandLine().execute(args));
    }

    /**
     * The command line, reporting failures as one line on stderr ({@code -Djipc.debug=true} adds the stack trace).
     *
     * @return a new command line.
     */
    static CommandLine commandLine()
    {
        return new CommandLine(new Main()).setExecutionExceptionHandler((ex, command, parseResult) ->
        {
            command.getErr().println("jipc " + command.getCommandName() + ": " + ex.getMessage());
            if (Boolean.getBoolean("jipc.debug"))
            {
                ex.printStackTrace(command.getErr());
            }
            return 1;
        });
    }
}
