"""A least-squares loss surface whose gradient noise is real sampling noise.

Data: N points ``x_i ~ U(0, 3)``, ``y_i = w_true·x_i + b_true + noise·ε_i`` with
``ε_i ~ N(0, 1)``, all drawn from ``numpy.random.default_rng(seed)``, so a seed
always gives the same data.  The parameters are (w, b) — the plot's x-axis is w,
its y-axis b — and the loss is the full-data mean squared error

    f(w, b) = 1/(2N) Σᵢ (w xᵢ + b − yᵢ)²
            = ½ (w²·⟨x²⟩ + 2wb·⟨x⟩ + b² − 2w·⟨xy⟩ − 2b·⟨y⟩ + ⟨y²⟩),

where ⟨·⟩ is the mean over the N points (the second line is the same sum
expanded, which evaluates in O(1) for any (w, b)).  Its gradient is

    ∂f/∂w = 1/N Σᵢ (w xᵢ + b − yᵢ) xᵢ = w⟨x²⟩ + b⟨x⟩ − ⟨xy⟩
    ∂f/∂b = 1/N Σᵢ (w xᵢ + b − yᵢ)    = w⟨x⟩ + b − ⟨y⟩

and its minimum is the least-squares solution of the normal equations
[[⟨x²⟩, ⟨x⟩], [⟨x⟩, 1]] (w, b) = (⟨xy⟩, ⟨y⟩); that matrix is also its Hessian
(constant, exact).  Methods that need f itself or its Hessian (Newton,
L-BFGS) are refused on a *sampled* variant, whose steps see minibatch
gradients only (`optilab.trajectory.run`).

A step's gradient (`LeastSquaresSurface.gradient_sample`) uses a minibatch of
``batch_size`` indices drawn with replacement (as the book's
``np.random.choice(N, batch)``): the same means taken over the batch only.
``batch_size = N`` is gradient descent, 1 is SGD, k is minibatch SGD; the
sampled gradient is an unbiased estimate of the full one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .base import Surface

__all__ = ["LeastSquaresSurface", "least_squares"]


@dataclass(frozen=True, eq=False)
class LeastSquaresSurface(Surface):
    """The least-squares surface over (w, b); build it with `least_squares`.

    Extra attributes: ``data_x``, ``data_y`` (read-only arrays of the N points),
    ``batch_size`` (points per sampled gradient), ``w_true``, ``b_true``,
    ``noise``, ``seed`` (how the data were made).
    """

    data_x: np.ndarray = field(default=None, repr=False)
    data_y: np.ndarray = field(default=None, repr=False)
    batch_size: int = 0
    w_true: float = 0.0
    b_true: float = 0.0
    noise: float = 0.0
    seed: int = 0

    def __post_init__(self) -> None:
        # Per-point moments x², x, xy, y: a minibatch's means are one fancy index + one sum.
        xs, ys = self.data_x, self.data_y
        table = np.column_stack([xs * xs, xs, xs * ys, ys])
        table.flags.writeable = False
        object.__setattr__(self, "_moments", table)

    @property
    def n_points(self) -> int:
        """N, the number of data points."""
        return len(self.data_x)

    @property
    def is_stochastic(self) -> bool:  # type: ignore[override]
        """True when a step sees fewer than all N points (SGD or minibatch)."""
        return self.batch_size < self.n_points

    @property
    def solution(self) -> tuple[float, float]:
        """The least-squares minimiser (w*, b*)."""
        return self.minima[0]

    def with_batch_size(self, batch_size: int | None) -> LeastSquaresSurface:
        """The same data and loss, sampled with another batch size (None = all N)."""
        return least_squares(
            n_points=self.n_points,
            batch_size=batch_size,
            noise=self.noise,
            seed=self.seed,
            w_true=self.w_true,
            b_true=self.b_true,
        )

    def gradient_sample(self, x: float, y: float, rng: np.random.Generator):
        """The minibatch gradient at (w, b) = (x, y), batch drawn with ``rng``.

        With B the batch (indices drawn with replacement) the gradient is
        ∂f/∂w ≈ w⟨x²⟩_B + b⟨x⟩_B − ⟨xy⟩_B and ∂f/∂b ≈ w⟨x⟩_B + b − ⟨y⟩_B.
        The full batch returns the exact gradient without touching ``rng``.
        """
        k = self.batch_size
        if k >= self.n_points:
            return self.gradient(x, y)
        if k == 1:
            # One point: the residual r = w xᵢ + b − yᵢ times (xᵢ, 1).
            i = int(rng.integers(self.n_points))
            xi = float(self.data_x[i])
            r = x * xi + y - float(self.data_y[i])
            return r * xi, r
        mean_xx, mean_x, mean_xy, mean_y = (
            self._moments[rng.integers(0, self.n_points, size=k)].sum(axis=0) / k
        ).tolist()
        return (
            x * mean_xx + y * mean_x - mean_xy,
            x * mean_x + y - mean_y,
        )



def least_squares(
    n_points: int = 100,
    batch_size: int | None = None,
    noise: float = 0.5,
    seed: int = 0,
    w_true: float = 2.0,
    b_true: float = -1.0,
) -> LeastSquaresSurface:
    """The least-squares surface f(w, b) = 1/(2N) Σ (w xᵢ + b − yᵢ)² on seeded data.

    ``batch_size`` None (or N) gives gradient descent, 1 SGD, k minibatch SGD;
    every batch size with the same other arguments sees the same data.  The
    domain is centred on the least-squares solution (w*, b*) with half-width 4;
    the start is (w* − 3, b* + 3).
    """
    if isinstance(n_points, bool) or not isinstance(n_points, (int, np.integer)) or n_points < 2:
        raise ValueError(f"n_points must be an integer >= 2, got {n_points!r}")
    n_points = int(n_points)
    if batch_size is None:
        batch_size = n_points
    if (
        isinstance(batch_size, bool)
        or not isinstance(batch_size, (int, np.integer))
        or not 1 <= batch_size <= n_points
    ):
        raise ValueError(
            f"batch_size must be an integer from 1 to n_points={n_points} (or None), "
            f"got {batch_size!r}"
        )
    batch_size = int(batch_size)
    for label, value in (("noise", noise), ("w_true", w_true), ("b_true", b_true)):
        if not math.isfinite(value):
            raise ValueError(f"{label} must be finite, got {value!r}")
    if noise < 0:
        raise ValueError(f"noise must be >= 0, got {noise!r}")

    rng = np.random.default_rng(seed)
    xs = rng.uniform(0.0, 3.0, size=n_points)
    ys = w_true * xs + b_true + noise * rng.standard_normal(n_points)
    xs.flags.writeable = False
    ys.flags.writeable = False

    # Means ⟨x²⟩, ⟨x⟩, ⟨xy⟩, ⟨y⟩, ⟨y²⟩ as Python floats: the loss and gradient
    # below are then cheap on scalars and still vectorised on arrays.
    sxx = float(np.mean(xs * xs))
    sx = float(np.mean(xs))
    sxy = float(np.mean(xs * ys))
    sy = float(np.mean(ys))
    syy = float(np.mean(ys * ys))

    def loss(w, b):
        """f = ½(w²⟨x²⟩ + 2wb⟨x⟩ + b² − 2w⟨xy⟩ − 2b⟨y⟩ + ⟨y²⟩)."""
        return 0.5 * (w * w * sxx + 2.0 * w * b * sx + b * b - 2.0 * w * sxy - 2.0 * b * sy + syy)

    def gradient(w, b):
        """∇f = (w⟨x²⟩ + b⟨x⟩ − ⟨xy⟩, w⟨x⟩ + b − ⟨y⟩)."""
        return w * sxx + b * sx - sxy, w * sx + b - sy

    def curvature(w, b):
        """∇²f = [[⟨x²⟩, ⟨x⟩], [⟨x⟩, 1]] (constant: the normal equations' matrix, exact for every batch size)."""
        return sxx + 0.0 * w, sx + 0.0 * w, 1.0 + 0.0 * b

    # Normal equations [[⟨x²⟩, ⟨x⟩], [⟨x⟩, 1]] (w, b) = (⟨xy⟩, ⟨y⟩), solved by Cramer's rule.
    det = sxx - sx * sx  # the variance of x, > 0 unless all xᵢ are equal
    w_star = (sxy - sx * sy) / det
    b_star = sy - w_star * sx

    if batch_size == n_points:
        kind = "GD, all points"
    elif batch_size == 1:
        kind = "SGD, 1 point"
    else:
        kind = f"minibatch of {batch_size}"
    return LeastSquaresSurface(
        name="least-squares",
        title=f"Least squares ({kind})",
        formula="1/(2N) * sum((w*x_i + b - y_i)**2)",
        domain=(w_star - 4.0, w_star + 4.0, b_star - 4.0, b_star + 4.0),
        minima=((w_star, b_star),),
        start=(w_star - 3.0, b_star + 3.0),
        log_color=False,
        func=loss,
        gradient=gradient,
        curvature=curvature,
        data_x=xs,
        data_y=ys,
        batch_size=batch_size,
        w_true=float(w_true),
        b_true=float(b_true),
        noise=float(noise),
        seed=seed,
    )

