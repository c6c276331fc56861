"""The numbers of one recorded step, as an optimizer's `step_lines` prints them.

`StepNumbers` is what the numbers panel hands an optimizer class: step k
moved the point from ``x_prev`` (= x_{k−1}) to ``x_new`` (= x_k) with the
gradient ``g`` recorded at x_{k−1}, turning the state ``state_prev`` into
``state``.  It holds plain numbers only (no trajectory: optim is the bottom
layer).  `num` and `vec` format them as the panel shows them (4 significant
digits).  `StepNumbers.recorded` reads them from a run's recorded arrays
(the trajectory's ``x``, ``y``, ``grad``, ``state``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from optilab import messages

__all__ = ["STEP_OUT_OF_RANGE", "StepNumbers", "num", "vec"]

STEP_OUT_OF_RANGE = messages.declare("optim.step_out_of_range", "step must be in 0…{last}, got {k}")


def num(value: float) -> str:
    """A compact number for the panel: 4 significant digits (``inf``/``nan`` as Python writes them)."""
    value = float(value) + 0.0    # −0.0 + 0.0 is 0.0: a panel never shows "−0"
    if not math.isfinite(value):
        return str(value)
    return f"{value:.4g}"


def vec(values: Sequence[float]) -> str:
    """A vector for the panel: ``(a, b)``."""
    return "(" + ", ".join(num(float(v)) for v in values) + ")"


def _frozen(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class StepNumbers:
    """Step ``k`` of a 2-D run: x_{k−1} → x_k with g = g(x_{k−1}); state before and after.

    At k = 0 nothing has happened: ``x_prev == x_new`` is the start and the
    states are the initial zeros.
    """

    k: int
    x_prev: tuple[float, ...]
    x_new: tuple[float, ...]
    g: tuple[float, ...]
    state_prev: Mapping[str, tuple[float, ...]] = field(default_factory=dict)
    state: Mapping[str, tuple[float, ...]] = field(default_factory=dict)
    hparams: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("state_prev", "state", "hparams"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))

    @classmethod
    def recorded(cls, k: int, x: np.ndarray, y: np.ndarray, grad: np.ndarray,
                 state: Mapping[str, np.ndarray], hparams: Mapping[str, Any]) -> StepNumbers:
        """Step ``k`` of a recorded 2-D run: points ``x[i], y[i]``, gradients ``grad[i]``
        seen there, ``state[name][i]`` after update i (0 ≤ k < len(x), else `STEP_OUT_OF_RANGE`)."""
        last = len(x) - 1
        if not 0 <= k <= last:
            raise STEP_OUT_OF_RANGE.error(last=last, k=k)
        j = max(k - 1, 0)

        def pair(arr: np.ndarray, i: int) -> tuple[float, float]:
            return float(arr[i][0]), float(arr[i][1])

        return cls(
            k=k,
            x_prev=(float(x[j]), float(y[j])),
            x_new=(float(x[k]), float(y[k])),
            g=pair(grad, j),
            state_prev={name: pair(arr, j) for name, arr in state.items()},
            state={name: pair(arr, k) for name, arr in state.items()},
            hparams=hparams,
        )
