package dev.jipc.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link CpuCount} over cgroup file systems laid out in a temporary directory. */
class CpuCountTest
{
    @TempDir
    Path root;

    @Test
    void shouldUseTheAvailableProcessorsWhenThereIsNoQuota() throws IOException
    {
        write(root.resolve("app/cpu.max"), "max 100000\n");
        assertEquals(8, CpuCount.compute(8, root, List.of("0::/app")));
    }

    @Test
    void shouldRoundACgroupV2QuotaUp() throws IOException
    {
        write(root.resolve("app/cpu.max"), "150000 100000\n");
        assertEquals(2, CpuCount.compute(8, root, List.of("0::/app")));
    }

    @Test
    void shouldApplyTheTightestQuotaOfTheCgroupAndItsAncestors() throws IOException
    {
        write(root.resolve("cpu.max"), "max 100000\n");
        write(root.resolve("a/cpu.max"), "100000 100000\n");
        write(root.resolve("a/b/cpu.max"), "400000 100000\n");
        assertEquals(1, CpuCount.compute(8, root, List.of("0::/a/b")));
    }

    @Test
    void shouldNeverExceedTheAvailableProcessors() throws IOException
    {
        write(root.resolve("app/cpu.max"), "800000 100000\n");
        assertEquals(2, CpuCount.compute(2, root, List.of("0::/app")));
    }

    @Test
    void shouldReadACgroupV1Quota() throws IOException
    {
        write(root.resolve("cpu,cpuacct/job/cpu.cfs_quota_us"), "250000\n");
        write(root.resolve("cpu,cpuacct/job/cpu.cfs_period_us"), "100000\n");
        assertEquals(3, CpuCount.compute(16, root, List.of("4:memory:/job", "3:cpu,cpuacct:/job")));
    }

    @Test
    void shouldIgnoreAnUnlimitedCgroupV1Quota() throws IOException
    {
        write(root.resolve("cpu/cpu.cfs_quota_us"), "-1\n");
        write(root.resolve("cpu/cpu.cfs_period_us"), "100000\n");
        assertEquals(4, CpuCount.compute(4, root, List.of("1:cpu:/")));
    }

    @Test
    void shouldFallBackToTheMountRootWhenTheCgroupPathIsNotMounted() throws IOException
    {
        // a container sees its own cgroup as the root of the mount, under a path that names the host's cgroup
        write(root.resolve("cpu.max"), "200000 100000\n");
        assertEquals(2, CpuCount.compute(8, root, List.of("0::/kubepods/pod1/abc")));
    }

    @Test
    void shouldIgnoreUnreadableOrMalformedFiles() throws IOException
    {
        write(root.resolve("app/cpu.max"), "lots 100000\n");
        assertEquals(6, CpuCount.compute(6, root, List.of("0::/app", "garbage")));
    }

    @Test
    void shouldCountAtLeastOneOnThisMachine()
    {
        final int count = Processes.cpuCount();
        assertTrue(count >= 1 && count <= Runtime.getRuntime().availableProcessors(), "count=" + count);
    }

    private static void write(final Path file, final String text) throws IOException
    {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
