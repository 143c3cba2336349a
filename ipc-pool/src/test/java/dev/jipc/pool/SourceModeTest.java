package dev.jipc.pool;

import static dev.jipc.core.ChildProcesses.awaitExit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.jipc.core.ChildJvm;
import dev.jipc.core.ChildProcesses;
import dev.jipc.core.test.ChildLogs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The source-launcher mode: a program run as {@code java -cp ... Program.java} (the test resource
 * {@code sourcemode/Program.java}, with its Helper.java) starts a process whose task is a lambda of the file; the
 * child compiles the file and runs the lambda, not main. The program's children are killed after each test, whatever
 * happened.
 */
class SourceModeTest
{
    /** A program compiles its file, and its child compiles it again: generous for two shared cores. */
    private static final long PROGRAM_SECONDS = 180;
    /** The program's children and grandchildren: killed after each test. */
    private static final Pattern PID = Pattern.compile("(?:child-pid|child runs in pid)=(\\d+)");
    private static final Pattern MAIN_PID = Pattern.compile("main runs in pid=(\\d+)");
    private static final Pattern CHILD_PID = Pattern.compile("^child runs in pid=(\\d+)", Pattern.MULTILINE);

    @TempDir
    Path directory;

    private final ChildProcesses programs = ChildLogs.group();
    private final List<ChildProcesses.Child> started = new ArrayList<>();

    @AfterEach
    void cleanUp()
    {
        programs.close();
        for (final ChildProcesses.Child program : started)
        {
            final Matcher matcher = PID.matcher(program.output());
            while (matcher.find())
            {
                ProcessHandle.of(Long.parseLong(matcher.group(1))).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    @Test
    void shouldRunALambdaOfASourceFileProgramInASpawnedChildWithoutRunningMain() throws Exception
    {
        final String output = assertChildRunsTheLambda("spawn");
        assertTrue(output.contains("parent got: hello from the grandchild"), "a child in source mode starts its own " +
            "in source mode: " + output);
        assertTrue(output.contains("grandchild exit=0"), output);
    }

    @Test
    void shouldSpawnALambdaOfASourceFileProgramUnderTheForkserver() throws Exception
    {
        assertChildRunsTheLambda("forkserver");
    }

    @Test
    void shouldExitWithBadTaskNamingTheFileWhenItNoLongerCompilesInTheChild() throws Exception
    {
        final Path program = copyProgram();
        // the program appends a line that does not compile to its file
        final int brokenLine = Files.readAllLines(program).size() + 1;
        final ChildProcesses.Child parent = run(program, "broken");
        assertEquals(0, awaitExit(parent, PROGRAM_SECONDS, TimeUnit.SECONDS), output(parent));
        final String output = parent.output();
        assertTrue(output.contains("child exit=" + ChildMain.BAD_TASK_EXIT), output(parent));
        assertTrue(output.contains("cannot compile " + program), output(parent));
        assertTrue(output.contains("Program.java:" + brokenLine + ": error:"),
            "the compiler's diagnostic: " + output(parent));
        assertFalse(output.contains("child runs"), output(parent));
    }

    @Test
    void shouldTellClassesOfTheClassPathFromThoseOfASourceProgram()
    {
        assertNull(SourceMode.programOf(String.class));
        assertNull(SourceMode.programOf(SourceModeTest.class));
        assertNull(SourceMode.programOf(int.class));
    }

    private String assertChildRunsTheLambda(final String mode) throws Exception
    {
        final ChildProcesses.Child parent = run(copyProgram(), mode);
        assertEquals(0, awaitExit(parent, PROGRAM_SECONDS, TimeUnit.SECONDS), output(parent));
        final String output = parent.output();
        assertTrue(output.contains("parent got: hello from Helper.java"), output(parent));
        assertTrue(output.contains("child exit=0"), output(parent));
        final Matcher main = MAIN_PID.matcher(output);
        assertTrue(main.find(), output(parent));
        assertFalse(main.find(), "main ran in the child: " + output(parent));
        final Matcher child = CHILD_PID.matcher(output);
        assertTrue(child.find(), output(parent));
        assertNotEquals(Long.toString(parent.pid()), child.group(1), output(parent));
        return output;
    }

    private Path copyProgram() throws IOException
    {
        final Path program = Files.createDirectories(directory.resolve("program"));
        for (final String file : List.of("Program.java", "Helper.java"))
        {
            try (InputStream in = SourceModeTest.class.getResourceAsStream("sourcemode/" + file))
            {
                assertTrue(in != null, "test resource sourcemode/" + file);
                Files.copy(in, program.resolve(file));
            }
        }
        return program.resolve("Program.java");
    }

    private ChildProcesses.Child run(final Path program, final String mode)
    {
        final ChildProcesses.Child parent = programs.start(ChildJvm.ofSourceFile(program)
            .jvmArgs("-Djipc.dir=" + directory, "-XX:+UseSerialGC").args(mode));
        started.add(parent);
        return parent;
    }

    private static String output(final ChildProcesses.Child parent)
    {
        return "output of the program:\n" + parent.output();
    }
}
