"""Parallel runs (issue #15 item 4): the five-run optimizer comparison, serial against ``--jobs 2``.

Run it as

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/bench_parallel.py

(those two variables, when set, slow the current numpy's OpenBLAS; only here).
Options: ``--jobs N`` (default 2), ``--rounds R`` (default 1), ``--iterations N``
(default 1,000, the preset's).

The preset ``optimizer-compare`` (SGD, Momentum, AdaGrad, RMSprop, Adam on the
book's 784-100×4-10 net, batch 128) on the bundled sample, timed whole as
``optilab train`` runs it: serially in this process with one BLAS thread (what
``optilab train`` did before: `optilab.cli` sets one thread), then with
``n_jobs`` child processes of one BLAS thread each (process start and data
transfer included).  Rounds alternate serial and parallel.  Printed: each time
and the ratio parallel / serial (target ≤ 0.6 on 2 cores), and whether every
history is bitwise the same.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from optilab.threads import default_one_blas_thread

default_one_blas_thread()

import numpy as np  # noqa: E402

from optilab import data, training  # noqa: E402


def _time(sample, jobs: int, iterations: int) -> tuple[float, list]:
    t0 = time.perf_counter()
    res = training.run_preset("optimizer-compare", sample, n_jobs=jobs, iterations=iterations)
    return time.perf_counter() - t0, res.runs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--iterations", type=int, default=1000)
    args = ap.parse_args()
    sample = data.load(sample=True)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"optimizer-compare, 5 runs × {args.iterations} iterations, bundled sample, {cores} cores")
    serial, parallel, same = [], [], True
    for _ in range(args.rounds):
        t_s, runs_s = _time(sample, 1, args.iterations)
        t_p, runs_p = _time(sample, args.jobs, args.iterations)
        serial.append(t_s)
        parallel.append(t_p)
        same = same and all(np.array_equal(a.history.loss, b.history.loss)
                            and np.array_equal(a.history.test_acc, b.history.test_acc)
                            for a, b in zip(runs_s, runs_p, strict=True))
        print(f"  serial {t_s:6.2f} s   jobs={args.jobs} {t_p:6.2f} s   ratio {t_p / t_s:.2f}")
    s, p = statistics.median(serial), statistics.median(parallel)
    print(f"median: serial {s:.2f} s, jobs={args.jobs} {p:.2f} s, ratio {p / s:.2f} (target ≤ 0.60); "
          f"histories bitwise equal: {same}")


if __name__ == "__main__":
    main()
