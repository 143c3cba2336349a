package dev.jipc.tools.bench;

import picocli.CommandLine.Option;

/** The sample sizes of a round-trip latency table, per row and per round (each round starts a fresh partner JVM). */
final class RoundTripOptions
{
    @Option(names = "--round-trips",
        description = "Measured round trips per row and round (default: ${DEFAULT-VALUE}).")
    int roundTrips = 50_000;

    @Option(names = "--warmup",
        description = "Unmeasured round trips first, per row and round (default: ${DEFAULT-VALUE}).")
    int warmup = 20_000;

    /**
     * @return the round trips a partner answers in one round, warm-up included.
     */
    int total()
    {
        return warmup + roundTrips;
    }
}
