package dev.jipc.pool;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSigner;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.util.JavacTask;

/**
 * Source mode: the children of a program run by the source launcher ({@code java Program.java}) compile the same
 * file in memory and read their task with its classes, as Python's spawn re-imports {@code __main__}. The program's
 * {@code main} does not run in the child (Python's {@code if __name__ == "__main__"}); the static initialisers of
 * the classes the task uses do, when the task first uses them.
 *
 * <pre>
 * Overview
 *
 * Parent. TaskCodec asks programOf for every class the task's serialisation writes (a lambda's capturing class
 * among them). A class is of a source program when its loader is the source launcher's: the JDK names the launched
 * file in jdk.launcher.sourcefile, and defines every class of the program (the file's and those it compiles on
 * demand from the same source tree) with that file as code source. A child in source mode is itself such a parent:
 * its classes come from a ProgramLoader, which knows its program. Such a task is spawned with
 *
 *   -Djipc.child.source=FILE            the absolute path of the launched file
 *   -Djipc.child.source.release=N       the launcher's --source N, when given
 *   --enable-preview                    when the parent has it, and
 *   -Djipc.child.source.preview=true    to compile with it
 *
 * Child. ChildMain calls childLoader before it decodes the task: the file is parsed for its package (which gives the
 * root of the source tree, as the launcher computes it), compiled with the launcher's own javac options into memory,
 * and its classes are defined by a ProgramLoader whose parent is the application class loader. A class the file
 * refers to in another file of the tree is compiled when it is first loaded, as the launcher does. The compiler sees
 * the same source with the same options as the parent's launcher did, so the lambdas' synthetic names and the
 * classes' serialVersionUIDs match; a file edited since the parent started may no longer match.
 * </pre>
 */
final class SourceMode
{
    /** System property of a child in source mode: the source file of its program. */
    static final String SOURCE_PROPERTY = "jipc.child.source";
    /** System property of a child in source mode: the {@code --source} release of its program, if any. */
    static final String RELEASE_PROPERTY = "jipc.child.source.release";
    /** System property of a child in source mode: whether its program uses preview features. */
    static final String PREVIEW_PROPERTY = "jipc.child.source.preview";
    /** Set by the JDK's source launcher: the absolute path of the launched file. */
    static final String LAUNCHER_FILE_PROPERTY = "jdk.launcher.sourcefile";
    /** Set by the JDK's source launcher from {@code --source N}. */
    static final String LAUNCHER_RELEASE_PROPERTY = "jdk.internal.javac.source";
    private static final String PREVIEW_OPTION = "--enable-preview";
    /** The javac options of the JDK 25 source launcher (RelevantJavacOptions): its class files depend on them. */
    private static final List<String> LAUNCHER_OPTIONS = List.of(
        "-proc:none", "-implicit:none", "-Xprefer:source", "-Xdiags:verbose", "-Xlint:-options", "-XDsourceLauncher");

    private static volatile Program launched;
    private static volatile ClassLoader launcherLoader;

    private SourceMode()
    {
    }

    /**
     * A program run from a source file.
     *
     * @param file    the absolute path of the launched file.
     * @param release the {@code --source} release it was compiled for, or {@code null} for this JDK's.
     * @param preview whether it was compiled and runs with {@code --enable-preview}.
     */
    record Program(Path file, String release, boolean preview)
    {
        /**
         * The JVM options of a child that runs a task of this program.
         *
         * @return the options.
         */
        String[] jvmArgs()
        {
            final List<String> args = new ArrayList<>();
            args.add("-D" + SOURCE_PROPERTY + "=" + file);
            if (release != null)
            {
                args.add("-D" + RELEASE_PROPERTY + "=" + release);
            }
            if (preview)
            {
                args.add(PREVIEW_OPTION);
                args.add("-D" + PREVIEW_PROPERTY + "=true");
            }
            return args.toArray(String[]::new);
        }

        List<String> javacOptions()
        {
            final List<String> options = new ArrayList<>();
            if (release != null || preview)
            {
                options.add("--release");
                options.add(release != null ? release : String.valueOf(Runtime.version().feature()));
            }
            if (preview)
            {
                options.add(PREVIEW_OPTION);
            }
            options.add("--class-path");
            options.add(System.getProperty("java.class.path"));
            options.addAll(LAUNCHER_OPTIONS);
            return options;
        }
    }

