package dev.jipc.sync.collection;

import java.io.Serial;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.jipc.core.SegmentDirectory;
import dev.jipc.core.codec.Codec;
import dev.jipc.core.codec.Codecs;

/**
 * Python's {@code Manager().Namespace()}: named attributes that every attached process reads and writes directly.
 * <pre>{@code
 * try (Namespace ns = Namespace.create("settings")) {     // one JVM
 *     ns.set("x", 1);
 *     ns.set("when", LocalDate.of(2026, 1, 2));
 * }
 * Namespace ns = Namespace.open("settings");             // another JVM, or receive it serialised
 * int x = ns.get("x", Integer.class);
 * }</pre>
 * The attributes live in one {@link SharedDict} of attribute name to value, the values in Java serialisation read
 * through an allow-list ({@link Codecs#serializable(String...)}): the {@linkplain #defaultAllowList() default one}
 * (the boxed primitives, {@code String}, {@code java.math} numbers, the non-hashing {@code java.util} collections,
 * {@code java.time}) plus the patterns the caller adds. A value of a class outside the list is written, and refused
 * when read, with an {@link IllegalArgumentException} naming the filter. {@code HashMap} and {@code HashSet} are not
 * in the default list (a hostile record of nested sets costs seconds of hashing to read): name them exactly, as in
 * {@code Namespace.create("ns", "java.util.HashMap")}, when every process that can write the directory is trusted.
 * <p>
 * Each {@link #set} replaces one attribute atomically; readers never see a half-written value. {@link #names()} is a
 * weakly consistent snapshot. Closing detaches this process; {@link #unlink()} removes the files. Serialising a
 * namespace writes a small handle (directory, name, the extra patterns) that re-attaches in the receiving JVM.
 * <p>
 * Thread-safe.
 */
public final class Namespace implements AutoCloseable, Serializable
{
    /** Longest attribute name accepted, in characters. */
    public static final int MAX_ATTRIBUTE_NAME_LENGTH = 128;

    @Serial
    private static final long serialVersionUID = 1L;
    private static final List<String> DEFAULT_ALLOW_LIST = List.of(
        "java.math.BigInteger", "java.math.BigDecimal",
        "java.util.ArrayList", "java.util.LinkedList", "java.util.ArrayDeque", "java.util.TreeMap",
        "java.util.TreeSet", "java.util.Arrays$ArrayList", "java.util.Collections$*", "java.util.UUID",
        "java.util.Date", "java.util.BitSet", "java.time.*");

    private final transient SharedDict<String, Object> attributes;
    private final transient List<String> extraAllowed;
    private final transient AtomicBoolean closed = new AtomicBoolean();

    private Namespace(final SharedDict<String, Object> attributes, final List<String> extraAllowed)
    {
        this.attributes = attributes;
        this.extraAllowed = extraAllowed;
    }

    /**
     * The allow-list every namespace reads its values through, before the patterns its caller adds. Besides what
     * {@link Codecs#serializable(String...)} always admits ({@code String}, the boxed primitives, {@code Number},
     * {@code Enum}), it names {@code BigInteger}, {@code BigDecimal}, {@code ArrayList}, {@code LinkedList},
     * {@code ArrayDeque}, {@code TreeMap}, {@code TreeSet}, {@code Arrays.asList}, the {@code Collections} wrappers
     * and empty collections, {@code UUID}, {@code Date}, {@code BitSet} and {@code java.time}.
     *
     * @return the patterns, in {@link java.io.ObjectInputFilter.Config#createFilter(String)} syntax.
     */
    public static List<String> defaultAllowList()
    {
        return DEFAULT_ALLOW_LIST;
    }

    /**
     * The allow-list of the default plus a caller's patterns.
     *
     * @param extraAllowedPatterns patterns to add; none for the default.
     * @return the patterns, the default first.
     * @throws NullPointerException if a pattern is null.
     */
    public static String[] allowList(final String... extraAllowedPatterns)
    {
        final List<String> patterns = new ArrayList<>(DEFAULT_ALLOW_LIST);
        for (final String pattern : extraAllowedPatterns)
        {
            patterns.add(Objects.requireNonNull(pattern, "allowed pattern"));
        }
        return patterns.toArray(String[]::new);
    }

