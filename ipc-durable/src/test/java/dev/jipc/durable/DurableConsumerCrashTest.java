package dev.jipc.durable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.ChildProcesses;
import dev.jipc.core.codec.Codecs;
import dev.jipc.core.test.ChildLogs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A member JVM halted, holding the name's lock, at each step of recording a claim (before its redo log is
 * committed, and after each of the claim's stores): the next member finds the claim not made, or made whole and
 * the dead member's messages adopted; either way every message is delivered exactly once.
 */
class DurableConsumerCrashTest
{
    private static final long CHILD_SECONDS = 120;
    private static final int MESSAGES = 10;

    private final Path directory = DurableTestFiles.newDirectory("durable-claim-crash");

    @AfterEach
    void removeFiles()
    {
        DurableTestFiles.remove(directory);
    }

    @Test
    void shouldFinishOrForgetAClaimWhoseMemberDiedAtEachStep() throws Exception
    {
        for (int step = -1; step <= HaltingClaimer.STORES; step++)
        {
            final Path queueDirectory = directory.resolve("step" + (step + 1));
            try (DurableQueue<Long> queue = DurableQueue.open(queueDirectory, Codecs.longs());
                ChildProcesses children = ChildLogs.group())
            {
                for (long i = 0; i < MESSAGES; i++)
                {
                    queue.put(i);
                }
                final ChildProcesses.Child claimer = children.start(ChildJvm.of(HaltingClaimer.class)
                    .args(queueDirectory, step));
                assertEquals(0, ChildProcesses.awaitExit(claimer, CHILD_SECONDS, TimeUnit.SECONDS),
                    claimer.output());
                try (DurableConsumer<Long> next = queue.consumer("c"))
                {
                    final List<Long> seen = new ArrayList<>();
                    for (Message<Long> message = next.poll(); message != null; message = next.poll())
                    {
                        seen.add(message.value());
                    }
                    assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), seen, "step " + step);
                    next.ack();
                }
                try (DurableConsumer<Long> after = queue.consumer("c"))
                {
                    assertNull(after.poll(), "step " + step + ": all acknowledged");
                }
            }
        }
    }

    /**
     * Claims messages 0..2 as a member would, under the lock, and halts still holding it: at step -1 before the redo
     * log is committed, at step k after the commit and k of its stores.
     */
    static final class HaltingClaimer
    {
        /** The stores of a claim that starts a new range: from, to, end count, tail, cursor. */
        static final int STORES = 5;

        private HaltingClaimer()
        {
        }

        /**
         * Entry point.
         *
         * @param args queue directory, step.
         */
        public static void main(final String[] args)
        {
            final int step = Integer.parseInt(args[1]);
            final DurableQueue<Long> queue = DurableQueue.open(Path.of(args[0]), Codecs.longs());
            final ConsumerGroup group = ConsumerGroup.openOrCreate(queue.directory(), "c");
            group.lock();
            final int slot = group.attach();
            final long first = queue.firstIndex();
            final RedoLog claim = group.prepareClaim(slot, first, first + 2);
            if (claim.size() != STORES)
            {
                Runtime.getRuntime().halt(3);
            }
            if (step >= 0)
            {
                claim.publish();
                claim.apply(step);
            }
            Runtime.getRuntime().halt(0);
        }
    }
}
