"""The `Optimizer` base class: hyperparameter checks, per-parameter state, `step`.

An optimizer updates a dict of numpy arrays in place, one key at a time, with
the rule of its subclass's `_update` (one short function per equation, see
SPEC §1).  State arrays (``v``, ``h``, ``m`` …) are created lazily with the
parameter's shape and dtype, so float32 stays float32.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar, Mapping

import numpy as np

#: The largest learning rate accepted: beyond this every lesson is divergence.
MAX_LR = 1e6

# What each hyperparameter may be, for checks and error messages.
_RULES: dict[str, tuple[str, Any]] = {
    "lr": ("a number > 0 and ≤ 1e6", lambda v: 0.0 < v <= MAX_LR),
    "momentum": ("a number in [0, 1)", lambda v: 0.0 <= v < 1.0),
    "decay_rate": ("a number in [0, 1)", lambda v: 0.0 <= v < 1.0),
    "beta1": ("a number in [0, 1)", lambda v: 0.0 <= v < 1.0),
    "beta2": ("a number in [0, 1)", lambda v: 0.0 <= v < 1.0),
    "eps": ("a number > 0 and < 1", lambda v: 0.0 < v < 1.0),
    "weight_decay": ("a number ≥ 0 and < 1e3", lambda v: 0.0 <= v < 1e3),
}


class Optimizer:
    """Base class.  Subclasses set `name`, `defaults`, `state_names`, `_update`.

    Attributes:
        state: ``{key: {"step": t, name: array, ...}}`` for every parameter key
            seen so far, where the names are `state_names` (``v``; ``h``; ``m``,
            ``v``, ``m_hat``, ``v_hat``).  The UI reads it to show the numbers
            behind a step.
    """

    name: ClassVar[str] = ""
    title: ClassVar[str] = ""
    defaults: ClassVar[dict[str, Any]] = {}
    state_names: ClassVar[tuple[str, ...]] = ()
    equation: ClassVar[str] = ""

    def __init__(self, **hparams: Any) -> None:
        unknown = sorted(set(hparams) - set(self.defaults))
        if unknown:
            raise ValueError(
                f"{self.name} has no hyperparameter {unknown[0]!r}; "
                f"valid ones are: {', '.join(self.defaults)}"
            )
        self.hparams: dict[str, Any] = {}
        for key, default in self.defaults.items():
            self.hparams[key] = _check(self.name, key, hparams.get(key, default))
        self.state: dict[str, dict[str, Any]] = {}
        self._scratch: dict[str, np.ndarray] = {}

    # -- hyperparameters -------------------------------------------------
    @property
    def lr(self) -> float:
        """The learning rate η; settable between steps (schedules do this)."""
        return self.hparams["lr"]

    @lr.setter
    def lr(self, value: float) -> None:
        self.hparams["lr"] = _check(self.name, "lr", value)

    def __getattr__(self, key: str) -> Any:
        hparams = self.__dict__.get("hparams", {})
        if key in hparams:
            return hparams[key]
        raise AttributeError(key)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.hparams.items())
        return f"{type(self).__name__}({args})"

    # -- stepping -------------------------------------------------------
    def step(self, params: Mapping[str, np.ndarray], grads: Mapping[str, np.ndarray]) -> None:
        """Update every array of ``params`` in place from ``grads`` (same keys)."""
        state, scratch, hp = self.state, self._scratch, self.hparams
        for key, param in params.items():
            st = state.get(key)
            if st is None:
                st = state[key] = self._init_state(param)
                scratch[key] = np.empty_like(param)
            st["step"] += 1
            self._update(param, grads[key], st, scratch[key], hp)

    def stepper(self, key: str, param: np.ndarray):
        """A function ``step(grad)`` that updates ``param`` in place, as `step` would for ``key``.

        For hot loops over one small array (the trajectory engine's 2-D
        point): it skips the per-call dict work of `step`; the state is the
        same ``state[key]`` and hyperparameter changes (``lr``) still apply.
        """
        st = self.state.get(key)
        if st is None:
            st = self.state[key] = self._init_state(param)
            self._scratch[key] = np.empty_like(param)
        tmp, hp, update = self._scratch[key], self.hparams, self._update

        def step(grad: np.ndarray) -> None:
            st["step"] += 1
            update(param, grad, st, tmp, hp)

        return step

    def _init_state(self, param: np.ndarray) -> dict[str, Any]:
        st: dict[str, Any] = {"step": 0}
        for name in self.state_names:
            st[name] = np.zeros_like(param)
        return st

    def _update(self, x: np.ndarray, g: np.ndarray, st: dict[str, Any], tmp: np.ndarray,
                hp: dict[str, Any]) -> None:
        """The update rule for one array: ``x`` in place from gradient ``g``.

        ``st`` holds this array's state, ``tmp`` is a scratch array of the
        same shape (so the rule allocates nothing), ``hp`` the hyperparameters.
        """
        raise NotImplementedError

    def reset(self) -> None:
        """Forget all state (velocities, accumulators, step counts)."""
        self.state.clear()
        self._scratch.clear()


def _check(opt: str, key: str, value: Any) -> Any:
    """Validate one hyperparameter; raise a ValueError that says what is allowed."""
    if key == "bias_correction":
        if not isinstance(value, (bool, np.bool_)):
            raise ValueError(f"{opt}: bias_correction must be true or false, got {value!r}")
        return bool(value)
    what, ok = _RULES[key]
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{opt}: {key} must be {what}, got {value!r}") from None
    if isinstance(value, (bool, np.bool_)) or not math.isfinite(number) or not ok(number):
        raise ValueError(f"{opt}: {key} must be {what}, got {value!r}")
    return number
