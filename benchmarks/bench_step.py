"""One training step of the book's net against its matrix products alone (issue #15 item 5).

Run it as

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/bench_step.py

(those two variables, when set, slow the current numpy's OpenBLAS; unset them
only here).  Options: ``--steps N`` per round (default 25), ``--rounds R``
(default 60), ``--no-torch``.

Net: 784-100×4-10, ReLU, He init, float32, batch 128, random pixels in [0, 1]
(16 batches drawn beforehand, used in turn).  A step is what `Trainer.step`
does between drawing the batch and logging it: forward, backward (the loss
and every gradient) and the optimizer's update, SGD (η = 0.01) and Adam
(η = 0.001).  "products alone" are the same matrix products on arrays of the
same shapes, written into preallocated outputs, nothing else: per layer
x W, xᵀ dout and dout Wᵀ (not the first layer's dout Wᵀ, which the step skips),
and db = 1ᵀ dout (a matrix-vector product).  Everything runs in this process
with the same BLAS threads; the rounds of the four (five with torch) are
interleaved, short (so the load of other processes falls on all alike), and
each ratio is the median over rounds of (products' time) / (step's time) in
that round; the ms per step printed are the medians and the fastest rounds.
Targets: SGD ≥ 70 %, Adam ≥ 60 %.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_train import blas_threads  # noqa: E402  (numpy's OpenBLAS thread count, through ctypes)

from optilab import optim  # noqa: E402
from optilab.nn import MLP  # noqa: E402

SIZES = [784, 100, 100, 100, 100, 10]
BATCH = 128
N_BATCHES = 16


def batches(rng: np.random.Generator) -> list[tuple[np.ndarray, np.ndarray]]:
    """`N_BATCHES` (x, t) pairs: float32 pixels in [0, 1] and labels 0…9."""
    return [(rng.random((BATCH, SIZES[0]), dtype=np.float32), rng.integers(0, 10, BATCH))
            for _ in range(N_BATCHES)]


def optilab_step(opt_name: str, lr: float, data: list) -> Callable[[int], None]:
    """step(i): the `Trainer`'s step on batch i (the flat buffers when the net has them)."""
    net = MLP(SIZES[0], SIZES[1:-1], SIZES[-1], activation="relu", init="he", seed=0, dtype=np.float32)
    opt = optim.create(opt_name, lr=lr)
    flat = getattr(net, "flat_params", None)

    def step(i: int) -> None:
        x, t = data[i % N_BATCHES]
        grads = net.loss_and_gradient(x, t)[1]
        if flat is not None:
            opt.step_flat(net.flat_params, net.flat_grads, net.params)
        else:
            opt.step(net.params, grads)

    return step


def products_step(data: list) -> Callable[[int], None]:
    """step(i): the step's matrix products alone, into preallocated outputs."""
    rng = np.random.default_rng(1)
    ws = [rng.standard_normal((a, b), dtype=np.float32) * np.float32(0.05) for a, b in itertools.pairwise(SIZES)]
    # the hidden layers' inputs: random numbers (an np.empty's leftover bytes may be denormals, slow to multiply)
    xs = [None] + [rng.random((BATCH, w.shape[0]), dtype=np.float32) for w in ws[1:]]
    outs = [np.empty((BATCH, w.shape[1]), np.float32) for w in ws]
    douts = [rng.standard_normal((BATCH, w.shape[1]), dtype=np.float32) for w in ws]
    dws = [np.empty_like(w) for w in ws]
    dbs = [np.empty(w.shape[1], np.float32) for w in ws]
    dxs = [None] + [np.empty((BATCH, w.shape[0]), np.float32) for w in ws[1:]]
    ones = np.ones(BATCH, np.float32)

    def step(i: int) -> None:
        x0 = data[i % N_BATCHES][0]
        for k, w in enumerate(ws):
            np.matmul(x0 if k == 0 else xs[k], w, out=outs[k])      # x W
        for k in range(len(ws) - 1, -1, -1):
            np.matmul((x0 if k == 0 else xs[k]).T, douts[k], out=dws[k])  # xᵀ dout
            np.matmul(ones, douts[k], out=dbs[k])                     # 1ᵀ dout
            if k:
                np.matmul(douts[k], ws[k].T, out=dxs[k])              # dout Wᵀ

    return step


