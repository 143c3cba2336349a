package dev.jipc.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where segments live, what they may be called, and when a directory and a file in it are trusted.
 * <p>
 * The default directory is {@code /dev/shm/jipc-<user>/} (memory, gone at reboot), or {@code <tmpdir>/jipc-<user>/}
 * where {@code /dev/shm} does not exist; the system property {@value #DIRECTORY_PROPERTY} overrides it (a real disk,
 * for data that must outlive a reboot). Directories jipc creates are made {@code 0700} in one step ({@code mkdir}
 * with that mode, never a chmod afterwards) and files {@code 0600}: only the user who made them may attach.
 * <p>
 * A directory is trusted only when it is safe, by the rules of OpenSSH's {@code StrictModes} and of
 * {@code XDG_RUNTIME_DIR}: a real directory (not a symbolic link), owned by the current user, with no access for group
 * or others. {@code /dev/shm} is writable by every user, so another user could create {@code jipc-<you>} first, open to
 * all or as a link to a directory of theirs, and read every segment made in it; jipc refuses such a directory with an
 * error that says what is wrong and how to fix it. In a safe directory nobody else can add, rename or remove an entry,
 * so what a check finds stays true. A file is opened only when it is a regular file of the current user: a fifo,
 * device, directory or link planted at a segment's name is refused before anything opens it (opening a fifo blocks).
 * <p>
 * A segment is built under a temporary name, {@code .<name>.<nonce>.<pid>.tmp} with a random nonce per attempt, and
 * linked to its name when complete: a leftover of an earlier attempt never stands in the way of a new one, and
 * {@link #temporaryFileCreator} tells the tools such a file from the rest, with the pid that was creating it.
 */
public final class SegmentDirectory
{
    /** System property naming the default segment directory. Child JVMs started by jipc inherit it. */
    public static final String DIRECTORY_PROPERTY = "jipc.dir";
    /** Longest segment name accepted: room for the temporary name used while creating, under NAME_MAX. */
    public static final int MAX_NAME_LENGTH = 200;

    private static final String GIVE_ANOTHER =
        "give another directory (-D" + DIRECTORY_PROPERTY + "=DIR, or --dir DIR to the tools)";
    private static final Pattern NAME_START = Pattern.compile("[A-Za-z0-9_].*");
    private static final Pattern NAME_CHARACTERS = Pattern.compile("[A-Za-z0-9_.-]*");
    // the pid is the last number: it holds for every name, and at most 18 digits always fit a long
    private static final Pattern TEMPORARY = Pattern.compile("\\.[A-Za-z0-9_].*\\.(\\d{1,18})\\.tmp");

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
     * Checks a segment name: letters, digits, {@code _ . -}, starting with a letter, a digit or {@code _}, no
     * {@code /}, no {@code ..}, at most {@value #MAX_NAME_LENGTH} characters.
     *
     * @param name a segment name.
     * @return the name, when valid.
     * @throws IllegalArgumentException saying what is wrong with it.
     */
    public static String validateName(final String name)
    {
        final String fault = nameFault(name);
        if (fault != null)
        {
            throw new IllegalArgumentException(fault);
        }
        return name;
    }

    /**
     * Whether a name is one {@link #validateName} accepts: what tells a segment's file from other entries.
     *
     * @param name a file name.
     * @return true when it is a valid segment name.
     */
    public static boolean isValidName(final String name)
    {
        return nameFault(name) == null;
    }

    /**
     * Checks that a directory is safe to keep segments in: a directory, not a symbolic link, owned by the current
     * user, with no access for group or others.
     *
     * @param directory the segment directory.
     * @return the directory, when safe.
     * @throws UncheckedIOException  with {@link NoSuchFileException} as the cause when it does not exist.
     * @throws IllegalStateException naming the directory, what is wrong with it (type, owner, mode) and the fix.
     */
    public static Path requireSafe(final Path directory)
    {
        final FileStatus status;
        try
        {
            status = FileStatus.lstat(directory);
        }
        catch (final NoSuchFileException ex)
        {
            throw new UncheckedIOException("segment directory does not exist: path=" + directory, ex);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot check segment directory: path=" + directory + ": " + ex, ex);
        }
        if (status.isSymbolicLink())
        {
            throw new IllegalStateException("segment directory is a symbolic link: path=" + directory + ", target=" +
                linkTarget(directory) + "; jipc does not follow a link here, another user may have planted it: " +
                "remove the link (rm " + directory + ") or " + GIVE_ANOTHER);
        }
        if (!status.isDirectory())
        {
            throw new IllegalStateException("segment directory is not a directory: path=" + directory + ", type=" +
                status.type() + "; remove it or " + GIVE_ANOTHER);
        }
        if (!status.isOwnedByCurrentUser())
        {
            throw new IllegalStateException("segment directory is not owned by the current user: path=" + directory +
                ", owner=" + status.owner() + ", user=" + FileStatus.currentUser() + "; another user may have made " +
                "it to read your segments: have it removed (by its owner or root) or " + GIVE_ANOTHER);
        }
        if (status.isGroupOrOtherAccessible())
        {
            throw new IllegalStateException("segment directory is open to group or others: path=" + directory +
                ", owner=" + status.owner() + ", mode=" + status.permissions() + "; jipc needs it private to its " +
                "user: chmod 700 " + directory);
        }
        return directory;
    }

    /**
     * The pid in a temporary file's name, when the name is one jipc gives a segment while creating it.
     *
     * @param fileName a file name in a segment directory.
     * @return the pid of the process that was creating it, or empty when the name is not a temporary one.
     */
    public static OptionalLong temporaryFileCreator(final String fileName)
    {
        final Matcher matcher = TEMPORARY.matcher(fileName);
        return matcher.matches() ? OptionalLong.of(Long.parseLong(matcher.group(1))) : OptionalLong.empty();
    }

    /**
     * The file of an existing segment, in a directory that must exist and be safe.
     *
     * @param directory the segment directory.
     * @param name      a segment name, validated here.
     * @return the path of the segment's file.
     */
    static Path resolve(final Path directory, final String name)
    {
        validateName(name);
        return requireSafe(directory).resolve(name);
    }

    /**
     * The file of a segment about to be created, creating the directory ({@code 0700}) when it does not exist yet.
     *
     * @param directory the segment directory.
     * @param name      a segment name, validated here.
     * @return the path of the segment's file.
     */
    static Path resolveForCreate(final Path directory, final String name)
    {
        validateName(name);
        try
        {
            Files.createDirectories(
                directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        catch (final FileAlreadyExistsException ignore)
        {
            // something other than a directory is there: requireSafe names it
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create segment directory: path=" + directory + ": " + ex, ex);
        }
        return requireSafe(directory).resolve(name);
    }

    /**
     * A fresh temporary name for a segment being created: unique to this attempt.
     *
     * @param directory the segment directory.
     * @param name      the segment's name.
     * @param pid       the creating process.
     * @return {@code <directory>/.<name>.<nonce>.<pid>.tmp}.
     */
    static Path temporaryFile(final Path directory, final String name, final long pid)
    {
        return directory.resolve(
            "." + name + "." + String.format("%016x", ThreadLocalRandom.current().nextLong()) + "." + pid + ".tmp");
    }

    /**
     * Checks, without following a link, that a segment's file is a regular file of the current user, before anything
     * opens it.
     *
     * @param file the segment's file.
     * @throws UncheckedIOException   with {@link NoSuchFileException} as the cause when there is no such file.
     * @throws SegmentFormatException when it is another type of file or another user's.
     */
    static void requireSegmentFile(final Path file)
    {
        final FileStatus status;
        try
        {
            status = FileStatus.lstat(file);
        }
        catch (final NoSuchFileException ex)
        {
            throw new UncheckedIOException("no such segment: " + file, ex);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read segment: " + file + ": " + ex, ex);
        }
        if (!status.isRegularFile())
        {
            throw new SegmentFormatException(file, "not a regular file: type=" + status.type() +
                "; jipc opens only regular files (remove it: rm " + file + ")");
        }
        if (!status.isOwnedByCurrentUser())
        {
            throw new SegmentFormatException(file, "not owned by the current user: owner=" + status.owner() +
                ", user=" + FileStatus.currentUser() + "; jipc opens only its own user's files");
        }
    }

    private static String nameFault(final String name)
    {
        if (name == null || name.isEmpty())
        {
            return "segment name is empty";
        }
        if (name.length() > MAX_NAME_LENGTH)
        {
            return "segment name too long: length=" + name.length() + ", max=" + MAX_NAME_LENGTH;
        }
        if (name.contains("/") || name.contains("\\"))
        {
            return "segment name must not contain a path separator: name=" + name;
        }
        if (name.contains(".."))
        {
            return "segment name must not contain '..': name=" + name;
        }
        if (!NAME_START.matcher(name).matches())
        {
            return "segment name must start with a letter, a digit or '_': name=" + name;
        }
        if (!NAME_CHARACTERS.matcher(name).matches())
        {
            return "segment name may hold only letters, digits, '_', '.' and '-': name=" + name;
        }
        return null;
    }

    private static String linkTarget(final Path link)
    {
        try
        {
            return Files.readSymbolicLink(link).toString();
        }
        catch (final IOException ex)
        {
            return "?";
        }
    }
}
