package dev.jipc.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.ChildProcesses;
import dev.jipc.core.SharedMemory;
import dev.jipc.core.codec.Codecs;
import dev.jipc.core.test.ChildLogs;
import dev.jipc.core.test.Names;
import dev.jipc.core.wait.WaitStrategy;
import dev.jipc.sync.Event;
import dev.jipc.sync.Lock;
import dev.jipc.sync.collection.Namespace;
import dev.jipc.sync.collection.SharedDict;
import dev.jipc.sync.collection.SharedList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Manager} across real JVMs: child processes that receive the manager as a handle write into its dict, list
 * and namespace and make objects of their own; an unrelated JVM opens it by name and sees what it holds; several
 * children asking for one new dict at once make one dict; a creator killed halfway through making an object leaves
 * it to the next; the creator's close removes everything, the objects it never opened included. Every wait is
 * bounded; children are killed and segments removed after each test.
 */
class ManagerCrossProcessTest
{
    private static final long CHILD_SECONDS = 120;
    private static final int COUNTERS = 3;
    private static final int MERGES = 300;

    @TempDir
    Path directory;

    private Context context;
    private Manager manager;
    private final List<Process> processes = new ArrayList<>();
    private final ChildProcesses children = ChildLogs.group();

    @BeforeEach
    void setUp()
    {
        context = Context.spawn().directory(directory);
        manager = Manager.create(directory, Names.unique("mgr"));
    }

    @AfterEach
    void tearDown()
    {
        try
        {
            for (final Process process : processes)
            {
                if (process.isAlive())
                {
                    process.kill();
                }
            }
            children.close();
        }
        finally
        {
            try
            {
                manager.close();
            }
            finally
            {
                context.close();
            }
        }
    }

    @Test
    void shouldSeeWhatAChildProcessWroteIntoTheDictListAndNamespace() throws Exception
    {
        final SharedDict<String, Long> dict = manager.dict("d", Codecs.strings(), Codecs.longs());
        final SharedList<Integer> list = manager.list("l", Codecs.ints());
        final Namespace namespace = manager.namespace("ns");
        dict.put("count", 1L);
        list.addAll(List.of(0, 1, 2, 3, 4));
        namespace.set("parent", "here");

        final Process child = start(context.process(ManagerCrossProcessTest::writeAsChild, manager, namespace));
        join(child);

        assertEquals(child.pid(), dict.get("child"), "the child's put: " + dict);
        assertEquals(11L, dict.get("count"), "the child's merge on the parent's value: " + dict);
        assertEquals(List.of(4, 3, 2, 1, 0, 99), new ArrayList<>(list), "the child reversed the list and added 99");
        assertEquals(42, namespace.get("x", Integer.class));
        assertEquals(LocalDate.of(2026, 12, 2), namespace.get("when", LocalDate.class));
        assertEquals(List.of("a", "b"), namespace.get("words"));
        assertEquals("here", namespace.get("parent"), "the child read the parent's attribute and left it");
        assertEquals("here", namespace.get("seen"), "the child copied what it read");
        assertEquals(true, namespace.get("direct"), "the namespace passed to the child as a handle of its own");
        assertEquals(Map.of("d", Manager.Kind.DICT, "l", Manager.Kind.LIST, "ns", Manager.Kind.NAMESPACE,
            "made-by-child", Manager.Kind.LONG_VALUE), manager.names());
        assertEquals(7L, manager.longValue("made-by-child", 0).get(), "the child's value, opened by name here");

        final String prefix = manager.name() + ".";
        assertFalse(filesOf(prefix).isEmpty(), "the manager's files exist before it closes");
        manager.close();
        assertEquals(List.of(), filesOf(prefix), "the creator's close removes every object of the manager, those " +
            "a child made included, and its registry");
    }

    @Test
    void shouldShowWhatItHoldsToAnUnrelatedJvmThatOpensItByName() throws Exception
    {
        manager.dict("d", Codecs.strings(), Codecs.longs()).put("answer", 42L);
        manager.queue("q");
        final ChildProcesses.Child opener = children.start(ChildJvm.of(OpenerMain.class)
            .args(directory.toString(), manager.name()));
        ChildProcesses.awaitSuccess(opener, CHILD_SECONDS, TimeUnit.SECONDS);

        final String output = opener.output();
        assertTrue(output.contains("names={d=DICT, q=QUEUE}"), output);
        assertTrue(output.contains("answer=42"), output);
        assertTrue(output.contains("creator=false"), output);
        assertEquals(Manager.Kind.EVENT, manager.names().get("from-opener"), "the opener's event is registered");
        final Event event = manager.event("from-opener");
        assertTrue(event.isSet(), "the opener set its event before it closed, and its close left it in place");
        assertEquals(42L, manager.dict("d", Codecs.strings(), Codecs.longs()).get("answer"),
            "the opener's close left the dict in place");
    }

