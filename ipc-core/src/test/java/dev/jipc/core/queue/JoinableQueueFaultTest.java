package dev.jipc.core.queue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.ChildProcesses;
import dev.jipc.core.Segment;
import dev.jipc.core.SegmentDirectory;
import dev.jipc.core.SegmentKind;
import dev.jipc.core.codec.Codecs;
import dev.jipc.core.test.ChildLogs;
import dev.jipc.core.test.Names;
import dev.jipc.core.wait.WaitStrategy;
import org.junit.jupiter.api.Test;

/**
 * Processes killed (SIGKILL) in the middle of a joinable queue's accounting: a producer between claim and commit
 * leaves nothing to balance, and a worker between take and taskDone leaves its task unfinished and named.
 */
class JoinableQueueFaultTest
{
    private static final int CAPACITY = 1 << 16;
    private static final byte[] AFTER = "after".getBytes(StandardCharsets.US_ASCII);

    @Test
    void shouldJoinAfterAProducerIsKilledBetweenClaimAndCommit() throws Exception
    {
        final String name = Names.unique("join-dead-producer");
        try (JoinableQueue<byte[]> queue = JoinableQueue.create(name, CAPACITY, Codecs.bytes());
            ChildProcesses children = ChildLogs.group())
        {
            try
            {
                final ChildProcesses.Child child = children.start(ChildJvm.of(ClaimingProducer.class).args(name));
                ChildProcesses.awaitOutput(child, "claimed", 60, TimeUnit.SECONDS);
                child.process().destroyForcibly();
                assertTrue(child.process().waitFor(30, TimeUnit.SECONDS));
                queue.put(AFTER);
                assertArrayEquals(AFTER, queue.poll(10, TimeUnit.SECONDS), "blocked behind the dead producer's claim");
                assertFalse(queue.join(50, TimeUnit.MILLISECONDS), "the taken task is not done yet");
                queue.taskDone();
                assertTrue(queue.join(10, TimeUnit.SECONDS), "join waits for the killed producer's claim; unfinished=" +
                    queue.unfinishedTasks());
                assertEquals(0, queue.unfinishedTasks());
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    @Test
    void shouldKeepAndNameTheTaskOfAWorkerKilledBetweenTakeAndTaskDone() throws Exception
    {
        final String name = Names.unique("join-dead-worker");
        try (JoinableQueue<byte[]> queue = JoinableQueue.create(name, CAPACITY, Codecs.bytes());
            ChildProcesses children = ChildLogs.group())
        {
            try
            {
                queue.put(AFTER);
                queue.put(AFTER);
                final ChildProcesses.Child child = children.start(ChildJvm.of(TakingWorker.class).args(name));
                ChildProcesses.awaitOutput(child, "took", 60, TimeUnit.SECONDS);
                child.process().destroyForcibly();
                assertTrue(child.process().waitFor(30, TimeUnit.SECONDS));
                assertArrayEquals(AFTER, queue.take());
                queue.taskDone();
                assertFalse(queue.join(300, TimeUnit.MILLISECONDS), "the killed worker's task was never done");
                assertEquals(1, queue.unfinishedTasks());
                try (Segment segment = Segment.open(SegmentDirectory.defaultDirectory(), name, SegmentKind.QUEUE))
                {
                    final Map<String, String> facts = new QueueStat().describe(segment);
                    assertEquals("1", facts.get("unfinishedTasks"), facts.toString());
                    final String held = facts.get("tasksHeld.pid" + child.pid());
                    assertTrue(held != null && held.startsWith("1 (dead"), facts.toString());
                    assertFalse(facts.containsKey("tasksHeld.pid" + ProcessHandle.current().pid()),
                        "this process took one and marked it done: " + facts);
                }
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    /** Claims a record of a joinable queue, says so, and waits to be killed before committing it. */
    public static final class ClaimingProducer
    {
        public static void main(final String[] args) throws Exception
        {
            final JoinableQueue<byte[]> queue = JoinableQueue.open(args[0], Codecs.bytes());
            final ManyToManyRing ring = queue.ring;
            final ProducerRegistry.Producer producer = ring.producer();
            final int index = ring.claim(producer, 100, 0, WaitStrategy.BUSY_SPIN);
            ring.ringBuffer().putLong(index, 0xDEADL);
            System.out.println("claimed");
            System.out.flush();
            Thread.sleep(TimeUnit.MINUTES.toMillis(5));
        }
    }

    /** Takes one task, says so, and waits to be killed before marking it done. */
    public static final class TakingWorker
    {
        public static void main(final String[] args) throws Exception
        {
            final JoinableQueue<byte[]> queue = JoinableQueue.open(args[0], Codecs.bytes());
            queue.take();
            System.out.println("took");
            System.out.flush();
            Thread.sleep(TimeUnit.MINUTES.toMillis(5));
        }
    }
}
