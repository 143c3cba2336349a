package dev.jipc.pool;

import java.io.ObjectInputFilter;

/**
 * The {@link ObjectInputFilter} a child JVM reads its task through.
 * <p>
 * Trust boundary: a task reaches the child on its standard input, a pipe that only the parent JVM holds, so only
 * the parent (a process of the same user, which could run any code in the child anyway) can write it; the
 * objects the task re-attaches live in the user's own segment directory ({@code 0700}, checked by
 * {@code SegmentDirectory}). The filter is defence in depth on top of that: it bounds the depth, the references and
 * the array lengths by the task's own length, and refuses the packages of the well-known deserialisation gadget
 * chains. Classes of the application's own class path are allowed, since a task is the application's code. A
 * pattern in the system property {@value #PROPERTY} (the syntax of {@code jdk.serialFilter}, such as
 * {@code "com.example.**;!*"}) is asked first and may allow or refuse any class.
 */
final class TaskFilter implements ObjectInputFilter
{
    /** System property: a {@code jdk.serialFilter}-style pattern asked before the built-in rules. */
    static final String PROPERTY = "jipc.task.filter";
    /** Deepest object nesting of a task: generous for linked structures, finite for a hostile stream. */
    static final long MAX_DEPTH = 1_000;

    // packages of the gadget chains of ysoserial and its successors: nothing a task needs
    private static final String[] REFUSED = {
        "org.apache.commons.collections.functors.",
        "org.apache.commons.collections4.functors.",
        "org.apache.commons.beanutils.",
        "org.apache.xalan.",
        "com.sun.org.apache.xalan.",
        "org.codehaus.groovy.runtime.",
        "org.springframework.beans.factory.",
        "org.springframework.aop.",
        "org.hibernate.",
        "com.mchange.v2.c3p0.",
        "org.python.core.",
        "clojure.",
        "bsh.",
        "org.mozilla.javascript.",
        "net.sf.json.",
        "com.sun.syndication.",
        "com.rometools.",
        "java.rmi.",
        "sun.rmi.",
        "javax.management.",
        "com.sun.jndi.",
        "com.sun.rowset.",
        "javax.script.",
        "java.beans.",
    };

    private final ObjectInputFilter configured;
    private final long maxBytes;

    private TaskFilter(final ObjectInputFilter configured, final long maxBytes)
    {
        this.configured = configured;
        this.maxBytes = maxBytes;
    }

    /**
     * The filter for a task of a given length.
     *
     * @param length the task's serialised length: no array may be longer, no stream may run past it.
     * @return the filter.
     * @throws IllegalArgumentException if {@value #PROPERTY} is not a valid pattern.
     */
    static TaskFilter forLength(final long length)
    {
        final String pattern = System.getProperty(PROPERTY);
        final ObjectInputFilter configured = pattern == null || pattern.isBlank() ? null :
            ObjectInputFilter.Config.createFilter(pattern);
        return new TaskFilter(configured, length);
    }

    @Override
    public Status checkInput(final FilterInfo info)
    {
        if (info.depth() > MAX_DEPTH || info.references() > maxBytes || info.streamBytes() > maxBytes ||
            info.arrayLength() > maxBytes)
        {
            return Status.REJECTED;
        }
        final Class<?> type = info.serialClass();
        if (type == null)
        {
            return Status.UNDECIDED;
        }
        if (configured != null)
        {
            final Status status = configured.checkInput(info);
            if (status != Status.UNDECIDED)
            {
                return status;
            }
        }
        return isRefused(type) ? Status.REJECTED : Status.ALLOWED;
    }

    static boolean isRefused(final Class<?> type)
    {
        Class<?> element = type;
        while (element.isArray())
        {
            element = element.getComponentType();
        }
        final String name = element.getName();
        for (final String prefix : REFUSED)
        {
            if (name.startsWith(prefix))
            {
                return true;
            }
        }
        return false;
    }
}
