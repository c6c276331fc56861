"""The MLP's loss at many weight vectors at once: the slice and the interpolation's numerics.

L(θ) = mean cross-entropy + ½λΣ‖W‖², exactly as `MLP.loss(x, t, train=False)`
(dropout off, the run's activation and weight decay λ), evaluated for a
whole chunk of parameter vectors per matrix product (docs/landscape.md#slice):

* on a plane the first layer is linear in (α, β):
  X(W₁* + αD₁ + βE₁) + (b₁* + αd + βe) = A + αB + βC, three products once,
  then one elementwise sum per grid point;
* deeper layers are stacked products (G, N, h) @ (G, h, h') over G points,
  G chosen so a chunk's activations stay under `CHUNK_BYTES`.

Batch norm: ``bn_stats="keep"`` normalises with θ*'s running statistics
(what `MLP.loss(train=False)` does); ``"recompute"`` with the statistics of
the evaluation images themselves at each point (the layer's train-mode
forward over the whole subset, biased variance — what recomputing the
running statistics with a full pass gives, as Li et al. 2018 do).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence

import numpy as np

from optilab import messages
from optilab.nn.layers import BatchNorm, Layer
from optilab.nn.mlp import make_activation
from optilab.training.config import RunConfig
from optilab.training.snapshots import Layout

from .types import Plane, cancelled

__all__ = ["CHUNK_BYTES", "LossEvaluator", "interpolate", "plane_points", "slice_of"]

#: The most bytes of activations one chunk of grid points holds.
CHUNK_BYTES = 64 * 2**20

#: The batch-norm layer's ε (declared once, in `BatchNorm`).
BN_EPS: float = inspect.signature(BatchNorm.__init__).parameters["eps"].default

NO_RUNNING = messages.declare(
    "landscape.no_running",
    "bn_stats 'keep' needs the final batch-norm running statistics of the run ({layers} layers), "
    "which it did not keep; use bn_stats 'recompute'")
BAD_BN_STATS = messages.declare("landscape.bad_bn_stats", "bn_stats must be 'recompute' or 'keep', got {value}")

Progress = Callable[[int, int], None] | None
Cancel = Callable[[], bool] | None


def plane_points(plane: Plane, alphas: np.ndarray, betas: np.ndarray, dtype: np.dtype | type = np.float64
                 ) -> np.ndarray:
    """θ(αᵢ, βᵢ) = origin + αᵢ·d1 + βᵢ·d2 for paired coordinates, one row each (docs/landscape.md#slice)."""
    a = np.asarray(alphas, np.float64)[:, None]
    b = np.asarray(betas, np.float64)[:, None]
    pts = np.asarray(plane.origin, np.float64) + a * np.asarray(plane.d1, np.float64)
    pts += b * np.asarray(plane.d2, np.float64)
    return pts.astype(dtype, copy=False)


def _walk(alphas: np.ndarray, betas: np.ndarray, values: Callable[[np.ndarray, np.ndarray], np.ndarray],
          chunk: int, progress: Progress, cancel: Cancel) -> np.ndarray:
    """The grid out[i, j] = values(alphas[i], betas[j]), ``chunk`` points per call, row-major;
    ``cancel()`` polled before each chunk, ``progress(done, total)`` after it."""
    aa, bb = (g.ravel() for g in np.meshgrid(np.asarray(alphas, np.float64), np.asarray(betas, np.float64),
                                             indexing="ij"))
    total = aa.size
    out = np.empty(total, dtype=np.float64)
    for start in range(0, total, max(1, int(chunk))):
        if cancel is not None and cancel():
            raise cancelled()
        stop = min(start + chunk, total)
        out[start:stop] = values(aa[start:stop], bb[start:stop])
        if progress is not None:
            progress(stop, total)
    return out.reshape(len(alphas), len(betas))


def slice_of(f: Callable[[np.ndarray], np.ndarray], plane: Plane, alphas: np.ndarray, betas: np.ndarray, *,
             chunk: int = 64, progress: Progress = None, cancel: Cancel = None) -> np.ndarray:
    """loss[i, j] = f(origin + alphas[i]·d1 + betas[j]·d2) for any f mapping (G, P) → (G,)
    (docs/landscape.md#slice); f is called with ``chunk`` points at a time."""
    return _walk(alphas, betas, lambda a, b: np.asarray(f(plane_points(plane, a, b)), np.float64),
                 chunk, progress, cancel)


def _cross_entropy(scores: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Mean over the images of −log softmax(s)ₜ for each of G stacked (N, K) scores (as `SoftmaxWithLoss`):
    z = s − max s,  −log yₜ = log Σⱼ exp zⱼ − zₜ;  the mean accumulated in float64."""
    scores -= scores.max(axis=2, keepdims=True)                       # z = s − max(s)
    picked = np.take_along_axis(scores, t[None, :, None], axis=2)[..., 0]   # zₜ
    np.exp(scores, out=scores)
    lse = np.log(scores.sum(axis=2))                                  # log Σⱼ exp zⱼ
    lse -= picked
    return np.asarray(np.mean(lse, axis=1, dtype=np.float64))


class LossEvaluator:
    """The loss of ``config``'s MLP with many parameter vectors (laid out by ``layout``) on images ``x``, ``t``.

    The network's shape comes from ``layout`` (W1, b1, …, Wn, bn, gamma…, beta…),
    its activation, weight decay and dtype from ``config``.  ``running`` are
    θ*'s batch-norm running (mean, var) pairs, needed for ``bn_stats="keep"``.
    """

    def __init__(self, config: RunConfig, layout: Layout, x: np.ndarray, t: np.ndarray,
                 running: Sequence[tuple[np.ndarray, np.ndarray]] = (), bn_stats: str = "recompute") -> None:
        if bn_stats not in ("recompute", "keep"):
            raise BAD_BN_STATS.error(value=repr(bn_stats))
        self.config, self.layout = config, layout
        self.dtype = np.dtype(config.dtype)
        shapes = dict(layout.entries)
        self.n_layers = sum(1 for key in shapes if key.startswith("W"))
        self.batchnorm = "gamma1" in shapes
        self.x = np.ascontiguousarray(x, dtype=self.dtype)
        self.t = np.asarray(t).astype(np.intp, copy=False)
        if self.x.ndim != 2 or self.x.shape[1] != shapes["W1"][0] or len(self.t) != len(self.x):
            raise ValueError(f"images must be (N, {shapes['W1'][0]}) with N labels, got {self.x.shape}, "
                             f"{self.t.shape}")
        self.bn_stats = bn_stats
        self.running: list[tuple[np.ndarray, np.ndarray]] = []
        if self.batchnorm and bn_stats == "keep":
            if len(running) != self.n_layers - 1:
                raise NO_RUNNING.error(layers=self.n_layers - 1)
            self.running = [(np.asarray(m, self.dtype), np.asarray(v, self.dtype)) for m, v in running]
        self.lam = float(config.weight_decay)
        self.slices = layout.slices()
        self._acts: list[Layer] = [make_activation(config.activation) for _ in range(self.n_layers - 1)]
        widest = max(shape[-1] for key, shape in layout.entries if key.startswith("W"))
        self.chunk = max(1, CHUNK_BYTES // (4 * len(self.x) * widest * self.dtype.itemsize))
        self._eps = self.dtype.type(BN_EPS)

    # ------------------------------------------------------------------ layers
    def _batchnorm(self, z: np.ndarray, i: int, gamma: np.ndarray, beta: np.ndarray) -> np.ndarray:
        """x̂ = (z − μ)/√(σ² + ε), y = γx̂ + β per point (as `BatchNorm.forward`): μ, σ² of the images
        themselves ("recompute", biased variance) or θ*'s running ones ("keep")."""
        if self.bn_stats == "keep":
            mu, var = self.running[i]
            z -= mu
        else:
            z -= z.mean(axis=1, keepdims=True)                          # z − μ
            var = np.mean(z * z, axis=1, keepdims=True)                # σ²
        z /= np.sqrt(var + self._eps)                                  # x̂
        z *= gamma[:, None, :]
        z += beta[:, None, :]                                          # γx̂ + β
        return z

    def _losses_from(self, z: np.ndarray, p: Callable[[str], np.ndarray]) -> np.ndarray:
        """Cross-entropy of G points given layer 1's pre-activations z (G, N, h₁) and ``p(key)``,
        each point's arrays of the deeper layers stacked (G, …)."""
        for i in range(2, self.n_layers + 1):                          # hidden layer i−1, then Affine i
            if self.batchnorm:
                z = self._batchnorm(z, i - 2, p(f"gamma{i - 1}"), p(f"beta{i - 1}"))
            z = np.matmul(self._acts[i - 2].forward(z), p(f"W{i}"))     # h(z) W
            z += p(f"b{i}")[:, None, :]                                 # + b
        return _cross_entropy(z, self.t)

    def _penalty(self, thetas: np.ndarray) -> np.ndarray:
        """½λΣ‖W‖² of each row (float64)."""
        if self.lam == 0.0:
            return np.zeros(len(thetas))
        total = sum(np.einsum("gi,gi->g", w, w, dtype=np.float64) for w in
                    (thetas[:, sl] for key, sl in self.slices.items() if key.startswith("W")))
        return 0.5 * self.lam * np.asarray(total, np.float64)

    # ------------------------------------------------------------------ public
    def losses(self, thetas: np.ndarray) -> np.ndarray:
        """L(θ) of each row of ``thetas`` (G, P), float64 (docs/landscape.md#slice)."""
        thetas = np.atleast_2d(np.asarray(thetas))
        if thetas.shape[1] != self.layout.size:
            raise ValueError(f"parameter vectors must have {self.layout.size} entries, got {thetas.shape[1]}")
        out = np.empty(len(thetas), dtype=np.float64)
        for start in range(0, len(thetas), self.chunk):
            block = np.ascontiguousarray(thetas[start:start + self.chunk], dtype=self.dtype)
            views = self.layout.views(block)
            z = np.matmul(self.x, views["W1"])                          # X W₁ for each point
            z += views["b1"][:, None, :]
            out[start:start + len(block)] = self._losses_from(z, views.__getitem__) + self._penalty(block)
        return out

    def plane_losses(self, plane: Plane, alphas: np.ndarray, betas: np.ndarray,
                     progress: Progress = None, cancel: Cancel = None) -> np.ndarray:
        """loss[i, j] = L(origin + alphas[i]·d1 + betas[j]·d2) (docs/landscape.md#slice), several grid
        points per matrix product: layer 1 as A + αB + βC, the rest stacked."""
        o, d1, d2 = (np.asarray(v, np.float64) for v in (plane.origin, plane.d1, plane.d2))
        w1, b1 = self.slices["W1"], self.slices["b1"]
        shape = dict(self.layout.entries)["W1"]

        def first(v: np.ndarray) -> np.ndarray:                        # X W + b of one flat vector
            return self.x @ v[w1].reshape(shape).astype(self.dtype) + v[b1].astype(self.dtype)

        A, B, C = first(o), first(d1), first(d2)
        keys = [k for k, _ in self.layout.entries if k not in ("W1", "b1")]
        weights = [sl for k, sl in self.slices.items() if k.startswith("W")]
        dots = {(u, v): sum(float(x[sl] @ y[sl]) for sl in weights)       # Σ over W of u·v
                for u, x in (("o", o), ("d", d1), ("e", d2)) for v, y in (("o", o), ("d", d1), ("e", d2))}
        shapes = dict(self.layout.entries)

        def values(a: np.ndarray, b: np.ndarray) -> np.ndarray:
            z = A[None] + a.astype(self.dtype)[:, None, None] * B[None]
            z += b.astype(self.dtype)[:, None, None] * C[None]
            stacked = {k: (o[self.slices[k]] + a[:, None] * d1[self.slices[k]] + b[:, None] * d2[self.slices[k]]
                           ).astype(self.dtype).reshape(len(a), *shapes[k]) for k in keys}
            loss = self._losses_from(z, stacked.__getitem__)
            if self.lam:   # ½λ‖o + αd + βe‖², expanded
                sq = (dots["o", "o"] + 2 * a * dots["o", "d"] + 2 * b * dots["o", "e"] + a * a * dots["d", "d"]
                      + 2 * a * b * dots["d", "e"] + b * b * dots["e", "e"])
                loss = loss + 0.5 * self.lam * sq
            return loss

        return _walk(alphas, betas, values, self.chunk, progress, cancel)


def interpolate(config: RunConfig, layout: Layout, theta_a: np.ndarray, theta_b: np.ndarray, ts: np.ndarray,
                x: np.ndarray, t: np.ndarray, running: Sequence[tuple[np.ndarray, np.ndarray]] = (),
                bn_stats: str = "recompute") -> np.ndarray:
    """L((1 − t)·θa + t·θb) for each t of ``ts`` (docs/landscape.md#interpolation; Goodfellow et al. 2015,
    as Li et al. 2018 §3 recall), batch-norm statistics recomputed at each point by default."""
    ts = np.asarray(ts, np.float64)[:, None]
    a, b = np.asarray(theta_a, np.float64), np.asarray(theta_b, np.float64)
    return LossEvaluator(config, layout, x, t, running, bn_stats).losses((1.0 - ts) * a + ts * b)
