package dev.jipc.tools.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.ChildProcesses;
import dev.jipc.core.Handles;
import dev.jipc.core.codec.Codecs;
import dev.jipc.core.pipe.Connection;
import dev.jipc.core.pipe.Pipe;
import dev.jipc.core.queue.JoinableQueue;
import dev.jipc.core.queue.Queue;
import dev.jipc.sync.IntArray;
import dev.jipc.sync.IntValue;
import dev.jipc.sync.Lock;
import dev.jipc.sync.Semaphore;
import dev.jipc.sync.SyncArena;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jipc demo}: the classic multiprocessing programs, each between this JVM and child JVMs that receive the
 * shared objects as serialised handles. Exits non-zero if any program's check fails.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the classic multiprocessing programs across real JVMs: counter race, bounded buffer, pipe, " +
        "joinable queue.")
public final class DemoCommand implements Callable<Integer>
{
    private static final long CHILD_TIMEOUT_SECONDS = 120;

    @Option(names = "--scale", description = "Multiply the work of every program (default: ${DEFAULT-VALUE}).")
    int scale = 1;

    private final String prefix = "demo-" + ProcessHandle.current().pid() + "-";
    private boolean failed;

    @Override
    public Integer call() throws Exception
    {
        counterRace();
        boundedBuffer();
        pipe();
        joinableQueue();
        System.out.println(failed ? "demo: a check FAILED" : "demo: every check passed");
        return failed ? 1 : 0;
    }

