package dev.jipc.tools.demo;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.stream.IntStream;

import dev.jipc.core.codec.Codec;
import dev.jipc.core.codec.Codecs;
import dev.jipc.pool.Context;
import dev.jipc.pool.Manager;
import dev.jipc.pool.Process;
import dev.jipc.sync.collection.Namespace;
import dev.jipc.sync.collection.SharedDict;
import dev.jipc.sync.collection.SharedList;

/**
 * The manager part of {@code jipc demo}: seed 004's Manager program (a child process changes a manager's dict and
 * list, the parent prints them), then a word count by ten processes into one {@link SharedDict} with {@code merge},
 * checked against a count in this JVM. The tasks are {@link ManagerTasks}' static methods.
 */
final class ManagerDemo
{
    private static final int COUNTERS = 10;
    private static final int WORDS = 10_000;
    private static final long TEXT_SEED = 4;
    private static final List<String> VOCABULARY = List.of("the", "of", "and", "to", "a", "in", "is", "it", "that",
        "process", "queue", "lock", "shared", "memory", "manager", "dict", "list", "value", "array", "pipe", "pool",
        "worker", "task", "result", "child", "parent", "segment", "futex", "wait", "wake", "python", "java", "jvm",
        "merge", "count", "word", "server", "socket", "proxy", "namespace");

    private final DemoChecks checks = new DemoChecks();

    /**
     * Runs every manager program.
     *
     * @param scale how much to multiply the word count's text by.
     * @return false if a check failed.
     * @throws Exception if a program failed in a way its checks do not cover.
     */
    boolean run(final int scale) throws Exception
    {
        try (Context ctx = Context.spawn())
        {
            seed004(ctx);
            wordCount(ctx, WORDS * scale);
        }
        return checks.passed();
    }

    /** Seed 004: {@code with Manager() as manager}, a dict and {@code list(range(10))} changed by {@code f}. */
    private void seed004(final Context ctx)
    {
        DemoCommand.heading("Manager (seed 004): with Manager() as manager: d = manager.dict(); " +
            "l = manager.list(range(10)); Process(target=f, args=(d, l)); print(d); print(l)");
        final long start = System.nanoTime();
        try (Manager manager = ctx.manager())
        {
            // Python's keys and values are of any type: here, any class of the allow-list, and the stand-in for None
            final Codec<Serializable> any = Codecs.serializable(Namespace.allowList(ManagerTasks.NONE_CLASS));
            final SharedDict<Serializable, Serializable> d = manager.dict("d", any, any);
            final SharedList<Integer> l = manager.list("l", Codecs.ints());
            l.addAll(IntStream.range(0, 10).boxed().toList());
            final Process p = ctx.process(ManagerTasks::f, d, l);
            p.start();
            checks.join(p);
            // a SharedDict, like a ConcurrentHashMap, keeps no insertion order: print in f's order, as Python does
            final List<Serializable> order = List.of(1, "2", 0.25);
            final StringJoiner printed = new StringJoiner(", ", "{", "}");
            for (final Serializable key : order)
            {
                printed.add(repr(key) + ": " + repr(d.get(key)));
            }
            System.out.println("  " + printed);
            System.out.println("  " + l);
            System.out.printf("  the manager held %s (%d ms, the child JVM's start included)%n", manager.names(),
                DemoCommand.millisSince(start));
            final Map<Serializable, Serializable> expected = new HashMap<>();
            expected.put(1, "1");
            expected.put("2", 2);
            expected.put(0.25, ManagerTasks.NONE);
            checks.check(new HashMap<>(d).equals(expected), "the child's d[1] = '1', d['2'] = 2, d[0.25] = None are " +
                "all this JVM reads from the dict: " + d);
            checks.check(l.equals(IntStream.range(0, 10).map(i -> 9 - i).boxed().toList()),
                "the child's l.reverse() is what this JVM reads from the list: " + l);
        }
    }

    /** Ten processes each count a tenth of a text into one dict with merge; the totals must be exact. */
    private void wordCount(final Context ctx, final int words)
    {
        DemoCommand.heading("Manager: word count of " + words + " words by " + COUNTERS + " processes into one " +
            "SharedDict<String, Long> with merge(word, 1L, Long::sum)");
        final List<String> text = text(words);
        final Map<String, Long> expected = new TreeMap<>();
        for (final String word : text)
        {
            expected.merge(word, 1L, Long::sum);
        }
        try (Manager manager = ctx.manager())
        {
            final SharedDict<String, Long> counts = manager.dict("counts", Codecs.strings(), Codecs.longs());
            final long start = System.nanoTime();
            final List<Process> processes = new ArrayList<>();
            final int share = (text.size() + COUNTERS - 1) / COUNTERS;
            for (int i = 0; i < COUNTERS; i++)
            {
                final List<String> mine = new ArrayList<>(text.subList(Math.min(i * share, text.size()),
                    Math.min((i + 1) * share, text.size())));
                final Process p = ctx.process(ManagerTasks::countWords, counts, mine);
                p.start();
                processes.add(p);
            }
            processes.forEach(checks::join);
            final long elapsed = DemoCommand.millisSince(start);
            final Map<String, Long> counted = new TreeMap<>(counts);
            final long total = counted.values().stream().mapToLong(Long::longValue).sum();
            final List<Map.Entry<String, Long>> top = counted.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(5).toList();
            System.out.printf("  %d processes merged %,d words into %d distinct words (%d ms, the child JVMs' " +
                "starts included); the most common: %s%n", processes.size(), total, counted.size(), elapsed, top);
            final boolean exact = counted.equals(expected);
            System.out.println("  the shared totals " + (exact ? "equal" : "DIFFER FROM") + " a single-threaded " +
                "count of the same text");
            checks.check(total == words, "every word of every share is counted once: " + total + " of " + words);
            checks.check(exact, "each word's total equals a single-threaded count");
        }
    }

    /** A deterministic text: words of {@link #VOCABULARY}, the early ones more often (as in a real text). */
    private static List<String> text(final int words)
    {
        final Random random = new Random(TEXT_SEED);
        final List<String> text = new ArrayList<>(words);
        for (int i = 0; i < words; i++)
        {
            final int index = Math.min(random.nextInt(VOCABULARY.size()), random.nextInt(VOCABULARY.size()));
            text.add(VOCABULARY.get(index));
        }
        return text;
    }

    /** Python's repr of the demo's keys and values: strings quoted. */
    private static String repr(final Object value)
    {
        return value instanceof String text ? "'" + text + "'" : String.valueOf(value);
    }
}
