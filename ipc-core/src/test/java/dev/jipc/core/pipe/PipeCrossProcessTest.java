package dev.jipc.core.pipe;

import static dev.jipc.core.ChildProcesses.awaitSuccess;
import static dev.jipc.core.Handles.decode;
import static dev.jipc.core.Handles.encode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.ChildProcesses;
import dev.jipc.core.codec.Codecs;
import dev.jipc.core.test.ChildLogs;
import org.junit.jupiter.api.Test;

/** Pipes between real JVMs: ping-pong, end of stream, poll timeouts and waiting on several connections. */
class PipeCrossProcessTest
{
    private static final int ROUNDS = 10_000;

    @Test
    void shouldPingPongBetweenJvmsThroughAHandedOverEnd() throws Exception
    {
        try (Pipe<String> pipe = Pipe.create(true, Codecs.strings());
            ChildProcesses children = ChildLogs.group())
        {
            try
            {
                final Connection<String> parent = pipe.first();
                final ChildProcesses.Child child = children.start(ChildJvm.of(Echo.class)
                    .args(encode(pipe.second())));
                for (long i = 0; i < ROUNDS; i++)
                {
                    parent.sendLong(i);
                    assertEquals(i + 1, parent.recvLong());
                }
                parent.send("hello");
                assertEquals("HELLO", parent.recv());
                final byte[] bytes = {1, 2, 3, 4, 5};
                parent.sendBytes(bytes, 1, 3);
                final byte[] received = new byte[8];
                assertEquals(3, parent.recvBytes(received, 2));
                assertEquals(2, received[2]);
                assertEquals(3, received[3]);
                assertEquals(4, received[4]);
                parent.close();
                awaitSuccess(child, 60, TimeUnit.SECONDS);
            }
            finally
            {
                pipe.unlink();
            }
        }
    }

    @Test
    void shouldReportEndOfStreamAfterThePeerClosesAndAfterItDies() throws Exception
    {
        try (Pipe<String> closing = Pipe.create(false, Codecs.strings());
            Pipe<String> dying = Pipe.create(false, Codecs.strings());
            ChildProcesses children = ChildLogs.group())
        {
            try
            {
                awaitSuccess(children.start(ChildJvm.of(SendThenClose.class).args(encode(closing.second()))),
                    60, TimeUnit.SECONDS);
                final Connection<String> reader = closing.first();
                assertTrue(reader.poll(), "end of stream is ready to receive");
                assertEquals("one", reader.recv());
                assertEquals("two", reader.recv());
                final EOFException eof = assertThrows(EOFException.class, reader::recv);
                assertTrue(eof.getMessage().contains("end of stream"), eof.getMessage());
                assertThrows(IllegalStateException.class, () -> reader.send("x"), "one-way: first only receives");

                final ChildProcesses.Child victim = children.start(ChildJvm.of(SendThenHang.class)
                    .args(encode(dying.second())));
                final Connection<String> survivor = dying.first();
                assertEquals("alive", survivor.recv());
                victim.process().destroyForcibly();
                assertTrue(victim.process().waitFor(30, TimeUnit.SECONDS));
                final long start = System.nanoTime();
                assertThrows(EOFException.class, survivor::recv, "a dead peer is end of stream");
                assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10));
            }
            finally
            {
                closing.unlink();
                dying.unlink();
            }
        }
    }

    @Test
    void shouldTimeOutPollNeverEarly() throws Exception
    {
        try (Pipe<String> pipe = Pipe.create(true, Codecs.strings()))
        {
            try
            {
                final long start = System.nanoTime();
                assertFalse(pipe.first().poll(100, TimeUnit.MILLISECONDS));
                final long elapsed = System.nanoTime() - start;
                assertTrue(elapsed >= TimeUnit.MILLISECONDS.toNanos(100), "early: " + elapsed);
                assertTrue(elapsed < TimeUnit.MILLISECONDS.toNanos(2_000), "late: " + elapsed);
                pipe.second().send("now");
                assertTrue(pipe.first().poll(0, TimeUnit.NANOSECONDS));
                assertEquals("now", pipe.first().recv());
            }
            finally
            {
                pipe.unlink();
            }
        }
    }

    @Test
    void shouldWakeConnectionWaitForTheOnePipeOfThreeThatGotData() throws Exception
    {
        try (Pipe<String> a = Pipe.create(true, Codecs.strings());
            Pipe<String> b = Pipe.create(true, Codecs.strings());
            Pipe<String> c = Pipe.create(true, Codecs.strings());
            ChildProcesses children = ChildLogs.group())
        {
            try
            {
                final List<Connection<String>> mine = List.of(a.first(), b.first(), c.first());
                assertTrue(Connection.wait(mine, 50, TimeUnit.MILLISECONDS).isEmpty(), "nothing is ready yet");
                final ChildProcesses.Child child = children.start(ChildJvm.of(SendOnOne.class)
                    .args(encode(a.second()), encode(b.second()), encode(c.second()), 1));
                final List<Connection<?>> ready = Connection.wait(mine, 60, TimeUnit.SECONDS);
                assertEquals(List.of(b.first()), ready, "child output:\n" + child.output());
                assertEquals("for b", b.first().recv());
                assertFalse(a.first().poll());
                assertFalse(c.first().poll());
                b.first().send("done");
                awaitSuccess(child, 60, TimeUnit.SECONDS);
            }
            finally
            {
                a.unlink();
                b.unlink();
                c.unlink();
            }
        }
    }

    /** Echoes longs + 1, strings upper-cased and bytes as they are, until the parent closes. */
    public static final class Echo
    {
        public static void main(final String[] args) throws Exception
        {
            @SuppressWarnings("unchecked")
            final Connection<String> connection = decode(args[0]);
            try (connection)
            {
                for (int i = 0; i < ROUNDS; i++)
                {
                    connection.sendLong(connection.recvLong() + 1);
                }
                connection.send(connection.recv().toUpperCase());
                final byte[] buffer = new byte[64];
                final int length = connection.recvBytes(buffer, 0);
                connection.sendBytes(buffer, 0, length);
                try
                {
                    connection.recv();
                    System.exit(2);
                }
                catch (final EOFException expected)
                {
                    System.out.println("end of stream");
                }
            }
        }
    }

    /** Sends two messages and closes its end. */
    public static final class SendThenClose
    {
        public static void main(final String[] args) throws Exception
        {
            @SuppressWarnings("unchecked")
            final Connection<String> connection = decode(args[0]);
            connection.send("one");
            connection.send("two");
            connection.close();
        }
    }

    /** Sends one message and waits to be killed. */
    public static final class SendThenHang
    {
        public static void main(final String[] args) throws Exception
        {
            @SuppressWarnings("unchecked")
            final Connection<String> connection = decode(args[0]);
            connection.send("alive");
            Thread.sleep(120_000);
        }
    }

    /** Sends on the connection at the given index after a pause, then waits for the parent's reply there. */
    public static final class SendOnOne
    {
        public static void main(final String[] args) throws Exception
        {
            final int index = Integer.parseInt(args[3]);
            @SuppressWarnings("unchecked")
            final Connection<String> connection = decode(args[index]);
            Thread.sleep(200);
            connection.send("for b");
            if (!connection.poll(60, TimeUnit.SECONDS) || !connection.recv().equals("done"))
            {
                System.exit(2);
            }
        }
    }
}