    /** Four JVMs add 1 to one shared int: without the lock updates are lost, under it none are. */
    private void counterRace() throws InterruptedException
    {
        heading("Counter race: 4 JVMs each add 1 to one IntValue " + 50_000 * scale + " times");
        final int jvms = 4;
        final int times = 50_000 * scale;
        try (IntValue counter = IntValue.create(prefix + "counter", 0);
            ChildProcesses children = new ChildProcesses())
        {
            try
            {
                for (final boolean locked : new boolean[] {false, true})
                {
                    counter.set(0);
                    final long start = System.nanoTime();
                    final List<ChildProcesses.Child> counters = new ArrayList<>();
                    for (int i = 0; i < jvms; i++)
                    {
                        counters.add(child(children, "count", Handles.encodeAll(counter), times, locked));
                    }
                    awaitAll(counters);
                    final int total = counter.get();
                    final String how = locked ? "with getLock()   " : "without the lock ";
                    System.out.printf("  %s total %,d of %,d%s (%d ms)%n", how, total, jvms * times,
                        locked ? "" : "  (" + String.format("%,d", jvms * times - total) + " updates lost)",
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                    check(!locked || total == jvms * times, "the locked total is exact");
                    check(total <= jvms * times, "no update is counted twice");
                }
            }
            finally
            {
                counter.unlink();
            }
        }
    }

    /** A producer JVM fills a 5-slot ring guarded by two semaphores and a lock; this JVM empties it. */
    private void boundedBuffer() throws InterruptedException
    {
        final int items = 10_000 * scale;
        heading("Bounded buffer: Semaphore empty=5, Semaphore filled=0, a Lock, an IntArray(5); " + items + " items");
        try (SyncArena arena = SyncArena.create(prefix + "buffer", 8, 1024);
            Semaphore empty = arena.newSemaphore(5);
            Semaphore filled = arena.newSemaphore(0);
            Lock mutex = arena.newLock();
            IntArray ring = arena.newIntArray(5);
            ChildProcesses children = new ChildProcesses())
        {
            try
            {
                final long start = System.nanoTime();
                final ChildProcesses.Child producer =
                    child(children, "produce", Handles.encodeAll(empty, filled, mutex, ring), items);
                int inOrder = 0;
                for (int expected = 0; expected < items; expected++)
                {
                    if (!filled.tryAcquire(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS))
                    {
                        break;
                    }
                    mutex.lock();
                    try
                    {
                        inOrder += ring.getRaw(expected % ring.length()) == expected ? 1 : 0;
                    }
                    finally
                    {
                        mutex.unlock();
                    }
                    empty.release();
                }
                awaitAll(List.of(producer));
                System.out.printf("  received %,d of %,d items in order from the producer JVM (%d ms)%n",
                    inOrder, items, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                check(inOrder == items, "every item arrives once, in order");
            }
            finally
            {
                arena.unlink();
            }
        }
    }

    /** Ping-pong of strings with an echoing JVM over a duplex pipe, then end of stream when this side closes. */
    private void pipe() throws Exception
    {
        final int rounds = 10_000 * scale;
        heading("Pipe: " + rounds + " string round trips with an echoing JVM, then end of stream");
        final Pipe<String> pipe = Pipe.create(true, Codecs.strings());
        try (ChildProcesses children = new ChildProcesses())
        {
            final Connection<String> mine = pipe.first();
            final ChildProcesses.Child echo = child(children, "echo", Handles.encodeAll(pipe.second()));
            mine.send("hello");
            check(mine.recv().equals("pong hello"), "the echo JVM answers"); // and has started, before the clock runs
            int answered = 0;
            final long start = System.nanoTime();
            for (int i = 0; i < rounds; i++)
            {
                mine.send("ping " + i);
                answered += mine.recv().equals("pong ping " + i) ? 1 : 0;
            }
            final long elapsed = System.nanoTime() - start;
            mine.close();
            awaitAll(List.of(echo));
            System.out.printf("  %,d of %,d answered correctly, %.1f µs per round trip; " +
                "the echo JVM saw end of stream and exited%n", answered, rounds, elapsed / 1e3 / rounds);
            check(answered == rounds, "every ping is answered");
        }
        finally
        {
            pipe.unlink();
            pipe.close();
        }
    }

    /** Three worker JVMs square numbers; join() returns once every task is done. */
    private void joinableQueue() throws InterruptedException
    {
        final int tasks = 1_000 * scale;
        final int workers = 3;
        heading("JoinableQueue: " + workers + " worker JVMs square " + tasks + " numbers; join() waits for them");
        try (JoinableQueue<Long> work = JoinableQueue.create(prefix + "tasks", 64 * 1024, Codecs.longs());
            Queue<Long> results = Queue.create(prefix + "results", 64 * 1024, Codecs.longs());
            ChildProcesses children = new ChildProcesses())
        {
            try
            {
                final long start = System.nanoTime();
                final List<ChildProcesses.Child> workerJvms = new ArrayList<>();
                for (int i = 0; i < workers; i++)
                {
                    workerJvms.add(child(children, "work", Handles.encodeAll(work, results)));
                }
                long sum = 0;
                int received = 0;
                for (long n = 1; n <= tasks; n++)
                {
                    work.put(n);
                }
                work.join();
                for (Long square = results.poll(); square != null; square = results.poll())
                {
                    sum += square;
                    received++;
                }
                for (int i = 0; i < workers; i++)
                {
                    work.put(-1L);
                }
                awaitAll(workerJvms);
                final long expected = (long)tasks * (tasks + 1) * (2L * tasks + 1) / 6;
                System.out.printf("  join() returned with %,d results, sum of squares %,d (expected %,d) (%d ms)%n",
                    received, sum, expected, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                check(received == tasks && sum == expected, "every task is done before join() returns");
            }
            finally
            {
                work.unlink();
                results.unlink();
            }
        }
    }

    private static ChildProcesses.Child child(final ChildProcesses children, final String program,
        final String handles, final Object... args)
    {
        final Object[] all = new Object[args.length + 2];
        all[0] = program;
        all[1] = handles;
        System.arraycopy(args, 0, all, 2, args.length);
        return children.start(ChildJvm.of(DemoChild.class).args(all));
    }

    private void awaitAll(final List<ChildProcesses.Child> children) throws InterruptedException
    {
        for (final ChildProcesses.Child child : children)
        {
            final int exit;
            try
            {
                exit = ChildProcesses.awaitExit(child, CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
            catch (final IllegalStateException timedOut)
            {
                check(false, "a child JVM finished within " + CHILD_TIMEOUT_SECONDS + " s");
                continue;
            }
            check(exit == 0, "a child JVM exited cleanly (status " + exit + ")");
        }
    }

    private void check(final boolean passed, final String what)
    {
        if (!passed)
        {
            failed = true;
            System.out.println("  FAILED: " + what);
        }
    }

    private static void heading(final String title)
    {
        System.out.println();
        System.out.println(title);
    }
}