    /**
     * Creates an empty namespace in the default directory.
     *
     * @param name                 its name.
     * @param extraAllowedPatterns classes to admit besides the {@linkplain #defaultAllowList() default} ones.
     * @return the namespace.
     * @throws java.io.UncheckedIOException if the name exists.
     * @throws IllegalArgumentException     if the name or a pattern is invalid.
     */
    public static Namespace create(final String name, final String... extraAllowedPatterns)
    {
        return create(SegmentDirectory.defaultDirectory(), name, extraAllowedPatterns);
    }

    /**
     * Creates an empty namespace.
     *
     * @param directory            where its files go.
     * @param name                 its name.
     * @param extraAllowedPatterns classes to admit besides the {@linkplain #defaultAllowList() default} ones.
     * @return the namespace.
     * @throws java.io.UncheckedIOException if the name exists.
     * @throws IllegalArgumentException     if the name or a pattern is invalid.
     */
    public static Namespace create(final Path directory, final String name, final String... extraAllowedPatterns)
    {
        final Codec<Object> values = values(extraAllowedPatterns);
        return new Namespace(SharedDict.create(directory, name, Codecs.strings(), values),
            List.of(extraAllowedPatterns));
    }

    /**
     * Attaches to a namespace in the default directory.
     *
     * @param name                 its name.
     * @param extraAllowedPatterns classes to admit besides the {@linkplain #defaultAllowList() default} ones; each
     *                             process chooses its own.
     * @return the namespace.
     * @throws java.io.UncheckedIOException if there is no such namespace.
     */
    public static Namespace open(final String name, final String... extraAllowedPatterns)
    {
        return open(SegmentDirectory.defaultDirectory(), name, extraAllowedPatterns);
    }

    /**
     * Attaches to a namespace.
     *
     * @param directory            where its files are.
     * @param name                 its name.
     * @param extraAllowedPatterns classes to admit besides the {@linkplain #defaultAllowList() default} ones; each
     *                             process chooses its own.
     * @return the namespace.
     * @throws java.io.UncheckedIOException if there is no such namespace.
     */
    public static Namespace open(final Path directory, final String name, final String... extraAllowedPatterns)
    {
        final Codec<Object> values = values(extraAllowedPatterns);
        return new Namespace(SharedDict.open(directory, name, Codecs.strings(), values),
            List.of(extraAllowedPatterns));
    }

    /**
     * Sets an attribute, replacing any value it had: Python's {@code ns.x = value}.
     *
     * @param name  the attribute's name.
     * @param value its value: serialisable, of a class this namespace's readers allow.
     * @throws IllegalArgumentException if the name is invalid or the value is not {@link Serializable}.
     * @throws NullPointerException     if the value is null (Java's maps hold no null; {@link #remove} the attribute).
     * @throws IllegalStateException    if this handle is closed.
     */
    public void set(final String name, final Object value)
    {
        validateAttributeName(name);
        Objects.requireNonNull(value, () -> "value of attribute " + name);
        if (!(value instanceof Serializable))
        {
            throw new IllegalArgumentException("attribute value is not Serializable: name=" + name + ", class=" +
                value.getClass().getName());
        }
        attributes.set(name, value);
    }

    /**
     * An attribute's value: Python's {@code ns.x}.
     *
     * @param name the attribute's name.
     * @return its value, a fresh copy; null if there is no such attribute.
     * @throws IllegalArgumentException if the name is invalid, or the value's class is not allowed here.
     * @throws IllegalStateException    if this handle is closed.
     */
    public Object get(final String name)
    {
        return attributes.get(validateAttributeName(name));
    }

    /**
     * An attribute's value, of a type.
     *
     * @param name the attribute's name.
     * @param type what the caller expects, such as {@code Integer.class}.
     * @param <T>  the type.
     * @return its value; null if there is no such attribute.
     * @throws ClassCastException       if the value is of another type, naming both.
     * @throws IllegalArgumentException if the name is invalid, or the value's class is not allowed here.
     */
    public <T> T get(final String name, final Class<T> type)
    {
        Objects.requireNonNull(type, "type");
        final Object value = get(name);
        if (value != null && !type.isInstance(value))
        {
            throw new ClassCastException("attribute " + name + " is a " + value.getClass().getName() + ", not a " +
                type.getName() + ": namespace=" + name());
        }
        return type.cast(value);
    }

    /**
     * Whether an attribute is set: Python's {@code hasattr(ns, 'x')}.
     *
     * @param name the attribute's name.
     * @return true if it is.
     * @throws IllegalArgumentException if the name is invalid.
     */
    public boolean contains(final String name)
    {
        return attributes.containsKey(validateAttributeName(name));
    }

