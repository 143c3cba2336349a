package dev.jipc.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

import com.sun.security.auth.module.UnixSystem;

/**
 * What {@code lstat(2)} says about a path, never following a symbolic link: its type, permission bits and owner. The
 * facts {@link SegmentDirectory} checks before it trusts a directory or opens a file, and names in its errors.
 *
 * @param path the path.
 * @param mode the {@code st_mode} word: file type bits and permission bits.
 * @param uid  the owner's user id.
 */
record FileStatus(Path path, int mode, int uid)
{
    /** This process's user id, the owner of the files it creates (a JVM is never set-uid: real and effective agree). */
    static final long CURRENT_UID = new UnixSystem().getUid();

    private static final int TYPE_MASK = 0170000;
    private static final int SOCKET = 0140000;
    private static final int SYMBOLIC_LINK = 0120000;
    private static final int REGULAR_FILE = 0100000;
    private static final int BLOCK_DEVICE = 0060000;
    private static final int DIRECTORY = 0040000;
    private static final int CHARACTER_DEVICE = 0020000;
    private static final int FIFO = 0010000;
    private static final int PERMISSION_MASK = 0777;
    private static final int GROUP_AND_OTHER = 0077;

    /**
     * The status of a path itself: a symbolic link is reported as a link, not as what it points to.
     *
     * @param path the path.
     * @return its status.
     * @throws IOException as {@link java.nio.file.NoSuchFileException} when nothing is there.
     */
    static FileStatus lstat(final Path path) throws IOException
    {
        final Map<String, Object> unix = Files.readAttributes(path, "unix:mode,uid", LinkOption.NOFOLLOW_LINKS);
        return new FileStatus(path, (Integer)unix.get("mode"), (Integer)unix.get("uid"));
    }

    boolean isRegularFile()
    {
        return (mode & TYPE_MASK) == REGULAR_FILE;
    }

    boolean isDirectory()
    {
        return (mode & TYPE_MASK) == DIRECTORY;
    }

    boolean isSymbolicLink()
    {
        return (mode & TYPE_MASK) == SYMBOLIC_LINK;
    }

    boolean isOwnedByCurrentUser()
    {
        return Integer.toUnsignedLong(uid) == CURRENT_UID;
    }

    boolean isGroupOrOtherAccessible()
    {
        return (mode & GROUP_AND_OTHER) != 0;
    }

    /**
     * The file type in words, as {@code ls -l} and {@code stat(1)} say it.
     *
     * @return for instance {@code "fifo"} or {@code "directory"}.
     */
    String type()
    {
        return switch (mode & TYPE_MASK)
        {
            case REGULAR_FILE -> "regular file";
            case DIRECTORY -> "directory";
            case SYMBOLIC_LINK -> "symbolic link";
            case FIFO -> "fifo";
            case CHARACTER_DEVICE -> "character device";
            case BLOCK_DEVICE -> "block device";
            case SOCKET -> "socket";
            default -> "unknown type 0" + Integer.toOctalString(mode & TYPE_MASK);
        };
    }

    /**
     * The permission bits in octal.
     *
     * @return for instance {@code "0755"}.
     */
    String permissions()
    {
        return String.format("%04o", mode & PERMISSION_MASK);
    }

    /**
     * The owner by name where the system knows one, with the user id.
     *
     * @return for instance {@code "alice (uid 1000)"}.
     */
    String owner()
    {
        String name;
        try
        {
            name = Files.getOwner(path, LinkOption.NOFOLLOW_LINKS).getName();
        }
        catch (final IOException ex)
        {
            name = "?";
        }
        return name + " (uid " + Integer.toUnsignedLong(uid) + ")";
    }

    /**
     * The current user, as {@link #owner()} names an owner.
     *
     * @return for instance {@code "alice (uid 1000)"}.
     */
    static String currentUser()
    {
        return System.getProperty("user.name") + " (uid " + CURRENT_UID + ")";
    }
}
