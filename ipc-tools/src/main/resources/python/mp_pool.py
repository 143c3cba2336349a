# Python's process pools, the baseline of `jipc bench pool`, for one pool kind:
#   fork, spawn: multiprocessing.get_context(METHOD).Pool(2)
#   executor:    concurrent.futures.ProcessPoolExecutor(2) with the fork context (3.11's default on Linux)
# Usage: mp_pool.py KIND STARTS MAPS ROUND_TRIPS PIPELINED ITEMS
# Measures, in this order, in one interpreter:
#   startup    STARTS times: from Pool(2) (ProcessPoolExecutor(2)) to both workers having answered: a map of 2 pid tasks
#              with chunksize 1 (2 submits of the executor) repeated until 2 pids came back; then terminate (shutdown)
#   map        MAPS times (after 1 unmeasured): pool.map(square, range(ITEMS)), automatic chunksize (pools only)
#   roundtrip  ROUND_TRIPS times (after 100 unmeasured): apply_async(square, (i,)).get() (submit(square, i).result())
#   pipelined  once: PIPELINED apply_async (submit) calls, then get() (result()) of each in order
# Prints one line per measurement: "NAME p50 p99 p99.9 max count" in nanoseconds, and "pipelined TASKS_PER_S COUNT".
import concurrent.futures
import multiprocessing as mp
import os
import sys
import time


def square(x):
    return x * x


def pid(_):
    return os.getpid()


def percentile(sorted_values, p):
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * p / 100.0))]


def line(name, samples):
    samples = sorted(samples)
    return "%s %d %d %d %d %d" % (name, percentile(samples, 50), percentile(samples, 99), percentile(samples, 99.9),
                                  samples[-1], len(samples))


def start_pool(kind):
    if kind == "executor":
        return concurrent.futures.ProcessPoolExecutor(2, mp_context=mp.get_context("fork"))
    return mp.get_context(kind).Pool(2)


def both_answered(kind, pool):
    pids = set()
    while len(pids) < 2:
        if kind == "executor":
            pids.update(f.result() for f in [pool.submit(pid, 0), pool.submit(pid, 1)])
        else:
            pids.update(pool.map(pid, range(2), chunksize=1))


def end_pool(kind, pool):
    if kind == "executor":
        pool.shutdown(wait=True)
    else:
        pool.terminate()
        pool.join()


def submit(kind, pool, x):
    return pool.submit(square, x) if kind == "executor" else pool.apply_async(square, (x,))


def result(kind, future):
    return future.result() if kind == "executor" else future.get()


def main():
    kind = sys.argv[1]
    starts, maps, round_trips, pipelined, items = (int(arg) for arg in sys.argv[2:7])
    startups = []
    for _ in range(starts):
        begin = time.perf_counter_ns()
        pool = start_pool(kind)
        both_answered(kind, pool)
        startups.append(time.perf_counter_ns() - begin)
        end_pool(kind, pool)
    print(line("startup", startups))

    pool = start_pool(kind)
    both_answered(kind, pool)
    if kind != "executor":
        numbers = list(range(items))
        expected = sum(x * x for x in numbers)
        map_times = []
        for i in range(maps + 1):
            begin = time.perf_counter_ns()
            squares = pool.map(square, numbers)
            elapsed = time.perf_counter_ns() - begin
            if sum(squares) != expected:
                raise SystemExit("map returned wrong squares")
            if i > 0:
                map_times.append(elapsed)
        print(line("map", map_times))

    trips = []
    for i in range(round_trips + 100):
        begin = time.perf_counter_ns()
        value = result(kind, submit(kind, pool, i))
        elapsed = time.perf_counter_ns() - begin
        if value != i * i:
            raise SystemExit("round trip returned %s for %d" % (value, i))
        if i >= 100:
            trips.append(elapsed)
    print(line("roundtrip", trips))

    begin = time.perf_counter_ns()
    futures = [submit(kind, pool, i) for i in range(pipelined)]
    total = 0
    for future in futures:
        total += result(kind, future)
    elapsed = time.perf_counter_ns() - begin
    if total != sum(i * i for i in range(pipelined)):
        raise SystemExit("pipelined tasks returned wrong squares")
    print("pipelined %.1f %d" % (pipelined / (elapsed / 1e9), pipelined))
    end_pool(kind, pool)


if __name__ == "__main__":
    main()
