# Python's process start, the baseline of `jipc bench process`: start-to-running and start+join of a process whose
# task's first line reads the clock, for one start method (fork, forkserver, spawn).
# Usage: mp_start.py METHOD STARTS WARMUP
# Prints two lines, start-to-running then start+join: p50 p99 p99.9 max count, in nanoseconds.
# time.monotonic_ns is CLOCK_MONOTONIC on Linux, one clock for parent and child.
import sys
import time
import multiprocessing as mp


def task(conn):
    running = time.monotonic_ns()
    conn.send(running)


def percentile(sorted_values, p):
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * p / 100.0))]


def line(samples):
    samples = sorted(samples)
    return "%d %d %d %d %d" % (percentile(samples, 50), percentile(samples, 99), percentile(samples, 99.9),
                               samples[-1], len(samples))


if __name__ == "__main__":
    method = sys.argv[1]
    starts = int(sys.argv[2])
    warmup = int(sys.argv[3])
    ctx = mp.get_context(method)
    reader, writer = ctx.Pipe(duplex=False)
    running_samples = []
    join_samples = []
    for i in range(warmup + starts):
        process = ctx.Process(target=task, args=(writer,))
        start = time.monotonic_ns()
        process.start()
        running = reader.recv()
        process.join()
        joined = time.monotonic_ns()
        if process.exitcode != 0:
            raise SystemExit("child exited with %s" % process.exitcode)
        if i >= warmup:
            running_samples.append(running - start)
            join_samples.append(joined - start)
    print(line(running_samples))
    print(line(join_samples))
