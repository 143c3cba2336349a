package dev.jipc.pool;

import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import dev.jipc.core.SegmentDirectory;
import dev.jipc.core.codec.Codec;
import dev.jipc.core.codec.Codecs;
import dev.jipc.core.queue.JoinableQueue;
import dev.jipc.core.queue.Queue;
import dev.jipc.core.wait.WaitStrategy;
import dev.jipc.sync.Barrier;
import dev.jipc.sync.BoundedSemaphore;
import dev.jipc.sync.ByteArray;
import dev.jipc.sync.Condition;
import dev.jipc.sync.DoubleArray;
import dev.jipc.sync.DoubleValue;
import dev.jipc.sync.Event;
import dev.jipc.sync.IntArray;
import dev.jipc.sync.IntValue;
import dev.jipc.sync.Lock;
import dev.jipc.sync.LongArray;
import dev.jipc.sync.LongValue;
import dev.jipc.sync.RLock;
import dev.jipc.sync.Semaphore;
import dev.jipc.sync.collection.Namespace;
import dev.jipc.sync.collection.SharedDict;
import dev.jipc.sync.collection.SharedList;

/**
 * Python's {@code multiprocessing.Manager()}, without a server: a factory that names what it makes, so that another
 * program can open it, and lists what it holds. Its dicts, lists and namespaces, queues, locks, values and arrays
 * live in segments that every attached process reads and writes directly.
 * <pre>{@code
 * try (Manager manager = Manager.create("orders")) {                 // one program
 *     SharedDict<String, Long> totals = manager.dict("totals", Codecs.strings(), Codecs.longs());
 *     totals.merge("apples", 1L, Long::sum);
 * }   // the creator's close removes every object of the manager
 *
 * Manager manager = Manager.open("orders");                          // another program
 * SharedDict<String, Long> totals = manager.dict("totals", Codecs.strings(), Codecs.longs());   // the same dict
 * Map<String, Manager.Kind> held = manager.names();                  // {totals=DICT}
 * }</pre>
 *
 * <h2>Names</h2>
 * Each factory method takes the object's name: the first call for a name, from any handle of the manager in any
 * process, creates the object; every later one opens it (the arguments that shape an object, such as a semaphore's
 * initial value or a queue's capacity, apply when it is created; an array's length must match). Asking for a name
 * as another kind ({@code list("totals")}) throws {@link IllegalArgumentException}. An object of manager {@code m}
 * named {@code x} is the segment {@code m.x} ({@link #segmentName(String)}), so it can also be opened by its own
 * class. The manager's registry of what it holds (object name to {@linkplain Kind kind}) is a
 * {@link SharedDict} of its own, the segment {@code m._registry}: {@link #names()} reads it, so every process sees
 * the objects any other made. An object is created and then registered under the manager's robust {@link Lock}
 * {@code m._create}, so the registry names only objects made whole; a process killed while it creates one leaves
 * the lock to the next creator, which removes the dead one's leftovers first.
 * <p>
 * Manager and object names are letters, digits, {@code _} and {@code -} (no {@code /}, no {@code .}, so no
 * {@code ..}), start with a letter or a digit (a manager name may also start with {@code _}), and are at most
 * {@value #MAX_NAME_LENGTH} characters.
 *
 * <h2>Lifetime</h2>
 * The handle that {@link #create created} the manager owns it: its {@link #close()} removes every object the manager
 * holds (whoever made it), its registry and its lock, as Python's manager shutdown does; processes attached keep
 * their mappings until they close them, and nobody can open the manager or its objects by name afterwards. A
 * handle from {@link #open} or from deserialisation only detaches: its {@code close()} closes the handles it
 * returned. Every handle's {@code close()} closes the objects it returned; {@link #unlink()} removes everything from
 * any handle. An object asked for after the creator began to close is refused with {@link IllegalStateException}.
 * <p>
 * A {@code Manager} is {@link Serializable} as a small handle (directory and name) that opens it in the receiving
 * JVM, so a task of a child {@link Process} can capture it; so are the objects it returns. Thread-safe.
 */
public final class Manager implements AutoCloseable, Serializable
{
    /** Longest manager or object name, in characters: room for both, and a collection's file suffixes. */
    public static final int MAX_NAME_LENGTH = 80;

