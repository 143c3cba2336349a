package dev.jipc.tools.bench;

import java.io.PrintStream;

/** A one-line progress bar on stderr, redrawn at most ten times a second; silent when stderr is not a terminal. */
public final class ProgressBar
{
    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintStream out = System.err;
    private final boolean enabled = System.console() != null;
    private final String label;
    private final long total;
    private long lastDraw;

    /**
     * @param label what is running.
     * @param total steps to completion.
     */
    public ProgressBar(final String label, final long total)
    {
        this.label = label;
        this.total = Math.max(1, total);
    }

    /**
     * Reports progress; cheap enough to call on every step (one clock read).
     *
     * @param done steps completed.
     */
    public void update(final long done)
    {
        final long now = System.nanoTime();
        if (enabled && now - lastDraw >= REDRAW_NANOS)
        {
            lastDraw = now;
            final int filled = (int)(WIDTH * Math.min(done, total) / total);
            out.print("\r" + label + " [" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " +
                (100 * Math.min(done, total) / total) + "%");
            out.flush();
        }
    }

    /** Clears the bar. */
    public void finish()
    {
        if (enabled)
        {
            out.print("\r" + " ".repeat(label.length() + WIDTH + 10) + "\r");
            out.flush();
        }
    }
}
