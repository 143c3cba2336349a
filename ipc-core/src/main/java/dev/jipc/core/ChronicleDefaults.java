package dev.jipc.core;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What jipc sets before any Chronicle class runs, for every part of jipc that uses Chronicle (Bytes for the
 * {@code BytesMarshallable} codec, Queue for {@code DurableQueue}).
 * <ul>
 *   <li><b>No phone-home.</b> The build excludes {@code net.openhft:chronicle-analytics}, so Chronicle's
 *   AnalyticsFacade finds no implementation and is mute; {@value #ANALYTICS_PROPERTY} is set to {@code true} as
 *   well, unless the application set it. AnalyticsFacade reads the property each time it is asked, so this is early
 *   enough even when the application used Chronicle before.</li>
 *   <li><b>One misleading warning is silenced.</b> Chronicle's NativeBytesStore loads every
 *   ByteBufferCleanerService; on JDK 25 the reflective one cannot work (DirectByteBuffer has no
 *   jdk.internal.ref.Cleaner any more, whatever the flags) and logs, through java.util.logging, advice to add
 *   {@code --add-exports java.base/jdk.internal.ref}, which would not help: Chronicle uses the JDK 9+ cleaner instead.
 *   Unless the application configured that logger, its level is raised to SEVERE (the logger is held here so the
 *   setting is not collected).</li>
 *   <li><b>Chronicle's notes stay quiet.</b> Where SLF4J reaches java.util.logging (the jipc CLI, the tests),
 *   Chronicle's INFO messages (a banner asking for an e-mail address, file growth timings) would print on every
 *   start: unless the application configured the {@code net.openhft} logger, it shows warnings and worse.</li>
 * </ul>
 */
public final class ChronicleDefaults
{
    /** The property Chronicle reads to disable its usage analytics. */
    public static final String ANALYTICS_PROPERTY = "chronicle.analytics.disable";
    private static final Logger CLEANER_LOGGER;
    private static final Logger CHRONICLE_LOGGER;

    static
    {
        if (System.getProperty(ANALYTICS_PROPERTY) == null)
        {
            System.setProperty(ANALYTICS_PROPERTY, "true");
        }
        CLEANER_LOGGER = Logger.getLogger(
            "net.openhft.chronicle.core.internal.cleaner.ReflectionBasedByteBufferCleanerService");
        if (CLEANER_LOGGER.getLevel() == null)
        {
            CLEANER_LOGGER.setLevel(Level.SEVERE);
        }
        CHRONICLE_LOGGER = Logger.getLogger("net.openhft");
        if (CHRONICLE_LOGGER.getLevel() == null)
        {
            CHRONICLE_LOGGER.setLevel(Level.WARNING);
        }
    }

    private ChronicleDefaults()
    {
    }

    /** Applies the settings (once per JVM: the work is in the static initialiser). Call before using Chronicle. */
    public static void apply()
    {
        // the static initialiser has run by the time this returns
    }
}