    @Serial
    private static final long serialVersionUID = 1L;
    private static final String REGISTRY_SUFFIX = "._registry";
    /** Suffix of the robust lock every creation of an object holds; package-private for the tests. */
    static final String CREATION_LOCK_SUFFIX = "._create";
    /** Registry key that says the creator is removing everything: object names cannot hold '/'. */
    private static final String SHUTDOWN_KEY = "/shutdown";
    private static final Pattern OBJECT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");
    private static final Pattern MANAGER_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_-]*");
    /** How long making an object waits for another process's creation of one to finish. */
    private static final long CREATION_WAIT_SECONDS = 30;
    private static final WaitStrategy STRATEGY = WaitStrategy.SPIN_THEN_PARK;

    private final transient Path directory;
    private final transient String name;
    private final transient boolean creator;
    private final transient SharedDict<String, String> registry;
    private final transient Lock creation;
    private final transient List<Held> held = new ArrayList<>();
    private transient boolean closed;
    private transient boolean unlinked;

    /** What a manager holds. */
    public enum Kind
    {
        /** {@link SharedDict}. */
        DICT,
        /** {@link SharedList}. */
        LIST,
        /** {@link Namespace}. */
        NAMESPACE,
        /** {@link Queue}. */
        QUEUE,
        /** {@link JoinableQueue}. */
        JOINABLE_QUEUE,
        /** {@link Lock}. */
        LOCK,
        /** {@link RLock}. */
        RLOCK,
        /** {@link Semaphore}. */
        SEMAPHORE,
        /** {@link BoundedSemaphore}. */
        BOUNDED_SEMAPHORE,
        /** {@link Condition}. */
        CONDITION,
        /** {@link Event}. */
        EVENT,
        /** {@link Barrier}. */
        BARRIER,
        /** {@link IntValue}. */
        INT_VALUE,
        /** {@link LongValue}. */
        LONG_VALUE,
        /** {@link DoubleValue}. */
        DOUBLE_VALUE,
        /** {@link IntArray}. */
        INT_ARRAY,
        /** {@link LongArray}. */
        LONG_ARRAY,
        /** {@link DoubleArray}. */
        DOUBLE_ARRAY,
        /** {@link ByteArray}. */
        BYTE_ARRAY;

        /** Whether its files are a collection's: the segment, its lock and its generations. */
        boolean isCollection()
        {
            return this == DICT || this == LIST || this == NAMESPACE;
        }

        /** The name as the registry stores it, and error messages say it. */
        String id()
        {
            return name().toLowerCase(Locale.ROOT).replace("_", "");
        }

        static Kind fromId(final String id)
        {
            for (final Kind kind : values())
            {
                if (kind.id().equals(id))
                {
                    return kind;
                }
            }
            return null;
        }
    }

    private Manager(final Path directory, final String name, final boolean creator,
        final SharedDict<String, String> registry, final Lock creation)
    {
        this.directory = directory;
        this.name = name;
        this.creator = creator;
        this.registry = registry;
        this.creation = creation;
    }

    /**
     * Creates a manager, holding nothing yet, in the default directory.
     *
     * @param name the manager's name.
     * @return the manager; its {@link #close()} removes everything it holds.
     * @throws IllegalArgumentException     if the name is invalid.
     * @throws java.io.UncheckedIOException if a manager of that name exists.
     */
    public static Manager create(final String name)
    {
        return create(SegmentDirectory.defaultDirectory(), name);
    }

    /**
     * Creates a manager, holding nothing yet.
     *
     * @param directory where it and its objects go.
     * @param name      the manager's name.
     * @return the manager; its {@link #close()} removes everything it holds.
     * @throws IllegalArgumentException     if the name is invalid.
     * @throws java.io.UncheckedIOException if a manager of that name exists.
     */
    public static Manager create(final Path directory, final String name)
    {
        Objects.requireNonNull(directory, "directory");
        validateManagerName(name);
        final Path absolute = directory.toAbsolutePath();
        final Lock creation = Lock.create(absolute, name + CREATION_LOCK_SUFFIX, STRATEGY);
        try
        {
            // the registry's root appears last: open() finds a manager whole or not at all
            return new Manager(absolute, name, true,
                SharedDict.create(absolute, name + REGISTRY_SUFFIX, Codecs.strings(), Codecs.strings()), creation);
        }
        catch (final RuntimeException ex)
        {
            creation.unlink();
            creation.close();
            throw ex;
        }
    }

    /**
     * Opens a manager made by {@link #create(String)}.
     *
     * @param name the manager's name.
     * @return a handle that detaches when closed.
     * @throws IllegalArgumentException     if the name is invalid.
     * @throws java.io.UncheckedIOException if there is no such manager.
     * @throws IllegalStateException        if its creator is removing it.
     */
    public static Manager open(final String name)
    {
        return open(SegmentDirectory.defaultDirectory(), name);
    }

    /**
     * Opens a manager made by {@link #create(Path, String)}.
     *
     * @param directory where it is.
     * @param name      the manager's name.
     * @return a handle that detaches when closed.
     * @throws IllegalArgumentException     if the name is invalid.
     * @throws java.io.UncheckedIOException if there is no such manager.
     * @throws IllegalStateException        if its creator is removing it.
     */
    public static Manager open(final Path directory, final String name)
    {
        Objects.requireNonNull(directory, "directory");
        validateManagerName(name);
        final Path absolute = directory.toAbsolutePath();
        final SharedDict<String, String> registry;
        try
        {
            registry = SharedDict.open(absolute, name + REGISTRY_SUFFIX, Codecs.strings(), Codecs.strings());
        }
        catch (final UncheckedIOException ex)
        {
            if (isMissing(ex))
            {
                throw new UncheckedIOException("no such manager: name=" + name + ", directory=" + absolute,
                    ex.getCause());
            }
            throw ex;
        }
        final Lock creation;
        try
        {
            if (registry.containsKey(SHUTDOWN_KEY))
            {
                throw new IllegalStateException("manager is shutting down: name=" + name + ", directory=" +
                    absolute);
            }
            creation = Lock.open(absolute, name + CREATION_LOCK_SUFFIX, STRATEGY);
        }
        catch (final RuntimeException ex)
        {
            registry.close();
            throw ex;
        }
        return new Manager(absolute, name, false, registry, creation);
    }

    /**
     * A dict: Python's {@code manager.dict()}.
     *
     * @param object the dict's name in this manager.
     * @param keys   how keys become bytes.
     * @param values how values become bytes.
     * @param <K>    the key type.
     * @param <V>    the value type.
     * @return a handle of the dict, created by this call if the manager does not hold it yet.
     * @throws IllegalArgumentException if the name is invalid or names an object of another kind.
     * @throws IllegalStateException    if this handle is closed or the manager is shutting down.
     */
    public <K, V> SharedDict<K, V> dict(final String object, final Codec<K> keys, final Codec<V> values)
    {
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(values, "values");
        return obtain(object, Kind.DICT, segment -> SharedDict.create(directory, segment, keys, values),
            segment -> SharedDict.open(directory, segment, keys, values), SharedDict::unlink);
    }

    /**
     * A dict of {@code String} keys and serialisable values read through {@link Namespace#defaultAllowList()}.
     *
     * @param object the dict's name in this manager.
     * @return a handle of the dict, created by this call if the manager does not hold it yet.
     * @throws IllegalArgumentException if the name is invalid or names an object of another kind.
     * @throws IllegalStateException    if this handle is closed or the manager is shutting down.
     */
    public SharedDict<String, Serializable> dict(final String object)
    {
        return dict(object, Codecs.strings(), defaultValues());
    }

    /**
     * A list: Python's {@code manager.list()}.
     *
     * @param object   the list's name in this manager.
     * @param elements how elements become bytes.
     * @param <E>      the element type.
     * @return a handle of the list, created by this call if the manager does not hold it yet.
     * @throws IllegalArgumentException if the name is invalid or names an object of another kind.
     * @throws IllegalStateException    if this handle is closed or the manager is shutting down.
     */
    public <E> SharedList<E> list(final String object, final Codec<E> elements)
    {
        Objects.requireNonNull(elements, "elements");
        return obtain(object, Kind.LIST, segment -> SharedList.create(directory, segment, elements),
            segment -> SharedList.open(directory, segment, elements), SharedList::unlink);
    }

    /**
     * A list of serialisable elements read through {@link Namespace#defaultAllowList()}.
     *
     * @param object the list's name in this manager.
     * @return a handle of the list, created by this call if the manager does not hold it yet.
     * @throws IllegalArgumentException if the name is invalid or names an object of another kind.
     * @throws IllegalStateException    if this handle is closed or the manager is shutting down.
     */
    public SharedList<Serializable> list(final String object)
    {
        return list(object, defaultValues());
    }

    /**
     * A namespace: Python's {@code manager.Namespace()}.
     *
     * @param object               the namespace's name in this manager.
     * @param extraAllowedPatterns classes this handle admits besides {@link Namespace#defaultAllowList()}.
     * @return a handle of the namespace, created by this call if the manager does not hold it yet.
     * @throws IllegalArgumentException if the name is invalid or names an object of another kind.
     * @throws IllegalStateException    if this handle is closed or the manager is shutting down.
     */
    public Namespace namespace(final String object, final String... extraAllowedPatterns)
    {
        final String[] patterns = extraAllowedPatterns.clone();
        return obtain(object, Kind.NAMESPACE, segment -> Namespace.create(directory, segment, patterns),
            segment -> Namespace.open(directory, segment, patterns), Namespace::unlink);
    }

    /**
     * A queue of serialisable elements read through {@link Namespace#defaultAllowList()}, of
     * {@value Context#DEFAULT_CAPACITY} bytes: Python's {@code manager.Queue()}.
     *
     * @param object the queue's name in this manager.
     * @return a handle of the queue, created by this call if the manager does not hold it yet.
     * @throws IllegalArgumentException if the name is invalid or names an object of another kind.
     * @throws IllegalStateException    if this handle is closed or the manager is shutting down.
     */
    public Queue<Serializable> queue(final String object)
    {
        return queue(object, Context.DEFAULT_CAPACITY, defaultValues());
    }

    /**
     * A queue of {@value Context#DEFAULT_CAPACITY} bytes.
     *
     * @param object the queue's name in this manager.
     * @param codec  how elements become bytes.
     * @param <E>    the element type.
     * @return a handle of the queue, created by this call if the manager does not hold it yet.
     * @throws IllegalArgumentException if the name is invalid or names an object of another kind.
     * @throws IllegalStateException    if this handle is closed or the manager is shutting down.
     */
    public <E> Queue<E> queue(final String object, final Codec<E> codec)
    {
        return queue(object, Context.DEFAULT_CAPACITY, codec);
    }

    /**
     * A queue.
     *
     * @param object   the queue's name in this manager.
     * @param capacity ring capacity in bytes, a power of two; applies when this call creates it.
     * @param codec    how elements become bytes.
     * @param <E>      the element type.
     * @return a handle of the queue, created by this call if the manager does not hold it yet.
     * @throws IllegalArgumentException if the name is invalid or names an object of another kind.
     * @throws IllegalStateException    if this handle is closed or the manager is shutting down.
     */
    public <E> Queue<E> queue(final String object, final int capacity, final Codec<E> codec)
    {
        Objects.requireNonNull(codec, "codec");
        return obtain(object, Kind.QUEUE, segment -> Queue.create(directory, segment, capacity, codec),
            segment -> Queue.open(directory, segment, codec), Queue::unlink);
    }

    /**
     * A joinable queue ({@code taskDone}, {@code join}) of {@value Context#DEFAULT_CAPACITY} bytes: Python's
     * {@code manager.JoinableQueue()}.
     *
     * @param object the queue's name in this manager.
     * @param codec  how elements become bytes.
     * @param <E>    the element type.
     * @return a handle of the queue, created by this call if the manager does not hold it yet.
     * @throws IllegalArgumentException if the name is invalid or names an object of another kind.
     * @throws IllegalStateException    if this handle is closed or the manager is shutting down.
     */
    public <E> JoinableQueue<E> joinableQueue(final String object, final Codec<E> codec)
    {
        Objects.requireNonNull(codec, "codec");
        return obtain(object, Kind.JOINABLE_QUEUE,
            segment -> JoinableQueue.create(directory, segment, Context.DEFAULT_CAPACITY, codec),
            segment -> JoinableQueue.open(directory, segment, codec), JoinableQueue::unlink);
    }

    /**
     * A robust lock: Python's {@code manager.Lock()}.
     *
     * @param object the lock's name in this manager.
     * @return a handle of the lock, created free by this call if the manager does not hold it yet.
     * @throws IllegalArgumentException if the name is invalid or names an object of another kind.
     * @throws IllegalStateException    if this handle is closed or the manager is shutting down.
     */
    public Lock lock(final String object)
    {
        return obtain(object, Kind.LOCK, segment -> Lock.create(directory, segment, STRATEGY),
            segment -> Lock.open(directory, segment, STRATEGY), Lock::unlink);
    }

    /**
     * A robust re-entrant lock: Python's {@code manager.RLock()}.
     *
     * @param object the lock's name in this manager.
     * @return a handle of the lock, created free by this call if the manager does not hold it yet.
     * @throws IllegalArgumentException if the name is invalid or names an object of another kind.
     * @throws IllegalStateException    if this handle is closed or the manager is shutting down.
     */
    public RLock rlock(final String object)
    {
        return obtain(object, Kind.RLOCK, segment -> RLock.create(directory, segment, STRATEGY),
            segment -> RLock.open(directory, segment, STRATEGY), RLock::unlink);
    }

    /**
     * A semaphore: Python's {@code manager.Semaphore(value)}.
     *
     * @param object the semaphore's name in this manager.
     * @param value  its initial count, when this call creates it.
     * @return a handle of the semaphore, created by this call if the manager does not hold it yet.
     * @throws IllegalArgumentException if the name is invalid or names an object of another kind.
     * @throws IllegalStateException    if this handle is closed or the manager is shutting down.
     */
    public Semaphore semaphore(final String object, final int value)
    {
        return obtain(object, Kind.SEMAPHORE, segment -> Semaphore.create(directory, segment, value, STRATEGY),
            segment -> Semaphore.open(directory, segment, STRATEGY), Semaphore::unlink);
    }

    /**
     * A bounded semaphore: a release above the initial value throws.
     *
     * @param object the semaphore's name in this manager.
     * @param value  its initial and largest count, when this call creates it.
     * @return a handle of the semaphore, created by this call if the manager does not hold it yet.
     * @throws IllegalArgumentException if the name is invalid or names an object of another kind.
     * @throws IllegalStateException    if this handle is closed or the manager is shutting down.
     */
    public BoundedSemaphore boundedSemaphore(final String object, final int value)
    {
        return obtain(object, Kind.BOUNDED_SEMAPHORE,
            segment -> BoundedSemaphore.create(directory, segment, value, STRATEGY),
            segment -> BoundedSemaphore.open(directory, segment, STRATEGY), BoundedSemaphore::unlink);
    }

    /**
     * A condition with a lock of its own: Python's {@code manager.Condition()}.
     *
     * @param object the condition's name in this manager.
     * @return a handle of the condition, created by this call if the manager does not hold it yet.
     * @throws IllegalArgumentException if the name is invalid or names an object of another kind.
     * @throws IllegalStateException    if this handle is closed or the manager is shutting down.
     */
    public Condition condition(final String object)
    {
        return obtain(object, Kind.CONDITION, segment -> Condition.create(directory, segment, STRATEGY),
            segment -> Condition.open(directory, segment, STRATEGY), Condition::unlink);
    }

    /**
     * An event: Python's {@code manager.Event()}.
     *
     * @param object the event's name in this manager.
     * @return a handle of the event, created clear by this call if the manager does not hold it yet.
     * @throws IllegalArgumentException if the name is invalid or names an object of another kind.
     * @throws IllegalStateException    if this handle is closed or the manager is shutting down.
     */
    public Event event(final String object)
    {
        return obtain(object, Kind.EVENT, segment -> Event.create(directory, segment, STRATEGY),
            segment -> Event.open(directory, segment, STRATEGY), Event::unlink);
    }

    /**
     * A barrier with no action: Python's {@code manager.Barrier(parties)}.
     *
     * @param object  the barrier's name in this manager.
     * @param parties how many must arrive, when this call creates it.
     * @return a handle of the barrier, created by this call if the manager does not hold it yet.
     * @throws IllegalArgumentException if the name is invalid or names an object of another kind.
     * @throws IllegalStateException    if this handle is closed or the manager is shutting down.
     */
    public Barrier barrier(final String object, final int parties)
    {
        return obtain(object, Kind.BARRIER, segment -> Barrier.create(directory, segment, parties, null, STRATEGY),
            segment -> Barrier.open(directory, segment, STRATEGY), Barrier::unlink);
    }

    /**
     * A shared {@code int} with a lock: Python's {@code manager.Value('i', initial)}.
     *
     * @param object  the value's name in this manager.
     * @param initial its value, when this call creates it.
     * @return a handle of the value, created by this call if the manager does not hold it yet.
     * @throws IllegalArgumentException if the name is invalid or names an object of another kind.
     * @throws IllegalStateException    if this handle is closed or the manager is shutting down.
     */
    public IntValue intValue(final String object, final int initial)
    {
        return obtain(object, Kind.INT_VALUE, segment -> IntValue.create(directory, segment, initial, STRATEGY),
            segment -> IntValue.open(directory, segment, STRATEGY), IntValue::unlink);
    }

    /**
     * A shared {@code long} with a lock.
     *
     * @param object  the value's name in this manager.
     * @param initial its value, when this call creates it.
     * @return a handle of the value, created by this call if the manager does not hold it yet.
     * @throws IllegalArgumentException if the name is invalid or names an object of another kind.
     * @throws IllegalStateException    if this handle is closed or the manager is shutting down.
     */
    public LongValue longValue(final String object, final long initial)
    {
        return obtain(object, Kind.LONG_VALUE, segment -> LongValue.create(directory, segment, initial, STRATEGY),
            segment -> LongValue.open(directory, segment, STRATEGY), LongValue::unlink);
    }

    /**
     * A shared {@code double} with a lock.
     *
     * @param object  the value's name in this manager.
     * @param initial its value, when this call creates it.
     * @return a handle of the value, created by this call if the manager does not hold it yet.
     * @throws IllegalArgumentException if the name is invalid or names an object of another kind.
     * @throws IllegalStateException    if this handle is closed or the manager is shutting down.
     */
    public DoubleValue doubleValue(final String object, final double initial)
    {
        return obtain(object, Kind.DOUBLE_VALUE,
            segment -> DoubleValue.create(directory, segment, initial, STRATEGY),
            segment -> DoubleValue.open(directory, segment, STRATEGY), DoubleValue::unlink);
    }

    /**
     * A shared {@code int} array with a lock: Python's {@code manager.Array('i', ...)}.
     *
     * @param object the array's name in this manager.
     * @param length its length: zeroed when this call creates it, and the length of an existing one.
     * @return a handle of the array, created by this call if the manager does not hold it yet.
     * @throws IllegalArgumentException if the name is invalid, names an object of another kind, or names an array
     *                                  of another length.
     * @throws IllegalStateException    if this handle is closed or the manager is shutting down.
     */
    public IntArray intArray(final String object, final int length)
    {
        final IntArray array = obtain(object, Kind.INT_ARRAY,
            segment -> IntArray.create(directory, segment, length, STRATEGY),
            segment -> IntArray.open(directory, segment, STRATEGY), IntArray::unlink);
        return checkLength(object, Kind.INT_ARRAY, array, array.length(), length);
    }

    /**
     * A shared {@code long} array with a lock.
     *
     * @param object the array's name in this manager.
     * @param length its length: zeroed when this call creates it, and the length of an existing one.
     * @return a handle of the array, created by this call if the manager does not hold it yet.
     * @throws IllegalArgumentException if the name is invalid, names an object of another kind, or names an array
     *                                  of another length.
     * @throws IllegalStateException    if this handle is closed or the manager is shutting down.
     */
    public LongArray longArray(final String object, final int length)
    {
        final LongArray array = obtain(object, Kind.LONG_ARRAY,
            segment -> LongArray.create(directory, segment, length, STRATEGY),
            segment -> LongArray.open(directory, segment, STRATEGY), LongArray::unlink);
        return checkLength(object, Kind.LONG_ARRAY, array, array.length(), length);
    }

    /**
     * A shared {@code double} array with a lock.
     *
     * @param object the array's name in this manager.
     * @param length its length: zeroed when this call creates it, and the length of an existing one.
     * @return a handle of the array, created by this call if the manager does not hold it yet.
     * @throws IllegalArgumentException if the name is invalid, names an object of another kind, or names an array
     *                                  of another length.
     * @throws IllegalStateException    if this handle is closed or the manager is shutting down.
     */
    public DoubleArray doubleArray(final String object, final int length)
    {
        final DoubleArray array = obtain(object, Kind.DOUBLE_ARRAY,
            segment -> DoubleArray.create(directory, segment, length, STRATEGY),
            segment -> DoubleArray.open(directory, segment, STRATEGY), DoubleArray::unlink);
        return checkLength(object, Kind.DOUBLE_ARRAY, array, array.length(), length);
    }

    /**
     * A shared byte array with a lock.
     *
     * @param object the array's name in this manager.
     * @param length its length: zeroed when this call creates it, and the length of an existing one.
     * @return a handle of the array, created by this call if the manager does not hold it yet.
     * @throws IllegalArgumentException if the name is invalid, names an object of another kind, or names an array
     *                                  of another length.
     * @throws IllegalStateException    if this handle is closed or the manager is shutting down.
     */
    public ByteArray byteArray(final String object, final int length)
    {
        final ByteArray array = obtain(object, Kind.BYTE_ARRAY,
            segment -> ByteArray.create(directory, segment, length, STRATEGY),
            segment -> ByteArray.open(directory, segment, STRATEGY), ByteArray::unlink);
        return checkLength(object, Kind.BYTE_ARRAY, array, array.length(), length);
    }

    /**
     * What the manager holds, as its registry in shared memory says now: objects any process made through any handle
     * of this manager.
     *
     * @return object name to kind, sorted by name; unmodifiable.
     * @throws IllegalStateException if this handle is closed, or the registry holds a kind this build does not know.
     */
    public Map<String, Kind> names()
    {
        ensureOpen();
        final Map<String, Kind> names = new TreeMap<>();
        for (final Map.Entry<String, String> entry : registry.entrySet())
        {
            if (!entry.getKey().equals(SHUTDOWN_KEY))
            {
                names.put(entry.getKey(), kindOf(entry.getKey(), entry.getValue()));
            }
        }
        return Collections.unmodifiableMap(names);
    }

    /**
     * The segment name of an object of this manager, to open it with its own class: {@code <manager>.<object>}.
     *
     * @param object an object name.
     * @return the segment name.
     * @throws IllegalArgumentException if the object name is invalid.
     */
    public String segmentName(final String object)
    {
        return name + "." + validateObjectName(object);
    }

    /**
     * This manager's name.
     *
     * @return the name it was created with.
     */
    public String name()
    {
        return name;
    }

    /**
     * Where this manager and its objects are.
     *
     * @return the directory.
     */
    public Path directory()
    {
        return directory;
    }

    /**
     * Whether this handle created the manager, so that its {@link #close()} removes everything.
     *
     * @return true for the handle {@link #create} returned.
     */
    public boolean isCreator()
    {
        return creator;
    }

    /**
     * Removes every object the manager holds and its registry, from any handle: Python's {@code shutdown()} without
     * the detaching. Objects asked for afterwards are refused. Processes attached keep their mappings. A failure to
     * remove one object does not stop the others: the first is thrown at the end, with the rest suppressed.
     * Idempotent.
     *
     * @throws IllegalStateException if this handle was closed before anything was removed.
     */
    public void unlink()
    {
        synchronized (held)
        {
            if (unlinked)
            {
                return;
            }
            if (closed)
            {
                // a closed handle's registry is unmapped: another handle must do it
                throw new IllegalStateException("manager handle is closed, unlink through an open one: " + this);
            }
        }
        unlinkAll();
    }

    private void unlinkAll()
    {
        final List<Held> mine;
        synchronized (held)
        {
            if (unlinked)
            {
                return;
            }
            unlinked = true;
            mine = new ArrayList<>(held);
        }
        RuntimeException failure = null;
        // under the creation lock: a creation either registered its object before, or sees the key and stops
        boolean locked = false;
        try
        {
            lockCreation("shut the manager down");
            locked = true;
        }
        catch (final IllegalStateException ex)
        {
            // a live holder stuck for that long: remove what is registered anyway, and say so
            failure = ex;
        }
        try
        {
            registry.put(SHUTDOWN_KEY, Long.toString(ProcessHandle.current().pid()));
        }
        finally
        {
            if (locked)
            {
                creation.unlock();
            }
        }
        for (final Map.Entry<String, String> entry : new TreeMap<>(registry).entrySet())
        {
            if (entry.getKey().equals(SHUTDOWN_KEY))
            {
                continue;
            }
            try
            {
                remove(entry.getKey(), Kind.fromId(entry.getValue()), mine);
            }
            catch (final RuntimeException ex)
            {
                failure = addTo(failure, ex);
            }
        }
        try
        {
            registry.unlink();
            creation.unlink();
        }
        catch (final RuntimeException ex)
        {
            failure = addTo(failure, ex);
        }
        if (failure != null)
        {
            throw failure;
        }
    }

    /**
     * Closes the handles this manager handle returned, and, for the handle that {@link #create created} the manager,
     * first removes every object it holds and its registry ({@link #unlink()}), as Python's manager shutdown does; a
     * handle from {@link #open} or deserialisation only detaches. Idempotent.
     */
    @Override
    public void close()
    {
        final List<Held> toClose;
        synchronized (held)
        {
            if (closed)
            {
                return;
            }
            closed = true;
        }
        RuntimeException failure = null;
        if (creator)
        {
            try
            {
                unlinkAll();
            }
            catch (final RuntimeException ex)
            {
                failure = ex;
            }
        }
        synchronized (held)
        {
            toClose = new ArrayList<>(held);
            held.clear();
        }
        for (final Held object : toClose)
        {
            try
            {
                object.handle().close();
            }
            catch (final Exception ex)
            {
                failure = addTo(failure, ex instanceof RuntimeException runtime ? runtime :
                    new IllegalStateException("close failed: object=" + object.object(), ex));
            }
        }
        try
        {
            registry.close();
            creation.close();
        }
        catch (final RuntimeException ex)
        {
            failure = addTo(failure, ex);
        }
        if (failure != null)
        {
            throw failure;
        }
    }

    @Override
    public String toString()
    {
        return "Manager{name=" + name + ", directory=" + directory + ", creator=" + creator + "}";
    }

    /**
     * Checks a manager name: letters, digits, {@code _} and {@code -}, starting with a letter, a digit or {@code _},
     * at most {@value #MAX_NAME_LENGTH} characters.
     *
     * @param name a manager name.
     * @return the name, when valid.
     * @throws IllegalArgumentException saying what is wrong with it.
     */
    public static String validateManagerName(final String name)
    {
        return validate("manager", name, MANAGER_NAME, "a letter, a digit or '_'");
    }

    /**
     * Checks an object name: letters, digits, {@code _} and {@code -}, starting with a letter or a digit, at most
     * {@value #MAX_NAME_LENGTH} characters.
     *
     * @param object an object name.
     * @return the name, when valid.
     * @throws IllegalArgumentException saying what is wrong with it.
     */
    public static String validateObjectName(final String object)
    {
        return validate("manager object", object, OBJECT_NAME, "a letter or a digit");
    }

    private static String validate(final String what, final String name, final Pattern pattern, final String start)
    {
        if (name == null || name.isEmpty())
        {
            throw new IllegalArgumentException(what + " name is empty");
        }
        if (name.length() > MAX_NAME_LENGTH)
        {
            throw new IllegalArgumentException(what + " name too long: length=" + name.length() + ", max=" +
                MAX_NAME_LENGTH);
        }
        if (name.contains("/") || name.contains("\\"))
        {
            throw new IllegalArgumentException(what + " name must not contain a path separator: name=" + name);
        }
        if (name.contains(".."))
        {
            throw new IllegalArgumentException(what + " name must not contain '..': name=" + name);
        }
        if (name.contains("."))
        {
            throw new IllegalArgumentException(what + " name must not contain '.' (it separates the manager's name " +
                "from its objects' in segment names): name=" + name);
        }
        if (!pattern.matcher(name).matches())
        {
            throw new IllegalArgumentException(what + " name must start with " + start + " and hold only letters, " +
                "digits, '_' and '-': name=" + name);
        }
        return name;
    }

    /**
     * Opens the object if the registry holds its name; otherwise creates it and then registers it, both under the
     * manager's robust creation lock, so that two processes asking at once make one object, and the registry names
     * only objects made whole. A creator killed in the middle leaves the lock to the next one, which removes what it
     * left before creating the object again.
     */
    private <T extends AutoCloseable> T obtain(final String object, final Kind kind, final Maker<T> create,
        final Maker<T> open, final Unlinker<T> unlink)
    {
        final String segment = segmentName(object);
        ensureOpen();
        ensureRunning();
        String registered = registry.get(object);
        T handle = null;
        if (registered == null)
        {
            lockCreation("make " + kind.id() + " " + object);
            try
            {
                ensureRunning();
                registered = registry.get(object);
                if (registered == null)
                {
                    if (creation.previousOwnerDied())
                    {
                        // the dead creator may have left some of the object's files, and never registered it
                        removeFiles(object, kind);
                    }
                    handle = create.make(segment);
                    try
                    {
                        registry.put(object, kind.id());
                    }
                    catch (final RuntimeException ex)
                    {
                        unlinkAndClose(handle, unlink);
                        throw ex;
                    }
                }
            }
            finally
            {
                creation.unlock();
            }
        }
        if (handle == null)
        {
            final Kind existing = kindOf(object, registered);
            if (existing != kind)
            {
                throw new IllegalArgumentException("manager object is a " + existing.id() + ", not a " + kind.id() +
                    ": name=" + object + ", manager=" + name);
            }
            try
            {
                handle = open.make(segment);
            }
            catch (final UncheckedIOException ex)
            {
                ensureRunning();
                throw ex;
            }
        }
        synchronized (held)
        {
            if (!closed)
            {
                final T made = handle;
                held.add(new Held(object, kind, made, () -> unlink.unlink(made)));
                return made;
            }
        }
        closeQuietly(handle);
        throw new IllegalStateException("manager handle is closed: " + this);
    }

    private void lockCreation(final String what)
    {
        final boolean locked;
        try
        {
            locked = creation.tryLock(CREATION_WAIT_SECONDS, TimeUnit.SECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the manager's creation lock to " + what +
                ": manager=" + name, ex);
        }
        if (!locked)
        {
            throw new IllegalStateException("the manager's creation lock was not free within " +
                CREATION_WAIT_SECONDS + " s to " + what + ": holder pid=" + creation.ownerPid() + ", manager=" +
                name);
        }
    }

    /**
     * Removes one object: a queue, lock, value or array through a handle of this manager handle if it holds one
     * (a segment's unlink is safe on a closed handle), else by its files; a collection always by its files, since a
     * caller may have closed the handle this manager returned, and a closed collection's unlink reads its unmapped
     * root.
     */
    private void remove(final String object, final Kind kind, final List<Held> mine)
    {
        if (kind != null && !kind.isCollection())
        {
            for (final Held candidate : mine)
            {
                if (candidate.object().equals(object))
                {
                    candidate.unlink().run();
                    return;
                }
            }
        }
        removeFiles(object, kind);
    }

    /** Deletes an object's files by name: its segment, and a collection's lock and generations. */
    private void removeFiles(final String object, final Kind kind)
    {
        final String segment = name + "." + object;
        try
        {
            Files.deleteIfExists(directory.resolve(segment));
            if (kind == null || kind.isCollection())
            {
                // a collection's other files: its lock and every generation (SharedDict's layout)
                final Pattern own = Pattern.compile(Pattern.quote(segment) + "\\.(lock|g\\d+)");
                try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, segment + ".*"))
                {
                    for (final Path file : files)
                    {
                        if (own.matcher(file.getFileName().toString()).matches())
                        {
                            Files.deleteIfExists(file);
                        }
                    }
                }
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot remove manager object: name=" + object + ", segment=" + segment,
                ex);
        }
    }

    private <T extends AutoCloseable> T checkLength(final String object, final Kind kind, final T array,
        final int actual, final int asked)
    {
        if (actual != asked)
        {
            release(array);
            throw new IllegalArgumentException("manager object is a " + kind.id() + " of another length: name=" +
                object + ", length=" + actual + ", asked=" + asked + ", manager=" + name);
        }
        return array;
    }

    private void release(final AutoCloseable handle)
    {
        synchronized (held)
        {
            held.removeIf(candidate -> candidate.handle() == handle);
        }
        closeQuietly(handle);
    }

    private Kind kindOf(final String object, final String id)
    {
        final Kind kind = Kind.fromId(id);
        if (kind == null)
        {
            throw new IllegalStateException("manager registry holds an unknown kind: name=" + object + ", kind=" + id +
                ", manager=" + name);
        }
        return kind;
    }

    private void ensureOpen()
    {
        synchronized (held)
        {
            if (closed)
            {
                throw new IllegalStateException("manager handle is closed: " + this);
            }
        }
    }

    private void ensureRunning()
    {
        if (registry.containsKey(SHUTDOWN_KEY))
        {
            throw shuttingDown();
        }
    }

    private IllegalStateException shuttingDown()
    {
        return new IllegalStateException("manager is shutting down: name=" + name + ", directory=" + directory);
    }

    private static <T extends AutoCloseable> void unlinkAndClose(final T handle, final Unlinker<T> unlink)
    {
        try
        {
            unlink.unlink(handle);
        }
        finally
        {
            closeQuietly(handle);
        }
    }

    private static void closeQuietly(final AutoCloseable handle)
    {
        try
        {
            handle.close();
        }
        catch (final Exception ignore)
        {
            // the handle is being given up: nothing can use it either way
        }
    }

    private static boolean isMissing(final Throwable ex)
    {
        for (Throwable cause = ex; cause != null; cause = cause.getCause())
        {
            if (cause instanceof NoSuchFileException)
            {
                return true;
            }
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private static <E> Codec<E> defaultValues()
    {
        return (Codec<E>)(Codec<?>)Codecs.<Serializable>serializable(Namespace.allowList());
    }

    private static RuntimeException addTo(final RuntimeException failure, final RuntimeException ex)
    {
        if (failure == null)
        {
            return ex;
        }
        failure.addSuppressed(ex);
        return failure;
    }

    @Serial
    private Object writeReplace()
    {
        return new Handle(directory.toString(), name);
    }

    /** Makes a handle of an object from its segment name. */
    @FunctionalInterface
    private interface Maker<T>
    {
        T make(String segment);
    }

    /** Removes an object's files through its handle. */
    @FunctionalInterface
    private interface Unlinker<T>
    {
        void unlink(T handle);
    }

    /** An object this manager handle returned, and how to remove it. */
    private record Held(String object, Kind kind, AutoCloseable handle, Runnable unlink)
    {
    }

    /** The serialised form: enough to open the manager by name; the receiver's handle only detaches. */
    private record Handle(String directory, String name) implements Serializable
    {
        private Handle
        {
            Objects.requireNonNull(directory, "directory");
            Objects.requireNonNull(name, "name");
        }

        @Serial
        private Object readResolve()
        {
            return open(Path.of(directory), name);
        }
    }
}
