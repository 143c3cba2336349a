package dev.jipc.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.AttachLock;
import dev.jipc.core.ProcessIdentity;
import dev.jipc.core.SegmentFormatException;
import dev.jipc.core.SegmentInfo;
import dev.jipc.core.SegmentKind;
import dev.jipc.sync.collection.CollectionFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jipc gc}: removes segments that no live process has mapped, and the temporary files of creates that died
 * half-way. What some live process maps stays, whether its creator lives or not (a queue whose creator exited while a
 * consumer is attached), in any pid namespace: attachment is the kernel's {@link AttachLock}, not a pid. Files that
 * are not jipc's and the directory's process registry are left alone, and so is durable state: a durable queue's
 * {@code queue.jipc}, its consumers' segments and its Chronicle journal, which hold messages and acknowledgements
 * meant to outlive every process (a consumer's unused lock may go; the queue makes it again). An entry that cannot be
 * judged is reported and skipped, and the rest of the directory is still collected.
 */
@Command(name = "gc", description = "Remove segments that no live process has mapped, and leftovers of dead creates.")
final class GcCommand implements Callable<Integer>
{
    /**
     * A live create locks its temporary file microseconds after making it: an unlocked one is abandoned once it is
     * this old, or at once when its pid runs nowhere in this pid namespace.
     */
    private static final long TEMPORARY_GRACE_MILLIS = TimeUnit.SECONDS.toMillis(10);

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
            final long age = System.currentTimeMillis() - Files.getLastModifiedTime(entry.path(),
                LinkOption.NOFOLLOW_LINKS).toMillis();
            final boolean abandoned = age > TEMPORARY_GRACE_MILLIS || ProcessIdentity.of(pid).isEmpty();
            return abandoned ? remove(entry.path(), "unfinished create of pid " + pid + " that no live process holds") :
                0;
        }
        if (entry.isSegment())
        {
            final SegmentInfo info = SegmentInfo.read(entry.path());
            if (info.fault() == null && isDurable(info.kind()))
            {
                return 0;
            }
            if (info.fault() == null && info.kind() == SegmentKind.COLLECTION_DATA &&
                CollectionFiles.isCurrentGeneration(entry.path()) &&
                !LsCommand.attached(CollectionFiles.rootOf(entry.path()).orElseThrow()).isEmpty())
            {
                // a handle of the collection that has not yet followed its growth maps only the replaced generation
                return 0;
            }
            if (info.fault() == null)
            {
                return remove(entry.path(), "no live process has it mapped (creator pid " + info.creator().pid() +
                    (info.creator().isAlive() ? ", alive" : ", dead") + ")");
            }
        }
        return 0;
    }

    /**
     * Whether segments of a kind are durable state that {@code jipc gc} keeps although no process maps them.
     *
     * @param kind the kind, or null for one this version does not know.
     * @return true for a durable queue's segment and its consumers'.
     */
    static boolean isDurable(final SegmentKind kind)
    {
        return kind == SegmentKind.DURABLE_QUEUE || kind == SegmentKind.DURABLE_CONSUMER;
    }

    /** Removes a file unless a live process has it mapped; 1 if it was (or, in a dry run, would be) removed. */
    private int remove(final Path file, final String why) throws IOException
    {
        final boolean removable = dryRun ? LsCommand.attached(file).isEmpty() : AttachLock.removeIfUnused(file);
        if (removable)
        {
            System.out.println((dryRun ? "would remove " : "remove ") + file.getFileName() + ": " + why);
        }
        return removable ? 1 : 0;
    }
}
