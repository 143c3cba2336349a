package dev.jipc.pool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

/**
 * {@link Processes#cpuCount()}: the processors of {@link Runtime#availableProcessors()}, bounded by the CPU quota
 * of the cgroups this JVM runs in. A quota of {@code q} microseconds per period {@code p} allows {@code ceil(q / p)}
 * processors; the tightest limit of the cgroup and its ancestors applies. cgroup v2 keeps the quota in
 * {@code cpu.max} ({@code "max 100000"} or {@code "200000 100000"}), v1 in {@code cpu.cfs_quota_us} ({@code -1} for
 * none) and {@code cpu.cfs_period_us}. Files that cannot be read impose no limit.
 */
final class CpuCount
{
    private static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");
    private static final Path SELF_CGROUP = Path.of("/proc/self/cgroup");

    private CpuCount()
    {
    }

    static int get()
    {
        List<String> lines;
        try
        {
            lines = Files.readAllLines(SELF_CGROUP);
        }
        catch (final IOException | RuntimeException ex)
        {
            lines = List.of();
        }
        return compute(Runtime.getRuntime().availableProcessors(), CGROUP_ROOT, lines);
    }

    /**
     * The count for a cgroup file system and a {@code /proc/self/cgroup}.
     *
     * @param available what the JVM reports (affinity).
     * @param root      where the cgroup file system is mounted, usually {@code /sys/fs/cgroup}.
     * @param cgroups   the lines of {@code /proc/self/cgroup}.
     * @return at least 1, at most {@code available}.
     */
    static int compute(final int available, final Path root, final List<String> cgroups)
    {
        int count = Math.max(1, available);
        for (final String line : cgroups)
        {
            final String[] fields = line.split(":", 3);
            if (fields.length != 3)
            {
                continue;
            }
            final OptionalInt limit;
            if (fields[1].isEmpty() && fields[0].equals("0"))
            {
                limit = walk(root, fields[2], true);
            }
            else if (List.of(fields[1].split(",")).contains("cpu"))
            {
                limit = walk(root.resolve(fields[1]), fields[2], false);
            }
            else
            {
                continue;
            }
            if (limit.isPresent())
            {
                count = Math.min(count, limit.getAsInt());
            }
        }
        return Math.max(1, count);
    }

    /** The tightest limit from the cgroup up to the mount root (a container often mounts its own cgroup as root). */
    private static OptionalInt walk(final Path mount, final String cgroup, final boolean v2)
    {
        int tightest = Integer.MAX_VALUE;
        final String relative = cgroup.startsWith("/") ? cgroup.substring(1) : cgroup;
        Path directory = mount.resolve(relative).normalize();
        if (!directory.startsWith(mount) || !Files.isDirectory(directory))
        {
            directory = mount;
        }
        while (true)
        {
            final OptionalInt limit = v2 ? v2Limit(directory) : v1Limit(directory);
            if (limit.isPresent())
            {
                tightest = Math.min(tightest, limit.getAsInt());
            }
            if (directory.equals(mount) || directory.getParent() == null)
            {
                break;
            }
            directory = directory.getParent();
        }
        return tightest == Integer.MAX_VALUE ? OptionalInt.empty() : OptionalInt.of(tightest);
    }

    private static OptionalInt v2Limit(final Path directory)
    {
        final String text = read(directory.resolve("cpu.max"));
        if (text == null)
        {
            return OptionalInt.empty();
        }
        final String[] parts = text.trim().split("\\s+");
        if (parts.length < 1 || parts[0].equals("max"))
        {
            return OptionalInt.empty();
        }
        return limit(parts[0], parts.length > 1 ? parts[1] : "100000");
    }

    private static OptionalInt v1Limit(final Path directory)
    {
        final String quota = read(directory.resolve("cpu.cfs_quota_us"));
        final String period = read(directory.resolve("cpu.cfs_period_us"));
        return quota == null || period == null ? OptionalInt.empty() : limit(quota.trim(), period.trim());
    }

    private static OptionalInt limit(final String quota, final String period)
    {
        try
        {
            final long q = Long.parseLong(quota);
            final long p = Long.parseLong(period);
            if (q <= 0 || p <= 0)
            {
                return OptionalInt.empty();
            }
            return OptionalInt.of((int)Math.min(Integer.MAX_VALUE, Math.max(1, (q + p - 1) / p)));
        }
        catch (final NumberFormatException ex)
        {
            return OptionalInt.empty();
        }
    }

    private static String read(final Path file)
    {
        try
        {
            return Files.isRegularFile(file) ? Files.readString(file) : null;
        }
        catch (final IOException | RuntimeException ex)
        {
            return null;
        }
    }
}
