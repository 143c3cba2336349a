# Python's locked counter across processes, the baseline of `jipc bench lock`:
# PROCS processes each add 1 to one multiprocessing.Value N times under its get_lock().
# Prints: total increments, and the longest process's time in nanoseconds from the common start.
import sys
import time
from multiprocessing import Array, Barrier, Process, Value


def work(value, barrier, times, index, n):
    barrier.wait()
    start = time.perf_counter_ns()
    for _ in range(n):
        with value.get_lock():
            value.value += 1
    times[index] = time.perf_counter_ns() - start


if __name__ == "__main__":
    n = int(sys.argv[1])
    procs = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    value = Value("q", 0)
    barrier = Barrier(procs)
    times = Array("q", procs, lock=False)
    workers = [Process(target=work, args=(value, barrier, times, i, n)) for i in range(procs)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
        if worker.exitcode != 0:
            sys.exit("worker failed: exitcode=%d" % worker.exitcode)
    if value.value != n * procs:
        sys.exit("lost updates under the lock: value=%d, expected=%d" % (value.value, n * procs))
    print(n * procs, max(times))
