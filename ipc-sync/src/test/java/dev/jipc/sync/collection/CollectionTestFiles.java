package dev.jipc.sync.collection;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The collection tests' clean-up: every file a test's collections left, whatever the test did to them. */
final class CollectionTestFiles
{
    private CollectionTestFiles()
    {
    }

    /**
     * Removes the files of a directory whose names start with a prefix (roots, locks, generations, leftovers).
     *
     * @param directory the segment directory.
     * @param prefix    the test's unique name.
     * @throws IOException if the directory cannot be listed or a file not removed.
     */
    static void removeStartingWith(final Path directory, final String prefix) throws IOException
    {
        try (Stream<Path> files = Files.list(directory))
        {
            for (final Path file : files.filter(f -> f.getFileName().toString().startsWith(prefix)).toList())
            {
                Files.deleteIfExists(file);
            }
        }
    }
}
