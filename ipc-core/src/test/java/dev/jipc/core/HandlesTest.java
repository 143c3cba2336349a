package dev.jipc.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.util.Base64;

import org.junit.jupiter.api.Test;

class HandlesTest
{
    @Test
    void shouldRoundTripOneObjectAndSeveral()
    {
        assertEquals("a value", Handles.<String>decode(Handles.encode("a value")));
        final Object[] all = Handles.decode(Handles.encodeAll("first", 2, 3L));
        assertArrayEquals(new Object[] {"first", 2, 3L}, all);
        assertEquals(42, Handles.<Integer>fromBytes(Handles.toBytes(42)));
    }

    @Test
    void shouldPassASharedBlockAsASmallHandle()
    {
        try (SharedMemory block = SharedMemory.create(1 << 20))
        {
            try
            {
                assertTrue(Handles.toBytes(block).length < 512, "a handle, not the memory");
                try (SharedMemory copy = Handles.decode(Handles.encode(block)))
                {
                    block.buffer().putLong(0, 17);
                    assertEquals(17, copy.buffer().getLong(0));
                }
            }
            finally
            {
                block.unlink();
            }
        }
    }

    @Test
    void shouldNameTheProblemWithABadArgument()
    {
        final IllegalArgumentException notBase64 =
            assertThrows(IllegalArgumentException.class, () -> Handles.decode("not base64!"));
        assertTrue(notBase64.getMessage().startsWith("not a Base64 handle: length=11"), notBase64.getMessage());
        final String notSerialised = Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4});
        final UncheckedIOException notAHandle =
            assertThrows(UncheckedIOException.class, () -> Handles.decode(notSerialised));
        assertTrue(notAHandle.getMessage().startsWith("cannot read handle: length=4"), notAHandle.getMessage());
    }
}