    /**
     * Removes an attribute: Python's {@code del ns.x}.
     *
     * @param name the attribute's name.
     * @return true if it was set.
     * @throws IllegalArgumentException if the name is invalid.
     */
    public boolean remove(final String name)
    {
        return attributes.remove(validateAttributeName(name)) != null;
    }

    /**
     * The attributes' names, as they are now.
     *
     * @return a sorted snapshot, unmodifiable.
     */
    public Set<String> names()
    {
        return Collections.unmodifiableSet(new TreeSet<>(attributes.keySet()));
    }

    /**
     * A copy of every attribute.
     *
     * @return name to value, sorted by name; a weakly consistent snapshot.
     * @throws IllegalArgumentException if a value's class is not allowed here.
     */
    public Map<String, Object> toMap()
    {
        return Collections.unmodifiableMap(new TreeMap<>(attributes));
    }

    /**
     * This namespace's name.
     *
     * @return the name it was created with.
     */
    public String name()
    {
        return attributes.name();
    }

    /**
     * Where this namespace's files are.
     *
     * @return the directory.
     */
    public Path directory()
    {
        return attributes.directory();
    }

    /** Detaches this handle; idempotent. */
    @Override
    public void close()
    {
        closed.set(true);
        attributes.close();
    }

    /**
     * Removes the namespace's files; processes attached keep their mappings until they close. Call it before
     * {@link #close()}.
     *
     * @throws IllegalStateException if this handle is closed.
     */
    public void unlink()
    {
        if (closed.get())
        {
            // a closed SharedDict's unlink reads its unmapped root: refuse instead
            throw new IllegalStateException("namespace handle is closed, unlink before closing: name=" +
                attributes.name());
        }
        attributes.unlink();
    }

    /**
     * Python's form: {@code Namespace(x=1, y=hello)}, sorted by name.
     *
     * @return the attributes, or the name alone if this handle is closed or a value cannot be read.
     */
    @Override
    public String toString()
    {
        try
        {
            final StringBuilder builder = new StringBuilder("Namespace(");
            String separator = "";
            for (final Map.Entry<String, Object> attribute : toMap().entrySet())
            {
                builder.append(separator).append(attribute.getKey()).append('=').append(attribute.getValue());
                separator = ", ";
            }
            return builder.append(')').toString();
        }
        catch (final RuntimeException ex)
        {
            return "Namespace{name=" + attributes.name() + "}";
        }
    }

    /**
     * Checks an attribute name: not empty, at most {@value #MAX_ATTRIBUTE_NAME_LENGTH} characters, no control
     * characters.
     *
     * @param name an attribute name.
     * @return the name, when valid.
     * @throws IllegalArgumentException saying what is wrong with it.
     */
    public static String validateAttributeName(final String name)
    {
        if (name == null || name.isEmpty())
        {
            throw new IllegalArgumentException("attribute name is empty");
        }
        if (name.length() > MAX_ATTRIBUTE_NAME_LENGTH)
        {
            throw new IllegalArgumentException("attribute name too long: length=" + name.length() + ", max=" +
                MAX_ATTRIBUTE_NAME_LENGTH);
        }
        for (int i = 0; i < name.length(); i++)
        {
            if (Character.isISOControl(name.charAt(i)))
            {
                throw new IllegalArgumentException("attribute name must not contain control characters: index=" +
                    i + ", name=" + name.replaceAll("\\p{Cntrl}", "?"));
            }
        }
        return name;
    }

    @SuppressWarnings("unchecked")
    private static Codec<Object> values(final String... extraAllowedPatterns)
    {
        // the codec reads any allowed class; set() checks that a value is Serializable before it reaches encode
        return (Codec<Object>)(Codec<?>)Codecs.<Serializable>serializable(allowList(extraAllowedPatterns));
    }

    @Serial
    private Object writeReplace()
    {
        return new Handle(directory().toString(), name(), extraAllowed.toArray(String[]::new));
    }

    /** The serialised form: enough to re-attach by name, with the sender's extra patterns. */
    private record Handle(String directory, String name, String[] extraAllowed) implements Serializable
    {
        private Handle
        {
            Objects.requireNonNull(directory, "directory");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(extraAllowed, "extraAllowed");
        }

        @Serial
        private Object readResolve()
        {
            return open(Path.of(directory), name, extraAllowed);
        }
    }
}
