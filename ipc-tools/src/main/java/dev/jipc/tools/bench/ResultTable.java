package dev.jipc.tools.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** Benchmark results printed as a Markdown table, ready to paste into the README. */
public final class ResultTable
{
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    /**
     * @param columns the column titles.
     */
    public ResultTable(final String... columns)
    {
        header = List.of(columns);
    }

    /**
     * Adds a row.
     *
     * @param cells one per column.
     * @return this.
     */
    public ResultTable add(final String... cells)
    {
        if (cells.length != header.size())
        {
            throw new IllegalArgumentException("row has " + cells.length + " cells, table has " + header.size());
        }
        rows.add(List.of(cells));
        return this;
    }

    /**
     * Prints the table in Markdown.
     *
     * @param out where to.
     */
    public void print(final PrintStream out)
    {
        out.println("| " + String.join(" | ", header) + " |");
        out.println("|" + "---|".repeat(header.size()));
        for (final List<String> row : rows)
        {
            out.println("| " + String.join(" | ", row) + " |");
        }
    }
}
