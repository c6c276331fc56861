"""The MLP's loss at many weight vectors at once: the slice and the interpolation's numerics.

L(θ) = mean cross-entropy + ½λΣ‖W‖², exactly as `MLP.loss(x, t, train=False)`
(dropout off, the run's activation and weight decay λ), evaluated for a
whole chunk of parameter vectors per matrix product (docs/landscape.md#slice):

* on a plane the first layer is linear in (α, β):
  X(W₁* + αD₁ + βE₁) + (b₁* + αd + βe) = A + αB + βC, three products once,
  then for a chunk of G points one product (G, 3) @ (3, N·h₁) of (1, α, β);
* deeper layers are stacked products (G, N, h) @ (G, h, h') over G points,
  G chosen so a chunk's activations stay under `CHUNK_BYTES`, into buffers
  allocated once, the activations applied in place (forward only: no masks
  kept for a backward pass).

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
from optilab.nn.layers import BatchNorm, LeakyReLU
from optilab.nn.mlp import make_activation
from optilab.training.config import RunConfig
from optilab.training.snapshots import Layout

from .directions import column_blocks
from .types import SETTINGS, Plane, cancelled

__all__ = ["CHUNK_BYTES", "LossEvaluator", "interpolate", "plane_points", "slice_of"]

#: The most bytes of activations one chunk of grid points holds: 4–8 points of the 784-100×4-10 net
#: on 2,000 images, measured fastest here (1.4× the points per second of 64 MB chunks: the chunk's
#: layers stay in the processor's cache between one product and the next).
CHUNK_BYTES = 16 * 2**20

#: The batch-norm layer's ε (declared once, in `BatchNorm`).
BN_EPS: float = inspect.signature(BatchNorm.__init__).parameters["eps"].default

NO_RUNNING = messages.declare(
    "landscape.no_running",
    "bn_stats 'keep' needs the final batch-norm running statistics of the run ({layers} layers), "
    "which it did not keep; use bn_stats 'recompute'")

Progress = Callable[[int, int], None] | None
Cancel = Callable[[], bool] | None


def plane_points(plane: Plane, alphas: np.ndarray, betas: np.ndarray, dtype: np.dtype | type = np.float64
                 ) -> np.ndarray:
    """θ(αᵢ, βᵢ) = origin + αᵢ·d1 + βᵢ·d2 for paired coordinates, one row each, summed in float64
    (docs/landscape.md#slice)."""
    a = np.asarray(alphas, np.float64)[:, None]
    b = np.asarray(betas, np.float64)[:, None]
    o, d1, d2 = (np.asarray(v, np.float64) for v in (plane.origin, plane.d1, plane.d2))
    out = np.empty((len(a), o.size), dtype=dtype)
    for cols in column_blocks(o.size):
        out[:, cols] = o[cols] + a * d1[cols] + b * d2[cols]
    return out


def _chunked(total: int, chunk: int, values: Callable[[int, int], np.ndarray],
             progress: Progress, cancel: Cancel) -> np.ndarray:
    """out[start:stop] = values(start, stop) over 0…total in steps of ``chunk``; ``cancel()`` polled
    before each step (`Cancelled`), ``progress(done, total)`` after it."""
    out = np.empty(total, dtype=np.float64)
    chunk = max(1, int(chunk))
    for start in range(0, total, chunk):
        if cancel is not None and cancel():
            raise cancelled()
        stop = min(start + chunk, total)
        out[start:stop] = values(start, stop)
        if progress is not None:
            progress(stop, total)
    return out


def _walk(alphas: np.ndarray, betas: np.ndarray, values: Callable[[np.ndarray, np.ndarray], np.ndarray],
          chunk: int, progress: Progress, cancel: Cancel) -> np.ndarray:
    """The grid out[i, j] = values(alphas[i], betas[j]), ``chunk`` points per call, row-major."""
    aa, bb = (g.ravel() for g in np.meshgrid(np.asarray(alphas, np.float64), np.asarray(betas, np.float64),
                                             indexing="ij"))
    out = _chunked(aa.size, chunk, lambda i, j: values(aa[i:j], bb[i:j]), progress, cancel)
    return out.reshape(len(alphas), len(betas))


def slice_of(f: Callable[[np.ndarray], np.ndarray], plane: Plane, alphas: np.ndarray, betas: np.ndarray, *,
             chunk: int = 64, progress: Progress = None, cancel: Cancel = None) -> np.ndarray:
    """loss[i, j] = f(origin + alphas[i]·d1 + betas[j]·d2) for any f mapping (G, P) → (G,)
    (docs/landscape.md#slice); f is called with ``chunk`` points at a time."""
    return _walk(alphas, betas, lambda a, b: np.asarray(f(plane_points(plane, a, b)), np.float64),
                 chunk, progress, cancel)


def _cross_entropy(scores: np.ndarray, flat: np.ndarray, work: np.ndarray,
                   shift: np.ndarray | None = None) -> np.ndarray:
    """Mean over the images of −log softmax(s)ₜ for each of G stacked (N, K) scores (as `SoftmaxWithLoss`):
    z = s − max s,  −log yₜ = log Σⱼ exp zⱼ − zₜ, the mean accumulated in float64.

    Computed on the transposed copy ``work`` (G, K, N): the reductions over the
    K classes then run along whole rows of N images (a reduction over a
    10-wide inner axis is several times slower); ``flat`` = tₙ·N + n.
    """
    g = len(scores)
    work = work[:g]
    if shift is None:
        np.copyto(work, scores.transpose(0, 2, 1))
    else:                                                             # s + the pending bias (G, 1, K)
        np.add(scores.transpose(0, 2, 1), shift.transpose(0, 2, 1), out=work)
    work -= np.maximum.reduce(work, axis=1)[:, None, :]              # z = s − max(s)
    picked = work.reshape(g, -1)[:, flat]                             # zₜ
    np.exp(work, out=work)
    lse = np.log(np.add.reduce(work, axis=1))                         # log Σⱼ exp zⱼ
    lse -= picked
    return np.asarray(np.mean(lse, axis=1, dtype=np.float64))


_LEAK = LeakyReLU().slope


def _relu(z: np.ndarray) -> np.ndarray:
    """max(0, z) in place (`ReLU`, without the mask its backward needs)."""
    return np.maximum(z, 0, out=z)


def _leaky_relu(z: np.ndarray) -> np.ndarray:
    """z if z > 0 else αz, in place (`LeakyReLU`): max(z, αz) for α < 1."""
    return np.maximum(z, z * z.dtype.type(_LEAK), out=z)


def _tanh(z: np.ndarray) -> np.ndarray:
    """tanh z in place (`Tanh`)."""
    return np.tanh(z, out=z)


#: Forward-only activations computed in place; the others use their `optilab.nn` layer.
_IN_PLACE: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "relu": _relu, "leaky_relu": _leaky_relu, "tanh": _tanh}


