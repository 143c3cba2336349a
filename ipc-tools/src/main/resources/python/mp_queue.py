"""Baseline for `jipc bench queue`: Python's multiprocessing.Queue, P producers -> C consumers.

usage: mp_queue.py PRODUCERS CONSUMERS MESSAGES SIZE
prints: messages seconds   (messages taken by all consumers, wall time from the start signal to the last take)
"""
import multiprocessing as mp
import sys
import time


def produce(queue, go, count, size):
    message = bytes(size)
    go.wait()
    for _ in range(count):
        queue.put(message)


def consume(queue, go, taken):
    go.wait()
    n = 0
    while queue.get() is not None:
        n += 1
    taken.put(n)


def main():
    producers, consumers, messages, size = (int(a) for a in sys.argv[1:5])
    queue, go, taken = mp.Queue(), mp.Event(), mp.Queue()
    per_producer = messages // producers
    procs = [mp.Process(target=produce, args=(queue, go, per_producer, size)) for _ in range(producers)]
    cons = [mp.Process(target=consume, args=(queue, go, taken)) for _ in range(consumers)]
    for p in procs + cons:
        p.start()
    time.sleep(0.5)
    start = time.perf_counter()
    go.set()
    for p in procs:
        p.join()
    for _ in cons:
        queue.put(None)
    total = sum(taken.get() for _ in cons)
    elapsed = time.perf_counter() - start
    for c in cons:
        c.join()
    print(total, elapsed)


if __name__ == "__main__":
    main()
