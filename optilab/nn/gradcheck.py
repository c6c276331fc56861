"""Numerical gradients for checking backward passes (book §4.4, §5.7.3).

    ∂f/∂xᵢ ≈ (f(x + h eᵢ) − f(x − h eᵢ)) / 2h      (central difference, error O(h²))
    relative error = ‖a − b‖ / max(‖a‖ + ‖b‖, tiny)
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = ["numerical_gradient", "relative_error"]


def numerical_gradient(f: Callable[[], float] | Callable[[np.ndarray], float], x: np.ndarray,
                       h: float = 1e-5) -> np.ndarray:
    """Central-difference gradient of the scalar ``f`` with respect to ``x``.

    ``x`` (a float64 array) is perturbed in place, one entry at a time, and
    restored, so ``f`` may either take ``x`` as its argument or read it from
    wherever it lives (e.g. a network's parameter dict): call it as ``f(x)``.
    """
    if x.dtype != np.float64:
        raise ValueError(f"numerical gradients need a float64 array, got {x.dtype}")
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"], op_flags=[["readwrite"]])
    while not it.finished:
        i = it.multi_index
        saved = x[i]
        x[i] = saved + h
        f_plus = float(f(x))  # f(x + h eᵢ)
        x[i] = saved - h
        f_minus = float(f(x))  # f(x − h eᵢ)
        x[i] = saved  # restore
        grad[i] = (f_plus - f_minus) / (2 * h)
        it.iternext()
    return grad


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """‖a − b‖ / (‖a‖ + ‖b‖)  (0 when both are 0)."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    denom = np.linalg.norm(a) + np.linalg.norm(b)
    if denom == 0.0:
        return 0.0
    return float(np.linalg.norm(a - b) / denom)
