# Python's locked counter across processes, the baseline of `jipc bench lock`:
# PROCS processes each add 1 to one multiprocessing.Value N times under its get_lock().
# Prints: total increments, and the nanoseconds from the first process's start to the last one's end
# (time.monotonic_ns is CLOCK_MONOTONIC on Linux, one clock for every process).
import sys
import time
from multiprocessing import Array, Barrier, Process, Value


def work(value, barrier, times, index, n):
    barrier.wait()
    times[2 * index] = time.monotonic_ns()
    for _ in range(n):
        with value.get_lock():
            value.value += 1
    times[2 * index + 1] = time.monotonic_ns()


if __name__ == "__main__":
    n = int(sys.argv[1])
    procs = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    value = Value("q", 0)
    barrier = Barrier(procs)
    times = Array("q", 2 * procs, lock=False)
    workers = [Process(target=work, args=(value, barrier, times, i, n)) for i in range(procs)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
        if worker.exitcode != 0:
            sys.exit("worker failed: exitcode=%d" % worker.exitcode)
    if value.value != n * procs:
        sys.exit("lost updates under the lock: value=%d, expected=%d" % (value.value, n * procs))
    print(n * procs, max(times[1::2]) - min(times[0::2]))
