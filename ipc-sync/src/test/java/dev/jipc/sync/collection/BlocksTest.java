package dev.jipc.sync.collection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Random;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/** The word-wise copy, comparison and hash of short runs agree with byte-wise ones at every length and offset. */
class BlocksTest
{
    @Test
    void shouldCopyCompareAndHashEveryLengthAtAnyOffset()
    {
        final Random random = new Random(42);
        final UnsafeBuffer segment = new UnsafeBuffer(ByteBuffer.allocateDirect(512));
        for (int length = 0; length <= 80; length++)
        {
            for (final int offset : new int[] {0, 3, 8, 17})
            {
                final byte[] bytes = new byte[length];
                random.nextBytes(bytes);
                final ExpandableArrayBuffer key = new ExpandableArrayBuffer(8);
                key.putBytes(0, bytes);
                Blocks.copy(key, 0, segment, 100 + offset, length);
                final byte[] copied = new byte[length];
                segment.getBytes(100 + offset, copied);
                assertArrayEquals(bytes, copied, "length " + length);
                assertTrue(Blocks.equalBytes(segment, 100 + offset, key, length));
                assertEquals(Blocks.hash(key, length), hashAt(segment, 100 + offset, length), "length " + length);
                for (int i = 0; i < length; i++)
                {
                    segment.putByte(100 + offset + i, (byte)(bytes[i] ^ 1));
                    assertFalse(Blocks.equalBytes(segment, 100 + offset, key, length), "differs at " + i);
                    segment.putByte(100 + offset + i, bytes[i]);
                }
            }
        }
    }

    private static int hashAt(final UnsafeBuffer segment, final int offset, final int length)
    {
        final ExpandableArrayBuffer copy = new ExpandableArrayBuffer(8);
        Blocks.copy(segment, offset, copy, 0, length);
        return Blocks.hash(copy, length);
    }
}