    @Test
    void shouldMakeOneDictWhenChildrenAskForANewNameAtOnce() throws Exception
    {
        for (int i = 0; i < COUNTERS; i++)
        {
            processes.add(context.process(ManagerCrossProcessTest::mergeAsChild, manager));
        }
        for (final Process process : processes)
        {
            process.start();
        }
        for (final Process process : processes)
        {
            join(process);
        }
        final SharedDict<String, Long> counts = manager.dict("counts", Codecs.strings(), Codecs.longs());
        assertEquals((long)COUNTERS * MERGES, counts.get("n"), "every merge of every child is counted: " + counts);
        for (final Process process : processes)
        {
            assertEquals(MERGES, counts.get("pid-" + process.pid()), "each child's own key: " + counts);
        }
        assertEquals(Map.of("counts", Manager.Kind.DICT), manager.names());
    }

    @Test
    void shouldMakeAnObjectWhoseCreatorWasKilledHalfwayThroughMakingIt() throws Exception
    {
        final ChildProcesses.Child dead = children.start(ChildJvm.of(DeadCreatorMain.class)
            .args(directory.toString(), manager.name()));
        ChildProcesses.awaitOutput(dead, "halting", CHILD_SECONDS, TimeUnit.SECONDS);
        ChildProcesses.awaitExit(dead, CHILD_SECONDS, TimeUnit.SECONDS);
        assertTrue(Files.exists(directory.resolve(manager.segmentName("x") + ".lock")), "the dead creator's " +
            "leftovers are there: " + filesOf(manager.name() + "."));

        final SharedDict<String, Long> dict = manager.dict("x", Codecs.strings(), Codecs.longs());
        dict.put("k", 1L);
        assertEquals(1L, dict.get("k"));
        assertEquals(Map.of("x", Manager.Kind.DICT), manager.names(), "the object is made and registered once");
        try (Manager other = Manager.open(directory, manager.name()))
        {
            assertEquals(1L, other.dict("x", Codecs.strings(), Codecs.longs()).get("k"));
        }
    }

    /**
     * In a child: writes into the parent's dict, list and namespace (opened through the manager, and received as a
     * handle of its own), makes a value of its own, and detaches.
     */
    static void writeAsChild(final Manager manager, final Namespace passed)
    {
        passed.set("direct", true);
        check(!manager.isCreator(), "a deserialised manager is an opener");
        final SharedDict<String, Long> dict = manager.dict("d", Codecs.strings(), Codecs.longs());
        dict.put("child", ProcessHandle.current().pid());
        dict.merge("count", 10L, Long::sum);
        final SharedList<Integer> list = manager.list("l", Codecs.ints());
        Collections.reverse(list);
        list.add(99);
        final Namespace namespace = manager.namespace("ns");
        namespace.set("x", 42);
        namespace.set("when", LocalDate.of(2026, 12, 2));
        namespace.set("words", new ArrayList<>(List.of("a", "b")));
        namespace.set("seen", namespace.get("parent", String.class));
        // the parent never opens this one before closing: its close must remove it by name
        manager.longValue("made-by-child", 7);
        manager.close();
    }

    /** In a child: merges into a dict that none of the others may have made yet. */
    static void mergeAsChild(final Manager manager)
    {
        final SharedDict<String, Long> counts = manager.dict("counts", Codecs.strings(), Codecs.longs());
        final String mine = "pid-" + ProcessHandle.current().pid();
        for (int i = 0; i < MERGES; i++)
        {
            counts.merge("n", 1L, Long::sum);
            counts.merge(mine, 1L, Long::sum);
        }
    }

    private static void check(final boolean condition, final String what)
    {
        if (!condition)
        {
            throw new AssertionError(what);
        }
    }

    private Process start(final Process process)
    {
        processes.add(process);
        process.start();
        return process;
    }

    private static void join(final Process process) throws InterruptedException
    {
        assertTrue(process.join(CHILD_SECONDS, TimeUnit.SECONDS), process.name() + " ended within " + CHILD_SECONDS +
            " s");
        assertEquals(0, process.exitCode(), process.name() + " exited cleanly (its stack trace is on stderr)");
    }

    private List<String> filesOf(final String prefix) throws IOException
    {
        try (Stream<Path> files = Files.list(directory))
        {
            return files.map(file -> file.getFileName().toString()).filter(name -> name.startsWith(prefix))
                .sorted().toList();
        }
    }

    /**
     * A creator killed while it makes dict {@code x}: it holds the manager's creation lock, has made what
     * {@code SharedDict.create} makes before the dict's root (its lock and first generation), and halts.
     */
    public static final class DeadCreatorMain
    {
        public static void main(final String[] args)
        {
            final Path directory = Path.of(args[0]);
            final String manager = args[1];
            final Lock creation = Lock.open(directory, manager + Manager.CREATION_LOCK_SUFFIX, WaitStrategy.PARK);
            creation.lock();
            Lock.create(directory, manager + ".x.lock", WaitStrategy.PARK);
            SharedMemory.create(directory, manager + ".x.g1", 4096);
            System.out.println("halting");
            System.out.flush();
            Runtime.getRuntime().halt(0);
        }
    }

    /** An unrelated program: opens the manager by name, prints what it holds, adds an event, and detaches. */
    public static final class OpenerMain
    {
        public static void main(final String[] args)
        {
            try (Manager manager = Manager.open(Path.of(args[0]), args[1]))
            {
                System.out.println("names=" + manager.names());
                System.out.println("creator=" + manager.isCreator());
                System.out.println("answer=" + manager.dict("d", Codecs.strings(), Codecs.longs()).get("answer"));
                manager.event("from-opener").set();
            }
        }
    }
}
