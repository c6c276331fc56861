"""The `Surface` interface every loss surface implements.

A surface is a function f(x, y) with its analytic gradient (and, where it has
one, its exact Hessian, for Newton's method), a plotting domain, its known
minima, a good start point and whether its colours should be drawn on a log
scale (for surfaces spanning many decades).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from optilab import messages

ArrayLike = "float | np.ndarray"

NO_HESSIAN = messages.declare(
    "surfaces.no_hessian",
    "{surface} has no exact Hessian ({reason}); Newton's method needs one: choose another optimizer")
#: Why a surface without ``curvature`` has none (its ``no_hessian`` text).
NO_HESSIAN_REASON = messages.declare("surfaces.no_hessian_reason", "none was derived for it")


@dataclass(frozen=True)
class Surface:
    """A 2-D loss surface.

    Attributes:
        name: registry key, e.g. ``"bowl"``.
        title: human title, e.g. ``"Bowl (book)"``.
        formula: the formula as text, e.g. ``"x**2/20 + y**2"``.
        domain: ``(xmin, xmax, ymin, ymax)`` for plotting.
        minima: known minimisers ``((x, y), ...)``; empty for saddles.
        start: a good default start point.
        log_color: colour on a log scale (Beale, Rosenbrock, Goldstein–Price).
        func: vectorised ``f(x, y)`` on floats or same-shape arrays.
        gradient: vectorised analytic ``(df/dx, df/dy)``.
        curvature: vectorised exact second derivatives ``(f_xx, f_xy, f_yy)``,
            or None where the surface has no exact Hessian (`hessian` refuses).
    """

    name: str
    title: str
    formula: str
    domain: tuple[float, float, float, float]
    minima: tuple[tuple[float, float], ...]
    start: tuple[float, float]
    log_color: bool
    func: Callable = field(repr=False)
    gradient: Callable = field(repr=False)
    curvature: Callable | None = field(default=None, repr=False)

    #: True where a step's gradient is sampled (see `gradient_sample`).
    is_stochastic = False

    def f(self, x, y):
        """f(x, y), vectorised."""
        return self.func(x, y)

    def grad(self, x, y):
        """The exact gradient (∂f/∂x, ∂f/∂y), vectorised."""
        return self.gradient(x, y)

    @property
    def has_hessian(self) -> bool:
        """Whether `hessian` is exact here (Newton's method can run on this surface)."""
        return self.curvature is not None

    def no_hessian_reason(self) -> messages.Message:
        """Why this surface has no exact Hessian (a subclass says its own reason)."""
        return NO_HESSIAN_REASON()

    def hessian(self, x, y) -> np.ndarray:
        """The exact Hessian ∇²f = [[f_xx, f_xy], [f_xy, f_yy]] at (x, y): shape (2, 2), or
        (2, 2, *shape) for arrays; `NO_HESSIAN` (one line) where the surface has none."""
        if self.curvature is None:
            raise NO_HESSIAN.error(surface=self.title, reason=self.no_hessian_reason())
        fxx, fxy, fyy = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in self.curvature(x, y)),
                                            np.asarray(x, dtype=float), np.asarray(y, dtype=float))[:3]
        return np.array([[fxx, fxy], [fxy, fyy]], dtype=float)

    def gradient_sample(self, x: float, y: float, rng: np.random.Generator):
        """The gradient an optimizer sees at one step.

        Deterministic surfaces return `grad`; the stochastic least-squares
        surface overrides this to use a minibatch drawn with ``rng``.
        """
        return self.gradient(x, y)

    def defined_at(self, x: float, y: float) -> bool:
        """Whether f(x, y) is a finite number — a start point must be (log(x) is not at x < 0)."""
        if not (math.isfinite(x) and math.isfinite(y)):
            return False
        with np.errstate(all="ignore"):
            value = np.asarray(self.func(np.float64(x), np.float64(y)), dtype=float)
        return bool(value.size == 1 and np.isfinite(value).all())

    def grid(self, nx: int = 200, ny: int = 200):
        """Sample f over the domain: returns ``(xs, ys, Z)`` with ``Z[i, j] = f(xs[i], ys[j])``."""
        xmin, xmax, ymin, ymax = self.domain
        xs = np.linspace(xmin, xmax, nx)
        ys = np.linspace(ymin, ymax, ny)
        X, Y = np.meshgrid(xs, ys, indexing="ij")
        with np.errstate(all="ignore"):
            Z = np.asarray(self.func(X, Y), dtype=float) * np.ones_like(X)
        return xs, ys, Z
