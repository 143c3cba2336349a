package dev.jipc.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * The JVM flags that every JVM using jipc needs, and the check that names the missing ones.
 * <p>
 * The list lives in {@code dev/jipc/core/jvm-flags.properties}; the parent pom (surefire), the {@code jipc} launcher
 * and {@link ChildJvm} read the same file, so there is one place to change it. {@link #check()} runs at the first use
 * of jipc, before any Agrona class loads, so a JVM without the flags gets an {@link IllegalStateException} that lists
 * them rather than an {@link IllegalAccessError} from deep inside a library.
 */
public final class JvmFlags
{
    private static final String UNSAFE_MEMORY_ACCESS = "--sun-misc-unsafe-memory-access=";
    private static final List<String> REQUIRED = load();
    private static volatile boolean checked;

    private JvmFlags()
    {
    }

    /**
     * The flags a JVM that embeds jipc must be started with, in the form accepted on the {@code java} command line.
     *
     * @return an unmodifiable list of flags.
     */
    public static List<String> required()
    {
        return REQUIRED;
    }

    /**
     * Throws if this JVM lacks a required flag. Cheap after the first call.
     *
     * @throws IllegalStateException naming every missing flag and the full list to add.
     */
    public static void check()
    {
        if (checked)
        {
            return;
        }
        final List<String> missing = missing();
        if (!missing.isEmpty())
        {
            throw new IllegalStateException(
                "jipc needs JVM flags that this JVM was started without: missing " + String.join(" ", missing) +
                "; start java with: " + String.join(" ", REQUIRED));
        }
        checked = true;
    }

    /**
     * The required flags that this JVM lacks, empty when it has them all.
     *
     * @return the missing flags.
     */
    public static List<String> missing()
    {
        final List<String> missing = new ArrayList<>();
        final Module self = JvmFlags.class.getModule();
        for (final String flag : REQUIRED)
        {
            final boolean present;
            if (flag.startsWith("--enable-native-access="))
            {
                present = self.isNativeAccessEnabled();
            }
            else if (flag.startsWith("--add-exports="))
            {
                final String[] moduleAndPackage = flag.substring("--add-exports=".length()).split("=")[0].split("/");
                present = ModuleLayer.boot().findModule(moduleAndPackage[0])
                    .map(m -> m.isExported(moduleAndPackage[1], self))
                    .orElse(false);
            }
            else if (flag.startsWith("--add-opens="))
            {
                final String[] moduleAndPackage = flag.substring("--add-opens=".length()).split("=")[0].split("/");
                present = ModuleLayer.boot().findModule(moduleAndPackage[0])
                    .map(m -> m.isOpen(moduleAndPackage[1], self))
                    .orElse(false);
            }
            else if (flag.startsWith(UNSAFE_MEMORY_ACCESS))
            {
                // the launcher turns the option into this property (also from an @argfile or JDK_JAVA_OPTIONS)
                present = flag.substring(UNSAFE_MEMORY_ACCESS.length())
                    .equals(System.getProperty("sun.misc.unsafe.memory.access"));
            }
            else
            {
                // a flag with no runtime query is looked up on the command line: the management classes this
                // loads cost a child JVM's start tens of milliseconds, so no flag of today's list comes here
                present = ManagementFactory.getRuntimeMXBean().getInputArguments().contains(flag);
            }
            if (!present)
            {
                missing.add(flag);
            }
        }
        return missing;
    }

    private static List<String> load()
    {
        try (InputStream in = JvmFlags.class.getResourceAsStream("jvm-flags.properties"))
        {
            if (in == null)
            {
                throw new IllegalStateException("jvm-flags.properties is missing from the ipc-core jar");
            }
            final Properties properties = new Properties();
            properties.load(in);
            return List.copyOf(Arrays.asList(properties.getProperty("jipc.jvm.flags").trim().split("\\s+")));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
