package dev.jipc.sync.collection;

import static dev.jipc.sync.collection.CollectionDescriptor.BLOCK_HASH_OFFSET;
import static dev.jipc.sync.collection.CollectionDescriptor.BLOCK_HEADER_LENGTH;
import static dev.jipc.sync.collection.CollectionDescriptor.BLOCK_KEY_LENGTH_OFFSET;
import static dev.jipc.sync.collection.CollectionDescriptor.BLOCK_SEQUENCE_OFFSET;
import static dev.jipc.sync.collection.CollectionDescriptor.BLOCK_VALUE_LENGTH_OFFSET;

import java.lang.invoke.VarHandle;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;

/**
 * Reading a block without the lock, and the hash of keys.
 * <p>
 * The read is a sequence lock read, as {@link java.util.concurrent.locks.StampedLock#validate} does it: read the
 * block's sequence (odd: retry), copy what is needed, fence, read the sequence again; the copy is one complete entry
 * only if both reads saw the same even value. Lengths read before that check may be torn, so they are only
 * trusted (or reported as corruption) once it passes; no byte outside the heap is ever read.
 */
final class Blocks
{
    /** The read raced with a writer that freed or reused the block: read the slot again. */
    static final int RETRY = -1;
    /** The block holds another key. */
    static final int MISMATCH = -2;

    private Blocks()
    {
    }

    /**
     * Copies the value of the entry in {@code block} into {@code scratch.read} if its key is {@code key}.
     *
     * @param generation the generation (its heap bounds).
     * @param block      the block a slot named.
     * @param hash       the hash the slot holds (the key's).
     * @param key        the encoded key.
     * @param keyLength  its length.
     * @param into       where the value's bytes go.
     * @param locked     true when the caller holds the writers' lock: then nothing can race, and what looks torn is
     *                   corruption.
     * @return the value's length, {@link #RETRY} or {@link #MISMATCH}.
     */
    static int readValueIfKey(
        final Generation generation, final int block, final int hash, final DirectBuffer key, final int keyLength,
        final ExpandableArrayBuffer into, final boolean locked)
    {
        final AtomicBuffer buffer = generation.buffer();
        final long heapEnd = generation.heapEnd();
        if (block < generation.heapStart() || (long)block + BLOCK_HEADER_LENGTH > heapEnd || (block & 7) != 0)
        {
            throw generation.corrupt("a slot names a block outside the heap: block=" + block);
        }
        final int sequence = buffer.getIntVolatile(block + BLOCK_SEQUENCE_OFFSET);
        if ((sequence & 1) != 0)
        {
            return retryOrCorrupt(generation, block, locked, "a published block is not complete");
        }
        final int storedKeyLength = buffer.getInt(block + BLOCK_KEY_LENGTH_OFFSET);
        final int valueLength = buffer.getInt(block + BLOCK_VALUE_LENGTH_OFFSET);
        if (storedKeyLength < 0 || valueLength < 0 ||
            block + BLOCK_HEADER_LENGTH + (long)storedKeyLength + valueLength > heapEnd)
        {
            return unchanged(buffer, block, sequence) ?
                corrupt(generation, block, storedKeyLength, valueLength) : RETRY;
        }
        if (buffer.getInt(block + BLOCK_HASH_OFFSET) != hash)
        {
            // not the slot's entry: the block was freed and reused by a key of another hash while this thread read
            // the slot (perhaps more than once, so that the slot names it again: the re-read cannot tell)
            return retryOrCorrupt(generation, block, locked, "a block's hash is not its slot's");
        }
        if (storedKeyLength != keyLength || !equalBytes(buffer, block + BLOCK_HEADER_LENGTH, key, keyLength))
        {
            return unchanged(buffer, block, sequence) ? MISMATCH : RETRY;
        }
        if (valueLength > into.capacity() && !unchanged(buffer, block, sequence))
        {
            return RETRY;
        }
        into.checkLimit(valueLength);
        copy(buffer, block + BLOCK_HEADER_LENGTH + keyLength, into, 0, valueLength);
        return unchanged(buffer, block, sequence) ? valueLength : RETRY;
    }

