package dev.jipc.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Pattern;

/**
 * Where segments live and what they may be called.
 * <p>
 * The default directory is {@code /dev/shm/jipc-<user>/} (memory, gone at reboot), or {@code <tmpdir>/jipc-<user>/}
 * where {@code /dev/shm} does not exist; the system property {@value #DIRECTORY_PROPERTY} overrides it (a real disk,
 * for data that must outlive a reboot). Directories jipc creates are {@code 0700} and files {@code 0600}: only the
 * user who made them may attach.
 */
public final class SegmentDirectory
{
    /** System property naming the default segment directory. Child JVMs started by jipc inherit it. */
    public static final String DIRECTORY_PROPERTY = "jipc.dir";
    /** Longest segment name accepted: room for the temporary name used while creating, under NAME_MAX. */
    public static final int MAX_NAME_LENGTH = 200;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

    private SegmentDirectory()
    {
    }

    /**
     * The directory used when none is given.
     *
     * @return the default directory; not created until a segment is.
     */
    public static Path defaultDirectory()
    {
        final String configured = System.getProperty(DIRECTORY_PROPERTY);
        if (configured != null && !configured.isBlank())
        {
            return Path.of(configured).toAbsolutePath();
        }
        final Path shm = Path.of("/dev/shm");
        final Path base = Files.isDirectory(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        return base.resolve("jipc-" + System.getProperty("user.name"));
    }

    /**
     * Checks a segment name: letters, digits, {@code _ . -}, not starting with a dot, no {@code /}, no {@code ..},
     * at most {@value #MAX_NAME_LENGTH} characters.
     *
     * @param name a segment name.
     * @return the name, when valid.
     * @throws IllegalArgumentException saying what is wrong with it.
     */
    public static String validateName(final String name)
    {
        if (name == null || name.isEmpty())
        {
            throw new IllegalArgumentException("segment name is empty");
        }
        if (name.length() > MAX_NAME_LENGTH)
        {
            throw new IllegalArgumentException(
                "segment name too long: length=" + name.length() + ", max=" + MAX_NAME_LENGTH);
        }
        if (name.contains("/") || name.contains("\\"))
        {
            throw new IllegalArgumentException("segment name must not contain a path separator: name=" + name);
        }
        if (name.contains(".."))
        {
            throw new IllegalArgumentException("segment name must not contain '..': name=" + name);
        }
        if (!NAME.matcher(name).matches())
        {
            throw new IllegalArgumentException(
                "segment name may hold only letters, digits, '_', '.', '-' and must not start with '.': name=" + name);
        }
        return name;
    }

    /**
     * The file of a segment, creating the directory ({@code 0700}) when it does not exist yet.
     *
     * @param directory the segment directory.
     * @param name      a segment name, validated here.
     * @return the path of the segment's file.
     */
    static Path resolve(final Path directory, final String name)
    {
        validateName(name);
        ensureExists(directory);
        return directory.resolve(name);
    }

    private static void ensureExists(final Path directory)
    {
        if (Files.isDirectory(directory))
        {
            return;
        }
        try
        {
            Files.createDirectories(
                directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        catch (final FileAlreadyExistsException ignore)
        {
            // another process created it first
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create segment directory: " + directory, ex);
        }
    }
}
