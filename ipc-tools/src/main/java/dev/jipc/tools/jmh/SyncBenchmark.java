package dev.jipc.tools.jmh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import dev.jipc.sync.IntValue;
import dev.jipc.sync.Lock;
import dev.jipc.sync.LongValue;
import dev.jipc.sync.RLock;
import dev.jipc.sync.Semaphore;
import dev.jipc.sync.SyncArena;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The uncontended paths of ipc-sync, one thread, objects in a mapped sync arena: {@code lock} + {@code unlock} must
 * be a compare-and-set, a few stores and a fenced load of the waiter count (target: 20 ns or less), and the
 * lock-free atomics a single atomic instruction.
 * <p>
 * Run: {@code ./jipc jmh SyncBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SyncBenchmark
{
    private Path directory;
    private SyncArena arena;
    private Lock lock;
    private RLock rlock;
    private Semaphore semaphore;
    private LongValue longValue;
    private IntValue intValue;

    @Setup
    public void setUp() throws Exception
    {
        directory = Files.createTempDirectory(Path.of("/dev/shm"), "jipc-jmh-");
        arena = SyncArena.create(directory, "sync", 8, 4096);
        lock = arena.newLock();
        rlock = arena.newRLock();
        semaphore = arena.newSemaphore(1);
        longValue = arena.newLongValue(0);
        intValue = arena.newIntValue(0);
    }

    @TearDown
    public void tearDown() throws Exception
    {
        lock.close();
        rlock.close();
        semaphore.close();
        longValue.close();
        intValue.close();
        arena.unlink();
        arena.close();
        Files.deleteIfExists(directory);
    }

    /** {@link Lock#lock()} and {@link Lock#unlock()} with nobody else about. */
    @Benchmark
    public void lockUnlock()
    {
        lock.lock();
        lock.unlock();
    }

    /** {@link RLock#lock()} and {@link RLock#unlock()} with nobody else about. */
    @Benchmark
    public void rlockLockUnlock()
    {
        rlock.lock();
        rlock.unlock();
    }

    /** {@link Lock#tryLock()} and {@link Lock#unlock()}. */
    @Benchmark
    public boolean tryLockUnlock()
    {
        final boolean locked = lock.tryLock();
        lock.unlock();
        return locked;
    }

    /** {@link Semaphore#tryAcquire()} and {@link Semaphore#release()}. */
    @Benchmark
    public boolean semaphoreAcquireRelease()
    {
        final boolean acquired = semaphore.tryAcquire();
        semaphore.release();
        return acquired;
    }

    /** {@link LongValue#getAndAdd(long)}: a lock-free shared counter. */
    @Benchmark
    public long longGetAndAdd()
    {
        return longValue.getAndAdd(1);
    }

    /** {@link IntValue#getAndAdd(int)}. */
    @Benchmark
    public int intGetAndAdd()
    {
        return intValue.getAndAdd(1);
    }

    /** {@link LongValue#get()}: a read under the value's lock, as Python's {@code .value}. */
    @Benchmark
    public long lockedGet()
    {
        return longValue.get();
    }

    /** {@link LongValue#getRaw()}: a volatile read. */
    @Benchmark
    public long rawGet()
    {
        return longValue.getRaw();
    }
}
