"""Training throughput of optilab.nn.MLP, printed as ratios.

Run it as

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/bench_train.py

(those two variables, when set, slow the current numpy's OpenBLAS; never unset
them in tests or CI, only here).  Options: ``--steps N`` per round (default
200), ``--rounds R`` (default 3), ``--no-torch``.

Net: 784-100×4-10, ReLU, He init, batch 128, float32 (optilab and PyTorch) or
float64 (the book-style reference below).  Data: real MNIST from
``shared/data/mnist`` if it exists, else random pixels in [0, 1].  Every
implementation runs the same loop — draw the batch ``x_train[idx]``, forward,
backward, optimizer step — and is timed as the median of R rounds; rounds of
the different implementations are interleaved, all in this process with the
same thread count.  Printed ratios (throughput, higher is better):

  (a) optilab / book-style float64 reference           target ≥ 2
  (b) optilab / PyTorch CPU (same net, float32)         target ≥ 1.2
  (c) optilab's FLOP rate / large float32 matmul rate   target ≥ 50 %
      counting 6·Σ n_in·n_out FLOP per sample (forward x W, backward xᵀ dout
      and dout Wᵀ for every layer), measured beside it on 2048² @ 2048².

Then the cost of the weight snapshots the trainer keeps for the loss
landscape (issue #14, target ≤ 10 % slower): whole `Trainer` runs of the
book's net, batch 100, 2,000 iterations, evaluated only at the start and the
end, with ``snapshots`` 0, 40, 152 (the most the default 64 MiB holds) and
400 (the budget raised for it) — in this process, advancing in
alternating turns of 50 steps so other processes' load falls on all three
alike (``--snapshot-rounds`` repeats it, default 1); printed: each one's time
and its ratio to snapshots 0.  ``--only-snapshots`` runs this part alone.
"""

from __future__ import annotations

import argparse
import ctypes
import glob
import gzip
import itertools
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from optilab import optim  # noqa: E402
from optilab.data import Dataset  # noqa: E402
from optilab.nn import MLP  # noqa: E402
from optilab.training import RunConfig, Trainer  # noqa: E402
from optilab.training.snapshots import snapshot_count  # noqa: E402

SIZES = [784, 100, 100, 100, 100, 10]
BATCH = 128


# --------------------------------------------------------------------------
# Book-style float64 reference (the shape of "Deep Learning from Scratch"'s
# common/layers.py, common/optimizer.py and MultiLayerNet, without extras).
class BookAffine:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.x = x
        return np.dot(x, self.W) + self.b

    def backward(self, dout):
        self.dW = np.dot(self.x.T, dout)
        self.db = np.sum(dout, axis=0)
        return np.dot(dout, self.W.T)


class BookRelu:
    def forward(self, x):
        self.mask = x <= 0
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        dout[self.mask] = 0
        return dout


class BookSoftmaxWithLoss:
    def forward(self, x, t):
        self.t = t
        x = x - np.max(x, axis=-1, keepdims=True)
        self.y = np.exp(x) / np.sum(np.exp(x), axis=-1, keepdims=True)
        n = x.shape[0]
        return -np.sum(np.log(self.y[np.arange(n), t] + 1e-7)) / n

    def backward(self, dout=1):
        n = self.t.shape[0]
        dx = self.y.copy()
        dx[np.arange(n), self.t] -= 1
        return dx / n


class BookNet:
    def __init__(self, sizes, rng):
        self.params, self.layers = {}, []
        for i in range(1, len(sizes)):
            self.params[f"W{i}"] = np.sqrt(2.0 / sizes[i - 1]) * rng.standard_normal((sizes[i - 1], sizes[i]))
            self.params[f"b{i}"] = np.zeros(sizes[i])
            self.layers.append(BookAffine(self.params[f"W{i}"], self.params[f"b{i}"]))
            if i < len(sizes) - 1:
                self.layers.append(BookRelu())
        self.last_layer = BookSoftmaxWithLoss()
        self.affines = [layer for layer in self.layers if isinstance(layer, BookAffine)]

    def gradient(self, x, t):
        for layer in self.layers:
            x = layer.forward(x)
        self.last_layer.forward(x, t)
        dout = self.last_layer.backward(1)
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        grads = {}
        for i, a in enumerate(self.affines, 1):
            grads[f"W{i}"], grads[f"b{i}"] = a.dW, a.db
        return grads


class BookSGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key in params.keys():
            params[key] -= self.lr * grads[key]


