package dev.jipc.tools;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

import dev.jipc.core.SegmentDirectory;
import picocli.CommandLine.Option;

/** The {@code --dir} option shared by the segment commands. */
final class DirectoryOption
{
    @Option(names = {"-d", "--dir"}, paramLabel = "DIR",
        description = "Segment directory (default: ${DEFAULT-VALUE}).")
    Path directory = SegmentDirectory.defaultDirectory();

    /**
     * The directory, once it has passed {@link SegmentDirectory#requireSafe}: the tools trust no more than the library.
     *
     * @return the directory.
     */
    Path safe()
    {
        return SegmentDirectory.requireSafe(directory);
    }

    /**
     * Whether anything is at the directory's path (a link included, which {@link #safe()} then refuses).
     *
     * @return false when there is nothing to list.
     */
    boolean exists()
    {
        return Files.exists(directory, LinkOption.NOFOLLOW_LINKS);
    }
}
