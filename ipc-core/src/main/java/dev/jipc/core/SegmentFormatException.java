package dev.jipc.core;

import java.nio.file.Path;

/**
 * A file is not a usable jipc segment: not jipc's, another layout version, another kind, truncated or corrupt.
 * The message names the file and the fault.
 */
public class SegmentFormatException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param file  the segment file.
     * @param fault what is wrong with it, as {@code name=value} facts.
     */
    public SegmentFormatException(final Path file, final String fault)
    {
        super(file + ": " + fault);
    }
}
