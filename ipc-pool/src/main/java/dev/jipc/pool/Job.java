package dev.jipc.pool;

/**
 * One unit of work of a {@link Pool}: a call of a function on an argument, a chunk of a map, a callable, or a range
 * of a primitive map. The pool's lock guards its dispatch state; {@link #done} is set once, by whoever completes it
 * (the result thread, a cancel, a terminate), and a result that arrives after that is dropped.
 */
final class Job
{
    /** What a job asks a worker to do. */
    enum Kind
    {
        /** {@code fn.apply(arg)}: {@link #fn} is a {@link SerializableFunction}. */
        CALL,
        /** {@code fn.apply(a)} for each element of the {@code Object[]} argument, giving an {@code Object[]}. */
        CHUNK,
        /** {@code fn.call()}: {@link #fn} is a {@link SerializableCallable}, {@link #arg} is null. */
        RUN,
        /** {@code out[i] = fn.applyAsLong(in[i])} over a {@link PrimitiveRange}. */
        LONG_RANGE,
        /** {@code out[i] = fn.applyAsDouble(in[i])} over a {@link PrimitiveRange}. */
        DOUBLE_RANGE
    }

    final long id;
    final Kind kind;
    final Object fn;
    final Object arg;
    final JobListener listener;
    /** Names the job in errors, such as {@code "task 3 of map"}. */
    final String description;
    /** The start method's form of the argument, made in the submitting thread: the encoded bytes for child JVMs. */
    Object prepared;
    /** The start method's id of {@link #fn}, when it sends functions once per worker. */
    int fnId;
    /** How many times a dead worker's death made this job run again. */
    int retried;
    /** The slot of the worker that holds it, or -1 while it is pending. */
    int heldBy = -1;
    /** Written under the pool's lock, read by a thread worker before it starts the job. */
    volatile boolean done;

    Job(final long id, final Kind kind, final Object fn, final Object arg, final JobListener listener,
        final String description)
    {
        this.id = id;
        this.kind = kind;
        this.fn = fn;
        this.arg = arg;
        this.listener = listener;
        this.description = description;
    }

    @Override
    public String toString()
    {
        return description + " (job " + id + ")";
    }
}
