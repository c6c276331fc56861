"""Speed of the loss landscape's slice (optilab.landscape.LossEvaluator.plane_losses).

Run it as

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/bench_landscape.py

A 41×41 slice of the 784-100×4-10 ReLU net (float32, He init) on 2,000
synthetic images (uniform pixels in [0, 1], random labels), one BLAS thread
as `optilab train` and the app use.  Printed, (a) and (b) the best of
``--rounds`` (default 3) interleaved rounds (the best is the least disturbed
by other processes on a shared machine):

  (a) the slice's wall time;
  (b) the same matrix products alone, in this process, on arrays made
      beforehand: the three first-layer products X·W₁*, X·D₁, X·E₁ once, then
      for every chunk of G grid points (1, α, β) @ (A, B, C) for layer 1,
      (1, α, β) @ the deeper layers' weights, and the stacked products
      (G, N, 100) @ (G, 100, 100) ×3 and @ (G, 100, 10) — ratio (a)/(b),
      target ≤ 1.5;
  (c) the naive way: one `MLP.loss` forward per grid point, timed over
      ``--naive`` points (default 120) and scaled to the 1,681.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from optilab.threads import default_one_blas_thread

default_one_blas_thread()

import numpy as np  # noqa: E402

from optilab.landscape import LossEvaluator, random_plane  # noqa: E402
from optilab.nn.mlp import MLP  # noqa: E402
from optilab.training.config import RunConfig  # noqa: E402
from optilab.training.snapshots import Layout  # noqa: E402

GRID, N, HIDDEN = 41, 2000, (100, 100, 100, 100)


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--naive", type=int, default=120, help="grid points timed the naive way")
    args = parser.parse_args()

    rng = np.random.default_rng(0)
    x = rng.random((N, 784), dtype=np.float32)
    t = rng.integers(0, 10, N)
    net = MLP(784, HIDDEN, 10, seed=0)
    layout = Layout.of(net.params)
    theta = layout.flatten(net.params)
    config = RunConfig(hidden=HIDDEN)
    evaluator = LossEvaluator(config, layout, x, t)
    plane = random_plane(theta, layout, seed=1)
    grid = np.linspace(-1.0, 1.0, GRID)
    G, points = evaluator.chunk, GRID * GRID
    if hasattr(os, "getloadavg"):
        print(f"load average at start {os.getloadavg()[0]:.2f} (2 cores; other busy processes change the figures)")
    print(f"numpy {np.__version__}; {points} points, chunk G = {G}, float32, one BLAS thread")

    widths = [784, *HIDDEN, 10]
    w1 = rng.standard_normal((784, 100), dtype=np.float32)
    coef = rng.standard_normal((G, 3), dtype=np.float32)
    first = rng.standard_normal((3, N * 100), dtype=np.float32)
    basis = rng.standard_normal((3, layout.size - 785 * 100), dtype=np.float32)
    acts = rng.random((G, N, 100), dtype=np.float32)
    stacked = [rng.standard_normal((G, a, b), dtype=np.float32) for a, b in itertools.pairwise(widths[1:])]
    outs = [np.empty((G, N, w.shape[2]), np.float32) for w in stacked]
    z1 = np.empty((G, N * 100), np.float32)

    def products() -> None:
        for _ in range(3):
            x @ w1                                          # A, B, C
        for start in range(0, points, G):
            g = min(G, points - start)
            np.matmul(coef[:g], first, out=z1[:g])          # layer 1: (1, α, β) @ (A, B, C)
            coef[:g] @ basis                                # the deeper layers' weights
            for w, out in zip(stacked, outs, strict=True):
                np.matmul(acts[:g], w[:g], out=out[:g])

    slice_times, product_times = [], []
    for _ in range(args.rounds):                           # interleaved: both see the same machine
        slice_times.append(_timed(lambda: evaluator.plane_losses(plane, grid, grid)))
        product_times.append(_timed(products))
    slice_time, product_time = min(slice_times), min(product_times)

    pts = (theta[None] + rng.uniform(-1, 1, (args.naive, 1)).astype(np.float32) * plane.d1.astype(np.float32))

    def naive() -> None:
        for row in pts:
            for key, view in layout.views(row).items():
                net.params[key][...] = view
            net.loss(x, t, train=False)

    naive_time = _timed(naive) * points / args.naive

    print(f"(a) 41×41 slice, 2,000 images        {slice_time:8.2f} s  ({points / slice_time:.0f} points/s)")
    print(f"(b) the same matrix products alone   {product_time:8.2f} s  ratio (a)/(b) = "
          f"{slice_time / product_time:.2f}  (target ≤ 1.5)")
    print(f"(c) naive, one forward per point     {naive_time:8.2f} s  (timed on {args.naive} points; "
          f"{naive_time / slice_time:.1f}× the slice)")


if __name__ == "__main__":
    main()
