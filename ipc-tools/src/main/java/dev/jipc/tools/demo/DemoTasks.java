package dev.jipc.tools.demo;

import java.io.EOFException;
import java.util.Arrays;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.pipe.Connection;
import dev.jipc.core.queue.JoinableQueue;
import dev.jipc.core.queue.Queue;
import dev.jipc.pool.ProcessInfo;
import dev.jipc.pool.Processes;
import dev.jipc.sync.Barrier;
import dev.jipc.sync.IntArray;
import dev.jipc.sync.IntValue;
import dev.jipc.sync.Lock;
import dev.jipc.sync.RLock;
import dev.jipc.sync.Semaphore;

/**
 * The tasks of {@link DemoCommand}'s programs, run in child processes: what Python's targets are in the seeds. Each
 * returns null, so that a lambda calling it is a {@code SerializableCallable}, whose task may throw checked exceptions.
 */
final class DemoTasks
{
    private DemoTasks()
    {
    }

    /** Prints this process's name and pid, and its parent's, and sends {@code name pid parentPid}. */
    static Void sayWhoIAm(final Queue<String> who) throws InterruptedException
    {
        final ProcessInfo me = Processes.currentProcess();
        final long parent = Processes.parentProcess().map(ProcessInfo::pid).orElse(-1L);
        System.out.println("  child: currentProcess() is " + me.name() + ", pid " + me.pid() + ", parent pid " +
            parent);
        System.out.flush();
        who.put(me.name() + " " + me.pid() + " " + parent);
        return null;
    }

    /** Sends Python's {@code [42, None, 'hello']} and closes its end. */
    static Void sendAndClose(final Connection<String> conn) throws Exception
    {
        conn.send(Arrays.asList(42, null, "hello").toString());
        conn.close();
        return null;
    }

    /** Logs one line through {@link Processes#logToStderr} and sends what it wrote to stderr. */
    static Void logToStderr(final Queue<String> logged) throws InterruptedException
    {
        logged.put(StderrCapture.logAndCapture("hello from pid " + Processes.currentProcess().pid()));
        return null;
    }

    /** Waits for the others at the barrier, then adds 1 to the counter {@code times} times without its lock. */
    static Void countUnlocked(final Barrier start, final IntValue counter, final int times)
        throws InterruptedException, BrokenBarrierException
    {
        start.await();
        for (int i = 0; i < times; i++)
        {
            counter.setRaw(counter.getRaw() + 1);
        }
        return null;
    }

    /** Waits for the others at the barrier, then adds 1 to the counter {@code times} times under its lock. */
    static Void countLocked(final Barrier start, final IntValue counter, final int times)
        throws InterruptedException, BrokenBarrierException
    {
        final RLock lock = counter.getLock();
        start.await();
        for (int i = 0; i < times; i++)
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
        return null;
    }

    /** Puts 0 .. items-1 into the bounded buffer. */
    static Void produce(final Semaphore empty, final Semaphore filled, final Lock mutex, final IntArray ring,
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
        return null;
    }

    /** Answers every message with "pong" and the message, until the peer closes. */
    static Void echo(final Connection<String> connection) throws Exception
    {
        try
        {
            while (true)
            {
                connection.send("pong " + connection.recv());
            }
        }
        catch (final EOFException endOfStream)
        {
            connection.close();
        }
        return null;
    }

    /** Takes numbers, puts their squares, marks each task done; stops at -1. */
    static Void work(final JoinableQueue<Long> tasks, final Queue<Long> results) throws InterruptedException
    {
        while (true)
        {
            final Long task = tasks.poll(DemoCommand.TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (task == null || task < 0)
            {
                if (task != null)
                {
                    tasks.taskDone();
                }
                return null;
            }
            results.put(task * task);
            tasks.taskDone();
        }
    }
}
