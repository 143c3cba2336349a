package dev.jipc.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import dev.jipc.core.SegmentDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jipc rm NAME...}: unlinks segments; processes attached keep their mappings. */
@Command(name = "rm", description = "Remove segments by name (attached processes keep their mapping).")
final class RmCommand implements Callable<Integer>
{
    @Mixin
    DirectoryOption dir;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "NAME", description = "Segment names.")
    List<String> names;

    @Override
    public Integer call() throws IOException
    {
        int status = 0;
        for (final String name : names)
        {
            SegmentDirectory.validateName(name);
            final Path file = dir.directory.resolve(name);
            if (!Files.deleteIfExists(file))
            {
                spec.commandLine().getErr().println("jipc rm: no such segment: " + file);
                status = 1;
            }
        }
        return status;
    }
}
