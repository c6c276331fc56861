"""Layers with ``forward``/``backward``, in the style of the book's ``common/layers.py``.

Each layer is a small class whose two methods read as the equations of its
forward pass and of the chain rule.  Two things differ from the book, both for
speed, neither hiding an equation:

* **Buffers are reused.**  A layer writes its output (and its ``dx``) into
  arrays it allocated on the first call and keeps while the batch shape stays
  the same (``np.matmul(..., out=...)``, ``np.multiply(..., out=...)``).  So the
  array a ``forward`` returns is valid until the *next* ``forward`` of the same
  layer: copy it if you want to keep it.
* **Parameters are held by reference; gradients are preallocated.**  ``Affine``
  keeps the very ``W``, ``b`` arrays it was given and writes ``dW``, ``db``
  into arrays created once (or given: the `MLP` hands views of its flat
  gradient vector); an optimizer updating ``W`` in place is therefore
  seen by the layer, and the gradient arrays can be handed to it once.

dtype is that of the parameters and inputs (float32 or float64); scalars such
as ``1/(1-p)`` or ``ε`` are converted to it so nothing is silently upcast.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "Affine",
    "BatchNorm",
    "Dropout",
    "Layer",
    "LeakyReLU",
    "ReLU",
    "Sigmoid",
    "SoftmaxWithLoss",
    "Tanh",
    "softmax",
]


def _reuse(buf: np.ndarray | None, shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
    """``buf`` if it already has this shape and dtype, else a new empty array.

    Layers call it as ``self._out = out = _reuse(self._out, shape, dtype)`` so a
    work array is allocated once per batch shape and then overwritten.
    """
    if buf is not None and buf.shape == shape and buf.dtype == dtype:
        return buf
    return np.empty(shape, dtype=dtype)


def _grad_buffer(buf: np.ndarray | None, param: np.ndarray) -> np.ndarray:
    """The array a layer writes ``param``'s gradient into: ``buf`` (e.g. a view of the
    network's flat gradient vector) when given, shaped and typed as ``param``; else zeros."""
    if buf is None:
        return np.zeros_like(param)
    if buf.shape != param.shape or buf.dtype != param.dtype:
        raise ValueError(f"gradient buffer must be {param.shape} {param.dtype}, got {buf.shape} {buf.dtype}")
    return buf


class Layer:
    """Base class of the layers: ``forward(x, train=True)`` and ``backward(dout)``."""

    # work arrays, see _reuse (class-level None until a layer first allocates them)
    _out = _dx = _mask = _k = _ones = _shift = _z = _y = None

    def forward(self, x: np.ndarray, train: bool = True) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    def backward(self, dout: np.ndarray) -> np.ndarray | None:  # pragma: no cover
        raise NotImplementedError


class Affine(Layer):
    """Fully connected layer  y = x W + b.

    ``need_dx=False`` skips ∂L/∂x (the first layer of a network: nobody needs the
    gradient with respect to the pixels), saving a third of that layer's work.
    """

    def __init__(self, W: np.ndarray, b: np.ndarray, need_dx: bool = True,
                 dW: np.ndarray | None = None, db: np.ndarray | None = None) -> None:
        if W.ndim != 2 or b.shape != (W.shape[1],):
            raise ValueError(f"W must be (n_in, n_out) and b (n_out,), got {W.shape} and {b.shape}")
        self.W = W
        self.b = b
        self.dW = _grad_buffer(dW, W)
        self.db = _grad_buffer(db, b)
        self.need_dx = need_dx
        self.x: np.ndarray | None = None

    def forward(self, x: np.ndarray, train: bool = True) -> np.ndarray:
        """y = x W + b   (one BLAS call, then the broadcast bias add in place)."""
        self.x = x
        self._out = out = _reuse(self._out, (x.shape[0], self.W.shape[1]), self.W.dtype)
        np.matmul(x, self.W, out=out)  # x W
        out += self.b  # + b
        return out

    def backward(self, dout: np.ndarray) -> np.ndarray | None:
        """dW = xᵀ dout ;  db = Σₙ dout ;  dx = dout Wᵀ.

        Σₙ dout is computed as 1ᵀ dout (a matrix-vector product, which BLAS
        does faster than ``sum(axis=0)``).
        """
        n = dout.shape[0]
        np.matmul(self.x.T, dout, out=self.dW)  # dW = xᵀ dout
        ones = _reuse(self._ones, (n,), dout.dtype)
        if ones is not self._ones:  # filled once per batch size
            ones.fill(1)
            self._ones = ones
        np.matmul(ones, dout, out=self.db)  # db = 1ᵀ dout = Σₙ dout
        if not self.need_dx:
            return None
        self._dx = dx = _reuse(self._dx, self.x.shape, dout.dtype)
        np.matmul(dout, self.W.T, out=dx)  # dx = dout Wᵀ
        return dx


