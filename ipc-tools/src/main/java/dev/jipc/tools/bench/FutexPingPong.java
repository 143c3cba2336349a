package dev.jipc.tools.bench;

import java.util.concurrent.TimeUnit;

import dev.jipc.core.SharedMemory;
import dev.jipc.core.wait.EventCount;
import dev.jipc.core.wait.WaitCondition;
import dev.jipc.core.wait.WaitStrategy;
import org.agrona.concurrent.AtomicBuffer;

/**
 * Two processes bounce a counter through shared memory: the pinger writes round {@code n} to PING and waits for PONG
 * to reach {@code n}; the ponger waits for PING to reach {@code n} and writes it to PONG. Each word has an
 * {@link EventCount} beside it, so that a {@link WaitStrategy} can sleep and the writer wakes it.
 * <pre>
 *   0        8            64       128      136           192      256
 *   +--------+------------+--------+--------+-------------+--------+
 *   |  PING  | PING event | (pad)  |  PONG  | PONG event  | (pad)  |
 *   +--------+------------+--------+--------+-------------+--------+
 * </pre>
 * With no strategy ({@link #RAW}) both sides spin on plain volatile reads: the cost of a cache line bouncing between
 * two cores, the floor every strategy is measured against.
 */
public final class FutexPingPong
{
    /** Bytes of shared memory a ping-pong needs. */
    public static final int LENGTH = 256;
    /** Spin on the words alone, with no event counts: the hardware baseline. */
    public static final WaitStrategy RAW = null;

    private static final int PING = 0;
    private static final int PING_EVENT = 8;
    private static final int PONG = 128;
    private static final int PONG_EVENT = 136;

    private final AtomicBuffer buffer;
    private final WaitStrategy strategy;
    private final EventCount pingEvent;
    private final EventCount pongEvent;
    private final Reached pingReached;
    private final Reached pongReached;

    /**
     * @param buffer   at least {@link #LENGTH} bytes of shared memory, zeroed before the first round.
     * @param strategy how to wait, or {@link #RAW}.
     */
    public FutexPingPong(final AtomicBuffer buffer, final WaitStrategy strategy)
    {
        this.buffer = buffer;
        this.strategy = strategy;
        this.pingEvent = new EventCount(buffer, PING_EVENT);
        this.pongEvent = new EventCount(buffer, PONG_EVENT);
        this.pingReached = new Reached(buffer, PING);
        this.pongReached = new Reached(buffer, PONG);
    }

    /**
     * One round trip, from the pinging side.
     *
     * @param round        this round's number, counting from 1.
     * @param timeoutNanos the longest wait for the answer.
     * @return true if the answer came in time.
     * @throws InterruptedException if interrupted while waiting.
     */
    public boolean ping(final int round, final long timeoutNanos) throws InterruptedException
    {
        return send(PING, pingEvent, round) && receive(pongEvent, pongReached, round, timeoutNanos);
    }

    /**
     * Answers one round, from the ponging side.
     *
     * @param round        the round to wait for.
     * @param timeoutNanos the longest wait for it.
     * @return true if the round came in time and was answered.
     * @throws InterruptedException if interrupted while waiting.
     */
    public boolean pong(final int round, final long timeoutNanos) throws InterruptedException
    {
        return receive(pingEvent, pingReached, round, timeoutNanos) && send(PONG, pongEvent, round);
    }

    /**
     * The last round the ponger answered.
     *
     * @return the PONG word.
     */
    public int answered()
    {
        return buffer.getIntVolatile(PONG);
    }

    private boolean send(final int offset, final EventCount event, final int round)
    {
        buffer.putIntRelease(offset, round);
        if (strategy != RAW)
        {
            event.signalAll();
        }
        return true;
    }

    private boolean receive(final EventCount event, final Reached reached, final int round, final long timeoutNanos)
        throws InterruptedException
    {
        reached.target = round;
        if (strategy != RAW)
        {
            return strategy.await(event, reached, timeoutNanos);
        }
        final long deadline = System.nanoTime() + timeoutNanos;
        while (!reached.isSatisfied())
        {
            Thread.onSpinWait();
            if (System.nanoTime() - deadline > 0)
            {
                return false;
            }
        }
        return true;
    }

    /** Whether a word has reached a round; one instance per word, so waiting allocates nothing. */
    private static final class Reached implements WaitCondition
    {
        private final AtomicBuffer buffer;
        private final int offset;
        private int target;

        Reached(final AtomicBuffer buffer, final int offset)
        {
            this.buffer = buffer;
            this.offset = offset;
        }

        @Override
        public boolean isSatisfied()
        {
            return buffer.getIntVolatile(offset) >= target;
        }
    }

    /**
     * The ponging process: {@code <name> <strategy|RAW> <rounds>}. Exits 0 after answering every round in order,
     * 2 if a round did not come within 30 s.
     *
     * @param args the shared memory name, the strategy and the number of rounds.
     * @throws InterruptedException never in practice.
     */
    public static void main(final String[] args) throws InterruptedException
    {
        try (SharedMemory block = SharedMemory.open(args[0]))
        {
            final WaitStrategy strategy = args[1].equals("RAW") ? RAW : WaitStrategy.valueOf(args[1]);
            final FutexPingPong pingPong = new FutexPingPong(block.buffer(), strategy);
            final int rounds = Integer.parseInt(args[2]);
            for (int round = 1; round <= rounds; round++)
            {
                if (!pingPong.pong(round, TimeUnit.SECONDS.toNanos(30)))
                {
                    System.err.println("round " + round + " never came");
                    System.exit(2);
                }
            }
        }
    }
}
