package dev.jipc.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import dev.jipc.core.SegmentDirectory;
import dev.jipc.core.SegmentFormatException;
import dev.jipc.core.SegmentInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jipc rm NAME...}: unlinks segments; processes attached keep their mappings. A file without jipc's magic is
 * left in place unless {@code --force} is given: a mistyped name must not delete a file of another program.
 */
@Command(name = "rm", description = "Remove segments by name (attached processes keep their mapping).")
final class RmCommand implements Callable<Integer>
{
    @Mixin
    DirectoryOption dir;

    @Spec
    CommandSpec spec;

    @Option(names = {"-f", "--force"}, description = "Remove the named files even when they are not jipc segments.")
    boolean force;

    @Parameters(arity = "1..*", paramLabel = "NAME", description = "Segment names.")
    List<String> names;

    @Override
    public Integer call() throws IOException
    {
        int status = 0;
        final Path directory = dir.safe();
        for (final String name : names)
        {
            final Path file = directory.resolve(SegmentDirectory.validateName(name));
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS))
            {
                spec.commandLine().getErr().println("jipc rm: no such segment: " + file);
                status = 1;
                continue;
            }
            final String foreign = force ? null : notJipcs(file);
            if (foreign != null)
            {
                spec.commandLine().getErr().println(
                    "jipc rm: not a jipc segment, left in place (--force removes it): " + file + ": " + foreign);
                status = 1;
                continue;
            }
            Files.deleteIfExists(file);
        }
        return status;
    }

    /** Why a file is not a jipc segment, or null when it starts with jipc's magic (damaged or not). */
    private static String notJipcs(final Path file)
    {
        try
        {
            final SegmentInfo info = SegmentInfo.read(file);
            return info.hasJipcMagic() ? null : info.fault();
        }
        catch (final SegmentFormatException ex)
        {
            return ex.fault();
        }
    }
}
