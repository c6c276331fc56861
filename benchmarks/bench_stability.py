"""Benchmark: a 64×64 stability map of 200 steps per optimizer (issue #15: under 0.5 s on one core).

Every cell is one run; all 4096 run at once as (cells, 2) arrays
(`optilab.stability`).  Printed per optimizer and surface: the median of 5
rounds, its ratio to the 0.5 s budget, and the time per cell-step.

    python benchmarks/bench_stability.py
"""

from __future__ import annotations

import statistics
import time

from optilab.threads import default_one_blas_thread

default_one_blas_thread()

from optilab import surfaces  # noqa: E402 - after the one-thread setting
from optilab.stability import axis_values, default_axes, stability_map  # noqa: E402

GRID, STEPS, BUDGET_S = 64, 200, 0.5
SECOND = {"momentum": (0.0, 0.99), "decay_rate": (0.0, 0.999), "beta1": (0.0, 0.99)}


def bench(surface_name: str, name: str) -> float:
    surface = surfaces.get(surface_name)
    x_key, y_key = default_axes(name)
    xs = axis_values(name, x_key, 1e-3, 1.0, GRID, log=True)
    ys = None if y_key is None else axis_values(name, y_key, *SECOND[y_key], GRID)
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        stability_map(surface, name, {}, x_key, xs, y_key, ys, steps=STEPS)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    print(f"stability map: {GRID}×{GRID} cells (a strip: {GRID}) × {STEPS} steps, budget {BUDGET_S} s")
    for surface_name in ("ill-conditioned", "rosenbrock"):
        for name in ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"):
            t = bench(surface_name, name)
            cells = GRID * (GRID if default_axes(name)[1] else 1)
            print(f"{surface_name:16s} {name:9s} {t * 1e3:7.1f} ms  {t / BUDGET_S:5.2f}× budget  "
                  f"{t / cells / STEPS * 1e9:6.1f} ns per cell-step")


if __name__ == "__main__":
    main()
