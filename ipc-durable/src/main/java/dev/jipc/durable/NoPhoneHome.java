package dev.jipc.durable;

/**
 * Turns Chronicle's usage analytics off before any Chronicle class loads: jipc never phones home. The
 * {@code chronicle-analytics} artifact is also excluded from the build, so nothing could send even if asked.
 */
final class NoPhoneHome
{
    /** The property Chronicle reads. */
    static final String PROPERTY = "chronicle.analytics.disable";

    static
    {
        System.setProperty(PROPERTY, "true");
    }

    private NoPhoneHome()
    {
    }

    /** Runs the static initialiser; call it before touching any Chronicle class. */
    static void ensure()
    {
        // the work is in the static initialiser, which the JVM runs once
    }
}
