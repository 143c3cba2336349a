package dev.jipc.tools.demo;

import java.io.EOFException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.codec.Codecs;
import dev.jipc.core.pipe.Connection;
import dev.jipc.core.pipe.Pipe;
import dev.jipc.core.queue.JoinableQueue;
import dev.jipc.core.queue.Queue;
import dev.jipc.pool.Context;
import dev.jipc.pool.Process;
import dev.jipc.pool.Processes;
import dev.jipc.sync.Barrier;
import dev.jipc.sync.IntArray;
import dev.jipc.sync.IntValue;
import dev.jipc.sync.Lock;
import dev.jipc.sync.Semaphore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code jipc demo}: the classic multiprocessing programs, each between this JVM and child JVMs started as
 * {@link Process}es of a {@link Context#spawn()} context, which receive the shared objects their tasks capture as
 * serialised handles; then {@link PoolDemo}'s pool programs and {@link ManagerDemo}'s manager programs. Exits
 * non-zero if any program's check fails.
 * <p>
 * The tasks are {@link DemoTasks}' static methods, so that a lambda captures the shared objects it names and never
 * this command.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run the classic multiprocessing programs across real JVMs: processes in a loop and by subclass, " +
        "currentProcess(), logToStderr, the pipe with childConn.close(), the counter race from a barrier, bounded " +
        "buffer, pipe round trips, joinable queue; then the Pool programs: applyAsync with close() and join(), map " +
        "and a get(timeout) that times out, the thread pool, and a worker killed mid-map; then the Manager programs: " +
        "a child changes a manager's dict and list, and a word count by 10 processes with merge.")
public final class DemoCommand implements Callable<Integer>
{
    static final long TIMEOUT_SECONDS = 120;
    private static final int LOOP_PROCESSES = 5;
    private static final int COUNTERS = 4;

    @Option(names = "--scale", description = "Multiply the work of every program (default: ${DEFAULT-VALUE}).")
    int scale = 1;

    private final DemoChecks checks = new DemoChecks();

    @Override
    public Integer call() throws Exception
    {
        try (Context ctx = Context.spawn())
        {
            processesInALoop(ctx);
            subclass(ctx);
            pipeWithChildClose(ctx);
            logging(ctx);
            counterRace(ctx);
            boundedBuffer(ctx);
            pipeRoundTrips(ctx);
            joinableQueue(ctx);
        }
        final boolean pools = new PoolDemo().run();
        final boolean managers = new ManagerDemo().run(scale);
        final boolean passed = checks.passed() && pools && managers;
        System.out.println(passed ? "demo: every check passed" : "demo: a check FAILED");
        return passed ? 0 : 1;
    }

    /** Five processes started in a loop, then joined; each says who it is, by name and pid. */
    private void processesInALoop(final Context ctx) throws InterruptedException
    {
        heading("Processes: " + LOOP_PROCESSES + " started in a loop, then joined; each prints currentProcess()");
        final Queue<String> who = ctx.queue(Codecs.strings());
        final long start = System.nanoTime();
        final List<Process> processes = new ArrayList<>();
        for (int i = 0; i < LOOP_PROCESSES; i++)
        {
            final Process p = ctx.process(() -> DemoTasks.sayWhoIAm(who));
            p.start();
            processes.add(p);
        }
        final Set<Long> pids = new HashSet<>();
        int matched = 0;
        for (final Process p : processes)
        {
            checks.join(p);
            pids.add(p.pid());
        }
        for (int i = 0; i < LOOP_PROCESSES; i++)
        {
            final String line = who.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (line == null)
            {
                break;
            }
            // name pid parentPid, as the child saw them
            final String[] fields = line.split(" ");
            final boolean ours = processes.stream().anyMatch(p -> p.name().equals(fields[0]) &&
                Long.toString(p.pid()).equals(fields[1]));
            matched += ours && fields[2].equals(Long.toString(ProcessHandle.current().pid())) ? 1 : 0;
        }
        System.out.printf("  %d processes joined, %d distinct pids, %d named themselves as this JVM named them " +
            "(parent pid %d) (%d ms)%n", processes.size(), pids.size(), matched, ProcessHandle.current().pid(),
            millisSince(start));
        checks.check(pids.size() == LOOP_PROCESSES && !pids.contains(ProcessHandle.current().pid()),
            "each process is a JVM of its own");
        checks.check(matched == LOOP_PROCESSES, "currentProcess() in each child gives its own name and pid, " +
            "parentProcess() this JVM");
    }

