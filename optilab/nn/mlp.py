"""Multi-layer perceptron built from the layers, like the book's ``MultiLayerNetExtend``.

Per hidden layer:  Affine → [BatchNorm] → activation → [Dropout];  then the
output Affine and SoftmaxWithLoss.  ``params`` holds every trainable array
and ``gradient`` returns a dict with the same keys, so an optimizer's
``step(params, grads)`` updates the network in place.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from optilab import messages

from .init import check_init, init_weight
from .layers import (
    Affine,
    BatchNorm,
    Dropout,
    Layer,
    LeakyReLU,
    ReLU,
    Sigmoid,
    SoftmaxWithLoss,
    Tanh,
    check_dropout,
)
from .losses import MeanSquaredError

__all__ = ["ACTIVATIONS", "LOSSES", "MLP", "activation_stats", "make_activation"]

BAD_ACTIVATION = messages.declare("nn.bad_activation", "activation must be one of {choices}, got {value}")
BAD_LOSS = messages.declare("nn.bad_loss", "loss must be one of {choices}, got {value}")

#: The output layer and loss: "softmax" (classes, the book's SoftmaxWithLoss) or "mse"
#: (regression: identity output, mean squared error as torch.nn.MSELoss).
LOSSES: dict[str, type[Layer]] = {"softmax": SoftmaxWithLoss, "mse": MeanSquaredError}

BAD_FREEZE = messages.declare(
    "nn.bad_freeze", "freeze must be 0 to {most} layers (the output layer always trains), got {value}")
FREEZE_BATCHNORM = messages.declare(
    "nn.freeze_batchnorm", "frozen layers cannot be used with batch normalisation; untick one of them")
COPY_SHAPE = messages.declare(
    "nn.copy_shape", "cannot copy {key}: it has shape {shape}, this network's is {expected}")

ACTIVATIONS: dict[str, type[Layer]] = {
    "relu": ReLU,
    "sigmoid": Sigmoid,
    "tanh": Tanh,
    "leaky_relu": LeakyReLU,
}


def make_activation(name: str) -> Layer:
    """A new activation layer by name; ``ValueError`` listing the choices otherwise."""
    key = name.strip().lower() if isinstance(name, str) else name
    if key not in ACTIVATIONS:
        raise BAD_ACTIVATION.error(choices=", ".join(repr(c) for c in ACTIVATIONS), value=repr(name))
    return ACTIVATIONS[key]()


def _check_dtype(dtype: np.dtype | type) -> np.dtype:
    dt = np.dtype(dtype)
    if dt not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise ValueError(f"dtype must be one of 'float32', 'float64', got {dt.name!r}")
    return dt


def _param_shapes(sizes: Sequence[int], batchnorm: bool) -> list[tuple[str, tuple[int, ...]]]:
    """(key, shape) of every parameter in ``params`` order: W1, b1, …, Wn, bn, then gamma1, beta1, …"""
    shapes: list[tuple[str, tuple[int, ...]]] = []
    for i in range(1, len(sizes)):
        shapes += [(f"W{i}", (sizes[i - 1], sizes[i])), (f"b{i}", (sizes[i],))]
    if batchnorm:  # gamma/beta after all W, b, as in the book
        for i in range(1, len(sizes) - 1):
            shapes += [(f"gamma{i}", (sizes[i],)), (f"beta{i}", (sizes[i],))]
    return shapes


def _flat_views(shapes: list[tuple[str, tuple[int, ...]]], dtype: np.dtype) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """One zeroed vector holding every array, and key → its (contiguous) view shaped as that array."""
    flat = np.zeros(sum(int(np.prod(shape)) for _, shape in shapes), dtype=dtype)
    views, start = {}, 0
    for key, shape in shapes:
        n = int(np.prod(shape))
        views[key] = flat[start : start + n].reshape(shape)
        start += n
    return flat, views


class MLP:
    """Fully connected network with softmax cross-entropy loss.

    Parameters
    ----------
    input_size, hidden, output_size
        Layer widths, e.g. 784, [100, 100, 100, 100], 10.
    activation
        "relu", "sigmoid", "tanh" or "leaky_relu".
    init
        "zeros", "xavier" (std √(1/n_in)), "he" (std √(2/n_in)) or a float std;
        applied to every layer, the output one included.  Biases are 0.
    batchnorm
        Insert BatchNorm (γ = 1, β = 0) between each hidden Affine and its activation.
    dropout
        Dropout probability p after each hidden activation (0 = none).
    weight_decay
        λ of the L2 penalty  ½λ Σ‖W‖²  (weights only, not biases, γ or β).
    seed
        Seed for the weights and the dropout masks.
    dtype
        float32 or float64, kept by every parameter, gradient, buffer and loss.
    loss
        "softmax" (softmax cross-entropy on class labels, the book's) or "mse"
        (regression: the output Affine's values are the predictions, loss the
        mean squared error, `losses.MeanSquaredError`).
    l1
        λ₁ of the L1 penalty  λ₁ Σ|W|  (weights only, as weight decay; CS231n lecture 7).

    Attributes
    ----------
    params : dict[str, np.ndarray]
        W1, b1, …, Wn, bn, then gamma1, beta1, … (with batchnorm).  These are the
        arrays the layers compute with: update them in place, never rebind them.
        Each is a view into ``flat_params``.
    grads : dict[str, np.ndarray]
        The gradient arrays, same keys; rewritten by every ``gradient`` call.
        Each is a view into ``flat_grads``.
    flat_params, flat_grads : np.ndarray
        Every parameter (every gradient) in one contiguous vector θ, the
        arrays of ``params`` (``grads``) one after the other in their order
        (the layout of `training.snapshots.Layout`): an optimizer updates the
        whole network with one numpy call per equation line
        (``optimizer.step_flat(net.flat_params, net.flat_grads)``).
    last_loss
        The loss of the last ``gradient`` call (computed by its forward pass).
    """

    def __init__(
        self,
        input_size: int = 784,
        hidden: Sequence[int] = (100, 100, 100, 100),
        output_size: int = 10,
        activation: str = "relu",
        init: str | float = "he",
        batchnorm: bool = False,
        dropout: float = 0.0,
        weight_decay: float = 0.0,
        seed: int | None = None,
        dtype: np.dtype | type = np.float32,
        loss: str = "softmax",
        l1: float = 0.0,
    ) -> None:
        self.dtype = _check_dtype(dtype)
        if loss not in LOSSES:
            raise BAD_LOSS.error(choices=", ".join(repr(c) for c in LOSSES), value=repr(loss))
        self.loss_name = loss
        self.init = check_init(init)
        make_activation(activation)  # validates the name
        self.activation = activation.strip().lower()
        sizes = [int(input_size), *(int(h) for h in hidden), int(output_size)]
        if any(s <= 0 for s in sizes):
            raise ValueError(f"layer sizes must be positive, got {sizes}")
        check_dropout(dropout)   # the Dropout layer's rule, before any layer is built
        if weight_decay < 0.0:
            raise ValueError(f"weight_decay must be >= 0, got {weight_decay!r}")
        self.sizes = sizes
        self.hidden = sizes[1:-1]
        self.batchnorm = bool(batchnorm)
        self.dropout = float(dropout)
        self.weight_decay = float(weight_decay)
        self._lambda = self.dtype.type(weight_decay)
        if l1 < 0.0:
            raise ValueError(f"l1 must be >= 0, got {l1!r}")
        self.l1 = float(l1)
        self._lambda1 = self.dtype.type(l1)

        rng = np.random.default_rng(seed)
        self.flat_params, self.params = _flat_views(_param_shapes(sizes, self.batchnorm), self.dtype)
        self.flat_grads, self.grads = _flat_views(_param_shapes(sizes, self.batchnorm), self.dtype)
        p, g = self.params, self.grads
        self.layers: list[Layer] = []
        self.affines: list[Affine] = []
        self.activation_layers: list[Layer] = []
        self.dropout_layers: list[Dropout] = []
        self.bn_layers: list[BatchNorm] = []

        n_layers = len(sizes) - 1
        for i in range(1, n_layers + 1):
            p[f"W{i}"][...] = init_weight(sizes[i - 1], sizes[i], self.init, rng, self.dtype)  # biases stay 0
            affine = Affine(p[f"W{i}"], p[f"b{i}"], need_dx=(i > 1),  # nobody needs ∂L/∂x of the input
                            dW=g[f"W{i}"], db=g[f"b{i}"])
            self.affines.append(affine)
            self.layers.append(affine)
            if i == n_layers:
                break
            if self.batchnorm:
                p[f"gamma{i}"].fill(1)
                bn = BatchNorm(p[f"gamma{i}"], p[f"beta{i}"], dgamma=g[f"gamma{i}"], dbeta=g[f"beta{i}"])
                self.bn_layers.append(bn)
                self.layers.append(bn)
            act = make_activation(self.activation)
            self.activation_layers.append(act)
            self.layers.append(act)
            if self.dropout > 0.0:
                drop = Dropout(self.dropout, rng=rng.spawn(1)[0])
                self.dropout_layers.append(drop)
                self.layers.append(drop)
        self.last_layer = LOSSES[loss]()
        self.last_loss: np.generic | None = None

    # ------------------------------------------------------------------ forward
    def _as_input(self, x: np.ndarray) -> np.ndarray:
        """x in the network's dtype (a no-op, no copy, when it already is)."""
        x = np.asarray(x)
        if x.dtype != self.dtype:
            x = x.astype(self.dtype)
        if x.ndim != 2 or x.shape[1] != self.sizes[0]:
            raise ValueError(f"input must have shape (N, {self.sizes[0]}), got {x.shape}")
        return x

    def _forward(self, x: np.ndarray, train: bool) -> np.ndarray:
        """Scores of the output Affine, in the last layer's reused buffer."""
        x = self._as_input(x)
        for layer in self.layers:
            x = layer.forward(x, train)
        return x

    def predict(self, x: np.ndarray, train: bool = False) -> np.ndarray:
        """Class scores (before softmax), a fresh array of shape (N, output_size)."""
        return self._forward(x, train).copy()

    def _decay_penalty(self) -> np.generic:
        """½λ Σ‖W‖² over the weight matrices."""
        lam = self._lambda
        if lam == 0:
            return self.dtype.type(0)
        total = sum(np.vdot(a.W, a.W) for a in self.affines)  # Σ‖W‖²
        return self.dtype.type(0.5) * lam * self.dtype.type(total)

    def _l1_penalty(self) -> np.generic:
        """λ₁ Σ|W| over the weight matrices (docs/equations.md#l1)."""
        lam = self._lambda1
        if lam == 0:
            return self.dtype.type(0)
        total = sum(np.abs(a.W).sum(dtype=np.float64) for a in self.affines)  # Σ|W|
        return lam * self.dtype.type(total)

    def _add_l1_subgradient(self) -> None:
        """dW += λ₁ sign(W): the subgradient of λ₁|W|, taken as 0 where W = 0 (docs/equations.md#l1)."""
        lam = self._lambda1
        if lam != 0:
            for a in self.affines:
                a.dW += lam * np.sign(a.W)

    def loss(self, x: np.ndarray, t: np.ndarray, train: bool = True) -> np.generic:
        """L = mean cross-entropy (or mean squared error, ``loss="mse"``) + ½λ Σ‖W‖² + λ₁ Σ|W|,
        a scalar of the net's dtype."""
        scores = self._forward(x, train)
        return self.last_layer.forward(scores, t) + self._decay_penalty() + self._l1_penalty()

    # ----------------------------------------------------------------- backward
    def gradient(self, x: np.ndarray, t: np.ndarray) -> dict[str, np.ndarray]:
        """Forward (train=True) then backprop; return ``grads`` (same keys as ``params``).

        dW of every layer gets the decay term dW += λW and the L1 term dW += λ₁ sign(W).  The returned arrays
        are reused by the next call.  ``last_loss`` holds this batch's loss.
        """
        self.last_loss = self.loss(x, t, train=True)
        dout = self.last_layer.backward(1.0)  # (y − t)/N  (mse: 2(y − t)/N)
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        lam = self._lambda
        if lam != 0:
            for a in self.affines:
                a.dW += lam * a.W  # ∂(½λ‖W‖²)/∂W = λW
        self._add_l1_subgradient()
        return self.grads

    def loss_and_gradient(self, x: np.ndarray, t: np.ndarray) -> tuple[np.generic, dict[str, np.ndarray]]:
        """One forward and one backward pass: (loss, grads)."""
        grads = self.gradient(x, t)
        return self.last_loss, grads

    # ------------------------------------------------------------ evaluation
    def accuracy(self, x: np.ndarray, t: np.ndarray, batch_size: int = 1000, train: bool = False) -> float:
        """Fraction of argmax(scores) == label, evaluated in chunks of ``batch_size`` rows.

        ``t`` is integer labels or one-hot rows.
        """
        t = np.asarray(t)
        if t.ndim == 2:
            t = t.argmax(axis=1)
        n = len(t)
        if n == 0:
            return float("nan")
        correct = 0
        for start in range(0, n, batch_size):
            scores = self._forward(x[start : start + batch_size], train)
            correct += int(np.count_nonzero(scores.argmax(axis=1) == t[start : start + batch_size]))
        return correct / n

    # --------------------------------------------------------------- lessons
    @property
    def activations(self) -> list[np.ndarray]:
        """Copies of each hidden layer's activation output from the last forward pass."""
        outs = []
        for act in self.activation_layers:
            out = act._out
            if out is not None:
                outs.append(out.copy())
        return outs

    def layer_grad_norms(self) -> dict[str, float]:
        """‖dWᵢ‖ (Frobenius) of every layer from the last backward pass, keyed "W1"…"Wn"."""
        return {f"W{i}": float(np.sqrt(np.vdot(a.dW, a.dW))) for i, a in enumerate(self.affines, 1)}

    # --------------------------------------------------------------- transfer
    def frozen_keys(self, freeze: int) -> tuple[str, ...]:
        """The parameters of the ``freeze`` lowest Affine layers: W1, b1, …, W_k, b_k."""
        n_layers = len(self.affines)
        if not 0 <= int(freeze) < n_layers:
            raise BAD_FREEZE.error(most=n_layers - 1, value=repr(freeze))
        if freeze and self.batchnorm:
            raise FREEZE_BATCHNORM.error()
        return tuple(k for i in range(1, int(freeze) + 1) for k in (f"W{i}", f"b{i}"))

    def trainable(self, freeze: int = 0) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
        """``(θ, ∇θ, views)`` of the parameters an optimizer updates when the ``freeze`` lowest
        layers are frozen: the tails of ``flat_params`` and ``flat_grads`` after W1, b1, …, W_k, b_k
        (they come first in the flat layout), and the views of the other parameters."""
        frozen = self.frozen_keys(freeze)
        start = sum(self.params[k].size for k in frozen)
        views = {k: v for k, v in self.params.items() if k not in frozen}
        return self.flat_params[start:], self.flat_grads[start:], views

    def copy_layers(self, params: Mapping[str, np.ndarray], k: int) -> None:
        """Copy W1, b1, …, W_k, b_k from ``params`` (another network's, same shapes) into this one, in place."""
        for key in self.frozen_keys(k):
            if params[key].shape != self.params[key].shape:
                raise COPY_SHAPE.error(key=key, shape=params[key].shape, expected=self.params[key].shape)
            self.params[key][...] = params[key]

    def fix_dropout_masks(self, fixed: bool = True) -> None:
        """Freeze (or release) every Dropout mask: for gradient checks."""
        for drop in self.dropout_layers:
            drop.fix_mask() if fixed else drop.release_mask()

    def __repr__(self) -> str:
        return (
            f"MLP(sizes={self.sizes}, activation={self.activation!r}, init={self.init!r}, "
            f"batchnorm={self.batchnorm}, dropout={self.dropout}, "
            f"weight_decay={self.weight_decay}, dtype={self.dtype.name}"
            + (f", l1={self.l1}" if self.l1 else "") + ")"
        )


def activation_stats(
    x: np.ndarray | None = None,
    n_layers: int = 5,
    width: int = 100,
    activation: str = "sigmoid",
    init: str | float = 1.0,
    seed: int | None = None,
    dtype: np.dtype | type = np.float64,
) -> list[np.ndarray]:
    """The book's activation-histogram experiment (§6.2.2): a forward pass only.

    ``x`` defaults to 1000×100 samples of N(0, 1).  Each of ``n_layers`` layers
    computes  a = activation(z),  z = a_prev W  (no biases), W of shape
    (width, width) — the first (n_in, width) — scaled by ``init``.  Returns the
    list of activations a₁ … a_n (each (N, width)), ready for histograms:
    std 1 sigmoid saturates at 0/1, std 0.01 collapses to 0.5, Xavier spreads.
    """
    dt = _check_dtype(dtype)
    init = check_init(init)
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((1000, 100)).astype(dt) if x is None else np.asarray(x, dtype=dt)
    outs = []
    for _ in range(n_layers):
        W = init_weight(a.shape[1], width, init, rng, dt)
        z = a @ W  # z = a W
        a = make_activation(activation).forward(z).copy()  # a = h(z)
        outs.append(a)
    return outs