class ReLU(Layer):
    """y = max(0, x);  dx = dout · [x > 0]."""

    def __init__(self) -> None:
        self.mask: np.ndarray | None = None

    def forward(self, x: np.ndarray, train: bool = True) -> np.ndarray:
        """mask = [x > 0] ; y = x · mask  (a multiply is faster than ``np.maximum``).

        The mask is stored as 0.0/1.0 in x's dtype: multiplying by it again in
        ``backward`` is then a plain float product.
        """
        self._mask = mask = _reuse(self._mask, x.shape, x.dtype)
        np.greater(x, 0, out=mask)  # mask = [x > 0]
        self._out = out = _reuse(self._out, x.shape, x.dtype)
        np.multiply(x, mask, out=out)  # y = x · mask
        self.mask = mask
        return out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        """dx = dout · mask."""
        self._dx = dx = _reuse(self._dx, dout.shape, dout.dtype)
        np.multiply(dout, self.mask, out=dx)
        return dx


class LeakyReLU(Layer):
    """y = x if x > 0 else αx;  dx = dout · (1 if x > 0 else α).  α = 0.01 by default."""

    def __init__(self, slope: float = 0.01) -> None:
        self.slope = float(slope)
        self.k: np.ndarray | None = None

    def forward(self, x: np.ndarray, train: bool = True) -> np.ndarray:
        """k = 1 where x > 0 else α ;  y = k · x."""
        self._k = k = _reuse(self._k, x.shape, x.dtype)
        k.fill(self.slope)
        np.copyto(k, 1, where=x > 0)  # k = 1 if x > 0 else α
        self._out = out = _reuse(self._out, x.shape, x.dtype)
        np.multiply(x, k, out=out)  # y = k x
        self.k = k
        return out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        """dx = dout · k."""
        self._dx = dx = _reuse(self._dx, dout.shape, dout.dtype)
        np.multiply(dout, self.k, out=dx)
        return dx


class Sigmoid(Layer):
    """y = 1 / (1 + e⁻ˣ);  dx = dout · y (1 − y)."""

    def __init__(self) -> None:
        self.out: np.ndarray | None = None

    def forward(self, x: np.ndarray, train: bool = True) -> np.ndarray:
        """y = 1 / (1 + exp(−x)), computed in place in the output buffer."""
        self._out = out = _reuse(self._out, x.shape, x.dtype)
        np.negative(x, out=out)  # −x
        with np.errstate(over="ignore"):  # e⁻ˣ = inf for x ≪ 0 gives y = 0, as it should
            np.exp(out, out=out)  # e⁻ˣ
        out += 1  # 1 + e⁻ˣ
        np.reciprocal(out, out=out)  # 1 / (1 + e⁻ˣ)
        self.out = out
        return out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        """dx = dout · y (1 − y)."""
        y = self.out
        self._dx = dx = _reuse(self._dx, dout.shape, dout.dtype)
        np.subtract(1, y, out=dx)  # 1 − y
        dx *= y  # y (1 − y)
        dx *= dout  # dout · y (1 − y)
        return dx


class Tanh(Layer):
    """y = tanh x;  dx = dout · (1 − y²)."""

    def __init__(self) -> None:
        self.out: np.ndarray | None = None

    def forward(self, x: np.ndarray, train: bool = True) -> np.ndarray:
        """y = tanh x."""
        self._out = out = _reuse(self._out, x.shape, x.dtype)
        np.tanh(x, out=out)
        self.out = out
        return out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        """dx = dout · (1 − y²)."""
        y = self.out
        self._dx = dx = _reuse(self._dx, dout.shape, dout.dtype)
        np.multiply(y, y, out=dx)  # y²
        np.subtract(1, dx, out=dx)  # 1 − y²
        dx *= dout  # dout · (1 − y²)
        return dx