    /**
     * Whether a class is of a program run from a source file, and which: called in the parent for each class a task
     * writes.
     *
     * @param type a class.
     * @return its program, or {@code null} when it was loaded from the class path or module path.
     */
    static Program programOf(final Class<?> type)
    {
        final ClassLoader loader = type.getClassLoader();
        if (loader == null || loader == ClassLoader.getSystemClassLoader() ||
            loader == ClassLoader.getPlatformClassLoader())
        {
            return null;
        }
        if (loader instanceof ProgramLoader program)
        {
            return program.program;
        }
        final Program program = launchedProgram();
        if (program == null)
        {
            return null;
        }
        if (loader == launcherLoader)
        {
            return program;
        }
        final CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null || !isFile(source.getLocation().toString(), program))
        {
            return null;
        }
        // every class of the program has the launcher's loader: the next ones are told by it alone
        launcherLoader = loader;
        return program;
    }

    private static boolean isFile(final String location, final Program program)
    {
        try
        {
            return Path.of(new URI(location)).equals(program.file());
        }
        catch (final URISyntaxException | IllegalArgumentException ex)
        {
            return false;
        }
    }

    /** The program this JVM's source launcher runs, or null when it was not started by one. */
    private static Program launchedProgram()
    {
        Program program = launched;
        if (program == null)
        {
            final String file = System.getProperty(LAUNCHER_FILE_PROPERTY);
            if (file == null)
            {
                return null;
            }
            // the launcher compiles with --enable-preview when the JVM runs with it (also from JDK_JAVA_OPTIONS)
            final boolean preview = ManagementFactory.getRuntimeMXBean().getInputArguments().contains(PREVIEW_OPTION);
            program = new Program(Path.of(file).toAbsolutePath(), System.getProperty(LAUNCHER_RELEASE_PROPERTY),
                preview);
            launched = program;
        }
        return program;
    }

    /**
     * In a child: the loader of its program's classes when it runs in source mode, the file compiled.
     *
     * @return the loader, or {@code null} when the child is not in source mode.
     * @throws CompileException if the file cannot be read or does not compile, with the compiler's diagnostics.
     */
    static ClassLoader childLoader() throws CompileException
    {
        final String file = System.getProperty(SOURCE_PROPERTY);
        if (file == null)
        {
            return null;
        }
        final Program program = new Program(Path.of(file), System.getProperty(RELEASE_PROPERTY),
            Boolean.getBoolean(PREVIEW_PROPERTY));
        final ProgramLoader loader = new ProgramLoader(program);
        loader.compileProgram();
        return loader;
    }

    /** A source file that a child could not compile: the message names the file and holds the diagnostics. */
    static final class CompileException extends Exception
    {
        private static final long serialVersionUID = 1L;

        CompileException(final String message)
        {
            super(message);
        }
    }

    /**
     * The classes of a program compiled from its source file in memory: the launched file's at once, those of other
     * files of its source tree when first loaded.
     */
    private static final class ProgramLoader extends ClassLoader
    {
        private final Program program;
        private final Map<String, byte[]> classes = new ConcurrentHashMap<>();
        private final JavaCompiler compiler;
        private final StandardJavaFileManager standard;
        private final MemoryFileManager files;
        private final ProtectionDomain domain;

        ProgramLoader(final Program program) throws CompileException
        {
            super("jipc-source-program", ClassLoader.getSystemClassLoader());
            this.program = program;
            this.compiler = ToolProvider.getSystemJavaCompiler();
            if (compiler == null)
            {
                throw new CompileException("cannot compile " + program.file() + ": this JVM has no Java compiler " +
                    "(java.home=" + System.getProperty("java.home") + "); source mode needs a JDK with jdk.compiler");
            }
            this.standard = compiler.getStandardFileManager(null, null, null);
            this.files = new MemoryFileManager(standard, classes);
            try
            {
                this.domain = new ProtectionDomain(new CodeSource(program.file().toUri().toURL(), (CodeSigner[])null),
                    null, this, null);
            }
            catch (final MalformedURLException ex)
            {
                throw new CompileException("cannot compile " + program.file() + ": " + ex);
            }
        }

        void compileProgram() throws CompileException
        {
            if (!Files.isRegularFile(program.file()))
            {
                throw new CompileException("cannot compile " + program.file() + ": no such file");
            }
            if (!program.file().getFileName().toString().endsWith(".java"))
            {
                throw new CompileException("cannot compile " + program.file() + ": source mode compiles a .java " +
                    "file; the children of a shebang script are not handled (name the program Program.java)");
            }
            final Path root = sourceRoot();
            try
            {
                standard.setLocation(StandardLocation.SOURCE_PATH, List.of(root.toFile()));
            }
            catch (final IOException ex)
            {
                throw new CompileException("cannot compile " + program.file() + ": source path " + root + ": " + ex);
            }
            compile(program.file());
        }

        /** The root of the file's source tree: its directory, less one level per component of its package. */
        private Path sourceRoot() throws CompileException
        {
            final DiagnosticCollector<JavaFileObject> ignored = new DiagnosticCollector<>();
            final JavacTask parse = (JavacTask)compiler.getTask(null, standard, ignored, program.javacOptions(),
                null, standard.getJavaFileObjects(program.file()));
            String packageName = "";
            try
            {
                for (final CompilationUnitTree unit : parse.parse())
                {
                    final ExpressionTree name = unit.getPackageName();
                    packageName = name == null ? "" : name.toString();
                }
            }
            catch (final IOException | IllegalStateException ex)
            {
                throw new CompileException("cannot compile " + program.file() + ": cannot parse it: " + ex);
            }
            final int levels = packageName.isEmpty() ? 0 : packageName.split("\\.").length;
            Path root = program.file().toAbsolutePath().getParent();
            for (int i = 0; i < levels && root.getParent() != null; i++)
            {
                root = root.getParent();
            }
            return root;
        }

        private synchronized void compile(final Path file) throws CompileException
        {
            final DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
            final Boolean ok = compiler.getTask(null, files, diagnostics, program.javacOptions(), null,
                standard.getJavaFileObjects(file)).call();
            if (!ok)
            {
                final StringBuilder message = new StringBuilder("cannot compile ").append(file)
                    .append(" (the source file of the parent's program, compiled again in source mode):");
                for (final Diagnostic<? extends JavaFileObject> diagnostic : diagnostics.getDiagnostics())
                {
                    if (diagnostic.getKind() == Diagnostic.Kind.ERROR)
                    {
                        message.append(System.lineSeparator()).append(describe(diagnostic));
                    }
                }
                throw new CompileException(message.toString());
            }
        }

        private static String describe(final Diagnostic<? extends JavaFileObject> diagnostic)
        {
            final String where = diagnostic.getSource() == null ? "" :
                Path.of(diagnostic.getSource().toUri()).getFileName() + ":" + diagnostic.getLineNumber() + ": ";
            return "  " + where + "error: " + diagnostic.getMessage(Locale.ROOT);
        }

        @Override
        protected Class<?> findClass(final String name) throws ClassNotFoundException
        {
            byte[] bytes = classes.get(name);
            if (bytes == null)
            {
                final Path file = sourceFileOf(name);
                if (file == null)
                {
                    throw new ClassNotFoundException(name);
                }
                try
                {
                    compile(file);
                }
                catch (final CompileException ex)
                {
                    throw new ClassNotFoundException(name + ": " + ex.getMessage(), ex);
                }
                bytes = classes.get(name);
                if (bytes == null)
                {
                    throw new ClassNotFoundException(name);
                }
            }
            return defineClass(name, bytes, 0, bytes.length, domain);
        }

        /** The file of the source tree that declares a class, as the launcher looks for it: A$B$C in A.java. */
        private Path sourceFileOf(final String name)
        {
            final int lastDot = name.lastIndexOf('.');
            final Path root = standard.getLocationAsPaths(StandardLocation.SOURCE_PATH).iterator().next();
            final Path directory = lastDot < 0 ? root : root.resolve(name.substring(0, lastDot).replace('.', '/'));
            String candidate = name.substring(lastDot + 1);
            while (!Files.exists(directory.resolve(candidate + ".java")) && candidate.contains("$"))
            {
                candidate = candidate.substring(0, candidate.lastIndexOf('$'));
            }
            final Path file = directory.resolve(candidate + ".java");
            return Files.isRegularFile(file) && !file.equals(program.file()) ? file : null;
        }
    }

    /** Keeps the class files the compiler writes in a map. */
    private static final class MemoryFileManager extends ForwardingJavaFileManager<StandardJavaFileManager>
    {
        private final Map<String, byte[]> classes;

        MemoryFileManager(final StandardJavaFileManager standard, final Map<String, byte[]> classes)
        {
            super(standard);
            this.classes = classes;
        }

        @Override
        public JavaFileObject getJavaFileForOutput(final Location location, final String className,
            final JavaFileObject.Kind kind, final FileObject sibling) throws IOException
        {
            if (kind != JavaFileObject.Kind.CLASS)
            {
                return super.getJavaFileForOutput(location, className, kind, sibling);
            }
            return new SimpleJavaFileObject(URI.create("memory:///" + className.replace('.', '/') + ".class"), kind)
            {
                @Override
                public OutputStream openOutputStream()
                {
                    return new ByteArrayOutputStream()
                    {
                        @Override
                        public void close()
                        {
                            classes.put(className, toByteArray());
                        }
                    };
                }
            };
        }
    }
}
