package dev.jipc.durable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;

import dev.jipc.core.ChronicleDefaults;
import dev.jipc.core.codec.Codecs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * jipc never phones home: Chronicle's analytics are switched off before Chronicle loads, and the artifact that
 * would send them ({@code net.openhft:chronicle-analytics}) is excluded from the build, so none of its classes is on
 * the class path.
 */
class DurableQueueNoPhoneHomeTest
{
    /** Every class of chronicle-analytics 2026.2 (its jar's listing). */
    private static final List<String> ANALYTICS_CLASSES = List.of(
        "net.openhft.chronicle.analytics.Analytics",
        "net.openhft.chronicle.analytics.Analytics$Builder",
        "net.openhft.chronicle.analytics.internal.AbstractGoogleAnalytics",
        "net.openhft.chronicle.analytics.internal.AnalyticsConfiguration",
        "net.openhft.chronicle.analytics.internal.FilesUtil",
        "net.openhft.chronicle.analytics.internal.GoogleAnalytics3",
        "net.openhft.chronicle.analytics.internal.GoogleAnalytics4",
        "net.openhft.chronicle.analytics.internal.HttpUtil",
        "net.openhft.chronicle.analytics.internal.HttpUtil$Sender",
        "net.openhft.chronicle.analytics.internal.InternalAnalyticsException",
        "net.openhft.chronicle.analytics.internal.JUnitUtil",
        "net.openhft.chronicle.analytics.internal.JsonUtil",
        "net.openhft.chronicle.analytics.internal.MuteAnalytics",
        "net.openhft.chronicle.analytics.internal.VanillaAnalyticsBuilder");

    private final Path directory = DurableTestFiles.newDirectory("no-phone-home");

    @AfterEach
    void removeFiles()
    {
        DurableTestFiles.remove(directory);
    }

    @Test
    void shouldHaveNoAnalyticsOnTheClassPathAndTheSwitchOff() throws Exception
    {
        try (DurableQueue<String> queue = DurableQueue.open(directory, Codecs.strings());
            DurableConsumer<String> consumer = queue.consumer("c"))
        {
            queue.put("quiet");
            assertEquals("quiet", consumer.poll().value());
            assertEquals("true", System.getProperty(ChronicleDefaults.ANALYTICS_PROPERTY));
        }
        final ClassLoader loader = DurableQueue.class.getClassLoader();
        for (final String name : ANALYTICS_CLASSES)
        {
            assertThrows(ClassNotFoundException.class, () -> Class.forName(name, false, loader), name);
        }
        assertNull(loader.getResource("net/openhft/chronicle/analytics/"), "no package of chronicle-analytics");
        assertNull(loader.getResource("META-INF/maven/net.openhft/chronicle-analytics/pom.xml"),
            "no jar of chronicle-analytics");
    }
}
