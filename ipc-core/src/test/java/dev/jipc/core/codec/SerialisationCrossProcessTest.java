package dev.jipc.core.codec;

import static dev.jipc.core.ChildProcesses.awaitSuccess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.ChildProcesses;
import dev.jipc.core.queue.Queue;
import dev.jipc.core.test.ChildLogs;
import dev.jipc.core.test.Names;
import org.junit.jupiter.api.Test;

/**
 * Hostile Java-serialisation records written raw into a queue by another JVM: the consumer gets a clear error for
 * each, quickly and without allocating what the record claims, and the queue goes on, for this JVM and for others.
 */
class SerialisationCrossProcessTest
{
    @Test
    void shouldRefuseHostileRecordsFromAnotherJvmAndDeliverTheMessagesAroundThem() throws Exception
    {
        final String name = Names.unique("hostile-serial");
        try (Queue<Serializable> queue = Queue.create(name, 1 << 16, Codecs.serializable("java.util.*"));
            ChildProcesses children = ChildLogs.group())
        {
            try
            {
                awaitSuccess(children.start(ChildJvm.of(HostileWriter.class).args(name)), 60, TimeUnit.SECONDS);
                assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
                {
                    final IllegalArgumentException arrays = assertThrows(IllegalArgumentException.class, queue::take);
                    assertTrue(arrays.getMessage().contains("maxArrayBytes=1314") &&
                        arrays.getMessage().contains("recordLength=657"), arrays.getMessage());
                    assertEquals(List.of("first"), queue.take());
                    final IllegalArgumentException hashing =
                        assertThrows(IllegalArgumentException.class, queue::take);
                    assertTrue(hashing.getMessage().contains("class=java.util.HashSet") &&
                        hashing.getMessage().contains("recordLength=1640"), hashing.getMessage());
                });
                // another JVM takes the next one: the failed decodes left the consumer lock free
                awaitSuccess(children.start(ChildJvm.of(Taker.class).args(name, "second")), 60, TimeUnit.SECONDS);
                assertTrue(queue.isEmpty());
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    /** Puts the 657-byte nested-array record, "first", the depth-28 SerialDOS record and "second", raw. */
    public static final class HostileWriter
    {
        public static void main(final String[] args)
        {
            final Codec<byte[]> raw = RawRecords.under(Codecs.serializable("java.util.ArrayList"));
            try (Queue<byte[]> queue = Queue.open(args[0], raw))
            {
                queue.add(HostileRecords.nestedArrayHeaders(60, 16_777_216));
                queue.add(HostileRecords.serialise(new ArrayList<>(List.of("first"))));
                queue.add(HostileRecords.serialDos(28));
                queue.add(HostileRecords.serialise(new ArrayList<>(List.of("second"))));
            }
        }
    }

    /** Takes one element and exits 0 if it is the list of the expected string. */
    public static final class Taker
    {
        public static void main(final String[] args) throws Exception
        {
            try (Queue<Serializable> queue = Queue.open(args[0], Codecs.serializable("java.util.*")))
            {
                final Serializable element = queue.poll(30, TimeUnit.SECONDS);
                if (!List.of(args[1]).equals(element))
                {
                    System.out.println("expected [" + args[1] + "], took " + element);
                    System.exit(1);
                }
            }
        }
    }
}
