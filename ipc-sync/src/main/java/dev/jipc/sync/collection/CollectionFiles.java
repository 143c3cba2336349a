package dev.jipc.sync.collection;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.stream.Stream;

import dev.jipc.core.SegmentDirectory;
import dev.jipc.core.SegmentInfo;
import dev.jipc.core.SegmentKind;

/**
 * What the directory tools need to know about a collection's files without attaching to it: which root a data
 * segment belongs to and whether it is that root's current generation. {@code jipc gc} keeps the current generation
 * of a collection whose root is in use even when no process has mapped that generation yet (a handle that has not
 * followed a writer's growth still maps the replaced one).
 */
public final class CollectionFiles
{
    private CollectionFiles()
    {
    }

    /**
     * Removes a collection's files by name: its root, its lock and every generation, and those of a dict's other
     * stripes ({@code <name>.s<k>}, see {@link DictStripes}). Handles attached already keep their mappings until they
     * close.
     *
     * @param directory the segment directory.
     * @param name      the collection's name.
     * @throws UncheckedIOException if the directory cannot be listed or a file not removed.
     */
    public static void remove(final Path directory, final String name)
    {
        final Path safe = SegmentDirectory.requireSafe(directory);
        SegmentDirectory.validateName(name);
        try (Stream<Path> files = Files.list(safe))
        {
            for (final Path file : files.toList())
            {
                if (belongsTo(file.getFileName().toString(), name))
                {
                    Files.deleteIfExists(file);
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot remove the files of " + safe.resolve(name) + ": " + ex, ex);
        }
    }

    /** Whether a file is the root, lock or a generation of the collection {@code name} or of one of its stripes. */
    private static boolean belongsTo(final String fileName, final String name)
    {
        String collection = fileName;
        if (collection.endsWith(".lock"))
        {
            collection = collection.substring(0, collection.length() - ".lock".length());
        }
        else
        {
            collection = rootOf(Path.of(fileName)).map(root -> root.getFileName().toString()).orElse(collection);
        }
        if (collection.equals(name))
        {
            return true;
        }
        final String stripe = name + ".s";
        return collection.startsWith(stripe) && isDigits(collection.substring(stripe.length()), 2);
    }

    private static boolean isDigits(final String text, final int maxLength)
    {
        return !text.isEmpty() && text.length() <= maxLength && text.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /**
     * The root of a collection data segment, by name ({@code <root>.g<N>}).
     *
     * @param dataFile a data segment's file.
     * @return the root's file, if the name has that form.
     */
    public static Optional<Path> rootOf(final Path dataFile)
    {
        final String name = dataFile.getFileName().toString();
        final int suffix = name.lastIndexOf(".g");
        final String digits = suffix <= 0 ? "" : name.substring(suffix + 2);
        if (!isDigits(digits, 18))
        {
            return Optional.empty();
        }
        return Optional.of(dataFile.resolveSibling(name.substring(0, suffix)));
    }

    /**
     * Whether a data segment is the current generation of a valid collection root beside it.
     *
     * @param dataFile a data segment's file.
     * @return true if its root exists, is a dict or list, and names this generation.
     * @throws IOException if the root cannot be read.
     */
    public static boolean isCurrentGeneration(final Path dataFile) throws IOException
    {
        final Optional<Path> root = rootOf(dataFile);
        if (root.isEmpty() || !Files.isRegularFile(root.get(), LinkOption.NOFOLLOW_LINKS))
        {
            return false;
        }
        final SegmentInfo info = SegmentInfo.read(root.get());
        if (info.fault() != null || (info.kind() != SegmentKind.DICT && info.kind() != SegmentKind.LIST))
        {
            return false;
        }
        final String name = dataFile.getFileName().toString();
        final long number = Long.parseLong(name.substring(name.lastIndexOf(".g") + 2));
        try (FileChannel channel = FileChannel.open(root.get(), StandardOpenOption.READ))
        {
            final ByteBuffer generation = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            return channel.read(generation, CollectionDescriptor.ROOT_GENERATION_OFFSET) == Long.BYTES &&
                generation.getLong(0) == number;
        }
    }
}
