package dev.jipc.tools;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import dev.jipc.core.JvmFlags;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code jipc jmh [JMH options] [regexp]}: the in-process JMH benchmarks of {@code dev.jipc.tools.jmh}, with jipc's
 * JVM flags passed to every forked benchmark JVM. {@code jipc jmh -h} lists JMH's options.
 */
@Command(name = "jmh", description = "Run the JMH benchmarks (any JMH option, e.g. -prof gc, EventCount).")
final class JmhCommand implements Callable<Integer>
{
    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception
    {
        final List<String> jmhArgs = new ArrayList<>(args);
        jmhArgs.add("-jvmArgsPrepend");
        jmhArgs.add(String.join(" ", JvmFlags.required()));
        org.openjdk.jmh.Main.main(jmhArgs.toArray(String[]::new));
        return 0;
    }
}
