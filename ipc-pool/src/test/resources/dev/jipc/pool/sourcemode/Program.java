import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

import dev.jipc.core.codec.Codecs;
import dev.jipc.core.queue.Queue;
import dev.jipc.pool.Context;
import dev.jipc.pool.Process;

/**
 * A program for SourceModeTest, run by the source launcher ({@code java -cp ... Program.java MODE}): its child runs a
 * lambda of this file, which uses a class of another file of the same directory (Helper.java).
 * <pre>
 *   spawn        a spawned child puts a line into a queue, and starts a grandchild that puts another; this JVM
 *                prints them
 *   forkserver   the same with the forkserver start method
 *   broken       this file is made not to compile before the child starts: the child exits with its error
 * </pre>
 */
public class Program
{
    private static final long WAIT_SECONDS = 60;

    public static void main(final String[] args) throws Exception
    {
        // must print once: a child in source mode does not run main
        System.out.println("main runs in pid=" + ProcessHandle.current().pid());
        final String mode = args[0];
        try (Context context = mode.equals("forkserver") ? Context.forkserver() : Context.spawn())
        {
            final Queue<String> queue = context.queue(Codecs.strings());
            final String greeting = "hello";
            final Process child = context.process(() ->
            {
                System.out.println("child runs in pid=" + ProcessHandle.current().pid());
                System.out.flush();
                queue.put(greeting + " from " + Helper.name());
                if (mode.equals("spawn"))
                {
                    // a child in source mode starts its own child in source mode
                    try (Context inner = Context.spawn())
                    {
                        final Process grandchild = inner.process(() ->
                        {
                            System.out.println("grandchild runs in pid=" + ProcessHandle.current().pid());
                            queue.put(greeting + " from the grandchild");
                            return null;
                        });
                        grandchild.start();
                        grandchild.join(WAIT_SECONDS, TimeUnit.SECONDS);
                        System.out.println("grandchild exit=" + grandchild.exitCode());
                    }
                }
                return null;
            });
            if (mode.equals("broken"))
            {
                final Path self = Path.of(System.getProperty("jdk.launcher.sourcefile"));
                Files.writeString(self, "class Broken { int x = ; }\n", StandardOpenOption.APPEND);
            }
            child.start();
            System.out.println("child-pid=" + child.pid());
            if (!mode.equals("broken"))
            {
                System.out.println("parent got: " + queue.poll(WAIT_SECONDS, TimeUnit.SECONDS));
                if (mode.equals("spawn"))
                {
                    System.out.println("parent got: " + queue.poll(WAIT_SECONDS, TimeUnit.SECONDS));
                }
            }
            child.join(WAIT_SECONDS, TimeUnit.SECONDS);
            System.out.println("child exit=" + child.exitCode());
        }
    }
}
