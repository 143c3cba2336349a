package dev.jipc.tools;

import java.nio.file.Path;

import dev.jipc.core.SegmentDirectory;
import picocli.CommandLine.Option;

/** The {@code --dir} option shared by the segment commands. */
final class DirectoryOption
{
    @Option(names = {"-d", "--dir"}, paramLabel = "DIR",
        description = "Segment directory (default: ${DEFAULT-VALUE}).")
    Path directory = SegmentDirectory.defaultDirectory();
}
