package dev.jipc.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.concurrent.Callable;

import dev.jipc.core.AttachLock;
import dev.jipc.core.SegmentFormatException;
import dev.jipc.core.SegmentInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code jipc ls}: every entry of a segment directory. Segments with their kind, size and creator; the temporary files
 * of unfinished creates as such; anything else as not jipc's.
 */
@Command(name = "ls", description = "List segments: name, kind, size, creator pid, the live processes that have it " +
    "mapped; and leftovers.")
final class LsCommand implements Callable<Integer>
{
    private static final String ROW = "%-40s %-16s %12s %10s %s%n";

    @Mixin
    DirectoryOption dir;

    @Override
    public Integer call()
    {
        System.out.printf(ROW, "NAME", "KIND", "SIZE", "CREATOR", "STATE (attached: pids that have it mapped)");
        for (final DirectoryEntry entry : DirectoryEntry.list(dir))
        {
            if (entry.isSegment())
            {
                printSegment(entry);
            }
            else if (entry.isTemporary())
            {
                System.out.printf(ROW, entry.name(), "(temporary)", size(entry.path()),
                    entry.temporaryCreator().getAsLong(), attached(entry.path()).isEmpty() ?
                    "left by a create that died (jipc gc removes it)" : "unfinished create, creator alive");
            }
            else if (entry.isProcessRegistry())
            {
                System.out.printf(ROW, entry.name(), "(registry)", size(entry.path()), "-",
                    "the processes that use this directory (kept by jipc gc)");
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
        if (fault != null && !info.hasJipcMagic() && entry.isChronicleFile() && entry.besideDurableQueue())
        {
            System.out.printf(ROW, entry.name(), "(journal)", info.fileSize(), "-",
                "Chronicle Queue file of the durable queue (kept by jipc gc)");
        }
        else if (fault != null)
        {
            System.out.printf(ROW, entry.name(), "?", info.fileSize(), "?", "invalid: " + fault);
        }
        else
        {
            final List<Long> attached = attached(entry.path());
            final String unused = GcCommand.isDurable(info.kind()) ? "none (durable: kept by jipc gc)" :
                "none (jipc gc removes it)";
            System.out.printf(ROW, entry.name(), info.kind(), info.length(), info.creator().pid(),
                (info.creator().isAlive() ? "creator alive" : "creator dead") + ", attached: " +
                (attached.isEmpty() ? unused : attached));
        }
    }

    /** The pids of the live processes that have a file mapped; empty if that cannot be told (it is gone). */
    static List<Long> attached(final Path path)
    {
        try
        {
            return AttachLock.attachers(path);
        }
        catch (final UncheckedIOException ex)
        {
            return List.of();
        }
    }

    /** The entry's own size (a link's, not its target's), or "?" when it is gone already. */
    private static String size(final Path path)
    {
        try
        {
            return Long.toString(
                Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).size());
        }
        catch (final IOException ex)
        {
            return "?";
        }
    }
}
