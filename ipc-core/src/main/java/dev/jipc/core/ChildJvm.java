package dev.jipc.core;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a child JVM with this JVM's Java, class path and jipc's flags, running a {@code main} class: the one way
 * jipc's tools, tests and benchmarks start processes. The child inherits the segment directory
 * ({@value SegmentDirectory#DIRECTORY_PROPERTY}) and the futex mode ({@code jipc.futex}) of this JVM. Start it
 * through a {@link ChildProcesses} group, which bounds the wait for it, keeps its log and kills it on close.
 */
public final class ChildJvm
{
    private static final String[] INHERITED_PROPERTIES = {SegmentDirectory.DIRECTORY_PROPERTY, "jipc.futex"};

    private final String mainClass;
    private final List<String> launcher = new ArrayList<>();
    private final List<String> jvmArgs = new ArrayList<>();
    private final List<String> args = new ArrayList<>();
    private boolean withFlags = true;
    private Path output;
    private String classPath = System.getProperty("java.class.path");
    private AotCache aotCache;

    private ChildJvm(final String mainClass)
    {
        this.mainClass = mainClass;
    }

    /**
     * A child that will run {@code mainClass}.
     *
     * @param mainClass a class with a {@code main} method on this JVM's class path.
     * @return a builder.
     */
    public static ChildJvm of(final Class<?> mainClass)
    {
        return new ChildJvm(mainClass.getName());
    }

    /**
     * A child that runs a program from its source file, as {@code java Program.java} does (the JDK's source
     * launcher), on this JVM's class path.
     *
     * @param sourceFile a {@code .java} file whose first top-level class has a {@code main} method.
     * @return a builder.
     */
    public static ChildJvm ofSourceFile(final Path sourceFile)
    {
        return new ChildJvm(sourceFile.toAbsolutePath().toString());
    }

    /**
     * The {@code java} launcher of this JVM.
     *
     * @return its path.
     */
    public static String javaExecutable()
    {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * Adds program arguments.
     *
     * @param values the arguments.
     * @return this.
     */
    public ChildJvm args(final Object... values)
    {
        for (final Object value : values)
        {
            args.add(String.valueOf(value));
        }
        return this;
    }

    /**
     * Adds JVM arguments (after jipc's flags).
     *
     * @param values such as {@code -Dkey=value}.
     * @return this.
     */
    public ChildJvm jvmArgs(final String... values)
    {
        jvmArgs.addAll(List.of(values));
        return this;
    }

    /**
     * Runs the JVM through a launcher command, such as {@code unshare --pid --fork} to start it in a pid namespace of
     * its own (as a container would be), or {@code nice}.
     *
     * @param command the launcher and its arguments; the {@code java} command line follows them.
     * @return this.
     */
    public ChildJvm launcher(final String... command)
    {
        launcher.addAll(List.of(command));
        return this;
    }

    /**
     * Runs the child on another class path than this JVM's.
     *
     * @param classPath the class path, entries separated by {@link java.io.File#pathSeparator}.
     * @return this.
     */
    public ChildJvm classPath(final String classPath)
    {
        this.classPath = classPath;
        return this;
    }

    /**
     * Starts the child with an AOT cache of what children load before their work, once the cache is ready (until
     * then, and where none can be made, the child starts plain): see {@link AotCache}. A cache made for another
     * class path than the child's is not used, nor one beside JVM arguments of the child's own that choose a class
     * data archive ({@code -Xshare}, {@code -XX:SharedArchiveFile}, {@code -XX:AOTMode}, ...), which the JDK would
     * refuse to start with.
     *
     * @param cache the cache of what the child does first, from {@link AotCache#of}.
     * @return this.
     */
    public ChildJvm aotCache(final AotCache cache)
    {
        this.aotCache = cache;
        return this;
    }

    /**
     * Leaves out jipc's required flags: only for showing what happens without them.
     *
     * @return this.
     */
    public ChildJvm withoutJipcFlags()
    {
        withFlags = false;
        return this;
    }

    /**
     * Sends the child's stdout and stderr to a file rather than inheriting this JVM's.
     *
     * @param file the log file, replaced if it exists.
     * @return this.
     */
    public ChildJvm output(final Path file)
    {
        output = file;
        return this;
    }

    /**
     * The command line this builder will run.
     *
     * @return the command.
     */
    public List<String> command()
    {
        final List<String> command = new ArrayList<>(launcher);
        command.add(javaExecutable());
        if (withFlags)
        {
            command.addAll(JvmFlags.required());
        }
        command.addAll(inheritedProperties());
        if (aotCache != null && aotCache.classPath().equals(classPath) && !AotCache.conflictsWith(jvmArgs))
        {
            command.addAll(aotCache.jvmArgs());
        }
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        command.addAll(args);
        return command;
    }

    /**
     * The system properties every child of this JVM is given: the segment directory and the futex mode, when set.
     *
     * @return {@code -Dname=value} arguments.
     */
    static List<String> inheritedProperties()
    {
        final List<String> properties = new ArrayList<>();
        for (final String property : INHERITED_PROPERTIES)
        {
            final String value = System.getProperty(property);
            if (value != null)
            {
                properties.add("-D" + property + "=" + value);
            }
        }
        return properties;
    }

    /**
     * Starts the child.
     *
     * @return the running process.
     */
    public Process start()
    {
        final ProcessBuilder builder = new ProcessBuilder(command());
        if (output != null)
        {
            final File file = output.toFile();
            builder.redirectErrorStream(true).redirectOutput(file);
        }
        else
        {
            builder.inheritIO();
        }
        try
        {
            return builder.start();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot start child JVM: mainClass=" + mainClass, ex);
        }
    }
}
