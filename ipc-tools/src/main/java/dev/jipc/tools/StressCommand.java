package dev.jipc.tools;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.JvmFlags;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/**
 * {@code jipc stress}: the jcstress suites of {@code stress-tests}, in a JVM of their own (jcstress forks more),
 * failing when any test fails or errors.
 */
@Command(name = "stress",
    description = "Run the jcstress suites (default: -m quick in one JVM configuration; with -m MODE, that mode over " +
        "every JVM configuration jcstress detects; any jcstress option works, e.g. -t EventCount).")
final class StressCommand implements Callable<Integer>
{
    @Option(names = "--jar", paramLabel = "JAR", description = "The suites' jar (default: ${DEFAULT-VALUE}).")
    Path jar = Path.of(System.getProperty("jipc.home", "."), "stress-tests", "target", "jcstress.jar");

    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception
    {
        if (!Files.isRegularFile(jar))
        {
            throw new IllegalStateException("no jcstress jar at " + jar + ": build with mvn -DskipTests package");
        }
        final List<String> command = new ArrayList<>();
        command.add(ChildJvm.javaExecutable());
        command.addAll(JvmFlags.required());
        command.addAll(List.of("-cp", jar.toString(), "dev.jipc.stress.StressMain"));
        if (args.stream().noneMatch(a -> a.equals("-m")))
        {
            // the few-minutes pass; any -m runs that mode over every JVM configuration jcstress detects
            command.addAll(List.of("-m", "quick", "--single-vm"));
        }
        command.addAll(args);
        // jcstress writes its result blob and report into the working directory: keep them beside the jar.
        System.out.println("jcstress report: " + jar.toAbsolutePath().getParent().resolve("results/index.html"));
        return new ProcessBuilder(command).directory(jar.toAbsolutePath().getParent().toFile()).inheritIO().start()
            .waitFor();
    }
}
