"""Display preparation of the training curves (pure numpy, no Qt).

The debiased EMA that smooths the loss curve (`ema_debiased`), growable
arrays, the peak envelope that keeps a long curve's drawing bounded, and the
rule that keeps one blown-up run from flattening the loss axis
(`loss_axis_top`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

#: Accuracy curves show at most this many markers each (every k-th evaluation): with one per
#: epoch, 201 markers hid the dashed/dotted/solid line styles that tell train from test.
MAX_MARKERS = 12
def marker_stride(n: int, most: int = MAX_MARKERS) -> int:
    """Every how many points a curve of ``n`` points gets a marker, so it has at most ``most``."""
    return max(1, math.ceil(n / most))


#: The loss axis reaches at most this many times the median starting loss of the runs drawn:
#: a run that blows up (×1e27) leaves the top of the plot instead of flattening every curve.
LOSS_HEADROOM = 3.0


def ema_debiased(values: np.ndarray, beta: float, state: tuple[float, int] = (0.0, 0)
                 ) -> tuple[np.ndarray, tuple[float, int]]:
    """Exponential moving average with bias correction (as TensorBoard's smoothing).

    s_k = β s_{k−1} + (1 − β) x_k with s_0 = 0, shown as ŝ_k = s_k / (1 − β^k).
    ``state`` = (s, k) after the values seen so far, so a growing curve is
    smoothed incrementally: pass the returned state with the next chunk.
    β = 0 returns the values unchanged.  Vectorised: within a block,
    s_k = β^k (s_0 + (1−β) Σ_{j≤k} β^{−j} x_j), with blocks short enough that
    β^{−j} stays far from overflow.
    """
    x = np.asarray(values, dtype=np.float64)
    s, k = float(state[0]), int(state[1])
    if not 0.0 <= beta < 1.0:
        raise ValueError(f"smoothing must be in [0, 1), got {beta!r}")
    if len(x) == 0:
        return x.copy(), (s, k)
    if beta == 0.0:
        return x.copy(), (float(x[-1]), k + len(x))
    block = max(1, min(len(x), int(200.0 / -math.log10(beta))))
    out = np.empty_like(x)
    for start in range(0, len(x), block):
        chunk = x[start:start + block]
        j = np.arange(1, len(chunk) + 1, dtype=np.float64)
        powers = beta ** j                                   # β^j
        raw = powers * (s + (1.0 - beta) * np.cumsum(chunk / powers))
        out[start:start + len(chunk)] = raw / (1.0 - beta ** (k + j))   # debias: / (1 − β^k)
        s, k = float(raw[-1]), k + len(chunk)
    return out, (s, k)


class Growable:
    """A 1-D float array that grows by doubling; `view()` is the filled part."""

    __slots__ = ("data", "n")

    def __init__(self, capacity: int = 1024) -> None:
        self.data = np.empty(capacity, dtype=np.float64)
        self.n = 0

    def extend(self, values: np.ndarray) -> None:
        m = len(values)
        if self.n + m > len(self.data):
            grown = np.empty(max(2 * len(self.data), self.n + m), dtype=np.float64)
            grown[: self.n] = self.data[: self.n]
            self.data = grown
        self.data[self.n:self.n + m] = values
        self.n += m

    def view(self) -> np.ndarray:
        return self.data[: self.n]

    def clear(self) -> None:
        self.n = 0


class PeakEnvelope:
    """Min and max per bin of a growing series: what a curve of any length needs on screen.

    Points go into bins of consecutive samples, one bin per point while
    there are at most ``max_bins``; beyond that, neighbouring bins merge
    (each bin then covers twice as many points), so appending costs the new
    points plus, rarely, one pass over ``max_bins`` bins, and `xy` returns at
    most 2·``max_bins`` points plus the unfinished bin — the curve drawn stays
    the same size at 10⁶ points as at 10⁴.  As pyqtgraph's "peak"
    downsampling, each bin is drawn at its first x as a vertical stroke from
    its min to its max; NaN is ignored within a bin.
    """

    def __init__(self, max_bins: int = 2048) -> None:
        self.max_bins = int(max_bins)
        self.size = 1                        # points per complete bin (merges double it)
        self._x, self._lo, self._hi = Growable(), Growable(), Growable()
        self._tail_x = np.zeros(0)
        self._tail_y = np.zeros(0)

    def clear(self) -> None:
        self.__init__(self.max_bins)

    def extend(self, x: np.ndarray, y: np.ndarray) -> None:
        """Append points (x increasing)."""
        xs = np.concatenate([self._tail_x, np.asarray(x, dtype=np.float64)])
        ys = np.concatenate([self._tail_y, np.asarray(y, dtype=np.float64)])
        k = len(xs) // self.size
        if k:
            m = k * self.size
            bins = ys[:m].reshape(k, self.size)
            self._x.extend(xs[:m:self.size])
            self._lo.extend(np.fmin.reduce(bins, axis=1))
            self._hi.extend(np.fmax.reduce(bins, axis=1))
        self._tail_x, self._tail_y = xs[k * self.size:], ys[k * self.size:]
        while self._x.n > self.max_bins:
            self._merge()

    def _merge(self) -> None:
        """Pair neighbouring bins (an odd last bin stays as it is)."""
        n = self._x.n
        m = n - n % 2
        x, lo, hi = self._x.view(), self._lo.view(), self._hi.view()
        merged = (x[0:m:2], np.fmin(lo[0:m:2], lo[1:m:2]), np.fmax(hi[0:m:2], hi[1:m:2]))
        rest = (x[m:n].copy(), lo[m:n].copy(), hi[m:n].copy())
        for grow, a, b in zip((self._x, self._lo, self._hi), merged, rest, strict=False):
            a = a.copy()
            grow.clear()
            grow.extend(a)
            grow.extend(b)
        self.size *= 2

    def xy(self) -> tuple[np.ndarray, np.ndarray]:
        """The points to draw: the data itself while no bins merged, else the envelope."""
        if self.size == 1:
            return (np.concatenate([self._x.view(), self._tail_x]),
                    np.concatenate([self._lo.view(), self._tail_y]))
        n = self._x.n
        x = np.empty(2 * n + len(self._tail_x))
        y = np.empty_like(x)
        x[0:2 * n:2] = x[1:2 * n:2] = self._x.view()
        y[0:2 * n:2] = self._lo.view()
        y[1:2 * n:2] = self._hi.view()
        x[2 * n:], y[2 * n:] = self._tail_x, self._tail_y
        return x, y


def finite_max(values: np.ndarray) -> float:
    """The largest finite value (0 when there is none)."""
    finite = values[np.isfinite(values)]
    return float(finite.max()) if finite.size else 0.0


def loss_axis_top(first_losses: list[float], tops: list[float]) -> float:
    """The top of the loss axis: the largest finite loss drawn, at most `LOSS_HEADROOM` × the
    median of the runs' finite first losses (0 when nothing finite is drawn)."""
    top = max((t for t in tops if math.isfinite(t)), default=0.0)
    starts = [f for f in first_losses if math.isfinite(f) and f > 0]
    if starts:
        top = min(top, LOSS_HEADROOM * float(np.median(starts)))
    return top


# -- one run's curves ----------------------------------------------------------

@dataclass
class RunCurves:
    """A run's data and its plot items (created once, updated with setData)."""

    index: int
    label: str
    color: str
    iters_per_epoch: int = 1
    color_index: int = 0
    first_loss: float = math.nan        # the first finite loss (sets how high the loss axis may go)
    it: Growable = field(default_factory=Growable)
    loss: Growable = field(default_factory=Growable)
    smooth: Growable = field(default_factory=Growable)
    lr: Growable = field(default_factory=Growable)
    ev_it: Growable = field(default_factory=lambda: Growable(64))
    train: Growable = field(default_factory=lambda: Growable(64))
    val: Growable = field(default_factory=lambda: Growable(64))
    test: Growable = field(default_factory=lambda: Growable(64))
    ema_state: tuple[float, int] = (0.0, 0)
    # What is drawn of the step curves (bounded size at any length).
    raw_env: PeakEnvelope = field(default_factory=PeakEnvelope)
    smooth_env: PeakEnvelope = field(default_factory=PeakEnvelope)
    lr_env: PeakEnvelope = field(default_factory=PeakEnvelope)
    loss_top: float = 0.0                # largest finite loss so far
    lr_top: float = 0.0                  # largest finite η so far
    items: dict[str, Any] = field(default_factory=dict)
    visible: bool = True
    status: str = "running"
    diverged_at: int | None = None
    group: str | None = None             # the label whose seeds it belongs to (drawn as their band)

    @property
    def has_val(self) -> bool:
        return self.val.n > 0 and bool(np.isfinite(self.val.view()).any())
