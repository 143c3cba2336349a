package dev.jipc.durable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the logs of the member runs of one consumer name (written by {@link DurableChildren.Consumer}) against the
 * journal: every message delivered at least once, nothing delivered that the journal does not hold, and no message
 * acknowledged by two deliveries (a message acknowledged once is never delivered again, so a second delivery can
 * only be of one that was not, and if that one is acknowledged too, the first acknowledgement was lost). Runs may
 * have overlapped in time, so the check does not depend on their order.
 */
final class DeliveryAudit
{
    private final Map<Long, Integer> deliveries = new HashMap<>();
    private final List<String> faults = new ArrayList<>();

    private DeliveryAudit()
    {
    }

    /**
     * Audits the logs of a name's members.
     *
     * @param journal    every message of the journal, by index.
     * @param memberLogs the log of each member run; one file per run, a member acknowledging only its own messages.
     * @return the audit.
     */
    static DeliveryAudit of(final Map<Long, Long> journal, final List<Path> memberLogs)
    {
        final DeliveryAudit audit = new DeliveryAudit();
        final Map<Long, String> acknowledgedBy = new HashMap<>();
        for (final Path log : memberLogs)
        {
            final List<Long> taken = new ArrayList<>();
            final Set<Long> acknowledged = new HashSet<>();
            for (final String line : lines(log))
            {
                final String[] fields = line.split(" ");
                if (fields[0].equals("D") && fields.length == 3)
                {
                    final long value = Long.parseLong(fields[1]);
                    final long index = Long.parseLong(fields[2]);
                    final Long expected = journal.get(index);
                    if (expected == null || expected != value)
                    {
                        audit.faults.add(log.getFileName() + ": delivered " + value + " at index 0x" +
                            Long.toHexString(index) + ", journal holds " + expected);
                    }
                    if (acknowledged.contains(index))
                    {
                        audit.faults.add(log.getFileName() + ": delivered index 0x" + Long.toHexString(index) +
                            " again after acknowledging it");
                    }
                    audit.deliveries.merge(index, 1, Integer::sum);
                    taken.add(index);
                }
                else if (fields[0].equals("A") && fields.length == 2)
                {
                    final long index = Long.parseLong(fields[1]);
                    acknowledged.addAll(taken.subList(0, taken.lastIndexOf(index) + 1));
                }
                else if (fields[0].equals("END"))
                {
                    acknowledged.addAll(taken);
                }
            }
            for (final long index : acknowledged)
            {
                final String first = acknowledgedBy.putIfAbsent(index, log.getFileName().toString());
                if (first != null)
                {
                    audit.faults.add("index 0x" + Long.toHexString(index) + " acknowledged by " + first +
                        " and again by " + log.getFileName() + ": one acknowledgement was lost");
                }
            }
        }
        for (final long index : journal.keySet())
        {
            if (!audit.deliveries.containsKey(index))
            {
                audit.faults.add("index 0x" + Long.toHexString(index) + " (" + journal.get(index) +
                    ") was never delivered");
            }
        }
        return audit;
    }

    /** What went wrong, empty when nothing did. */
    List<String> faults()
    {
        return faults.size() > 20 ? faults.subList(0, 20) : faults;
    }

    /** How many indexes were delivered more than once. */
    long duplicates()
    {
        return deliveries.values().stream().filter(count -> count > 1).count();
    }

    /** How many deliveries there were in all. */
    long deliveries()
    {
        return deliveries.values().stream().mapToLong(Integer::longValue).sum();
    }

    private static List<String> lines(final Path log)
    {
        try
        {
            if (!Files.exists(log))
            {
                return List.of();
            }
            final List<String> lines = Files.readAllLines(log);
            // the last line of a killed run may be cut short
            if (!lines.isEmpty() && !Files.readString(log).endsWith("\n"))
            {
                lines.remove(lines.size() - 1);
            }
            return lines;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
