package dev.jipc.core;

import java.nio.file.Path;

/**
 * A file is not a usable jipc segment: not jipc's, another layout version, another kind, truncated or corrupt, or
 * not a regular file of the current user at all.
 * The message names the file and the fault.
 */
public class SegmentFormatException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final String fault;

    /**
     * @param file  the segment file.
     * @param fault what is wrong with it, as {@code name=value} facts.
     */
    public SegmentFormatException(final Path file, final String fault)
    {
        super(file + ": " + fault);
        this.fault = fault;
    }

    /**
     * What is wrong with the file, without its path: for a listing that names the file already.
     *
     * @return the fault.
     */
    public String fault()
    {
        return fault;
    }
}