    /** Python's other style: a class that extends Process and overrides run(). */
    private void subclass(final Context ctx) throws InterruptedException
    {
        heading("Subclass: class Greeter extends Process, overriding run()");
        final Queue<String> greetings = ctx.queue(Codecs.strings());
        final Greeter greeter = new Greeter(ctx, greetings, "hello");
        greeter.start();
        final String greeting = greetings.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        checks.join(greeter);
        System.out.println("  " + greeter.name() + " sent: " + greeting);
        checks.check(("hello from " + greeter.name() + ", pid " + greeter.pid()).equals(greeting),
            "the subclass's run() ran in its own JVM, with its fields");
    }

    /** Python's pipe idiom: p.start(); child_conn.close(); the child sends, this JVM receives, then end of stream. */
    private void pipeWithChildClose(final Context ctx) throws Exception
    {
        heading("Pipe: p.start(); childConn.close(); the child sends [42, null, hello] and closes");
        final Pipe<String> pipe = ctx.pipe(true, Codecs.strings());
        final Connection<String> parentConn = pipe.first();
        final Connection<String> childConn = pipe.second();
        final Process p = ctx.process(() -> DemoTasks.sendAndClose(childConn));
        p.start();
        childConn.close();
        final String received = parentConn.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS) ? parentConn.recv() : null;
        checks.join(p);
        boolean endOfStream = false;
        try
        {
            parentConn.recv();
        }
        catch (final EOFException expected)
        {
            endOfStream = true;
        }
        System.out.println("  received " + received + (endOfStream ? ", then end of stream" : ", then no end"));
        checks.check("[42, null, hello]".equals(received),
            "the child's message arrives after this JVM closed its copy");
        checks.check(endOfStream, "recv() after the child closed its end throws EOFException");
    }

    /** logToStderr in this JVM and in a child: both lines on this JVM's stderr, Python's [LEVEL/name] shape. */
    private void logging(final Context ctx) throws InterruptedException
    {
        heading("Logging: Processes.logToStderr(INFO) in this JVM and in a child; both lines go to this stderr");
        final Queue<String> logged = ctx.queue(Codecs.strings());
        final String mine = StderrCapture.logAndCapture("hello from the parent");
        final Process p = ctx.process(() -> DemoTasks.logToStderr(logged));
        p.start();
        final String childs = logged.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        checks.join(p);
        System.out.println("  this JVM logged: " + mine);
        System.out.println("  the child logged: " + childs);
        checks.check(("[INFO/" + Processes.MAIN_PROCESS + "] hello from the parent").equals(mine),
            "this JVM's line reads [INFO/MainProcess] message");
        checks.check(("[INFO/" + p.name() + "] hello from pid " + p.pid()).equals(childs),
            "the child's line reads [INFO/" + p.name() + "] message");
    }

    /**
     * Four processes add 1 to one shared int, starting together from a barrier: without the lock updates are lost,
     * under it none are.
     */
    private void counterRace(final Context ctx) throws InterruptedException
    {
        final int times = 50_000 * scale;
        heading("Counter race: " + COUNTERS + " processes, started from one Barrier(" + COUNTERS + "), each add 1 " +
            "to one IntValue " + times + " times");
        final IntValue counter = ctx.intValue(0);
        for (final boolean locked : new boolean[] {false, true})
        {
            counter.set(0);
            final Barrier barrier = ctx.barrier(COUNTERS);
            final long start = System.nanoTime();
            final List<Process> processes = new ArrayList<>();
            for (int i = 0; i < COUNTERS; i++)
            {
                final Process p = locked ? ctx.process(() -> DemoTasks.countLocked(barrier, counter, times)) :
                    ctx.process(() -> DemoTasks.countUnlocked(barrier, counter, times));
                p.start();
                processes.add(p);
            }
            processes.forEach(checks::join);
            final int total = counter.get();
            final int lost = COUNTERS * times - total;
            final String how = locked ? "with getLock()   " : "without the lock ";
            System.out.printf("  %s total %,d of %,d  (%,d updates lost) (%d ms)%n", how, total, COUNTERS * times,
                lost, millisSince(start));
            checks.check(total <= COUNTERS * times, "no update is counted twice");
            if (locked)
            {
                checks.check(lost == 0, "the locked total is exact");
            }
            else if (Processes.cpuCount() >= 2)
            {
                checks.check(lost > 0, "the unlocked processes, running at once on " + Processes.cpuCount() +
                    " CPUs, lose updates");
            }
            else
            {
                System.out.println("  (one CPU: the unlocked processes may take turns and lose nothing)");
            }
        }
    }

    /** A producer process fills a 5-slot ring guarded by two semaphores and a lock; this JVM empties it. */
    private void boundedBuffer(final Context ctx) throws InterruptedException
    {
        final int items = 10_000 * scale;
        heading("Bounded buffer: Semaphore empty=5, Semaphore filled=0, a Lock, an IntArray(5); " + items + " items");
        final Semaphore empty = ctx.semaphore(5);
        final Semaphore filled = ctx.semaphore(0);
        final Lock mutex = ctx.lock();
        final IntArray ring = ctx.intArray(5);
        final long start = System.nanoTime();
        final Process producer = ctx.process(() -> DemoTasks.produce(empty, filled, mutex, ring, items));
        producer.start();
        int inOrder = 0;
        for (int expected = 0; expected < items; expected++)
        {
            if (!filled.tryAcquire(TIMEOUT_SECONDS, TimeUnit.SECONDS))
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
        checks.join(producer);
        System.out.printf("  received %,d of %,d items in order from the producer process (%d ms)%n",
            inOrder, items, millisSince(start));
        checks.check(inOrder == items, "every item arrives once, in order");
    }

    /** Ping-pong of strings with an echoing process over a duplex pipe, then end of stream when this side closes. */
    private void pipeRoundTrips(final Context ctx) throws Exception
    {
        final int rounds = 10_000 * scale;
        heading("Pipe: " + rounds + " string round trips with an echoing process, then end of stream");
        final Pipe<String> pipe = ctx.pipe(true, Codecs.strings());
        final Connection<String> mine = pipe.first();
        final Connection<String> theirs = pipe.second();
        final Process echo = ctx.process(() -> DemoTasks.echo(theirs));
        echo.start();
        theirs.close();
        mine.send("hello");
        checks.check("pong hello".equals(mine.recv()), "the echo process answers"); // and has started, before the clock
        int answered = 0;
        final long start = System.nanoTime();
        for (int i = 0; i < rounds; i++)
        {
            mine.send("ping " + i);
            answered += mine.recv().equals("pong ping " + i) ? 1 : 0;
        }
        final long elapsed = System.nanoTime() - start;
        mine.close();
        checks.join(echo);
        System.out.printf("  %,d of %,d answered correctly, %.1f µs per round trip; " +
            "the echo process saw end of stream and exited%n", answered, rounds, elapsed / 1e3 / rounds);
        checks.check(answered == rounds, "every ping is answered");
    }

    /** Three worker processes square numbers; join() returns once every task is done. */
    private void joinableQueue(final Context ctx) throws InterruptedException
    {
        final int tasks = 1_000 * scale;
        final int workers = 3;
        heading("JoinableQueue: " + workers + " worker processes square " + tasks + " numbers; join() waits for " +
            "them");
        final JoinableQueue<Long> work = ctx.joinableQueue(64 * 1024, Codecs.longs());
        final Queue<Long> results = ctx.queue(64 * 1024, Codecs.longs());
        final long start = System.nanoTime();
        final List<Process> processes = new ArrayList<>();
        for (int i = 0; i < workers; i++)
        {
            final Process p = ctx.process(() -> DemoTasks.work(work, results));
            p.start();
            processes.add(p);
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
        processes.forEach(checks::join);
        final long expected = (long)tasks * (tasks + 1) * (2L * tasks + 1) / 6;
        System.out.printf("  join() returned with %,d results, sum of squares %,d (expected %,d) (%d ms)%n",
            received, sum, expected, millisSince(start));
        checks.check(received == tasks && sum == expected, "every task is done before join() returns");
    }

    static long millisSince(final long start)
    {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    static void heading(final String title)
    {
        System.out.println();
        System.out.println(title);
        // before children print to the same stdout
        System.out.flush();
    }
}
