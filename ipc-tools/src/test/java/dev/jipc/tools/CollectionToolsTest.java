package dev.jipc.tools;

import static dev.jipc.core.ChildProcesses.awaitSuccess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.ChildProcesses;
import dev.jipc.core.codec.Codecs;
import dev.jipc.core.test.ChildLogs;
import dev.jipc.sync.collection.SharedDict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jipc stat and gc on a SharedDict's files. */
class CollectionToolsTest
{
    @TempDir
    Path dir;

    @Test
    void shouldStatADictAndKeepItsCurrentGenerationThatOnlyALaggingHandleNeeds() throws Exception
    {
        try (SharedDict<String, Long> dict = SharedDict.create(dir, "words", Codecs.strings(), Codecs.longs());
            ChildProcesses children = ChildLogs.group())
        {
            dict.set("seed", 1L);
            // another JVM grows the map (new generations, the first unlinked) and exits: this handle has not followed
            awaitSuccess(children.start(ChildJvm.of(Grower.class).args(dir, "words")), 60, TimeUnit.SECONDS);
            final CommandLineResult gc = run("gc", "--dir", dir.toString());
            assertEquals(0, gc.status(), gc.err());
            assertEquals(1_001L, dict.size(), "the root is shared: the size is current");
            assertEquals(999L, dict.get("k999"), "the current generation survived gc and this handle followed it");

            final CommandLineResult stat = run("stat", "--dir", dir.toString(), "words");
            assertEquals(0, stat.status(), stat.err());
            assertTrue(stat.out().contains("kind:") && stat.out().contains("DICT"), stat.out());
            assertTrue(stat.out().matches("(?s).*entries:\\s+1001\\n.*"), stat.out());
            assertTrue(stat.out().matches("(?s).*lock:\\s+free\\n.*"), stat.out());
            assertTrue(stat.out().contains("free for reuse"), stat.out());
        }
        final CommandLineResult gc = run("gc", "--dir", dir.toString());
        assertEquals(0, gc.status(), gc.err());
        try (Stream<Path> files = Files.list(dir))
        {
            assertEquals(0, files.filter(f -> f.getFileName().toString().startsWith("words")).count(),
                "a dict nobody maps is collected whole: root, lock and generation");
        }
    }

    private static CommandLineResult run(final String... args)
    {
        return CommandLineResult.run(args);
    }

    /** Opens the dict and writes a thousand keys, which grows it several times. */
    static final class Grower
    {
        public static void main(final String[] args)
        {
            try (SharedDict<String, Long> dict = SharedDict.open(Path.of(args[0]), args[1], Codecs.strings(),
                Codecs.longs()))
            {
                for (long i = 0; i < 1_000; i++)
                {
                    dict.set("k" + i, i);
                }
            }
        }
    }
}
