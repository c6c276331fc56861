"""A surface known only at grid samples: the loss landscape's slice as a `Surface` (docs/landscape.md#slice).

`sampled(landscape)` turns a sampled slice ``loss[i, j]`` = L(θ* + αᵢδ + βⱼη)
(`optilab.landscape.Landscape`, read by its fields: this layer sits below
it) into a surface the lab's views, player and numbers draw like any other.
Between the samples f is the **bilinear** interpolation of the four corners
of the cell (x = α, y = β):

    f(x, y) = (1−s)(1−t) f₀₀ + s(1−t) f₁₀ + (1−s)t f₀₁ + st f₁₁,
    s = (x − αᵢ)/(αᵢ₊₁ − αᵢ),  t = (y − βⱼ)/(βⱼ₊₁ − βⱼ),

with its exact gradient ∂f/∂x = [(1−t)(f₁₀ − f₀₀) + t(f₁₁ − f₀₁)]/(αᵢ₊₁ − αᵢ)
(and alike in y).  Bilinear rather than bicubic: inside a cell f stays
between the cell's four measured losses, so the map never shows a minimum
or a peak the grid did not measure (a cubic overshoots near the steep walls
of a real landscape), and it equals the samples on the grid.  Outside the
grid f is nan: a path is never extrapolated.  Newton's method is refused on
it (`no_hessian_reason`): in every cell f_xx = f_yy = 0, which says nothing of
the loss's curvature.

Colours are on a log scale when the finite losses span more than two decades
(max > 100·min with min > 0), as Li et al. draw steep landscapes.  A
landscape's ``levels`` (the loss range shared by the maps of one lesson)
replace its own losses in that decision and in the views' colour and height
ranges, so two maps of a lesson are both log or both linear and equal
colours mean equal losses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import Any, Protocol

import numpy as np

from optilab import messages

from .base import Surface

__all__ = ["FORMULA", "LOG_DECADES", "SampledSurface", "bilinear", "bilinear_gradient", "sampled", "spans_decades"]

#: The formula text of a sampled landscape.
FORMULA = "L(θ* + αδ + βη)"
BAD_GRID = messages.declare(
    "surfaces.sampled_grid", "a sampled landscape needs a loss grid of len(alphas)×len(betas) ≥ 2×2 "
    "values, got {shape} for {na} α and {nb} β")
NO_HESSIAN_REASON = messages.declare(
    "surfaces.sampled_no_hessian",
    "its bilinear interpolation has f_xx = f_yy = 0 in every cell, which is not the loss's curvature")
#: Log colours when max/min of the finite losses exceeds 10**LOG_DECADES.
LOG_DECADES = 2.0


class SampledGrid(Protocol):
    """What `sampled` reads of a `optilab.landscape.Landscape`."""

    @property
    def alphas(self) -> Any: ...
    @property
    def betas(self) -> Any: ...
    @property
    def loss(self) -> Any: ...
    @property
    def title(self) -> str: ...

    # and optionally ``levels``: (low, high) or None (`SampledSurface.levels`)


def spans_decades(loss: np.ndarray, decades: float = LOG_DECADES) -> bool:
    """Whether the finite values of ``loss`` are all > 0 and span more than ``decades`` powers of ten."""
    finite = loss[np.isfinite(loss)]
    if finite.size == 0 or float(finite.min()) <= 0.0:
        return False
    return float(finite.max()) > 10.0 ** decades * float(finite.min())


def _cells(axis: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per value: its cell i (axis[i] ≤ v ≤ axis[i+1]), the fraction s in it, whether v is on the grid."""
    inside = (v >= axis[0]) & (v <= axis[-1])
    i = np.clip(np.searchsorted(axis, v, side="right") - 1, 0, len(axis) - 2)
    with np.errstate(invalid="ignore"):
        s = (v - axis[i]) / (axis[i + 1] - axis[i])
    return i, s, inside


