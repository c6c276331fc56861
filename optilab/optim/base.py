"""The `Optimizer` base class: hyperparameter checks, per-parameter state, `step`, step lines.

An optimizer updates a dict of numpy arrays in place, one key at a time, with
the rule of its subclass's `_update` (one short function per equation, see
docs/equations.md#optimizers).  State arrays (``v``, ``h``, ``m`` …) are created lazily
with the parameter's shape and dtype, so float32 stays float32.  Every
hyperparameter is checked by its `Setting` (`optilab.optim.hparams`), and the
class writes its own numbers-panel lines (`step_lines`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar

import numpy as np

from optilab import messages
from optilab.optim import registry
from optilab.optim.hparams import HPARAMS, MAX_LR
from optilab.optim.step_numbers import StepNumbers, vec
from optilab.rules import Setting

__all__ = ["MAX_LR", "NO_HPARAM", "Optimizer"]

#: Types of `_update`'s arguments: an array, its state, the hyperparameters.
Array = np.ndarray
State = dict[str, Any]
HParams = dict[str, Any]

NO_HPARAM = messages.declare("optim.no_hparam", "{opt} has no hyperparameter {key}; valid ones are: {valid}")


class Optimizer:
    """Base class.  A subclass sets `name`, `title`, `defaults`, `state_names`,
    `equation`, `order`, and writes `_update` (and `update_lines`); naming it registers it.

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
    #: Place in the teaching order of `optim.names()` (SGD 10 … AdamW 70).
    order: ClassVar[float] = 1000
    #: Settings of hyperparameters `optim.HPARAMS` does not declare (a new optimizer's own).
    own_settings: ClassVar[tuple[Setting, ...]] = ()
    #: What a step reads besides the gradient: "" nothing (it can train a network); "function" f and ∇f
    #: at any point, "hessian" ∇²f (`optilab.optim.objective`: bound to the surface before stepping).
    needs: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "name" not in cls.__dict__ or not cls.name:
            return
        missing = [key for key in cls.defaults if key not in cls._settings_by_key()]
        if missing:
            raise TypeError(f"{cls.__qualname__}: no Setting for hyperparameter {missing[0]!r}; "
                            "declare it in optim/hparams.py or in the class's own_settings")
        registry.register(cls)

    @classmethod
    def _settings_by_key(cls) -> dict[str, Setting]:
        own = {s.key: s for s in cls.own_settings}
        return {key: own.get(key) or HPARAMS[key] for key in cls.defaults if key in own or key in HPARAMS}

    @classmethod
    def settings(cls) -> list[Setting]:
        """The `Setting` of each hyperparameter, in the order of `defaults`."""
        return list(cls._settings_by_key().values())

    @classmethod
    def check(cls, key: str, value: Any) -> Any:
        """``value`` (a number, a bool or text) checked as hyperparameter ``key``; OptilabError otherwise."""
        return cls.checked({key: value})[key]

    @classmethod
    def checked(cls, hparams: Mapping[str, Any]) -> dict[str, Any]:
        """``hparams`` (numbers, bools or text) converted and checked, unknown keys refused.

        Returns only the given keys, as the values the optimizer will use
        (``"0.1"`` → 0.1, ``"false"`` → False): keep these, not the input.
        """
        unknown = sorted(set(hparams) - set(cls.defaults))
        if unknown:
            raise NO_HPARAM.error(opt=cls.name, key=repr(unknown[0]), valid=", ".join(cls.defaults))
        settings = cls._settings_by_key()
        return {key: settings[key].check(value, owner=cls.name) for key, value in hparams.items()}

    def __init__(self, **hparams: Any) -> None:
        self.hparams: dict[str, Any] = self.checked({**self.defaults, **hparams})
        self.state: dict[str, dict[str, Any]] = {}
        self._scratch: dict[str, np.ndarray] = {}
        #: `step_flat`'s (θ, its state, scratch, the per-key states viewing it), None before its first call.
        self._flat: tuple[np.ndarray, State, np.ndarray, dict[str, State]] | None = None

    # -- hyperparameters -------------------------------------------------
    @property
    def lr(self) -> float:
        """The learning rate η; settable between steps (schedules do this)."""
        return float(self.hparams["lr"])

    @lr.setter
    def lr(self, value: float) -> None:
        self.hparams["lr"] = HPARAMS["lr"].check(value, owner=self.name)

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

    def step_flat(self, theta: np.ndarray, grad: np.ndarray,
                  views: Mapping[str, np.ndarray] | None = None) -> None:
        """Update the flat vector ``theta`` (every parameter of a network, e.g. `MLP.flat_params`)
        in place from ``grad`` (`MLP.flat_grads`): `_update` once, each equation line one numpy
        call over all parameters.

        The rules are elementwise, so this is, number for number, `step` over the per-layer
        arrays (docs/equations.md#optimizers).  ``views`` (e.g. `MLP.params`: key → a contiguous
        view of ``theta``) names the parts: ``state[key]`` then holds views of the flat state
        arrays, as `step` would have made them, so `step` and `step_flat` can follow each other,
        and a ``state[key]`` replaced from outside (a saved state restored) is gathered again.
        """
        flat = self._flat
        if flat is None or flat[0] is not theta or any(self.state.get(k) is not p for k, p in flat[3].items()):
            flat = self._flat = self._gather(theta, views or {})
        _, st, tmp, parts = flat
        for part in parts.values():
            st["step"] = part["step"]                 # per-key steps in between count too
            break
        st["step"] += 1
        self._update(theta, grad, st, tmp, self.hparams)
        for part in parts.values():
            part["step"] = st["step"]

    def _gather(self, theta: np.ndarray, views: Mapping[str, np.ndarray]
                ) -> tuple[np.ndarray, State, np.ndarray, dict[str, State]]:
        """θ's flat state, filled from the ``state[key]`` of each of ``views`` that has one;
        then ``state[key]`` (and its scratch) become the slices where that view lies in θ."""
        st, tmp = self._init_state(theta), np.empty_like(theta)
        start0, parts, steps = theta.__array_interface__["data"][0], {}, set()
        for key, view in views.items():
            offset = (view.__array_interface__["data"][0] - start0) // theta.itemsize
            if not (view.flags.c_contiguous and np.shares_memory(view, theta)
                    and 0 <= offset <= theta.size - view.size):
                raise ValueError(f"parameter {key!r} is not a contiguous view of the flat vector")
            sl = slice(offset, offset + view.size)
            old = self.state.get(key)
            steps.add(old["step"] if old else 0)
            for name in self.state_names:
                if old:
                    st[name][sl] = np.asarray(old[name]).ravel()
            part = self.state[key] = {"step": 0, **{n: st[n][sl].reshape(view.shape) for n in self.state_names}}
            self._scratch[key] = tmp[sl].reshape(view.shape)
            parts[key] = part
        if len(steps) > 1:
            raise ValueError(f"parameters stepped unequally ({sorted(steps)}): one flat state cannot hold them")
        st["step"] = steps.pop() if steps else 0
        for part in parts.values():
            part["step"] = st["step"]
        return theta, st, tmp, parts

    def stepper(self, key: str, param: np.ndarray) -> Callable[[np.ndarray], None]:
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
        self._flat = None

    # -- the numbers panel -----------------------------------------------
    @classmethod
    def step_lines(cls, n: StepNumbers) -> list[str]:
        """The update that produced step ``n.k``, one line per equation with the numbers substituted.

        At k = 0 it says that nothing has happened yet; otherwise it is the
        class's `update_lines`.  Only recorded numbers are printed.
        """
        if n.k == 0:
            return [f"start: x₀ = {vec(n.x_new)}; no update yet"]
        return cls.update_lines(n)

    @classmethod
    def step_note(cls, n: StepNumbers) -> messages.Message | None:
        """What the lab should point out about step ``n.k`` (Newton: a singular or indefinite
        Hessian), read from its recorded numbers; None (nothing) by default."""
        return None

    @classmethod
    def update_lines(cls, n: StepNumbers) -> list[str]:
        """The lines of step k ≥ 1; this fallback shows `equation` and x_{k−1} → x_k."""
        return [f"{cls.equation}: {vec(n.x_prev)} → {vec(n.x_new)}"]