class BookAdam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999):
        self.lr, self.beta1, self.beta2, self.iter, self.m, self.v = lr, beta1, beta2, 0, None, None

    def update(self, params, grads):
        if self.m is None:
            self.m = {k: np.zeros_like(v) for k, v in params.items()}
            self.v = {k: np.zeros_like(v) for k, v in params.items()}
        self.iter += 1
        lr_t = self.lr * np.sqrt(1.0 - self.beta2**self.iter) / (1.0 - self.beta1**self.iter)
        for key in params.keys():
            self.m[key] += (1 - self.beta1) * (grads[key] - self.m[key])
            self.v[key] += (1 - self.beta2) * (grads[key] ** 2 - self.v[key])
            params[key] -= lr_t * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)


# --------------------------------------------------------------------------
def load_data(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, str]:
    """MNIST training images as float32 in [0, 1] and int labels, or a synthetic stand-in."""
    folder = ROOT.parent / "shared" / "data" / "mnist"
    if not folder.is_dir():
        folder = Path("/work/shared/data/mnist")
    images, labels = folder / "train-images-idx3-ubyte.gz", folder / "train-labels-idx1-ubyte.gz"
    if images.is_file() and labels.is_file():
        with gzip.open(images, "rb") as f:
            x = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 784)
        with gzip.open(labels, "rb") as f:
            t = np.frombuffer(f.read(), np.uint8, offset=8).astype(np.int64)
        return x.astype(np.float32) / np.float32(255), t, f"MNIST train ({len(t)})"
    x = rng.integers(0, 256, (60000, 784), dtype=np.uint8).astype(np.float32) / np.float32(255)
    t = rng.integers(0, 10, 60000)
    return x, t, "synthetic uint8 pixels (60000)"


def blas_threads() -> int | None:
    """OpenBLAS thread count of numpy, read through ctypes (no threadpoolctl needed)."""
    libdir = Path(np.__file__).resolve().parent.parent / "numpy.libs"
    for path in glob.glob(str(libdir / "libscipy_openblas*.so*")) + glob.glob(str(libdir / "libopenblas*.so*")):
        lib = ctypes.CDLL(path)
        for name in ("scipy_openblas_get_num_threads64_", "scipy_openblas_get_num_threads", "openblas_get_num_threads"):
            if hasattr(lib, name):
                return int(getattr(lib, name)())
    return None


def matmul_gflops(n: int = 2048, reps: int = 5) -> float:
    a = np.random.default_rng(1).standard_normal((n, n), dtype=np.float32)
    b = np.random.default_rng(2).standard_normal((n, n), dtype=np.float32)
    c = np.empty_like(a)
    np.matmul(a, b, out=c)
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        np.matmul(a, b, out=c)
        times.append(time.perf_counter() - t0)
    return 2 * n**3 / statistics.median(times) / 1e9


def make_runners(x_train, t_train, idx, use_torch: bool, threads: int):
    """name -> (setup() -> step(i) callable).  Each setup builds a fresh net and optimizer."""
    x64 = x_train.astype(np.float64)
    runners = {}

    def optilab_runner(opt_name, lr):
        def setup():
            net = MLP(SIZES[0], SIZES[1:-1], SIZES[-1], activation="relu", init="he", seed=0, dtype=np.float32)
            opt = optim.create(opt_name, lr=lr)
            params = net.params

            def step(i):
                b = idx[i]
                grads = net.gradient(x_train[b], t_train[b])
                opt.step(params, grads)

            return step

        return setup

    def book_runner(opt_cls):
        def setup():
            net = BookNet(SIZES, np.random.default_rng(0))
            opt = opt_cls()

            def step(i):
                b = idx[i]
                grads = net.gradient(x64[b], t_train[b])
                opt.update(net.params, grads)

            return step

        return setup

    runners["optilab sgd"] = optilab_runner("sgd", 0.01)
    runners["optilab adam"] = optilab_runner("adam", 0.001)
    runners["book f64 sgd"] = book_runner(BookSGD)
    runners["book f64 adam"] = book_runner(BookAdam)

    if use_torch:
        import torch

        torch.set_num_threads(threads)
        xt, tt, it = torch.from_numpy(x_train), torch.from_numpy(t_train), torch.from_numpy(idx)

        def torch_runner(opt_name, lr):
            def setup():
                torch.manual_seed(0)
                mods = []
                for i in range(1, len(SIZES)):
                    lin = torch.nn.Linear(SIZES[i - 1], SIZES[i])
                    torch.nn.init.kaiming_normal_(lin.weight, nonlinearity="relu")
                    torch.nn.init.zeros_(lin.bias)
                    mods.append(lin)
                    if i < len(SIZES) - 1:
                        mods.append(torch.nn.ReLU())
                model = torch.nn.Sequential(*mods)
                if opt_name == "sgd":
                    opt = torch.optim.SGD(model.parameters(), lr=lr)
                else:
                    opt = torch.optim.Adam(model.parameters(), lr=lr, eps=1e-7)
                crit = torch.nn.CrossEntropyLoss()

                def step(i):
                    b = it[i]
                    opt.zero_grad(set_to_none=True)
                    loss = crit(model(xt[b]), tt[b])
                    loss.backward()
                    opt.step()

                return step

            return setup

        runners["torch sgd"] = torch_runner("sgd", 0.01)
        runners["torch adam"] = torch_runner("adam", 0.001)
    return runners


