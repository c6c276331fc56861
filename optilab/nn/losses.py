"""Loss layers for regression, beside the book's `SoftmaxWithLoss` (layers.py).

`MeanSquaredError` is PyTorch's ``nn.MSELoss()`` (reduction "mean"): the mean of
the squared errors over every output of the batch, with no ½ in front — the
loss the PyTorch chapter's California-housing network trains on.
"""

from __future__ import annotations

import numpy as np

from .layers import Layer, _reuse

__all__ = ["MeanSquaredError"]


class MeanSquaredError(Layer):
    """L = (1/(N·K)) Σₙ Σₖ (yₙₖ − tₙₖ)²  (no ½, as ``torch.nn.MSELoss``);  dx = 2 (y − t) / (N·K).

    ``x`` is the output layer's values ``y`` of shape (N, K) (identity output: no
    activation after the last Affine), ``t`` the targets, shape (N, K) or (N,)
    when K = 1.
    """

    _diff: np.ndarray | None = None   # work array (see layers._reuse)

    def __init__(self) -> None:
        self.diff: np.ndarray | None = None   # y − t of the last forward pass
        self.loss: np.generic | None = None

    def forward(self, x: np.ndarray, t: np.ndarray) -> np.generic:
        """Return L (a scalar of x's dtype); keep y − t for ``backward``."""
        t = np.asarray(t)
        if t.ndim == 1 and x.ndim == 2 and x.shape[1] == 1 and t.shape[0] == x.shape[0]:
            t = t.reshape(-1, 1)
        if t.shape != x.shape:
            raise ValueError(f"targets must have shape {x.shape} or ({x.shape[0]},), got {t.shape}")
        self._diff = diff = _reuse(self._diff, x.shape, x.dtype)
        np.subtract(x, t, out=diff, casting="same_kind")  # y − t
        self.diff = diff
        self.loss = x.dtype.type(np.vdot(diff, diff) / x.dtype.type(diff.size))  # mean (y − t)²
        return self.loss

    def backward(self, dout: float = 1.0) -> np.ndarray:
        """dx = 2 (y − t) / (N·K)  (times ``dout``, normally 1)."""
        diff = self.diff
        assert diff is not None, "backward before forward"
        self._dx = dx = _reuse(self._dx, diff.shape, diff.dtype)
        np.multiply(diff, diff.dtype.type(2.0 * dout / diff.size), out=dx)
        return dx
