package dev.jipc.core;

import static dev.jipc.core.ChildProcesses.awaitSuccess;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.test.ChildLogs;
import dev.jipc.core.test.Names;
import org.agrona.concurrent.AtomicBuffer;
import org.junit.jupiter.api.Test;

class SharedMemoryCrossProcessTest
{
    private static final int WORDS = 1024;

    @Test
    void shouldShowWhatOneJvmWroteToAnotherThatOpensByName() throws InterruptedException
    {
        final String name = Names.unique("shm");
        try (SharedMemory block = SharedMemory.create(name, WORDS * 8L);
            ChildProcesses children = ChildLogs.group())
        {
            writePattern(block.buffer(), 7);
            awaitSuccess(children.start(ChildJvm.of(Child.class).args("name", name)), 60, TimeUnit.SECONDS);
            assertPattern(block.buffer(), 1_000_007);
            block.unlink();
        }
    }

    @Test
    void shouldReattachAHandleSerialisedInAnotherJvm() throws InterruptedException
    {
        final String name = Names.unique("shm-handle");
        try (SharedMemory block = SharedMemory.create(name, WORDS * 8L);
            ChildProcesses children = ChildLogs.group())
        {
            writePattern(block.buffer(), 7);
            final int size = Handles.toBytes(block).length;
            assertEquals(true, size < 512, "a handle, not the memory: size=" + size);
            final String handle = Handles.encode(block);
            awaitSuccess(children.start(ChildJvm.of(Child.class).args("handle", handle)), 60, TimeUnit.SECONDS);
            assertPattern(block.buffer(), 1_000_007);
            block.unlink();
        }
    }

    static void writePattern(final AtomicBuffer buffer, final long seed)
    {
        for (int i = 0; i < WORDS; i++)
        {
            buffer.putLong(i * 8, seed * 31 + i);
        }
        buffer.putLongVolatile(0, seed * 31);
    }

    static void assertPattern(final AtomicBuffer buffer, final long seed)
    {
        assertEquals(seed * 31, buffer.getLongVolatile(0));
        for (int i = 0; i < WORDS; i++)
        {
            assertEquals(seed * 31 + i, buffer.getLong(i * 8), "word " + i);
        }
    }

    /** Opens the block (by name or from a serialised handle), checks the parent's pattern, writes its own. */
    public static final class Child
    {
        public static void main(final String[] args) throws Exception
        {
            final SharedMemory block = args[0].equals("name") ? SharedMemory.open(args[1]) : Handles.decode(args[1]);
            try (block)
            {
                assertPattern(block.buffer(), 7);
                writePattern(block.buffer(), 1_000_007);
            }
            System.out.println("child checked and wrote " + Files.exists(Path.of("/proc/self")));
        }
    }
}