#: None, the default, the most the default budget holds for the book net (64 MiB / 429 KiB), and 400.
SNAPSHOT_COUNTS = (0, 40, 152, 400)
#: Steps each trainer takes in turn before the next one's turn (the pairing of the snapshot benchmark).
SNAPSHOT_BLOCK = 50


def snapshot_overhead(x_train: np.ndarray, t_train: np.ndarray, rounds: int, iterations: int = 2000) -> None:
    """Print the training time with weight snapshots 0, 40, 152 and 400 and their ratios to none.

    Paired so that the load of other processes falls on all alike: the four
    runs (same seed, same batches) advance in turns of `SNAPSHOT_BLOCK` steps,
    the order rotating each turn, each turn timed; a ratio is the median over
    the turns of (turn time with k) / (turn time with none), and the totals'
    ratio beside it.  ``rounds`` repeats the whole (fresh trainers).
    """
    data = Dataset(x_train, t_train, x_train[:1000], t_train[:1000], source="bench")
    base = RunConfig(hidden=tuple(SIZES[1:-1]), batch_size=100, iterations=iterations, eval_interval=iterations,
                     eval_train_size=1000, optimizer="sgd", hparams={"lr": 0.01})
    p = sum(a * b + b for a, b in itertools.pairwise(SIZES))
    budget = max(SNAPSHOT_COUNTS) * 4 * p           # all 400 (the default budget, 64 MiB, holds 152)
    assert snapshot_count(10**6, p) == 152
    turns: dict[int, list[float]] = {k: [] for k in SNAPSHOT_COUNTS}
    for _ in range(rounds):
        trainers = {k: Trainer(base.replace(snapshots=k), data, snapshot_bytes=budget) for k in SNAPSHOT_COUNTS}
        for trainer in trainers.values():
            trainer.step()                           # the first evaluation, outside the timing
        turn = 0
        while not all(t.done for t in trainers.values()):
            first = turn % len(SNAPSHOT_COUNTS)
            order = SNAPSHOT_COUNTS[first:] + SNAPSHOT_COUNTS[:first]
            for k in order:
                trainer = trainers[k]
                t0 = time.perf_counter()
                for _ in range(SNAPSHOT_BLOCK):
                    if not trainer.step():
                        break
                turns[k].append(time.perf_counter() - t0)
            turn += 1
        for k, trainer in trainers.items():
            assert k == 0 or len(trainer.snapshots) == min(k, iterations + 1)
            np.testing.assert_array_equal(trainer.history.loss, trainers[0].history.loss)
    copy, idle = recording_costs(trainers[0])
    step = statistics.median(turns[0]) / SNAPSHOT_BLOCK
    print(f"\nweight snapshots: book net (P = {p:,}, {4 * p / 2**10:.0f} KiB a snapshot), batch 100, "
          f"{iterations} iterations, in alternating turns of {SNAPSHOT_BLOCK} steps, {rounds} round(s)")
    print(f"  one snapshot's copy {copy * 1e6:.0f} µs, the check on a step without one {idle * 1e9:.0f} ns, "
          f"a step {step * 1e3:.2f} ms (median turn / {SNAPSHOT_BLOCK})")
    for k in SNAPSHOT_COUNTS:
        paired = statistics.median(t / t0 for t, t0 in zip(turns[k], turns[0], strict=True))
        total = sum(turns[k]) / sum(turns[0])
        model = 1 + (k * copy + iterations * idle) / (iterations * step) if k else 1.0
        print(f"  snapshots {k:>4}: {sum(turns[k]):7.2f} s   ratio to none: paired median {paired:5.3f}, "
              f"totals {total:5.3f}, from the copy's cost {model:5.3f}   ({k * 4 * p / 2**20:6.1f} MiB kept)"
              + ("   (target <= 1.10)" if k else ""))


