package dev.jipc.tools.bench;

import picocli.CommandLine.Option;

/** The options every {@code jipc bench} table shares: how many interleaved rounds, how much disagreement to accept. */
final class RoundsOptions
{
    @Option(names = "--rounds", description = "Interleaved rounds; each runs every row of the table once, in order, " +
        "and the table shows each row's median over them (default: ${DEFAULT-VALUE}).")
    int rounds = 5;

    @Option(names = "--max-spread", description = "Warn when a row's highest round is more than this many times its " +
        "lowest, or its ratio to its reference is (default: ${DEFAULT-VALUE}).")
    double maxSpread = 1.5;

    @Option(names = "--keep-awake", description = "Run the rounds beside a SCHED_IDLE busy loop per CPU, so that no " +
        "vCPU sleeps: the busy regime of parked wake-ups, on purpose (default: the machine as it is).")
    boolean keepAwake;
}
