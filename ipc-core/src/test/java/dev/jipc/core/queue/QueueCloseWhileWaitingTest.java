package dev.jipc.core.queue;

import static dev.jipc.core.ChildProcesses.awaitSuccess;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.ChildProcesses;
import dev.jipc.core.ProcessOwner;
import dev.jipc.core.Segment;
import dev.jipc.core.codec.Codecs;
import dev.jipc.core.test.ChildLogs;
import dev.jipc.core.test.Names;
import org.junit.jupiter.api.Test;

/**
 * Closing a queue handle while another thread of the process waits for the consumer lock (issue 9, item 1): the
 * wait ends with an exception and the JVM lives. It runs in a child JVM, so that an unmap under the waiter (SIGSEGV)
 * fails the test instead of killing the test JVM.
 */
class QueueCloseWhileWaitingTest
{
    @Test
    void shouldEndAWaitForTheConsumerLockWhenTheHandleIsClosed() throws Exception
    {
        final String name = Names.unique("close-lock-wait");
        try (Queue<byte[]> queue = Queue.create(name, 64 * 1024, Codecs.bytes());
            ChildProcesses children = ChildLogs.group())
        {
            try
            {
                queue.put(new byte[] {1});
                // this process holds the consumer lock, as a consumer in a long decode would
                final Segment segment = queue.ring.segment();
                final ProcessOwner lock =
                    new ProcessOwner(segment.buffer(), QueueDescriptor.CONSUMER_LOCK_OFFSET, segment.registry());
                assertTrue(lock.tryAcquire(ProcessOwner.word(lock.registry(), 1)));
                final ChildProcesses.Child child = children.start(ChildJvm.of(CloseUnderTheWaiter.class).args(name));
                awaitSuccess(child, 60, TimeUnit.SECONDS);
                assertTrue(child.output().contains("waiter ended: java.lang.IllegalStateException: queue is closed"),
                    child.output());
                lock.release();
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    /** A thread polls behind the held consumer lock; the main thread closes the only handle under it. */
    public static final class CloseUnderTheWaiter
    {
        public static void main(final String[] args) throws Exception
        {
            final Queue<byte[]> queue = Queue.open(args[0], Codecs.bytes());
            final CompletableFuture<Object> waiter = CompletableFuture.supplyAsync(() ->
            {
                try
                {
                    return queue.poll(30, TimeUnit.SECONDS);
                }
                catch (final InterruptedException ex)
                {
                    throw new IllegalStateException(ex);
                }
            });
            Thread.sleep(300);
            queue.close();
            try
            {
                System.out.println("waiter returned " + waiter.get(30, TimeUnit.SECONDS));
            }
            catch (final ExecutionException ex)
            {
                System.out.println("waiter ended: " + ex.getCause());
            }
            System.out.flush();
        }
    }
}
