"""Weight snapshots of a training run, for the loss landscape (docs/landscape.md#recording).

A `Layout` says how the network's parameter arrays (`MLP.params`, in their
order) lie in one flat vector θ; `Snapshots` holds θ at chosen iterations as
the rows of one float32 matrix, so the landscape's PCA and projections are
single matrix operations.  The `Trainer` records them (`RunConfig.snapshots`
of them, evenly spaced, iteration 0 and the last included), bounded in
memory by `SNAPSHOT_BYTES` per run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

__all__ = ["SNAPSHOT_BYTES", "Layout", "Snapshots"]

#: The most bytes of snapshots one run keeps (fewer, evenly spaced, snapshots when more would not fit).
SNAPSHOT_BYTES = 64 * 2**20


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
