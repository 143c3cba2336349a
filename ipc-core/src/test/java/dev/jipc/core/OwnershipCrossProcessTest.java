package dev.jipc.core;

import static dev.jipc.core.ChildProcesses.awaitSuccess;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.jipc.core.codec.Codecs;
import dev.jipc.core.pipe.Connection;
import dev.jipc.core.pipe.Pipe;
import dev.jipc.core.queue.Queue;
import dev.jipc.core.queue.QueueDescriptor;
import dev.jipc.core.queue.QueueSegments;
import dev.jipc.core.test.ChildLogs;
import dev.jipc.core.test.Names;
import org.agrona.concurrent.AtomicBuffer;
import org.junit.jupiter.api.Test;

/**
 * Ownership between processes: the consumer lock's waits (issue 9, item 4), gc's view of attached processes (item
 * 8), liveness across pid namespaces (item 10) and the one-step owner record (item 11).
 */
class OwnershipCrossProcessTest
{
    private static final byte[] MESSAGE = "waiting behind the lock".getBytes(StandardCharsets.US_ASCII);
    private static final List<String> OWN_PID_NAMESPACE = List.of("unshare", "--pid", "--fork", "--kill-child",
        "--mount-proc");

    @Test
    void shouldHonourTheDeadlineAndInterruptsWhileAnotherProcessHoldsTheConsumerLock() throws Exception
    {
        final String name = Names.unique("held-lock");
        try (Queue<byte[]> queue = Queue.create(name, 64 * 1024, Codecs.bytes());
            ChildProcesses children = ChildLogs.group())
        {
            try
            {
                queue.put(MESSAGE);
                final ChildProcesses.Child holder = children.start(ChildJvm.of(ConsumerLockHolder.class).args(name));
                ChildProcesses.awaitOutput(holder, "held", 60, TimeUnit.SECONDS);

                final long start = System.nanoTime();
                final byte[] none = assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> queue.poll(200, TimeUnit.MILLISECONDS), "poll(200 ms) did not return behind a held lock");
                final long elapsed = System.nanoTime() - start;
                assertNull(none, "the lock is held by a live process");
                assertTrue(elapsed >= TimeUnit.MILLISECONDS.toNanos(200), "returned early: elapsedNanos=" + elapsed);

                // a waiter parks: over half a second it uses a small part of a core
                final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
                final AtomicLong cpu = new AtomicLong();
                final CompletableFuture<Object> taker = new CompletableFuture<>();
                final Thread thread = new Thread(() ->
                {
                    try
                    {
                        final long before = threads.getCurrentThreadCpuTime();
                        try
                        {
                            taker.complete(queue.poll(500, TimeUnit.MILLISECONDS));
                        }
                        finally
                        {
                            cpu.set(threads.getCurrentThreadCpuTime() - before);
                        }
                    }
                    catch (final Throwable ex)
                    {
                        taker.completeExceptionally(ex);
                    }
                });
                thread.start();
                assertNull(taker.get(20, TimeUnit.SECONDS));
                assertTrue(cpu.get() < TimeUnit.MILLISECONDS.toNanos(250),
                    "a waiter for the consumer lock spun: cpuNanos=" + cpu.get() + " over 500 ms");

                // take() behind the held lock ends with InterruptedException
                final CompletableFuture<Object> interrupted = new CompletableFuture<>();
                final Thread blocked = new Thread(() ->
                {
                    try
                    {
                        interrupted.complete(queue.take());
                    }
                    catch (final Throwable ex)
                    {
                        interrupted.completeExceptionally(ex);
                    }
                });
                blocked.start();
                Thread.sleep(100);
                blocked.interrupt();
                final ExecutionException ex = assertThrows(ExecutionException.class,
                    () -> interrupted.get(20, TimeUnit.SECONDS));
                assertTrue(ex.getCause() instanceof InterruptedException, ex.toString());

                // the holder dies: the lock is taken over and the message delivered
                holder.process().destroyForcibly();
                assertArrayEquals(MESSAGE, queue.poll(10, TimeUnit.SECONDS));
                thread.join(TimeUnit.SECONDS.toMillis(20));
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    @Test
    void shouldTakeADeadConsumersLockOverFromEmptyPollsInALoop() throws Exception
    {
        final String name = Names.unique("dead-holder");
        try (Queue<byte[]> queue = Queue.create(name, 64 * 1024, Codecs.bytes());
            ChildProcesses children = ChildLogs.group())
        {
            try
            {
                queue.put(MESSAGE);
                final ChildProcesses.Child holder = children.start(ChildJvm.of(ConsumerLockHolder.class).args(name));
                ChildProcesses.awaitOutput(holder, "held", 60, TimeUnit.SECONDS);
                assertNull(queue.poll(), "the lock is held by a live process");
                holder.process().destroyForcibly();
                assertTrue(holder.process().waitFor(20, TimeUnit.SECONDS));
                // poll() never waits, yet across calls the same dead owner is seen for 10 ms and the lock taken over
                final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                byte[] taken = null;
                while (taken == null && System.nanoTime() < deadline)
                {
                    taken = queue.poll();
                    Thread.sleep(1);
                }
                assertArrayEquals(MESSAGE, taken, "non-blocking polls never took over the dead consumer's lock");
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    @Test
    void shouldNeverLeaveTheConsumerLockHeldAfterAFaultUnderIt() throws Exception
    {
        try (ChildProcesses children = ChildLogs.group())
        {
            final ChildProcesses.Child child = children.start(
                ChildJvm.of(TruncatedUnderTheLock.class).args(Names.unique("truncated")));
            awaitSuccess(child, 60, TimeUnit.SECONDS);
            assertTrue(child.output().contains("second poll returned"), child.output());
        }
    }

    @Test
    void shouldKeepASegmentForGcWhileAnyLiveProcessHasItMapped() throws Exception
    {
        final String name = Names.unique("gc-attached");
        final Path path = SegmentDirectory.defaultDirectory().resolve(name);
        try (ChildProcesses children = ChildLogs.group())
        {
            try
            {
                // the creator exits; a consumer stays attached
                awaitSuccess(children.start(ChildJvm.of(Creator.class).args(name)), 60, TimeUnit.SECONDS);
                final ChildProcesses.Child consumer = children.start(ChildJvm.of(Attacher.class).args(name));
                ChildProcesses.awaitOutput(consumer, "attached", 60, TimeUnit.SECONDS);
                assertFalse(AttachLock.removeIfUnused(path), "removed while a live consumer has it mapped");
                assertTrue(Files.exists(path));
                assertEquals(List.of(consumer.pid()), AttachLock.attachers(path));

                try (Queue<byte[]> queue = Queue.open(name, Codecs.bytes()))
                {
                    assertEquals(2, AttachLock.attachers(path).size(), "this process is listed too");
                    consumer.process().destroyForcibly();
                    consumer.process().waitFor(20, TimeUnit.SECONDS);
                    assertFalse(AttachLock.removeIfUnused(path), "removed while this process has it mapped");
                    assertEquals(List.of(ProcessHandle.current().pid()), AttachLock.attachers(path));
                }
                assertTrue(AttachLock.removeIfUnused(path), "nobody has it mapped any more");
                assertFalse(Files.exists(path));
            }
            finally
            {
                Files.deleteIfExists(path);
            }
        }
    }

    @Test
    void shouldTellAnOpenThatLostTheRaceWithGcThatTheSegmentIsGone() throws Exception
    {
        final String name = Names.unique("gc-race");
        final Path path = SegmentDirectory.defaultDirectory().resolve(name);
        SharedMemory.create(name, 4096).close();
        final int fd = OpenFileLocks.open(path, true, false);
        try
        {
            // what gc holds while it unlinks
            assertTrue(OpenFileLocks.tryLock(fd, OpenFileLocks.WRITE, 0, 0));
            final CompletableFuture<Object> open = new CompletableFuture<>();
            final Thread opener = new Thread(() ->
            {
                try
                {
                    open.complete(SharedMemory.open(name));
                }
                catch (final RuntimeException ex)
                {
                    open.completeExceptionally(ex);
                }
            });
            opener.start();
            // the opener has validated the file and waits for its attach lock (parked between tries): the race
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (opener.getState() != Thread.State.TIMED_WAITING)
            {
                assertTrue(!open.isDone() && System.nanoTime() < deadline, "the open did not wait for the lock");
                Thread.sleep(1);
            }
            Files.delete(path);
            OpenFileLocks.close(fd);
            final ExecutionException ex = assertThrows(ExecutionException.class, () -> open.get(20, TimeUnit.SECONDS));
            assertTrue(ex.getCause().getMessage().contains("no such segment"), ex.getCause().toString());
        }
        finally
        {
            Files.deleteIfExists(path);
        }
    }

    @Test
    void shouldJudgeAPipePeerInAnotherPidNamespaceAlive() throws Exception
    {
        assumeTrue(canUnsharePidNamespace(), "needs unshare --pid (root or user namespaces)");
        final String name = Names.unique("ns-pipe");
        try (Pipe<byte[]> pipe = Pipe.create(SegmentDirectory.defaultDirectory(), name, 4096, true, Codecs.bytes());
            ChildProcesses children = ChildLogs.group())
        {
            try
            {
                final Connection<byte[]> mine = pipe.first();
                final ChildProcesses.Child peer = children.start(
                    ChildJvm.of(PipePeer.class).args(name).launcher(OWN_PID_NAMESPACE.toArray(String[]::new)));
                ChildProcesses.awaitOutput(peer, "attached", 60, TimeUnit.SECONDS);
                assertTrue(peer.output().contains("pid=1 "), "the peer has a pid namespace of its own: " +
                    peer.output());
                // judged by pid, the peer (pid 1 in its namespace) was another process here, or none: broken pipe
                assertFalse(mine.poll(500, TimeUnit.MILLISECONDS), "a live peer in another namespace judged gone");
                mine.send("ping".getBytes(StandardCharsets.US_ASCII));
                assertTrue(mine.poll(20, TimeUnit.SECONDS));
                assertArrayEquals("pong".getBytes(StandardCharsets.US_ASCII), mine.recv());

                peer.process().destroyForcibly();
                assertTrue(mine.poll(20, TimeUnit.SECONDS), "the peer's death is noticed");
                final IOException broken = assertThrows(IOException.class, mine::recv);
                assertTrue(broken.getMessage().contains("the peer closed or died"), broken.getMessage());
            }
            finally
            {
                pipe.unlink();
            }
        }
    }

    @Test
    void shouldNotTakeTheConsumerLockFromALiveHolderInAnotherPidNamespace() throws Exception
    {
        assumeTrue(canUnsharePidNamespace(), "needs unshare --pid (root or user namespaces)");
        final String name = Names.unique("ns-lock");
        try (Queue<byte[]> queue = Queue.create(name, 64 * 1024, Codecs.bytes());
            ChildProcesses children = ChildLogs.group())
        {
            try
            {
                queue.put(MESSAGE);
                final ChildProcesses.Child holder = children.start(ChildJvm.of(ConsumerLockHolder.class).args(name)
                    .launcher(OWN_PID_NAMESPACE.toArray(String[]::new)));
                ChildProcesses.awaitOutput(holder, "held", 60, TimeUnit.SECONDS);
                // well past the 10 ms liveness check: a live holder keeps the lock
                assertNull(queue.poll(500, TimeUnit.MILLISECONDS), "the lock was taken from a live holder");
                holder.process().destroyForcibly();
                assertArrayEquals(MESSAGE, queue.poll(10, TimeUnit.SECONDS), "the dead holder's lock is recovered");
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    @Test
    void shouldNotTakeTheConsumerLockFromAStoppedHolder() throws Exception
    {
        final String name = Names.unique("stopped-lock");
        try (Queue<byte[]> queue = Queue.create(name, 64 * 1024, Codecs.bytes());
            ChildProcesses children = ChildLogs.group())
        {
            try
            {
                queue.put(MESSAGE);
                final ChildProcesses.Child holder = children.start(ChildJvm.of(ConsumerLockHolder.class).args(name));
                ChildProcesses.awaitOutput(holder, "held", 60, TimeUnit.SECONDS);
                signal("STOP", holder.pid());
                try
                {
                    assertNull(queue.poll(500, TimeUnit.MILLISECONDS), "the lock was taken from a stopped holder");
                }
                finally
                {
                    signal("CONT", holder.pid());
                }
                holder.process().destroyForcibly();
                assertArrayEquals(MESSAGE, queue.poll(10, TimeUnit.SECONDS));
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    private static void signal(final String signal, final long pid) throws IOException, InterruptedException
    {
        final Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        assertTrue(kill.waitFor(20, TimeUnit.SECONDS) && kill.exitValue() == 0, "kill -" + signal + " " + pid);
    }

    private static boolean canUnsharePidNamespace()
    {
        try
        {
            final List<String> command = new java.util.ArrayList<>(OWN_PID_NAMESPACE);
            command.add("true");
            final Process probe = new ProcessBuilder(command).start();
            return probe.waitFor(20, TimeUnit.SECONDS) && probe.exitValue() == 0;
        }
        catch (final IOException ex)
        {
            return false;
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Takes a queue's consumer lock as a consumer in a slow decode would, and holds it until killed. */
    public static final class ConsumerLockHolder
    {
        public static void main(final String[] args) throws InterruptedException
        {
            final Queue<byte[]> queue = Queue.open(args[0], Codecs.bytes());
            final Segment segment = QueueSegments.segment(queue);
            final ProcessOwner lock = new ProcessOwner(
                segment.buffer(), QueueDescriptor.CONSUMER_LOCK_OFFSET, segment.registry());
            if (!lock.tryAcquire(ProcessOwner.word(lock.registry(), 1)))
            {
                throw new AssertionError("consumer lock busy");
            }
            System.out.println("held by pid=" + ProcessHandle.current().pid() + " ");
            System.out.flush();
            Thread.sleep(TimeUnit.MINUTES.toMillis(5));
        }
    }

    /**
     * Faults while holding the consumer lock (the ring truncated away under the mapping), then polls again: the second
     * poll must come back within its timeout, not spin on a lock its own process left held.
     */
    public static final class TruncatedUnderTheLock
    {
        public static void main(final String[] args) throws Exception
        {
            final Queue<byte[]> queue = Queue.create(args[0], 64 * 1024, Codecs.bytes());
            final Path path = SegmentDirectory.defaultDirectory().resolve(args[0]);
            try
            {
                queue.put(MESSAGE);
                try (var channel = java.nio.channels.FileChannel.open(path, java.nio.file.StandardOpenOption.WRITE))
                {
                    // keep the header and the lock block; cut the ring, head and tail away
                    channel.truncate(QueueDescriptor.REGISTRY_OFFSET);
                }
                try
                {
                    queue.poll();
                    System.out.println("first poll read a truncated ring without a fault");
                }
                catch (final Throwable expected)
                {
                    System.out.println("first poll faulted: " + expected);
                }
                final AtomicBuffer buffer = QueueSegments.segment(queue).buffer();
                System.out.println("lock word after the fault: " +
                    buffer.getLongVolatile(QueueDescriptor.CONSUMER_LOCK_OFFSET));
                final long start = System.nanoTime();
                try
                {
                    queue.poll(200, TimeUnit.MILLISECONDS);
                }
                catch (final Throwable expected)
                {
                    System.out.println("second poll faulted: " + expected);
                }
                System.out.println("second poll returned after " +
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
                if (buffer.getLongVolatile(QueueDescriptor.CONSUMER_LOCK_OFFSET) != 0)
                {
                    throw new AssertionError("consumer lock left held");
                }
            }
            finally
            {
                Files.deleteIfExists(path);
            }
            System.out.flush();
            Runtime.getRuntime().halt(0);
        }
    }

    /** Creates a queue and exits without unlinking it. */
    public static final class Creator
    {
        public static void main(final String[] args)
        {
            Queue.create(args[0], 64 * 1024, Codecs.bytes()).close();
        }
    }

    /** Opens a queue and stays attached until killed. */
    public static final class Attacher
    {
        public static void main(final String[] args) throws InterruptedException
        {
            final Queue<byte[]> queue = Queue.open(args[0], Codecs.bytes());
            System.out.println("attached " + queue);
            System.out.flush();
            Thread.sleep(TimeUnit.MINUTES.toMillis(5));
        }
    }

    /** Owns end 1 of a pipe, answers one ping, then stays until killed. */
    public static final class PipePeer
    {
        public static void main(final String[] args) throws Exception
        {
            final Connection<byte[]> end = Connection.open(args[0], 1, Codecs.bytes());
            System.out.println("attached pid=" + ProcessHandle.current().pid() + " ");
            System.out.flush();
            end.recv();
            end.send("pong".getBytes(StandardCharsets.US_ASCII));
            Thread.sleep(TimeUnit.MINUTES.toMillis(5));
        }
    }
}
