"""Weight initialisation schemes (book §6.2).

    "zeros"   W = 0                      (lesson: symmetric units never differ)
    "xavier"  W ~ N(0, 1/n_in)           std √(1/n_in)   (Glorot & Bengio, as the book)
    "he"      W ~ N(0, 2/n_in)           std √(2/n_in)   (He et al. 2015, for ReLU)
    σ (float) W ~ N(0, σ²)               the book's 0.01 and 1.0 lessons
Biases start at 0.  The scale applies to every layer, the output one included,
as in the book's ``MultiLayerNet``.
"""

from __future__ import annotations

import math
from numbers import Real

import numpy as np

from optilab import messages

__all__ = ["INIT_CHOICES", "check_init", "init_weight", "weight_std"]

INIT_CHOICES: tuple[str, ...] = ("zeros", "xavier", "he")

BAD_INIT = messages.declare("nn.bad_init", "init must be one of {choices} or a non-negative float std, got {value}")



def check_init(init: str | float) -> str | float:
    """Validate an init spec: one of INIT_CHOICES or a non-negative float std.

    A numeric string such as ``"0.01"`` (from a CLI or a settings file) is
    accepted as a float.  Raise ``ValueError`` listing the choices otherwise.
    """
    value: object = init
    if isinstance(init, str):
        name = init.strip().lower()
        if name in INIT_CHOICES:
            return name
        try:
            value = float(name)
        except ValueError:
            value = None
    if isinstance(value, Real) and not isinstance(value, bool):
        std = float(value)
        if math.isfinite(std) and std >= 0.0:
            return std
    raise BAD_INIT.error(choices=", ".join(repr(c) for c in INIT_CHOICES), value=repr(init))


def weight_std(init: str | float, n_in: int) -> float:
    """Standard deviation of the weights of a layer with ``n_in`` inputs."""
    init = check_init(init)
    if init == "zeros":
        return 0.0
    if init == "xavier":
        return math.sqrt(1.0 / n_in)  # √(1/n_in)
    if init == "he":
        return math.sqrt(2.0 / n_in)  # √(2/n_in)
    return float(init)


def init_weight(
    n_in: int,
    n_out: int,
    init: str | float,
    rng: np.random.Generator,
    dtype: np.dtype | type = np.float64,
) -> np.ndarray:
    """W of shape (n_in, n_out), entries N(0, std²) with std from ``weight_std``.

    Drawn in float64 then cast, so a float32 and a float64 net built from the
    same seed hold the same weights up to rounding.
    """
    std = weight_std(init, n_in)
    if std == 0.0:
        return np.zeros((n_in, n_out), dtype=dtype)
    return (std * rng.standard_normal((n_in, n_out))).astype(dtype)
