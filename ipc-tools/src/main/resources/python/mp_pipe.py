"""Baseline for `jipc bench pipe`: round trips of an 8-byte message over Python's multiprocessing.Pipe.

usage: mp_pipe.py ROUNDS WARMUP
prints: p50 p99 p99.9 max count   (nanoseconds, over the measured rounds)
"""
import multiprocessing as mp
import sys
import time


def pong(conn, rounds):
    for _ in range(rounds):
        value = int.from_bytes(conn.recv_bytes(), "little")
        conn.send_bytes((value + 1).to_bytes(8, "little"))


def main():
    rounds, warmup = int(sys.argv[1]), int(sys.argv[2])
    mine, theirs = mp.Pipe()
    child = mp.Process(target=pong, args=(theirs, rounds + warmup))
    child.start()
    samples = []
    for i in range(rounds + warmup):
        start = time.perf_counter_ns()
        mine.send_bytes(i.to_bytes(8, "little"))
        if int.from_bytes(mine.recv_bytes(), "little") != i + 1:
            raise SystemExit("wrong answer at round %d" % i)
        if i >= warmup:
            samples.append(time.perf_counter_ns() - start)
    child.join()
    samples.sort()
    pick = lambda q: samples[min(len(samples) - 1, int(q * len(samples)))]
    print(pick(0.50), pick(0.99), pick(0.999), samples[-1], len(samples))


if __name__ == "__main__":
    main()
