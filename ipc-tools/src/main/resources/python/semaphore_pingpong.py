# Python's semaphore hand-off round trip between two processes, the baseline of `jipc bench semaphore`:
# the parent releases PING and acquires PONG; the child acquires PING and releases PONG.
# Prints: p50 p99 p99.9 max count, round trips in nanoseconds.
import sys
import time
from multiprocessing import Process, Semaphore


def pong(ping_sem, pong_sem, rounds):
    for _ in range(rounds):
        ping_sem.acquire()
        pong_sem.release()


def percentile(sorted_values, p):
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * p / 100.0))]


if __name__ == "__main__":
    rounds = int(sys.argv[1])
    warmup = int(sys.argv[2])
    ping_sem = Semaphore(0)
    pong_sem = Semaphore(0)
    child = Process(target=pong, args=(ping_sem, pong_sem, rounds + warmup))
    child.start()
    samples = []
    for i in range(rounds + warmup):
        start = time.perf_counter_ns()
        ping_sem.release()
        pong_sem.acquire()
        if i >= warmup:
            samples.append(time.perf_counter_ns() - start)
    child.join()
    samples.sort()
    print(percentile(samples, 50), percentile(samples, 99), percentile(samples, 99.9), samples[-1], len(samples))
