"""The running averages the adaptive optimizers keep (docs/equations.md#optimizers), one function each.

    m ← β m + (1−β) g        (`average`: Adam's and NAdam's m, Lion's m)
    v ← β v + (1−β) g²       (`average_square`: RMSprop's h, Adam's v, Adadelta's v and u)

Both update ``avg`` in place with ``tmp`` as scratch (no allocation), in this
order of numpy calls, so every optimizer using them steps number for number as
when each wrote the line itself.
"""

from __future__ import annotations

import numpy as np

__all__ = ["average", "average_square"]


def average(avg: np.ndarray, value: np.ndarray, beta: float, tmp: np.ndarray) -> None:
    """avg ← β avg + (1−β) value, in place."""
    avg *= beta
    np.multiply(value, 1.0 - beta, out=tmp)
    avg += tmp


def average_square(avg: np.ndarray, value: np.ndarray, beta: float, tmp: np.ndarray) -> None:
    """avg ← β avg + (1−β) value², in place."""
    avg *= beta
    np.multiply(value, value, out=tmp)
    tmp *= 1.0 - beta
    avg += tmp
