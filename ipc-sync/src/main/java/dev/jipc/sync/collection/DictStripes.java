package dev.jipc.sync.collection;

import java.nio.file.Path;

import dev.jipc.core.SegmentFormatException;
import dev.jipc.core.SegmentKind;
import dev.jipc.core.codec.Codec;

/**
 * The stripes of a {@link SharedDict}: independent collections, each with its own root, robust lock, write intent and
 * generations, among which the map's keys are divided by the top bits of their hash. Writers of keys in different
 * stripes take different locks and touch different lines, so writes from several processes go on side by side; every
 * operation on one key is an operation on one stripe, so a key's writes stay atomic and crash-consistent as a
 * one-stripe map's are.
 * <pre>
 *   name        stripe 0: root (stripes word = the count), name.lock, name.g&lt;N&gt;
 *   name.s1     stripe 1: root (stripes word = -1), name.s1.lock, name.s1.g&lt;N&gt;
 *   ...
 *   name.s&lt;n-1&gt;
 * </pre>
 * Stripe 0's root appears last when the map is made, so a map that exists has all its stripes. The slot of a key in
 * its stripe's table comes from the hash's low bits (a table has at most 2^28 slots) and its stripe from bits 28 and
 * up, so the two never share a bit.
 */
final class DictStripes
{
    /** The most stripes a map can have: four bits of the hash, above the 28 a table can use. */
    static final int MAX = 16;
    /** The stripes word of every stripe's root but the first. */
    static final int OF_ANOTHER = -1;

    private DictStripes()
    {
    }

    /**
     * The stripes a map's first root says it has.
     *
     * @param word the root's stripes word (0 in maps made before stripes: one).
     * @return the count, a power of two from 1 to {@link #MAX}; -1 if the word is none (or {@link #OF_ANOTHER}).
     */
    static int count(final int word)
    {
        final int count = word == 0 ? 1 : word;
        return count >= 1 && count <= MAX && Integer.bitCount(count) == 1 ? count : -1;
    }

    /**
     * Which stripe a key's hash belongs to.
     *
     * @param hash  the key's hash.
     * @param count the map's stripes, a power of two.
     * @return the stripe's index.
     */
    static int index(final int hash, final int count)
    {
        return (hash >>> 28) & (count - 1);
    }

    static CollectionStore[] create(
        final Path directory, final String name, final Codec<?> keys, final Codec<?> values, final int count,
        final int tableLength, final long heapBytes)
    {
        if (count < 1 || count > MAX || Integer.bitCount(count) != 1)
        {
            throw new IllegalArgumentException("stripes must be a power of two from 1 to " + MAX + ": " + count);
        }
        final CollectionStore[] stripes = new CollectionStore[count];
        try
        {
            for (int i = count - 1; i >= 0; i--)
            {
                stripes[i] = CollectionStore.create(directory, i == 0 ? name : CollectionDescriptor.stripeName(name,
                    i), SegmentKind.DICT, 1, keys, values, tableLength, heapBytes, i == 0 ? count : OF_ANOTHER);
            }
            return stripes;
        }
        catch (final RuntimeException | Error ex)
        {
            for (final CollectionStore made : stripes)
            {
                if (made != null)
                {
                    made.unlink();
                    made.close();
                }
            }
            throw ex;
        }
    }

    static CollectionStore[] open(final Path directory, final String name, final Codec<?> keys,
        final Codec<?> values)
    {
        final CollectionStore first = CollectionStore.open(directory, name, SegmentKind.DICT, 1, keys, values);
        final int word = first.stripesWord();
        final int count = count(word);
        if (count < 0)
        {
            first.close();
            throw new SegmentFormatException(first.root().path(), word == OF_ANOTHER ?
                "a stripe of another map, not a map: open the map by its own name" :
                "not a dict's stripe count (a power of two from 1 to " + MAX + "): " + word);
        }
        final CollectionStore[] stripes = new CollectionStore[count];
        stripes[0] = first;
        try
        {
            for (int i = 1; i < count; i++)
            {
                stripes[i] = CollectionStore.open(directory, CollectionDescriptor.stripeName(name, i),
                    SegmentKind.DICT, 1, keys, values);
                if (stripes[i].stripesWord() != OF_ANOTHER)
                {
                    throw new SegmentFormatException(stripes[i].root().path(), "stripe " + i + " of " + name +
                        " is not marked as a stripe (stripes word " + stripes[i].stripesWord() + ")");
                }
            }
            return stripes;
        }
        catch (final RuntimeException | Error ex)
        {
            for (final CollectionStore opened : stripes)
            {
                if (opened != null)
                {
                    opened.close();
                }
            }
            throw ex;
        }
    }
}
