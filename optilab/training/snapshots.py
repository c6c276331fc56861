"""Weight snapshots of a training run, for the loss landscape (docs/landscape.md#recording).

A `Layout` says how the network's parameter arrays (`MLP.params`, in their
order) lie in one flat vector θ; `Snapshots` holds θ at chosen iterations as
the rows of one float32 matrix, so the landscape's PCA and projections are
single matrix operations.  The `Trainer` records them with a `Recorder`
(`RunConfig.snapshots` of them, evenly spaced, iteration 0 and the last
included), bounded in memory by `SNAPSHOT_BYTES` per run; a job of n runs
(the app's training process, an experiment) gives each min(`SNAPSHOT_BYTES`,
`JOB_SNAPSHOT_BYTES` / n) (`job_share`).

Sizes: one snapshot is 4·P bytes (float32).  The book's net 784-100×4-10 has
P = 109,810 parameters, so a snapshot is 439,240 B = 429 KiB, the default 40
of them 17.6 MB (16.8 MiB) a run, 41 of them 18.0 MB (17.2 MiB).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

__all__ = ["ITEM_BYTES", "JOB_SNAPSHOT_BYTES", "SNAPSHOT_BYTES", "Layout", "Recorder", "Snapshots", "job_share",
           "snapshot_count", "snapshot_iterations"]

#: The most bytes of snapshots one run keeps (fewer, evenly spaced, snapshots when more would not fit):
#: 64 MiB, 152 snapshots of the book's net (429 KiB each, P = 109,810 float32).
SNAPSHOT_BYTES = 64 * 2**20
#: The most bytes of snapshots one job of the app's training process keeps over all its runs
#: (each of n runs gets min(SNAPSHOT_BYTES, JOB_SNAPSHOT_BYTES / n)): 256 MiB, 611 snapshots of the book's net.
JOB_SNAPSHOT_BYTES = 256 * 2**20
#: Bytes of one stored weight (float32).
ITEM_BYTES = 4


@dataclass(frozen=True)
class Layout:
    """Where each parameter array lies in the flat vector: ``entries`` are
    ``(key, shape)`` in `MLP.params` order ("W1", "b1", …, "gamma1", "beta1", …)."""

    entries: tuple[tuple[str, tuple[int, ...]], ...]

    @classmethod
    def of(cls, params: Mapping[str, np.ndarray]) -> Layout:
        return cls(tuple((k, tuple(int(n) for n in v.shape)) for k, v in params.items()))

    @property
    def size(self) -> int:
        """P, the number of parameters."""
        return sum(int(np.prod(shape)) for _, shape in self.entries)

    def slices(self) -> dict[str, slice]:
        """key → the slice of the flat vector holding that array."""
        out, start = {}, 0
        for key, shape in self.entries:
            n = int(np.prod(shape))
            out[key] = slice(start, start + n)
            start += n
        return out

    def flatten(self, params: Mapping[str, np.ndarray], dtype: np.dtype | type = np.float32,
                out: np.ndarray | None = None) -> np.ndarray:
        """θ: the arrays of ``params`` (by this layout's keys) as one flat vector (written into ``out`` if given)."""
        vec = np.empty(self.size, dtype=dtype) if out is None else out
        for key, sl in self.slices().items():
            vec[sl] = np.asarray(params[key]).ravel()
        return vec

    def views(self, vec: np.ndarray) -> dict[str, np.ndarray]:
        """key → a view of ``vec`` (flat, or (..., P) stacked) shaped as that array."""
        lead = vec.shape[:-1]
        return {key: vec[..., sl].reshape(*lead, *shape)
                for (key, shape), sl in zip(self.entries, self.slices().values(), strict=True)}

    @staticmethod
    def kind(key: str) -> str:
        """"weight" (W…), "bias" (b…) or "bn" (gamma…, beta…): which the filter normalisation scales."""
        if key.startswith("W"):
            return "weight"
        return "bias" if key.startswith("b") and not key.startswith("beta") else "bn"


@dataclass(frozen=True, eq=False)
class Snapshots:
    """θ at ``iterations`` (k,), one row each of ``weights`` (k, P) float32, laid out by ``layout``.

    ``running``: the final net's batch-norm running statistics, one
    ``(running_mean, running_var)`` pair per BatchNorm layer in order (empty
    without batch norm) — what "keep θ*'s statistics" evaluates with.
    """

    iterations: np.ndarray
    weights: np.ndarray
    layout: Layout
    running: tuple[tuple[np.ndarray, np.ndarray], ...] = ()

    def __len__(self) -> int:
        return len(self.iterations)

    @property
    def nbytes(self) -> int:
        return int(self.weights.nbytes)

    @property
    def final(self) -> np.ndarray:
        """θ of the last snapshot (the run's final weights)."""
        return self.weights[-1]


def job_share(runs: int, job_bytes: int = JOB_SNAPSHOT_BYTES) -> int:
    """The snapshot bytes each of a job's ``runs`` may keep: min(`SNAPSHOT_BYTES`, ``job_bytes`` / runs)."""
    return min(SNAPSHOT_BYTES, int(job_bytes) // max(int(runs), 1))


def snapshot_count(wanted: int, n_params: int, budget: int = SNAPSHOT_BYTES) -> int:
    """How many snapshots of P = ``n_params`` weights a run keeps: ``wanted``, fewer when
    k·P·4 bytes would exceed ``budget`` (the one rule for the `Recorder` and `memory.estimate_bytes`)."""
    return max(0, min(int(wanted), int(budget) // max(ITEM_BYTES * int(n_params), 1)))


def snapshot_iterations(total_iterations: int, k: int) -> np.ndarray:
    """The k iterations recorded in a run of ``total_iterations`` steps: round(i·T/(k−1)),
    i = 0…k−1 — iteration 0 and T included, evenly spaced between (k = 1: T alone; at most T + 1)."""
    total = int(total_iterations)
    k = min(int(k), total + 1)
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    if k == 1:
        return np.array([total], dtype=np.int64)
    return np.unique(np.rint(np.linspace(0, total, k)).astype(np.int64))


class Recorder:
    """Keeps θ = `Layout.flatten`(params) at iterations chosen up front, into one preallocated
    (k, P) float32 matrix (no allocation per snapshot).

    The owner calls `record` after every step (cheap when nothing is due), and
    `snapshots` at the end: a run stopped early gets its weights where it
    stopped as the last row (row −1 is where the run ended); a diverged run's
    rows end before the step whose loss was not finite (docs/landscape.md#recording).
    """

    def __init__(self, layout: Layout, total_iterations: int, wanted: int, budget: int = SNAPSHOT_BYTES) -> None:
        self.layout = layout
        self.planned = snapshot_iterations(total_iterations, snapshot_count(wanted, layout.size, budget))
        self._weights = np.empty((len(self.planned), layout.size), dtype=np.float32)
        self._iterations = np.empty(len(self.planned), dtype=np.int64)
        self._filled = 0
        self._next: int | None = int(self.planned[0]) if len(self.planned) else None   # None: nothing more

    def record(self, iteration: int, params: Mapping[str, np.ndarray]) -> None:
        """Copy ``params`` into the next row if ``iteration`` is the next one planned."""
        if iteration == self._next:
            self._store(iteration, params)
            self._next = int(self.planned[self._filled]) if self._filled < len(self.planned) else None

    def _store(self, iteration: int, params: Mapping[str, np.ndarray]) -> None:
        self.layout.flatten(params, out=self._weights[self._filled])
        self._iterations[self._filled] = iteration
        self._filled += 1

    def snapshots(self, iteration: int, params: Mapping[str, np.ndarray] | None,
                  running: tuple[tuple[np.ndarray, np.ndarray], ...] = (), ended: bool = True) -> Snapshots | None:
        """The rows recorded; once the run has ``ended`` at ``iteration`` they end there with
        ``params`` (recorded now if that iteration was not planned).  ``params`` None: the run
        diverged at this state (its loss was not finite), so rows from ``iteration`` on are
        dropped and the snapshots end before the bad step.  Trailing rows that are not finite
        are dropped too.  None when none are kept."""
        if ended and len(self.planned):
            self._next = None                          # the run is over: nothing more is planned
            if params is None:
                while self._filled and self._iterations[self._filled - 1] >= iteration:
                    self._filled -= 1
            elif (not self._filled or self._iterations[self._filled - 1] != iteration) \
                    and self._filled < len(self.planned):
                self._store(iteration, params)
            while self._filled and not np.isfinite(self._weights[self._filled - 1]).all():
                self._filled -= 1
        n = self._filled
        if not n:
            return None
        return Snapshots(self._iterations[:n], self._weights[:n], self.layout,
                         tuple((np.array(m), np.array(v)) for m, v in running))