def _corners(alphas: np.ndarray, betas: np.ndarray, loss: np.ndarray, x: Any, y: Any) -> tuple:
    x, y = np.broadcast_arrays(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
    i, s, in_x = _cells(alphas, x)
    j, t, in_y = _cells(betas, y)
    corners = loss[i, j], loss[i + 1, j], loss[i, j + 1], loss[i + 1, j + 1]
    return i, j, s, t, in_x & in_y, corners


def _out(values: np.ndarray, inside: np.ndarray) -> Any:
    out = np.where(inside, values, np.nan)
    return float(out) if out.ndim == 0 else out


def bilinear(alphas: np.ndarray, betas: np.ndarray, loss: np.ndarray, x: Any, y: Any) -> Any:
    """f(x, y) by the bilinear formula of the module docstring (vectorised); nan off the grid."""
    _i, _j, s, t, inside, (f00, f10, f01, f11) = _corners(alphas, betas, loss, x, y)
    with np.errstate(invalid="ignore"):
        f = (1 - s) * (1 - t) * f00 + s * (1 - t) * f10 + (1 - s) * t * f01 + s * t * f11
    return _out(f, inside)


def bilinear_gradient(alphas: np.ndarray, betas: np.ndarray, loss: np.ndarray, x: Any, y: Any) -> tuple[Any, Any]:
    """(∂f/∂x, ∂f/∂y) of `bilinear` (constant along x within a cell row, and alike in y); nan off the grid."""
    i, j, s, t, inside, (f00, f10, f01, f11) = _corners(alphas, betas, loss, x, y)
    hx, hy = alphas[i + 1] - alphas[i], betas[j + 1] - betas[j]
    with np.errstate(invalid="ignore"):
        gx = ((1 - t) * (f10 - f00) + t * (f11 - f01)) / hx
        gy = ((1 - s) * (f01 - f00) + s * (f11 - f10)) / hy
    return _out(gx, inside), _out(gy, inside)


@dataclass(frozen=True)
class SampledSurface(Surface):
    """A `Surface` interpolated bilinearly from ``loss[i, j]`` at (``alphas[i]``, ``betas[j]``)."""

    alphas: np.ndarray = field(default_factory=lambda: np.zeros(2), repr=False)
    betas: np.ndarray = field(default_factory=lambda: np.zeros(2), repr=False)
    loss: np.ndarray = field(default_factory=lambda: np.zeros((2, 2)), repr=False)
    #: The loss range the views colour and lift by (shared by a lesson's maps); None: the samples' own.
    levels: tuple[float, float] | None = None

    def no_hessian_reason(self) -> messages.Message:
        """A bilinear patch has f_xx = f_yy = 0 in every cell: not the loss's curvature."""
        return NO_HESSIAN_REASON()

    def refined(self, n: int) -> tuple[int, int]:
        """The grid sizes of at least ``n`` points that hold every sample: (len − 1)·k + 1 per axis."""
        na, nb = self.loss.shape
        return -(-(n - 1) // (na - 1)) * (na - 1) + 1, -(-(n - 1) // (nb - 1)) * (nb - 1) + 1

    def grid(self, nx: int = 200, ny: int = 200) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """f on an nx × ny grid: the samples themselves at the native size, every sample among
        the points at a `refined` size (each cell cut into k equal parts), else evenly spaced."""
        (na, nb) = self.loss.shape
        if (nx - 1) % (na - 1) or (ny - 1) % (nb - 1):
            return super().grid(nx, ny)
        xs, ys = _refine(self.alphas, (nx - 1) // (na - 1)), _refine(self.betas, (ny - 1) // (nb - 1))
        X, Y = np.meshgrid(xs, ys, indexing="ij")
        return xs, ys, np.asarray(self.func(X, Y), dtype=float)


def _refine(axis: np.ndarray, k: int) -> np.ndarray:
    """``axis`` with each interval cut into ``k`` equal parts (the samples kept exactly)."""
    parts = axis[:-1, None] + np.diff(axis)[:, None] * (np.arange(k) / k)[None, :]
    return np.append(parts.ravel(), axis[-1])


def sampled(landscape: SampledGrid) -> SampledSurface:
    """The surface of a sampled slice: name "landscape", its title, domain the grid's extent,
    no known minima, start at θ* = (0, 0), log colours when the loss — or its ``levels``, when
    it has them — spans > 2 decades."""
    alphas = np.asarray(landscape.alphas, dtype=float)
    betas = np.asarray(landscape.betas, dtype=float)
    loss = np.asarray(landscape.loss, dtype=float)
    if loss.shape != (len(alphas), len(betas)) or len(alphas) < 2 or len(betas) < 2:
        raise BAD_GRID.error(shape="×".join(str(n) for n in loss.shape), na=len(alphas), nb=len(betas))
    shared = getattr(landscape, "levels", None)
    levels = None if shared is None else (float(shared[0]), float(shared[1]))
    return SampledSurface(
        name="landscape", title=str(landscape.title), formula=FORMULA,
        domain=(float(alphas[0]), float(alphas[-1]), float(betas[0]), float(betas[-1])),
        minima=(), start=(0.0, 0.0), log_color=spans_decades(loss if levels is None else np.array(levels)),
        func=partial(bilinear, alphas, betas, loss), gradient=partial(bilinear_gradient, alphas, betas, loss),
        alphas=alphas, betas=betas, loss=loss, levels=levels,
    )