class BatchNorm(Layer):
    """Batch normalization (Ioffe & Szegedy 2015), placed before the activation.

    Training (statistics of the batch, per feature):
        μ = mean(x),  σ² = mean((x − μ)²),  x̂ = (x − μ)/√(σ² + ε),  y = γx̂ + β
        running_mean ← m·running_mean + (1 − m)·μ   (m = momentum = 0.9)
        running_var  ← m·running_var  + (1 − m)·σ²
    Test (``train=False``): the same with μ, σ² replaced by the running stats.

    ε = 1e-6 (the book's 10e-7).  The running stats start at mean 0, var 1
    (PyTorch's choice; the book starts var at 0, which makes an untrained net's
    test-mode outputs blow up by 1/√ε).
    """

    def __init__(
        self,
        gamma: np.ndarray,
        beta: np.ndarray,
        momentum: float = 0.9,
        eps: float = 1e-6,
        dgamma: np.ndarray | None = None,
        dbeta: np.ndarray | None = None,
    ) -> None:
        self.gamma = gamma
        self.beta = beta
        self.dgamma = _grad_buffer(dgamma, gamma)
        self.dbeta = _grad_buffer(dbeta, beta)
        dtype = gamma.dtype
        self.momentum = dtype.type(momentum)
        self.eps = dtype.type(eps)
        self.running_mean = np.zeros_like(gamma)
        self.running_var = np.ones_like(gamma)
        self.xhat: np.ndarray | None = None
        self.std: np.ndarray | None = None

    def forward(self, x: np.ndarray, train: bool = True) -> np.ndarray:
        """x̂ = (x − μ)/√(σ² + ε) ;  y = γx̂ + β."""
        if train:
            mu = x.mean(axis=0)  # μ
            xc = x - mu  # x − μ
            var = np.mean(xc * xc, axis=0)  # σ²
            std = np.sqrt(var + self.eps)  # √(σ² + ε)
            xhat = xc / std  # x̂
            m = self.momentum
            self.running_mean *= m
            self.running_mean += (1 - m) * mu  # running ← m·running + (1−m)·μ
            self.running_var *= m
            self.running_var += (1 - m) * var  # running ← m·running + (1−m)·σ²
            self.xhat, self.std = xhat, std
        else:
            xhat = (x - self.running_mean) / np.sqrt(self.running_var + self.eps)
        return self.gamma * xhat + self.beta  # y = γx̂ + β

    def backward(self, dout: np.ndarray) -> np.ndarray:
        """dβ = Σₙ dout ;  dγ = Σₙ dout·x̂ ;  dx = (1/σ)(dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂)),  dx̂ = γ·dout.

        The last line is the book's chain of intermediate gradients (through
        x − μ, σ and μ) collapsed into one expression.
        """
        xhat = self.xhat
        np.sum(dout, axis=0, out=self.dbeta)  # dβ = Σ dout
        np.sum(dout * xhat, axis=0, out=self.dgamma)  # dγ = Σ dout·x̂
        dxhat = self.gamma * dout  # dx̂ = γ dout
        return (dxhat - dxhat.mean(axis=0) - xhat * np.mean(dxhat * xhat, axis=0)) / self.std


def check_dropout(p: float) -> float:
    """``p`` as a float when it is a dropout probability, in [0, 1) (1/(1 − p) must exist); ValueError else."""
    if not 0.0 <= p < 1.0:
        raise ValueError(f"dropout probability p must be in [0, 1), got {p!r}")
    return float(p)


class Dropout(Layer):
    """Inverted dropout (Srivastava et al. 2014).

    Training:  mask = [u ≥ p] / (1 − p) with u ~ U[0, 1),  y = x · mask
    Test:      y = x  (the 1/(1 − p) at training time keeps E[y] = x).
    dx = dout · mask.

    The book scales by (1 − p) at test time instead; the expected activations
    are equal.  ``rng`` is a seed or a ``numpy.random.Generator``.  For a
    gradient check, ``fix_mask()`` freezes the last mask (or a given one) so
    that repeated forward passes see the same network.
    """

    def __init__(self, p: float = 0.5, rng: int | np.random.Generator | None = None) -> None:
        self.p = check_dropout(p)
        self.rng = np.random.default_rng(rng)
        self.mask: np.ndarray | None = None
        self.fixed = False
        self.identity = False

    def fix_mask(self, mask: np.ndarray | None = None) -> None:
        """Reuse ``mask`` (a 0/1 keep mask; default: the last one drawn) on every training pass."""
        if mask is not None:
            keep = np.asarray(mask, dtype=bool)
            dtype = self.mask.dtype if self.mask is not None else np.dtype(np.float64)
            self.mask = keep.astype(dtype) * dtype.type(1.0 / (1.0 - self.p))
        elif self.mask is None:
            raise ValueError("no mask to fix yet: run a training forward pass or pass a mask")
        self.fixed = True

    def release_mask(self) -> None:
        """Draw a fresh mask on every training pass again."""
        self.fixed = False

    def forward(self, x: np.ndarray, train: bool = True) -> np.ndarray:
        """y = x · mask at training time, y = x at test time."""
        self.identity = not train
        if not train:
            return x
        if not self.fixed:
            self._mask = mask = _reuse(self._mask, x.shape, x.dtype)
            self.rng.random(dtype=mask.dtype, out=mask)  # u ~ U[0, 1)
            scale = x.dtype.type(1.0 / (1.0 - self.p))
            np.greater_equal(mask, x.dtype.type(self.p), out=mask)  # [u ≥ p]
            mask *= scale  # [u ≥ p] / (1 − p)
            self.mask = mask
        elif self.mask.shape != x.shape:
            raise ValueError(f"fixed dropout mask has shape {self.mask.shape}, input {x.shape}")
        elif self.mask.dtype != x.dtype:
            self.mask = self.mask.astype(x.dtype)
        self._out = out = _reuse(self._out, x.shape, x.dtype)
        np.multiply(x, self.mask, out=out)  # y = x · mask
        return out

    def backward(self, dout: np.ndarray) -> np.ndarray:
        """dx = dout · mask (identity if the last forward was at test time)."""
        if self.identity:
            return dout
        self._dx = dx = _reuse(self._dx, dout.shape, dout.dtype)
        np.multiply(dout, self.mask, out=dx)
        return dx


