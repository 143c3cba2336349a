package dev.jipc.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;

import dev.jipc.core.ProcessRegistry;
import dev.jipc.core.SegmentDirectory;

/**
 * One entry of a segment directory, told apart by its name: a segment, the temporary file of a create that has not
 * finished (or never will), or something else that jipc did not put there.
 *
 * @param path             the entry.
 * @param temporaryCreator the pid of the process creating it, when it is a temporary file.
 */
record DirectoryEntry(Path path, OptionalLong temporaryCreator)
{
    /** The name of a durable queue's jipc segment, beside its Chronicle journal. */
    static final String DURABLE_QUEUE_SEGMENT = "queue.jipc";

    /**
     * Every entry of a safe directory, sorted by name; none when the directory does not exist.
     *
     * @param dir the directory option.
     * @return the entries.
     */
    static List<DirectoryEntry> list(final DirectoryOption dir)
    {
        if (!dir.exists())
        {
            return List.of();
        }
        final Path directory = dir.safe();
        try (Stream<Path> entries = Files.list(directory))
        {
            return entries
                .sorted()
                .map(p -> new DirectoryEntry(p, SegmentDirectory.temporaryFileCreator(p.getFileName().toString())))
                .toList();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list " + directory + ": " + ex, ex);
        }
    }

    String name()
    {
        return path.getFileName().toString();
    }

    boolean isSegment()
    {
        return SegmentDirectory.isValidName(name());
    }

    boolean isTemporary()
    {
        return temporaryCreator.isPresent();
    }

    /**
     * A file of a Chronicle Queue journal: a cycle file ({@code *.cq4}) or its metadata ({@code *.cq4t}). Beside a
     * durable queue's {@code queue.jipc} these are the queue's messages, which {@code jipc gc} never removes.
     */
    boolean isChronicleFile()
    {
        final String name = name();
        return name.endsWith(".cq4") || name.endsWith(".cq4t");
    }

    /** Whether the directory holds a durable queue: a {@code queue.jipc} beside this entry. */
    boolean besideDurableQueue()
    {
        return Files.exists(path.resolveSibling(DURABLE_QUEUE_SEGMENT), LinkOption.NOFOLLOW_LINKS);
    }

    /** The directory's process registry: jipc's, but not a segment. */
    boolean isProcessRegistry()
    {
        return name().equals(ProcessRegistry.FILE_NAME);
    }
}
