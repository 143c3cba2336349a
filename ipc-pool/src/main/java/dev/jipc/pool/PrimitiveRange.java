package dev.jipc.pool;

/**
 * The argument of a primitive map's job: apply the function to {@code in[from, to)} and store into
 * {@code out[from, to)}. For child JVMs the arrays are shared {@link dev.jipc.sync.LongArray} or
 * {@link dev.jipc.sync.DoubleArray} segments named here; for threads they are this JVM's arrays.
 *
 * @param in   the argument array: a segment name, or a {@code long[]} / {@code double[]} for threads.
 * @param out  the result array, the same kind as {@code in}.
 * @param from first index.
 * @param to   one past the last index.
 */
record PrimitiveRange(Object in, Object out, int from, int to)
{
}