def softmax(x: np.ndarray) -> np.ndarray:
    """yₖ = exp(xₖ − max x) / Σⱼ exp(xⱼ − max x), per row: the class probabilities of scores ``x``."""
    z = np.exp(x - x.max(axis=1, keepdims=True))
    return z / z.sum(axis=1, keepdims=True)


class SoftmaxWithLoss(Layer):
    """Softmax followed by the mean cross-entropy over the batch, with the fused gradient.

    Forward (numerically stable log-softmax, per row):
        z = x − max(x)        shift: softmax is unchanged, exp cannot overflow
        log yₖ = zₖ − log Σⱼ exp zⱼ
        L = −(1/N) Σₙ Σₖ tₙₖ log yₙₖ
    Backward (softmax and cross-entropy differentiated together):
        dx = (y − t) / N

    ``t`` is either integer class labels, shape (N,), or one-hot rows, shape (N, K).
    """

    def __init__(self) -> None:
        self.y: np.ndarray | None = None  # softmax output
        self.t: np.ndarray | None = None
        self.loss: np.generic | None = None

    def forward(self, x: np.ndarray, t: np.ndarray) -> np.generic:
        """Return L (a scalar of x's dtype); keep y = softmax(x) for ``backward``."""
        n, k = x.shape
        dtype = x.dtype
        self._shift = shift = _reuse(self._shift, (n, 1), dtype)
        np.maximum.reduce(x, axis=1, keepdims=True, out=shift)  # max(x)
        self._z = z = _reuse(self._z, (n, k), dtype)
        np.subtract(x, shift, out=z)  # z = x − max(x)
        self._y = y = _reuse(self._y, (n, k), dtype)
        np.exp(z, out=y)  # exp z
        np.add.reduce(y, axis=1, keepdims=True, out=shift)  # Σⱼ exp zⱼ
        y /= shift  # y = softmax(x)
        log_sum = np.log(shift).ravel()  # log Σⱼ exp zⱼ
        t = np.asarray(t)
        if t.ndim == 1 and t.shape[0] == n:  # integer labels
            self._flat = flat = self._flat_index(t, n, k)
            log_y_t = z.ravel().take(flat)  # zₙ,tₙ
            log_y_t -= log_sum  # log yₙ,tₙ = zₙ,tₙ − log Σⱼ exp zⱼ
            loss = -np.add.reduce(log_y_t) / dtype.type(n)
        elif t.shape == (n, k):  # one-hot (or any probability) rows
            log_y = z - log_sum[:, None]  # log y
            loss = -np.vdot(t.astype(dtype, copy=False), log_y) / dtype.type(n)
        else:
            raise ValueError(f"labels must have shape ({n},) or ({n}, {k}), got {t.shape}")
        self.y, self.t = y, t
        self.loss = dtype.type(loss)
        return self.loss

    def _flat_index(self, t: np.ndarray, n: int, k: int) -> np.ndarray:
        """Indices n·K + tₙ of the true classes in the flattened (N, K) array."""
        if t.dtype.kind not in "iu":
            raise ValueError(f"integer labels expected, got dtype {t.dtype}")
        if np.minimum.reduce(t) < 0 or np.maximum.reduce(t) >= k:
            raise ValueError(f"labels must be in [0, {k}), got range [{t.min()}, {t.max()}]")
        base = self.__dict__.get("_row_base")
        if base is None or base.shape[0] != n or base[-1] != (n - 1) * k:
            base = self._row_base = np.arange(n) * k
        return base + t

    def backward(self, dout: float = 1.0) -> np.ndarray:
        """dx = (y − t) / N  (times ``dout``, the upstream gradient of L, normally 1)."""
        y, t = self.y, self.t
        n = y.shape[0]
        scale = y.dtype.type(dout / n)
        self._dx = dx = _reuse(self._dx, y.shape, y.dtype)
        if t.ndim == 1:
            np.multiply(y, scale, out=dx)  # y / N
            dx.ravel()[self._flat] -= scale  # − onehot / N
        else:
            np.subtract(y, t, out=dx, casting="same_kind")  # y − t
            dx *= scale  # / N
        return dx
