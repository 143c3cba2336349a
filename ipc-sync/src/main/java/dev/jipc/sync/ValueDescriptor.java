package dev.jipc.sync;

import static org.agrona.BitUtil.CACHE_LINE_LENGTH;

/**
 * Layout of the typed values ({@link IntValue}, {@link LongValue}, {@link DoubleValue}) and arrays
 * ({@link IntArray}, {@link LongArray}, {@link DoubleArray}, {@link ByteArray}): an embedded {@link RLock} on the
 * first cache line, the payload after it.
 * <pre>
 *  Value:
 *  +---------------------------------------------------------------+  0
 *  |  Mutex (MutexDescriptor, 64 bytes)                            |
 *  +---------------------------------------------------------------+  64
 *  |  Value (int, long, or double as long bits)                    |
 *  |  Reserved (zero) to 128 bytes                                ...
 *  +---------------------------------------------------------------+  128
 *
 *  Array:
 *  +---------------------------------------------------------------+  0
 *  |  Mutex (MutexDescriptor, 64 bytes)                            |
 *  +---------------------------------------------------------------+  64
 *  |  Length (elements; fixed at creation)                         |
 *  |  Reserved (zero) to 128 bytes                                ...
 *  +---------------------------------------------------------------+  128
 *  |  Elements (Length x element size, little-endian),            |
 *  |  padded to a multiple of 64 bytes                            ...
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class ValueDescriptor
{
    public static final int VALUE_OFFSET;
    public static final int LENGTH_OFFSET;
    public static final int ELEMENTS_OFFSET;
    /** Bytes a value takes: two cache lines. */
    public static final int VALUE_LENGTH;

    static
    {
        int offset = MutexDescriptor.LENGTH;
        VALUE_OFFSET = offset;
        LENGTH_OFFSET = offset;
        offset += CACHE_LINE_LENGTH;
        VALUE_LENGTH = offset;
        ELEMENTS_OFFSET = offset;
    }

    private ValueDescriptor()
    {
    }

    /**
     * Bytes an array needs before padding.
     *
     * @param elementSize bytes per element.
     * @param length      elements.
     * @return its length.
     */
    public static long arrayLength(final int elementSize, final int length)
    {
        return ELEMENTS_OFFSET + (long)elementSize * length;
    }
}
