package dev.jipc.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.Callable;

import dev.jipc.core.ProcessIdentity;
import dev.jipc.core.SegmentFormatException;
import dev.jipc.core.SegmentInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code jipc ls}: every entry of a segment directory. Segments with their kind, size and creator; the temporary files
 * of unfinished creates as such; anything else as not jipc's.
 */
@Command(name = "ls", description = "List segments: name, kind, size, creator pid, alive or dead; and leftovers.")
final class LsCommand implements Callable<Integer>
{
    private static final String ROW = "%-40s %-16s %12s %10s %s%n";

    @Mixin
    DirectoryOption dir;

    @Override
    public Integer call()
    {
        System.out.printf(ROW, "NAME", "KIND", "SIZE", "CREATOR", "STATE");
        for (final DirectoryEntry entry : DirectoryEntry.list(dir))
        {
            if (entry.isSegment())
            {
                printSegment(entry);
            }
            else if (entry.isTemporary())
            {
                final long pid = entry.temporaryCreator().getAsLong();
                System.out.printf(ROW, entry.name(), "(temporary)", size(entry.path()), pid,
                    ProcessIdentity.of(pid).isPresent() ? "unfinished create, creator alive" :
                    "left by a dead create (jipc gc removes it)");
            }
            else
            {
                System.out.printf(ROW, entry.name(), "?", size(entry.path()), "?", "not jipc's: not a segment name");
            }
        }
        return 0;
    }

    private static void printSegment(final DirectoryEntry entry)
    {
        final SegmentInfo info;
        try
        {
            info = SegmentInfo.read(entry.path());
        }
        catch (final SegmentFormatException ex)
        {
            System.out.printf(ROW, entry.name(), "?", size(entry.path()), "?", "invalid: " + ex.fault());
            return;
        }
        final String fault = info.fault();
        if (fault != null)
        {
            System.out.printf(ROW, entry.name(), "?", info.fileSize(), "?", "invalid: " + fault);
        }
        else
        {
            System.out.printf(ROW, entry.name(), info.kind(), info.length(), info.creator().pid(),
                info.creator().isAlive() ? "alive" : "dead");
        }
    }

    /** The entry's own size (a link's, not its target's), or "?" when it is gone already. */
    private static String size(final Path path)
    {
        try
        {
            return Long.toString(Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).size());
        }
        catch (final IOException ex)
        {
            return "?";
        }
    }
}
