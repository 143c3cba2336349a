# Python's Manager().dict(), the baseline of `jipc bench manager`: PROCS worker processes run one operation on one
# dict of a Manager for SECONDS each, after a common start, the same loops as ManagerBenchChild.
# Usage: mp_manager.py OP PROCS KEYS VALUE_SIZE SECONDS
#   OP          set:   d[k] = v
#               get:   d[k], each checked against the value its key holds
#               merge: with lock: d[k] = d.get(k, 0) + 1 (a DictProxy has no atomic merge; one multiprocessing.Lock)
#   VALUE_SIZE  0 for int values (key * 8 + tag), else bytes of that length (key's index mod 65,536 in the first two
#               bytes, the tag in the others); tag 0 is the filling, 2 + worker what a worker writes
# Worker w cycles through the keys "k" + i from w * KEYS // PROCS on. Each worker first makes one unmeasured call (a
# proxy connects to the manager on its first use), then waits at a barrier with the others and the parent.
# Prints: "OPS NANOS": the workers' measured operations, and the nanoseconds from the first one's start to the last
# one's end (time.monotonic_ns is CLOCK_MONOTONIC on Linux, one clock for every process). Exits non-zero when the
# dict is not what the workers did (a lost merge, a value no worker wrote, a get that read a wrong value).
import multiprocessing as mp
import sys
import time


def value(key, tag, size):
    if size == 0:
        return key * 8 + tag
    return bytes([key & 255, (key >> 8) & 255]) + bytes([tag]) * (size - 2)


def tag_of(v, key, size):
    if size == 0:
        return -1 if v is None or v >> 3 != key else v & 7
    if v is None or len(v) != size or v[0] != key & 255 or v[1] != (key >> 8) & 255 or v[2:] != bytes([v[2]]) * (size - 2):
        return -1
    return v[2]


def first_key(worker, workers, keys):
    return worker * keys // workers


def work(op, d, lock, barrier, results, worker, workers, keys, size, seconds):
    names = ["k%d" % i for i in range(keys)]
    writes = [value(i, 2 + worker, size) for i in range(keys)] if op == "set" else None
    expected = [value(i, 0, size) for i in range(keys)] if op == "get" else None
    i = first_key(worker, workers, keys)
    d.get(names[i])
    barrier.wait()
    ops = errors = 0
    start = time.monotonic_ns()
    deadline = start + int(seconds * 1e9)
    if op == "set":
        while time.monotonic_ns() < deadline:
            d[names[i]] = writes[i]
            i = i + 1 if i + 1 < keys else 0
            ops += 1
    elif op == "get":
        while time.monotonic_ns() < deadline:
            if d[names[i]] != expected[i]:
                errors += 1
            i = i + 1 if i + 1 < keys else 0
            ops += 1
    else:
        while time.monotonic_ns() < deadline:
            with lock:
                d[names[i]] = d.get(names[i], 0) + 1
            i = i + 1 if i + 1 < keys else 0
            ops += 1
    end = time.monotonic_ns()
    results.put((worker, ops, errors, start, end))


def main():
    op = sys.argv[1]
    workers, keys, size = (int(a) for a in sys.argv[2:5])
    seconds = float(sys.argv[5])
    if op not in ("set", "get", "merge"):
        sys.exit("unknown op: " + op)
    with mp.Manager() as manager:
        d = manager.dict()
        d.update({"k%d" % i: 0 if op == "merge" else value(i, 0, size) for i in range(keys)})
        lock, barrier, results = mp.Lock(), mp.Barrier(workers + 1), mp.Queue()
        procs = [mp.Process(target=work, args=(op, d, lock, barrier, results, w, workers, keys, size, seconds))
                 for w in range(workers)]
        for p in procs:
            p.start()
        barrier.wait()
        done = [results.get() for _ in procs]
        for p in procs:
            p.join()
            if p.exitcode != 0:
                sys.exit("worker failed: exitcode=%d" % p.exitcode)
        ops = sum(r[1] for r in done)
        errors = sum(r[2] for r in done)
        if errors:
            sys.exit("%d get(s) read a wrong value" % errors)
        final = d.copy()
        if len(final) != keys:
            sys.exit("the dict has %d entries, not %d" % (len(final), keys))
        if op == "merge":
            # the one unmeasured call of each worker is a get: every merge was measured
            if sum(final.values()) != ops:
                sys.exit("the counts add up to %d, the workers made %d merges" % (sum(final.values()), ops))
        else:
            reached = [[] for _ in range(keys)]
            for worker, count, _, _, _ in done:
                if op == "set":
                    first = first_key(worker, workers, keys)
                    for j in range(min(count, keys)):
                        reached[(first + j) % keys].append(2 + worker)
            for i in range(keys):
                tag = tag_of(final["k%d" % i], i, size)
                if tag not in (reached[i] or [0]):
                    sys.exit("k%d holds a value of tag %d, which no worker wrote there" % (i, tag))
        print(ops, max(r[4] for r in done) - min(r[3] for r in done))


if __name__ == "__main__":
    main()
