package dev.jipc.tools.bench;

import picocli.CommandLine.Command;

/** {@code jipc bench}: cross-process benchmarks, each a subcommand. */
@Command(
    name = "bench",
    description = "Cross-process benchmarks with HdrHistogram percentiles, beside baselines in the same run.",
    subcommands = {
        FutexBench.class,
        QueueBench.class,
        PipeBench.class,
        LockBench.class,
        SemaphoreBench.class,
        ProcessBench.class,
        PoolBench.class,
        ManagerBench.class,
        DurableBench.class,
    })
public final class BenchCommand
{
}
