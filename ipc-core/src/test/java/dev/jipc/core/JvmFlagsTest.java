package dev.jipc.core;

import static dev.jipc.core.ChildProcesses.awaitExit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import dev.jipc.core.test.ChildLogs;
import org.junit.jupiter.api.Test;

class JvmFlagsTest
{
    @Test
    void shouldHaveEveryFlagInThisJvm()
    {
        assertEquals(java.util.List.of(), JvmFlags.missing());
    }

    @Test
    void shouldNameTheExactMissingFlagsAtFirstUse() throws InterruptedException
    {
        try (ChildProcesses children = ChildLogs.group())
        {
            final ChildProcesses.Child child = children.start(
                ChildJvm.of(FirstUse.class).withoutJipcFlags().jvmArgs("-Djipc.dir=target/shm"));
            assertEquals(3, awaitExit(child, 60, TimeUnit.SECONDS), child.output());
            final String output = child.output();
            for (final String flag : JvmFlags.required())
            {
                assertTrue(output.contains(flag), "names " + flag + ":\n" + output);
            }
            assertTrue(output.contains("IllegalStateException: jipc needs JVM flags"), output);
            assertTrue(!output.contains("IllegalAccessError"), output);
        }
    }

    @Test
    void shouldTellAnUnsafeMemoryAccessModeOtherThanAllow() throws InterruptedException
    {
        final String allow = "--sun-misc-unsafe-memory-access=allow";
        final java.util.List<String> flags = new java.util.ArrayList<>(JvmFlags.required());
        assertTrue(flags.remove(allow), "the list has " + allow + ": " + flags);
        flags.add("--sun-misc-unsafe-memory-access=warn");
        flags.add("-Djipc.dir=target/shm");
        try (ChildProcesses children = ChildLogs.group())
        {
            final ChildProcesses.Child child = children.start(
                ChildJvm.of(FirstUse.class).withoutJipcFlags().jvmArgs(flags.toArray(String[]::new)));
            assertEquals(3, awaitExit(child, 60, TimeUnit.SECONDS), child.output());
            assertTrue(child.output().contains("missing " + allow + ";"), child.output());
        }
    }

    /** Uses jipc in a JVM started without its flags; exits 3 on the expected exception. */
    public static final class FirstUse
    {
        public static void main(final String[] args)
        {
            try
            {
                SharedMemory.create(1024).close();
                System.exit(0);
            }
            catch (final IllegalStateException ex)
            {
                System.out.println(ex);
                System.exit(3);
            }
        }
    }
}
