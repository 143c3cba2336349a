package dev.jipc.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.jipc.core.ProcessIdentity;
import dev.jipc.core.SegmentInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code jipc gc}: removes segments whose creator is dead, and the temporary files of creates that died half-way.
 * Segments with a live creator and files that are not jipc segments are left alone.
 */
@Command(name = "gc", description = "Remove segments whose creator process is dead.")
final class GcCommand implements Callable<Integer>
{
    private static final Pattern TEMPORARY = Pattern.compile("\\..+\\.(\\d+)\\.tmp");

    @Mixin
    DirectoryOption dir;

    @Option(names = {"-n", "--dry-run"}, description = "Only list what would be removed.")
    boolean dryRun;

    @Override
    public Integer call() throws IOException
    {
        int removed = 0;
        for (final Path file : LsCommand.segmentFiles(dir.directory))
        {
            final SegmentInfo info = SegmentInfo.read(file);
            if (info.fault() == null && !info.creator().isAlive())
            {
                removed += remove(file, "creator pid " + info.creator().pid() + " is dead");
            }
        }
        if (Files.isDirectory(dir.directory))
        {
            try (Stream<Path> entries = Files.list(dir.directory))
            {
                for (final Path file : (Iterable<Path>)entries::iterator)
                {
                    final Matcher temporary = TEMPORARY.matcher(file.getFileName().toString());
                    if (temporary.matches() && ProcessIdentity.of(Long.parseLong(temporary.group(1))).isEmpty())
                    {
                        removed += remove(file, "unfinished create by dead pid " + temporary.group(1));
                    }
                }
            }
        }
        System.out.println((dryRun ? "would remove " : "removed ") + removed + " segment(s) from " + dir.directory);
        return 0;
    }

    private int remove(final Path file, final String why) throws IOException
    {
        System.out.println((dryRun ? "would remove " : "remove ") + file.getFileName() + ": " + why);
        if (!dryRun)
        {
            Files.deleteIfExists(file);
        }
        return 1;
    }
}
