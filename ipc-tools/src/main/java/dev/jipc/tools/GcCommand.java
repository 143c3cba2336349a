package dev.jipc.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.jipc.core.ProcessIdentity;
import dev.jipc.core.SegmentFormatException;
import dev.jipc.core.SegmentInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jipc gc}: removes segments whose creator is dead, and the temporary files of creates that died half-way.
 * Segments with a live creator and files that are not jipc's are left alone; an entry that cannot be judged is
 * reported and skipped, and the rest of the directory is still collected.
 */
@Command(name = "gc", description = "Remove segments whose creator process is dead.")
final class GcCommand implements Callable<Integer>
{
    @Mixin
    DirectoryOption dir;

    @Spec
    CommandSpec spec;

    @Option(names = {"-n", "--dry-run"}, description = "Only list what would be removed.")
    boolean dryRun;

    @Override
    public Integer call()
    {
        int removed = 0;
        for (final DirectoryEntry entry : DirectoryEntry.list(dir))
        {
            try
            {
                removed += collect(entry);
            }
            catch (final SegmentFormatException | UncheckedIOException | IOException ex)
            {
                spec.commandLine().getErr().println("jipc gc: skip " + entry.name() + ": " + ex.getMessage());
            }
        }
        System.out.println((dryRun ? "would remove " : "removed ") + removed + " segment(s) from " + dir.directory);
        return 0;
    }

    private int collect(final DirectoryEntry entry) throws IOException
    {
        if (entry.isTemporary())
        {
            final long pid = entry.temporaryCreator().getAsLong();
            return ProcessIdentity.of(pid).isEmpty() ? remove(entry.path(), "unfinished create by dead pid " + pid) : 0;
        }
        if (entry.isSegment())
        {
            final SegmentInfo info = SegmentInfo.read(entry.path());
            if (info.fault() == null && !info.creator().isAlive())
            {
                return remove(entry.path(), "creator pid " + info.creator().pid() + " is dead");
            }
        }
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