    /**
     * Copies a whole entry (key and value) into {@code into}, for iteration.
     *
     * @param generation the generation.
     * @param block      the block a slot or index named.
     * @param hash       the hash the slot holds (0 for a list's element).
     * @param into       receives the key's bytes then the value's.
     * @param locked     true under the writers' lock, where a block that is not whole is corruption.
     * @return the key's length in the high int and the value's in the low int, or -1 to retry.
     */
    static long readEntry(
        final Generation generation, final int block, final int hash, final ExpandableArrayBuffer into,
        final boolean locked)
    {
        final AtomicBuffer buffer = generation.buffer();
        final long heapEnd = generation.heapEnd();
        if (block < generation.heapStart() || (long)block + BLOCK_HEADER_LENGTH > heapEnd || (block & 7) != 0)
        {
            throw generation.corrupt("a slot names a block outside the heap: block=" + block);
        }
        final int sequence = buffer.getIntVolatile(block + BLOCK_SEQUENCE_OFFSET);
        if ((sequence & 1) != 0 || buffer.getInt(block + BLOCK_HASH_OFFSET) != hash)
        {
            return retryOrCorrupt(generation, block, locked, "a published block is not whole or not its slot's");
        }
        final int keyLength = buffer.getInt(block + BLOCK_KEY_LENGTH_OFFSET);
        final int valueLength = buffer.getInt(block + BLOCK_VALUE_LENGTH_OFFSET);
        if (keyLength < 0 || valueLength < 0 || block + BLOCK_HEADER_LENGTH + (long)keyLength + valueLength > heapEnd)
        {
            if (unchanged(buffer, block, sequence))
            {
                corrupt(generation, block, keyLength, valueLength);
            }
            return -1;
        }
        if (keyLength + valueLength > into.capacity() && !unchanged(buffer, block, sequence))
        {
            return -1;
        }
        into.checkLimit(keyLength + valueLength);
        copy(buffer, block + BLOCK_HEADER_LENGTH, into, 0, keyLength + valueLength);
        return unchanged(buffer, block, sequence) ? ((long)keyLength << 32) | valueLength : -1;
    }

    /**
     * The hash of a key's bytes: a multiply-rotate over 8-byte words, finished with the MurmurHash3 mixer.
     *
     * @param key    the bytes.
     * @param length how many.
     * @return the hash.
     */
    static int hash(final DirectBuffer key, final int length)
    {
        long h = 0x9E3779B97F4A7C15L * (length + 1);
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES)
        {
            h = Long.rotateLeft(h ^ key.getLong(i) * 0xC2B2AE3D27D4EB4FL, 31) * 0x9E3779B97F4A7C15L;
        }
        if (i < length)
        {
            h = Long.rotateLeft(h ^ tail(key, i, length - i) * 0xC2B2AE3D27D4EB4FL, 31) * 0x9E3779B97F4A7C15L;
        }
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return (int)h;
    }

    /**
     * Whether the bytes at an offset of the segment equal a key.
     *
     * @param buffer the segment.
     * @param offset where its bytes start (bounds already checked).
     * @param key    the key.
     * @param length the key's length.
     * @return true if equal.
     */
    static boolean equalBytes(final AtomicBuffer buffer, final int offset, final DirectBuffer key, final int length)
    {
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES)
        {
            if (buffer.getLong(offset + i) != key.getLong(i))
            {
                return false;
            }
        }
        return i == length || tail(buffer, offset + i, length - i) == tail(key, i, length - i);
    }

    /**
     * Copies bytes between buffers; a short run (most keys and small values) word by word, since a call of
     * {@code Unsafe.copyMemory} with its checks costs more than the copy.
     *
     * @param source       where from.
     * @param sourceOffset its first byte.
     * @param target       where to.
     * @param targetOffset its first byte.
     * @param length       how many.
     */
    static void copy(
        final DirectBuffer source, final int sourceOffset, final MutableDirectBuffer target, final int targetOffset,
        final int length)
    {
        if (length > 64)
        {
            target.putBytes(targetOffset, source, sourceOffset, length);
            return;
        }
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES)
        {
            target.putLong(targetOffset + i, source.getLong(sourceOffset + i));
        }
        if (i + Integer.BYTES <= length)
        {
            target.putInt(targetOffset + i, source.getInt(sourceOffset + i));
            i += Integer.BYTES;
        }
        if (i + Short.BYTES <= length)
        {
            target.putShort(targetOffset + i, source.getShort(sourceOffset + i));
            i += Short.BYTES;
        }
        if (i < length)
        {
            target.putByte(targetOffset + i, source.getByte(sourceOffset + i));
        }
    }

    /** The last 1 to 7 bytes of a run as one little-endian long, read with at most three loads. */
    private static long tail(final DirectBuffer buffer, final int offset, final int length)
    {
        long value = 0;
        int i = 0;
        if (length >= Integer.BYTES)
        {
            value = buffer.getInt(offset) & 0xFFFF_FFFFL;
            i = Integer.BYTES;
        }
        if (length - i >= Short.BYTES)
        {
            value |= (long)(buffer.getShort(offset + i) & 0xFFFF) << (8 * i);
            i += Short.BYTES;
        }
        if (i < length)
        {
            value |= (long)(buffer.getByte(offset + i) & 0xFF) << (8 * i);
        }
        return value;
    }

    private static boolean unchanged(final AtomicBuffer buffer, final int block, final int sequence)
    {
        VarHandle.acquireFence();
        return buffer.getIntVolatile(block + BLOCK_SEQUENCE_OFFSET) == sequence;
    }

    private static int retryOrCorrupt(
        final Generation generation, final int block, final boolean locked, final String fault)
    {
        if (locked)
        {
            throw generation.corrupt(fault + ": block=" + block);
        }
        return RETRY;
    }

    private static int corrupt(final Generation generation, final int block, final int keyLength, final int valueLength)
    {
        throw generation.corrupt("corrupt entry header: block=" + block + ", keyLength=" + keyLength +
            ", valueLength=" + valueLength);
    }
}