def torch_step(opt_name: str, lr: float, data: list, threads: int) -> Callable[[int], None]:
    import torch

    torch.set_num_threads(threads)
    torch.manual_seed(0)
    mods: list = []
    for i in range(1, len(SIZES)):
        lin = torch.nn.Linear(SIZES[i - 1], SIZES[i])
        torch.nn.init.kaiming_normal_(lin.weight, nonlinearity="relu")
        torch.nn.init.zeros_(lin.bias)
        mods += [lin, torch.nn.ReLU()] if i < len(SIZES) - 1 else [lin]
    model = torch.nn.Sequential(*mods)
    opt = (torch.optim.SGD(model.parameters(), lr=lr) if opt_name == "sgd"
           else torch.optim.Adam(model.parameters(), lr=lr, eps=1e-7))
    crit = torch.nn.CrossEntropyLoss()
    tdata = [(torch.from_numpy(x), torch.from_numpy(t)) for x, t in data]

    def step(i: int) -> None:
        x, t = tdata[i % N_BATCHES]
        opt.zero_grad(set_to_none=True)
        crit(model(x), t).backward()
        opt.step()

    return step


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=25)
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--no-torch", action="store_true")
    args = parser.parse_args(argv)
    data = batches(np.random.default_rng(0))
    threads = blas_threads() or os.cpu_count() or 1
    steps = {"products": products_step(data),
             "sgd": optilab_step("sgd", 0.01, data), "adam": optilab_step("adam", 0.001, data)}
    note = "torch: skipped (--no-torch)"
    if not args.no_torch:
        try:
            import torch
            note = f"torch {torch.__version__}"
            steps["torch sgd"] = torch_step("sgd", 0.01, data, threads)
            steps["torch adam"] = torch_step("adam", 0.001, data, threads)
        except ImportError:
            note = "torch not installed"
    print(f"net {'-'.join(map(str, SIZES))} ReLU He float32, batch {BATCH};  numpy {np.__version__}, "
          f"BLAS threads {threads};  {note}")
    for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        if var in os.environ:
            print(f"warning: {var} is set; run with env -u {var} (see the docstring)")
    if hasattr(os, "getloadavg"):
        print(f"load average (1 min) before the run: {os.getloadavg()[0]:.2f}")
    times: dict[str, list[float]] = {name: [] for name in steps}
    for step in steps.values():
        for i in range(20):                                  # warm-up: buffers, state, caches
            step(i)
    for _ in range(args.rounds):
        for name, step in steps.items():
            t0 = time.perf_counter()
            for i in range(args.steps):
                step(i)
            times[name].append((time.perf_counter() - t0) / args.steps)
    print(f"{args.steps} steps per round, {args.rounds} interleaved rounds (medians)\n")
    for name, ts in times.items():
        print(f"  {name:<12}{statistics.median(ts) * 1e3:8.3f} ms/step   (fastest round {min(ts) * 1e3:.3f})")
    print()
    for opt, target in (("sgd", 70), ("adam", 60)):
        ratio = statistics.median(p / s for p, s in zip(times["products"], times[opt], strict=True))
        line = f"  {opt:>4}: {100 * ratio:5.1f} % of the products' speed (target >= {target} %)"
        if f"torch {opt}" in times:
            vs = statistics.median(t / s for t, s in zip(times[f"torch {opt}"], times[opt], strict=True))
            line += f";  {vs:4.2f}x torch CPU's speed"
        else:
            line += f";  {note}"
        print(line)


if __name__ == "__main__":
    main()
