package dev.jipc.core;

import static dev.jipc.core.test.ChildProcesses.awaitSuccess;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.test.ChildProcesses;
import dev.jipc.core.test.Names;
import org.agrona.concurrent.AtomicBuffer;
import org.junit.jupiter.api.Test;

class SharedMemoryCrossProcessTest
{
    private static final int WORDS = 1024;

    @Test
    void shouldShowWhatOneJvmWroteToAnotherThatOpensByName()
    {
        final String name = Names.unique("shm");
        try (SharedMemory block = SharedMemory.create(name, WORDS * 8L);
            ChildProcesses children = new ChildProcesses())
        {
            writePattern(block.buffer(), 7);
            awaitSuccess(children.start(ChildJvm.of(Child.class).args("name", name)), 60, TimeUnit.SECONDS);
            assertPattern(block.buffer(), 1_000_007);
            block.unlink();
        }
    }

    @Test
    void shouldReattachAHandleSerialisedInAnotherJvm() throws IOException
    {
        final String name = Names.unique("shm-handle");
        try (SharedMemory block = SharedMemory.create(name, WORDS * 8L);
            ChildProcesses children = new ChildProcesses())
        {
            writePattern(block.buffer(), 7);
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes))
            {
                out.writeObject(block);
            }
            assertEquals(true, bytes.size() < 512, "a handle, not the memory: size=" + bytes.size());
            final String handle = Base64.getEncoder().encodeToString(bytes.toByteArray());
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
            final SharedMemory block;
            if (args[0].equals("name"))
            {
                block = SharedMemory.open(args[1]);
            }
            else
            {
                try (ObjectInputStream in = new ObjectInputStream(
                    new java.io.ByteArrayInputStream(Base64.getDecoder().decode(args[1]))))
                {
                    block = (SharedMemory)in.readObject();
                }
            }
            try (block)
            {
                assertPattern(block.buffer(), 7);
                writePattern(block.buffer(), 1_000_007);
            }
            System.out.println("child checked and wrote " + Files.exists(Path.of("/proc/self")));
        }
    }
}
