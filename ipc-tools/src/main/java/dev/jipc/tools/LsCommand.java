package dev.jipc.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import dev.jipc.core.SegmentInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code jipc ls}: the segments in a directory with their kind, size and creator. */
@Command(name = "ls", description = "List segments: name, kind, size, creator pid, alive or dead.")
final class LsCommand implements Callable<Integer>
{
    @Mixin
    DirectoryOption dir;

    @Override
    public Integer call()
    {
        final List<Path> files = segmentFiles(dir.directory);
        System.out.printf("%-40s %-16s %12s %10s %s%n", "NAME", "KIND", "SIZE", "CREATOR", "STATE");
        for (final Path file : files)
        {
            final SegmentInfo info = SegmentInfo.read(file);
            final String fault = info.fault();
            if (fault != null)
            {
                System.out.printf("%-40s %-16s %12d %10s %s%n", file.getFileName(), "?", info.fileSize(), "?",
                    "invalid: " + fault);
            }
            else
            {
                System.out.printf("%-40s %-16s %12d %10d %s%n", file.getFileName(), info.kind(), info.length(),
                    info.creator().pid(), info.creator().isAlive() ? "alive" : "dead");
            }
        }
        return 0;
    }

    /** Regular files in the directory whose names are segment names, sorted; empty if there is no directory. */
    static List<Path> segmentFiles(final Path directory)
    {
        if (!Files.isDirectory(directory))
        {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(directory))
        {
            return entries
                .filter(Files::isRegularFile)
                .filter(p -> !p.getFileName().toString().startsWith("."))
                .sorted()
                .toList();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list " + directory, ex);
        }
    }
}