class LossEvaluator:
    """The loss of ``config``'s MLP with many parameter vectors (laid out by ``layout``) on images ``x``, ``t``.

    The network's shape comes from ``layout`` (W1, b1, …, Wn, bn, gamma…, beta…),
    its activation, weight decay and dtype from ``config``.  ``running`` are
    θ*'s batch-norm running (mean, var) pairs, needed for ``bn_stats="keep"``.
    ``chunk``: the grid points evaluated per matrix product.
    """

    def __init__(self, config: RunConfig, layout: Layout, x: np.ndarray, t: np.ndarray,
                 running: Sequence[tuple[np.ndarray, np.ndarray]] = (), bn_stats: str = "recompute") -> None:
        bn_stats = SETTINGS["bn_stats"].check(bn_stats)
        self.config, self.layout = config, layout
        self.dtype = np.dtype(config.dtype)
        shapes = self.shapes = dict(layout.entries)
        self.n_layers = sum(1 for key in shapes if key.startswith("W"))
        self.widths = [shapes[f"W{i}"][1] for i in range(1, self.n_layers + 1)]
        self.batchnorm = "gamma1" in shapes
        self.x = np.ascontiguousarray(x, dtype=self.dtype)
        t = np.asarray(t)
        n, k = len(self.x), self.widths[-1]
        if self.x.ndim != 2 or self.x.shape[1] != shapes["W1"][0] or t.shape != (n,) or n == 0:
            raise ValueError(f"images must be (N, {shapes['W1'][0]}) with N ≥ 1 labels, got {self.x.shape}, "
                             f"{t.shape}")
        if t.dtype.kind not in "iu" or t.min() < 0 or t.max() >= k:
            raise ValueError(f"labels must be whole numbers in [0, {k}), got {t.dtype} in [{t.min()}, {t.max()}]")
        self.t = t.astype(np.intp)
        self._flat = self.t * n + np.arange(n)                        # tₙ·N + n in (K, N)
        self.bn_stats = bn_stats
        self.running: list[tuple[np.ndarray, np.ndarray]] = []
        if self.batchnorm and bn_stats == "keep":
            if len(running) != self.n_layers - 1:
                raise NO_RUNNING.error(layers=self.n_layers - 1)
            self.running = [(np.asarray(m, self.dtype), np.asarray(v, self.dtype)) for m, v in running]
        self.lam = float(config.weight_decay)
        self.slices = layout.slices()
        activation = config.activation
        self._acts: list[Callable[[np.ndarray], np.ndarray]] = [
            _IN_PLACE.get(activation) or make_activation(activation).forward for _ in range(self.n_layers - 1)]
        self.chunk = max(1, CHUNK_BYTES // (n * (sum(self.widths) + k) * self.dtype.itemsize))
        self._eps = self.dtype.type(BN_EPS)
        self._deferred_bias = activation == "relu" and not self.batchnorm and self.n_layers > 1
        self._work: tuple[int, list[np.ndarray]] = (0, [])

    # ------------------------------------------------------------------ layers
    def _buffers(self, g: int) -> list[np.ndarray]:
        """Each layer's output (g, N, hᵢ), then the (g, K, N) scores, allocated once per chunk size
        (fresh arrays this large cost page faults on every chunk)."""
        if self._work[0] < g:
            n = len(self.x)
            self._work = (g, [np.empty((g, n, h), self.dtype) for h in self.widths]
                          + [np.empty((g, self.widths[-1], n), self.dtype)])
        return [b[:g] for b in self._work[1]]

    def _batchnorm(self, z: np.ndarray, i: int, gamma: np.ndarray, beta: np.ndarray) -> np.ndarray:
        """x̂ = (z − μ)/√(σ² + ε), y = γx̂ + β per point, in place (as `BatchNorm.forward`): μ, σ² of
        the images themselves ("recompute", biased variance) or θ*'s running ones ("keep")."""
        if self.bn_stats == "keep":
            mu, var = self.running[i]
            z -= mu
        else:
            z -= z.mean(axis=1, keepdims=True)                          # z − μ
            var = np.einsum("gnh,gnh->gh", z, z)[:, None, :] / self.dtype.type(z.shape[1])   # σ²
        z /= np.sqrt(var + self._eps)                                  # x̂
        z *= gamma[:, None, :]
        z += beta[:, None, :]                                          # γx̂ + β
        return z

    def _losses_from(self, z: np.ndarray, p: Callable[[str], np.ndarray], bufs: list[np.ndarray]) -> np.ndarray:
        """Cross-entropy of G points given layer 1's outputs z = XW₁ + b₁ (G, N, h₁) and ``p(key)``,
        each point's arrays of the deeper layers stacked (G, …)."""
        if self._deferred_bias:
            return self._relu_losses_from(z, p, bufs)
        for i in range(2, self.n_layers + 1):                          # hidden layer i−1, then Affine i
            if self.batchnorm:
                z = self._batchnorm(z, i - 2, p(f"gamma{i - 1}"), p(f"beta{i - 1}"))
            z = np.matmul(self._acts[i - 2](z), p(f"W{i}"), out=bufs[i - 1])   # h(z) W
            z += p(f"b{i}")[:, None, :]                                 # + b
        return _cross_entropy(z, self._flat, bufs[-1])

    def _relu_losses_from(self, z: np.ndarray, p: Callable[[str], np.ndarray], bufs: list[np.ndarray]) -> np.ndarray:
        """`_losses_from` for a ReLU net without batch norm, one pass over each layer's outputs
        instead of two: with u = h W (no bias yet) and the pending shift s,

            ReLU(u + s) = max(u, −s) + s,   so   ReLU(u + s) W′ + b′ = max(u, −s) W′ + (s W′ + b′),

        and the shift s W′ + b′ of the next layer is a (G, 1, h′) product — the bias is never
        added to the (G, N, h) outputs; the last shift is added as the scores are copied."""
        shift: np.ndarray | None = None                                # z already holds layer 1's bias
        for i in range(2, self.n_layers + 1):
            if shift is None:
                np.maximum(z, 0, out=z)                                # ReLU(z)
            else:
                np.maximum(z, -shift, out=z)                          # ReLU(u + s) − s
            w, b = p(f"W{i}"), p(f"b{i}")[:, None, :]
            nxt = b if shift is None else np.matmul(shift, w) + b      # s W′ + b′
            z, shift = np.matmul(z, w, out=bufs[i - 1]), nxt
        return _cross_entropy(z, self._flat, bufs[-1], shift)

    def _penalty(self, thetas: np.ndarray) -> np.ndarray:
        """½λΣ‖W‖² of each row (float64)."""
        if self.lam == 0.0:
            return np.zeros(len(thetas))
        total = sum(np.einsum("gi,gi->g", w, w, dtype=np.float64) for w in
                    (thetas[:, sl] for key, sl in self.slices.items() if key.startswith("W")))
        return 0.5 * self.lam * np.asarray(total, np.float64)

    # ------------------------------------------------------------------ public
    def losses(self, thetas: np.ndarray, progress: Progress = None, cancel: Cancel = None) -> np.ndarray:
        """L(θ) of each row of ``thetas`` (G, P), float64 (docs/landscape.md#slice); ``progress(done, G)``
        and ``cancel()`` as in `plane_losses`."""
        thetas = np.atleast_2d(np.asarray(thetas))
        if thetas.ndim != 2 or thetas.shape[1] != self.layout.size:
            raise ValueError(f"parameter vectors must have {self.layout.size} entries, got {thetas.shape}")

        def values(start: int, stop: int) -> np.ndarray:
            block = np.ascontiguousarray(thetas[start:stop], dtype=self.dtype)
            views, bufs = self.layout.views(block), self._buffers(len(block))
            z = np.matmul(self.x, views["W1"], out=bufs[0])            # X W₁ for each point
            z += views["b1"][:, None, :]
            return self._losses_from(z, views.__getitem__, bufs) + self._penalty(block)

        return _chunked(len(thetas), self.chunk, values, progress, cancel)

    def plane_losses(self, plane: Plane, alphas: np.ndarray, betas: np.ndarray,
                     progress: Progress = None, cancel: Cancel = None) -> np.ndarray:
        """loss[i, j] = L(origin + alphas[i]·d1 + betas[j]·d2) (docs/landscape.md#slice), several grid
        points per matrix product (`_on_plane`); ``cancel()`` polled before each chunk (`Cancelled`),
        ``progress(done, total)`` after it, in grid points."""
        return _walk(alphas, betas, self._on_plane(plane), self.chunk, progress, cancel)

    def point_losses(self, plane: Plane, alphas: np.ndarray, betas: np.ndarray,
                     progress: Progress = None, cancel: Cancel = None) -> np.ndarray:
        """L(origin + αᵢ·d1 + βᵢ·d2) for paired coordinates (a projected path), as `plane_losses`."""
        a, b = np.asarray(alphas, np.float64).ravel(), np.asarray(betas, np.float64).ravel()
        values = self._on_plane(plane)
        return _chunked(len(a), self.chunk, lambda i, j: values(a[i:j], b[i:j]), progress, cancel)

    def _on_plane(self, plane: Plane) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
        """(α, β) ↦ L(origin + α·d1 + β·d2) for a chunk of points.

        Layer 1 is linear in (α, β): X W₁(α, β) + b₁(α, β) = A + αB + βC with A, B, C
        the first layer of origin, d1, d2 — three products once, then per chunk
        one product (G, 3) @ (3, N·h₁) of the coefficients (1, α, β).  The
        deeper layers' arrays are (G, 3) @ (3, P′) the same way, then stacked
        products.  ½λΣ‖W‖² is the expanded quadratic in α, β.
        """
        vecs = [np.asarray(v, np.float64) for v in (plane.origin, plane.d1, plane.d2)]
        w1, b1 = self.slices["W1"], self.slices["b1"]
        first = np.stack([(self.x @ v[w1].reshape(self.shapes["W1"]).astype(self.dtype)
                           + v[b1].astype(self.dtype)).ravel() for v in vecs])          # A, B, C (3, N·h₁)
        rest = Layout(tuple(e for e in self.layout.entries if e[0] not in ("W1", "b1")))
        sl = self.slices
        basis = np.stack([np.concatenate([v[sl[k]] for k, _ in rest.entries] or [v[:0]]) for v in vecs]
                         ).astype(self.dtype)
        weights = [sl[k] for k in self.shapes if k.startswith("W")]
        gram = np.array([[sum(float(u[s] @ v[s]) for s in weights) for v in vecs] for u in vecs])  # Σ_W u·v

        def values(a: np.ndarray, b: np.ndarray) -> np.ndarray:
            coef = np.stack([np.ones_like(a), a, b], axis=1)           # (G, 3): 1, α, β
            bufs = self._buffers(len(a))
            z = bufs[0]
            np.matmul(coef.astype(self.dtype), first, out=z.reshape(len(a), -1))    # A + αB + βC
            views = rest.views(coef.astype(self.dtype) @ basis)
            loss = self._losses_from(z, views.__getitem__, bufs)
            if self.lam:                                               # ½λ‖o + αd1 + βd2‖²_W
                loss += 0.5 * self.lam * np.einsum("gi,ij,gj->g", coef, gram, coef)
            return loss

        return values


def interpolate(config: RunConfig, layout: Layout, theta_a: np.ndarray, theta_b: np.ndarray, ts: np.ndarray,
                x: np.ndarray, t: np.ndarray, running: Sequence[tuple[np.ndarray, np.ndarray]] = (),
                bn_stats: str = "recompute") -> np.ndarray:
    """L((1 − t)·θa + t·θb) for each t of ``ts`` (docs/landscape.md#interpolation; Goodfellow et al. 2015,
    as Li et al. 2018 §3 recall), batch-norm statistics recomputed at each point by default: the line
    θa + t·(θb − θa) evaluated as a plane whose second direction is zero."""
    a = np.asarray(theta_a, np.float64)
    line = Plane(a, np.asarray(theta_b, np.float64) - a, np.zeros_like(a), "line")
    ts = np.asarray(ts, np.float64).ravel()
    return LossEvaluator(config, layout, x, t, running, bn_stats).point_losses(line, ts, np.zeros_like(ts))
