package dev.jipc.tools.demo;

import java.io.Serializable;
import java.util.Collections;
import java.util.List;

import dev.jipc.sync.collection.SharedDict;
import dev.jipc.sync.collection.SharedList;

/**
 * The tasks of {@link ManagerDemo}'s programs, run in child processes. Static methods, so that a lambda calling one
 * captures only the shared objects it names.
 */
final class ManagerTasks
{
    /** The class of {@link #NONE}, which the demo's dict must allow by name. */
    static final String NONE_CLASS = NoValue.class.getName();
    /**
     * What stands for Python's {@code None}: a {@code ConcurrentMap} holds no null, so the demo stores this constant,
     * which prints as {@code None}.
     */
    static final NoValue NONE = NoValue.NONE;

    private ManagerTasks()
    {
    }

    /** Python's {@code None} as a value a map can hold. */
    enum NoValue
    {
        /** The only value. */
        NONE;

        @Override
        public String toString()
        {
            return "None";
        }
    }

    /**
     * Seed 004's {@code f(d, l)}: {@code d[1] = '1'; d['2'] = 2; d[0.25] = None; l.reverse()}.
     *
     * @param d the manager's dict, keys and values of any allowed class.
     * @param l the manager's list.
     */
    static void f(final SharedDict<Serializable, Serializable> d, final SharedList<Integer> l)
    {
        d.put(1, "1");
        d.put("2", 2);
        d.put(0.25, NONE);
        Collections.reverse(l);
    }

    /**
     * Counts the words of a share of the text into the shared dict, one atomic {@code merge} per word.
     *
     * @param counts word to count, shared by every counting process.
     * @param words  this process's share.
     */
    static void countWords(final SharedDict<String, Long> counts, final List<String> words)
    {
        for (final String word : words)
        {
            counts.merge(word, 1L, Long::sum);
        }
    }
}
