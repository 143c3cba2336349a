package dev.jipc.tools.demo;

import java.util.concurrent.TimeUnit;

import dev.jipc.core.Handles;
import dev.jipc.core.pipe.Connection;
import dev.jipc.core.queue.JoinableQueue;
import dev.jipc.core.queue.Queue;
import dev.jipc.sync.IntArray;
import dev.jipc.sync.IntValue;
import dev.jipc.sync.Lock;
import dev.jipc.sync.RLock;
import dev.jipc.sync.Semaphore;

/**
 * The other side of each {@link DemoCommand} program, run in child JVMs: {@code <program> <handles> [args]}.
 */
public final class DemoChild
{
    private DemoChild()
    {
    }

    /**
     * @param args the program, its handles and its arguments.
     * @throws Exception if the program fails; the child then exits with status 1.
     */
    public static void main(final String[] args) throws Exception
    {
        final Object[] shared = Handles.decode(args[1]);
        switch (args[0])
        {
            case "count" -> count((IntValue)shared[0], Integer.parseInt(args[2]), Boolean.parseBoolean(args[3]));
            case "produce" -> produce((Semaphore)shared[0], (Semaphore)shared[1], (Lock)shared[2],
                (IntArray)shared[3], Integer.parseInt(args[2]));
            case "echo" -> echo(connection(shared[0]));
            case "work" -> work(joinable(shared[0]), queue(shared[1]));
            default -> throw new IllegalArgumentException("unknown demo program: " + args[0]);
        }
    }

    /** Adds 1 to the counter {@code times} times, under its lock or not. */
    private static void count(final IntValue counter, final int times, final boolean locked)
    {
        final RLock lock = counter.getLock();
        for (int i = 0; i < times; i++)
        {
            if (locked)
            {
                lock.lock();
                try
                {
                    counter.set(counter.get() + 1);
                }
                finally
                {
                    lock.unlock();
                }
            }
            else
            {
                counter.setRaw(counter.getRaw() + 1);
            }
        }
    }

    /** Puts 0 .. items-1 into the bounded buffer. */
    private static void produce(final Semaphore empty, final Semaphore filled, final Lock mutex, final IntArray ring,
        final int items) throws InterruptedException
    {
        for (int item = 0; item < items; item++)
        {
            empty.acquire();
            mutex.lock();
            try
            {
                ring.setRaw(item % ring.length(), item);
            }
            finally
            {
                mutex.unlock();
            }
            filled.release();
        }
    }

    /** Answers every message with "pong" and the message, until the peer closes. */
    private static void echo(final Connection<String> connection) throws Exception
    {
        try
        {
            while (true)
            {
                connection.send("pong " + connection.recv());
            }
        }
        catch (final java.io.EOFException endOfStream)
        {
            connection.close();
        }
    }

    /** Takes numbers, puts their squares, marks each task done; stops at -1. */
    private static void work(final JoinableQueue<Long> tasks, final Queue<Long> results) throws InterruptedException
    {
        while (true)
        {
            final Long task = tasks.poll(30, TimeUnit.SECONDS);
            if (task == null || task < 0)
            {
                if (task != null)
                {
                    tasks.taskDone();
                }
                return;
            }
            results.put(task * task);
            tasks.taskDone();
        }
    }

    @SuppressWarnings("unchecked")
    private static Connection<String> connection(final Object object)
    {
        return (Connection<String>)object;
    }

    @SuppressWarnings("unchecked")
    private static JoinableQueue<Long> joinable(final Object object)
    {
        return (JoinableQueue<Long>)object;
    }

    @SuppressWarnings("unchecked")
    private static Queue<Long> queue(final Object object)
    {
        return (Queue<Long>)object;
    }
}
