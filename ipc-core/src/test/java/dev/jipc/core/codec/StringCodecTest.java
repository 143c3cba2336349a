package dev.jipc.core.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The string codec writes exactly the UTF-8 bytes, by its ASCII fast path or its fallback, and reads them back. */
class StringCodecTest
{
    @ParameterizedTest
    @ValueSource(strings = {"", "k42", "a longer ascii key of more than eight bytes", "caf\u00e9", "\u65e5\u672c",
        "ascii then \uD83D\uDE00 emoji", "\u007f\u0080"})
    void shouldEncodeUtf8AndDecodeIt(final String text)
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4);
        buffer.putByte(0, (byte)0x55);
        final int length = Codecs.strings().encode(text, buffer, 1);
        final byte[] expected = text.getBytes(StandardCharsets.UTF_8);
        assertEquals(expected.length, length);
        final byte[] written = new byte[length];
        buffer.getBytes(1, written);
        assertArrayEquals(expected, written);
        assertEquals(0x55, buffer.getByte(0), "nothing written before the offset");
        assertEquals(text, Codecs.strings().decode(buffer, 1, length));
    }
}
