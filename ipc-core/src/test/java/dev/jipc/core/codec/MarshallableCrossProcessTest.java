package dev.jipc.core.codec;

import static dev.jipc.core.ChildProcesses.awaitSuccess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.concurrent.TimeUnit;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.ChildProcesses;
import dev.jipc.core.Handles;
import dev.jipc.core.codec.MarshallableCodecTest.Trade;
import dev.jipc.core.queue.Queue;
import dev.jipc.core.test.ChildLogs;
import dev.jipc.core.test.Names;
import org.junit.jupiter.api.Test;

/** Chronicle Bytes records between real JVMs: a child puts, the parent takes and checks every field. */
class MarshallableCrossProcessTest
{
    private static final int TRADES = 20_000;

    @Test
    void shouldTakeEveryFieldOfEveryTradeAChildJvmPutThroughAQueueHandle() throws Exception
    {
        final String name = Names.unique("marshallable-xp");
        // a small ring: the child outruns the parent, blocks on a full ring and wraps it many times
        try (Queue<Trade> queue = Queue.create(name, 1 << 12, Codecs.marshallable(Trade.class));
            ChildProcesses children = ChildLogs.group())
        {
            try
            {
                final ChildProcesses.Child child = children.start(
                    ChildJvm.of(TradeProducer.class).args(Handles.encode(queue), TRADES));
                for (int i = 0; i < TRADES; i++)
                {
                    final Trade trade = next(queue, child);
                    assertNotNull(trade, "no trade " + i + " within 60 s or the child died; child output:\n" +
                        child.output());
                    final Trade expected = Trade.of(i);
                    assertEquals(expected.id, trade.id, "id of trade " + i);
                    assertEquals(expected.quantity, trade.quantity, "quantity of trade " + i);
                    assertEquals(expected.price, trade.price, "price of trade " + i);
                    assertEquals(expected.buy, trade.buy, "buy of trade " + i);
                    assertEquals(expected.symbol, trade.symbol, "symbol of trade " + i);
                }
                awaitSuccess(child, 60, TimeUnit.SECONDS);
                assertNull(queue.poll(), "nothing more than was put");
                final String output = child.output();
                assertFalse(output.contains("jdk.internal.ref"), "no misleading flag advice:\n" + output);
            }
            finally
            {
                queue.unlink();
            }
        }
    }

    /** The next trade, or null after 60 s or once the child is gone and the queue is empty. */
    private static Trade next(final Queue<Trade> queue, final ChildProcesses.Child child) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() - deadline < 0)
        {
            final Trade trade = queue.poll(1, TimeUnit.SECONDS);
            if (trade != null)
            {
                return trade;
            }
            if (!child.process().isAlive())
            {
                return queue.poll();
            }
        }
        return null;
    }

    /**
     * Re-attaches the queue from its serialised handle (so its codec crossed JVMs too) and puts trades 0 to n - 1.
     * Exits 4 if the analytics switch was not set by the codec, 5 if it was already set by someone else.
     */
    public static final class TradeProducer
    {
        public static void main(final String[] args) throws Exception
        {
            if (System.getProperty("chronicle.analytics.disable") != null)
            {
                System.exit(5);
            }
            @SuppressWarnings("unchecked")
            final Queue<Trade> queue = (Queue<Trade>)Handles.decode(args[0]);
            if (!"true".equals(System.getProperty("chronicle.analytics.disable")))
            {
                System.exit(4);
            }
            final int count = Integer.parseInt(args[1]);
            try (queue)
            {
                for (int i = 0; i < count; i++)
                {
                    if (!queue.offer(Trade.of(i), 60, TimeUnit.SECONDS))
                    {
                        System.err.println("no room for trade " + i + " within 60 s");
                        System.exit(3);
                    }
                }
            }
        }
    }
}
