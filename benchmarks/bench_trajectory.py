"""Benchmark: six optimizers × 1000 steps on every built-in surface.

The surface lab recomputes all trajectories while a slider moves, so the
budget is 50 ms for 6 × 1000 steps.  Printed per surface: median time of 5
rounds, its ratio to the budget, and its speed-up over a book-style
reference loop (the book's ch. 6 optimizers on dicts of numpy arrays,
allocating temporaries each step) run in the same process.

    python benchmarks/bench_trajectory.py
"""

from __future__ import annotations

import statistics
import time

import numpy as np

from optilab import surfaces, trajectory
from optilab.trajectory import Run

OPTIMIZERS = ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"]
STEPS = 1000
BUDGET_MS = 50.0


class BookSGD:
    def __init__(self, lr=0.001):
        self.lr = lr

    def update(self, params, grads):
        for key in params:
            params[key] -= self.lr * grads[key]


class BookMomentum:
    def __init__(self, lr=0.001, momentum=0.9, nesterov=False):
        self.lr, self.momentum, self.nesterov, self.v = lr, momentum, nesterov, None

    def update(self, params, grads):
        if self.v is None:
            self.v = {k: np.zeros_like(v) for k, v in params.items()}
        for key in params:
            if self.nesterov:
                self.v[key] = self.momentum * self.v[key] + grads[key]
                params[key] -= self.lr * (grads[key] + self.momentum * self.v[key])
            else:
                self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]
                params[key] += self.v[key]


class BookAdaGrad:
    def __init__(self, lr=0.001, rho=None):
        self.lr, self.rho, self.h = lr, rho, None

    def update(self, params, grads):
        if self.h is None:
            self.h = {k: np.zeros_like(v) for k, v in params.items()}
        for key in params:
            if self.rho is None:
                self.h[key] += grads[key] * grads[key]
            else:
                self.h[key] = self.rho * self.h[key] + (1 - self.rho) * grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)


class BookAdam:
    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999):
        self.lr, self.beta1, self.beta2, self.iter, self.m, self.v = lr, beta1, beta2, 0, None, None

    def update(self, params, grads):
        if self.m is None:
            self.m = {k: np.zeros_like(v) for k, v in params.items()}
            self.v = {k: np.zeros_like(v) for k, v in params.items()}
        self.iter += 1
        for key in params:
            self.m[key] += (1 - self.beta1) * (grads[key] - self.m[key])
            self.v[key] += (1 - self.beta2) * (grads[key] ** 2 - self.v[key])
            m_hat = self.m[key] / (1 - self.beta1**self.iter)
            v_hat = self.v[key] / (1 - self.beta2**self.iter)
            params[key] -= self.lr * m_hat / (np.sqrt(v_hat) + 1e-7)


def book_reference(surface):
    """The book's loop: params as arrays, recorded in Python lists."""
    makers = [BookSGD, BookMomentum, lambda: BookMomentum(nesterov=True), BookAdaGrad,
              lambda: BookAdaGrad(rho=0.99), BookAdam]
    for make in makers:
        opt = make()
        params = {"x": np.array([surface.start[0]]), "y": np.array([surface.start[1]])}
        xs, ys, fs = [], [], []
        for _ in range(STEPS + 1):
            x, y = float(params["x"][0]), float(params["y"][0])
            xs.append(x)
            ys.append(y)
            fs.append(float(surface.f(x, y)))
            gx, gy = surface.grad(x, y)
            opt.update(params, {"x": np.array([gx]), "y": np.array([gy])})


def ours(surface):
    specs = [Run(name, {"lr": 0.001}) for name in OPTIMIZERS]
    trajectory.run_many(surface, specs, steps=STEPS)


def median_ms(fn, surface, rounds=5):
    fn(surface)
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        fn(surface)
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


def main() -> None:
    print(f"{'surface':18s} {'optilab ms':>11s} {'/budget':>8s} {'book ms':>9s} {'speed-up':>9s}")
    worst = 0.0
    for name in surfaces.names():
        s = surfaces.get(name)
        t_ours = median_ms(ours, s)
        t_book = median_ms(book_reference, s)
        worst = max(worst, t_ours)
        print(f"{name:18s} {t_ours:11.1f} {t_ours / BUDGET_MS:8.2f} {t_book:9.1f} {t_book / t_ours:8.2f}×")
    print(f"worst case {worst:.1f} ms for 6 × {STEPS} steps = {worst / BUDGET_MS:.2f} of the {BUDGET_MS:.0f} ms budget")


if __name__ == "__main__":
    main()