def recording_costs(trainer: Trainer, reps: int = 200) -> tuple[float, float]:
    """(seconds to copy one snapshot of ``trainer``'s net into a preallocated row, seconds of the
    per-step check when none is due): medians, measured with the trainer's own `Recorder` class."""
    from optilab.training.snapshots import Layout, Recorder

    params = trainer.net.params
    recorder = Recorder(Layout.of(params), reps, reps, budget=10**12)
    copies = []
    for i in range(reps):
        t0 = time.perf_counter()
        recorder.record(int(recorder.planned[i]), params)
        copies.append(time.perf_counter() - t0)
    n = 20_000
    t0 = time.perf_counter()
    for _ in range(n):
        recorder.record(-1, params)
    return statistics.median(copies), (time.perf_counter() - t0) / n


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-torch", action="store_true")
    parser.add_argument("--snapshot-rounds", type=int, default=1)
    parser.add_argument("--only-snapshots", action="store_true")
    args = parser.parse_args(argv)

    rng = np.random.default_rng(0)
    x_train, t_train, source = load_data(rng)
    if args.only_snapshots:
        print(f"data: {source}")
        snapshot_overhead(x_train, t_train, args.snapshot_rounds)
        return
    warmup = 20
    idx = rng.integers(0, len(t_train), (args.steps + warmup, BATCH))  # with replacement, as the book

    threads = blas_threads() or os.cpu_count() or 1
    use_torch = not args.no_torch
    torch_note = ""
    if use_torch:
        try:
            import torch

            torch_note = f"torch {torch.__version__}"
        except ImportError:
            use_torch = False
            torch_note = "torch not installed: skipped"
    else:
        torch_note = "torch: skipped (--no-torch)"

    print(f"data: {source};  net {'-'.join(map(str, SIZES))} ReLU He, batch {BATCH}")
    print(f"numpy {np.__version__}, BLAS threads {threads}, cpus {os.cpu_count()};  {torch_note}")
    for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        if var in os.environ:
            print(f"warning: {var} is set; run with env -u {var} (see the docstring)")
    if hasattr(os, "getloadavg"):
        load = os.getloadavg()[0]
        note = "  (other processes compete for the cores: figures are noisy)" if load > 0.5 else ""
        print(f"load average (1 min) before the run: {load:.2f}{note}")
    print(f"{args.steps} steps per round, median of {args.rounds} rounds\n")

    runners = make_runners(x_train, t_train, idx, use_torch, threads)
    times: dict[str, list[float]] = {name: [] for name in runners}
    mm_rates: list[float] = []
    for _ in range(args.rounds):
        time.sleep(0.05)
        mm_rates.append(matmul_gflops())
        for name, setup in runners.items():
            step = setup()
            for i in range(warmup):
                step(args.steps + i)
            time.sleep(0.05)  # let the other library's worker threads go idle
            t0 = time.perf_counter()
            for i in range(args.steps):
                step(i)
            times[name].append((time.perf_counter() - t0) / args.steps)

    flop_per_step = 6 * sum(a * b for a, b in itertools.pairwise(SIZES)) * BATCH
    mm = statistics.median(mm_rates)
    step_time = {name: statistics.median(ts) for name, ts in times.items()}
    print(f"{'implementation':<16}{'ms/step':>10}{'samples/s':>12}{'GFLOP/s':>10}{'% matmul':>10}")
    for name, t in step_time.items():
        gf = flop_per_step / t / 1e9
        print(f"{name:<16}{t * 1e3:>10.3f}{BATCH / t:>12.0f}{gf:>10.1f}{100 * gf / mm:>9.1f}%")
    print(f"{'matmul 2048² f32':<16}{'':>10}{'':>12}{mm:>10.1f}{100.0:>9.1f}%\n")

    for opt in ("sgd", "adam"):
        ours = step_time[f"optilab {opt}"]
        line = f"{opt:>4}: (a) vs book float64 {step_time[f'book f64 {opt}'] / ours:5.2f}x (target >= 2)"
        if use_torch:
            line += f"   (b) vs torch {step_time[f'torch {opt}'] / ours:5.2f}x (target >= 1.2)"
        else:
            line += f"   (b) {torch_note}"
        line += f"   (c) {100 * flop_per_step / ours / 1e9 / mm:5.1f}% of matmul rate (target >= 50%)"
        print(line)

    snapshot_overhead(x_train, t_train, args.snapshot_rounds)


if __name__ == "__main__":
    main()
