package dev.jipc.tools;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;

import dev.jipc.core.Segment;
import dev.jipc.core.SegmentDirectory;
import dev.jipc.core.SegmentFormatException;
import dev.jipc.core.SegmentInfo;
import dev.jipc.core.SegmentStat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code jipc stat NAME}: a segment's header and the live state its kind reports. */
@Command(name = "stat", description = "Show a segment's header and live state (positions, owners, waiters, ...).")
final class StatCommand implements Callable<Integer>
{
    @Mixin
    DirectoryOption dir;

    @Parameters(paramLabel = "NAME", description = "Segment name.")
    String name;

    @Override
    public Integer call()
    {
        final SegmentInfo info = SegmentInfo.read(dir.safe().resolve(SegmentDirectory.validateName(name)));
        if (info.fault() != null)
        {
            throw new SegmentFormatException(info.path(), info.fault());
        }
        print("name", name);
        print("kind", info.kind().toString());
        print("length", Long.toString(info.length()));
        print("creator", info.creator().pid() + (info.creator().isAlive() ? " (alive)" : " (dead)"));
        print("created", java.time.Instant.ofEpochMilli(info.creationTime()).toString());
        try (Segment segment = Segment.open(dir.directory, name, info.kind()))
        {
            for (final SegmentStat stat : ServiceLoader.load(SegmentStat.class))
            {
                if (stat.kind() == info.kind())
                {
                    for (final Map.Entry<String, String> fact : stat.describe(segment).entrySet())
                    {
                        print(fact.getKey(), fact.getValue());
                    }
                }
            }
        }
        return 0;
    }

    private static void print(final String key, final String value)
    {
        System.out.printf("%-24s %s%n", key + ":", value);
    }
}
