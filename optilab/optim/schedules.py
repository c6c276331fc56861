"""Learning-rate schedules (SPEC §1): small objects that set ``optimizer.lr``.

Call ``schedule.step()`` once per optimizer step (``step(metric)`` for
reduce-on-plateau, once per evaluation).  Each schedule remembers the
optimizer's learning rate at construction as η₀ and exposes ``lr_at(t)``, the
rate it sets after t steps, so a plot can show the whole curve in advance.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

from optilab.optim.base import Optimizer


class Schedule:
    """Base: ``step()`` advances t by one and sets ``optimizer.lr = lr_at(t)``."""

    name: ClassVar[str] = ""
    title: ClassVar[str] = ""

    def __init__(self, optimizer: Optimizer) -> None:
        self.optimizer = optimizer
        self.base_lr = optimizer.lr
        self.t = 0

    def lr_at(self, t: int) -> float:
        raise NotImplementedError

    def step(self, metric: float | None = None) -> float:
        """Advance one step; returns the new learning rate."""
        self.t += 1
        lr = max(self.lr_at(self.t), 1e-300)
        self.optimizer.lr = lr
        return lr


class Constant(Schedule):
    """η_t = η₀."""

    name = "constant"
    title = "constant"

    def lr_at(self, t: int) -> float:
        return self.base_lr


class StepDecay(Schedule):
    """η_t = η₀ · γ^⌊t / k⌋  (×γ every k steps; PyTorch StepLR)."""

    name = "step"
    title = "step decay"

    def __init__(self, optimizer: Optimizer, step_size: int = 1000, gamma: float = 0.1) -> None:
        super().__init__(optimizer)
        self.step_size = _positive_int("step_size", step_size)
        self.gamma = _in_range("gamma", gamma, 0.0, 1.0, closed_high=True)

    def lr_at(self, t: int) -> float:
        return self.base_lr * self.gamma ** (t // self.step_size)


class ExponentialDecay(Schedule):
    """η_t = η₀ · γ^t  (PyTorch ExponentialLR)."""

    name = "exponential"
    title = "exponential decay"

    def __init__(self, optimizer: Optimizer, gamma: float = 0.999) -> None:
        super().__init__(optimizer)
        self.gamma = _in_range("gamma", gamma, 0.0, 1.0, closed_high=True)

    def lr_at(self, t: int) -> float:
        return self.base_lr * self.gamma**t


class InverseTime(Schedule):
    """η_t = η₀ / (1 + k t)  (1/t decay)."""

    name = "inverse-time"
    title = "1/t decay"

    def __init__(self, optimizer: Optimizer, k: float = 0.01) -> None:
        super().__init__(optimizer)
        self.k = _in_range("k", k, 0.0, math.inf)

    def lr_at(self, t: int) -> float:
        return self.base_lr / (1.0 + self.k * t)


class Cosine(Schedule):
    """η_t = η_min + ½(η₀ − η_min)(1 + cos(π t / T)) for t ≤ T, then η_min
    (PyTorch CosineAnnealingLR without restarts)."""

    name = "cosine"
    title = "cosine"

    def __init__(self, optimizer: Optimizer, t_max: int = 2000, min_lr: float = 0.0) -> None:
        super().__init__(optimizer)
        self.t_max = _positive_int("t_max", t_max)
        self.min_lr = _in_range("min_lr", min_lr, 0.0, math.inf)

    def lr_at(self, t: int) -> float:
        t = min(t, self.t_max)
        return self.min_lr + 0.5 * (self.base_lr - self.min_lr) * (1.0 + math.cos(math.pi * t / self.t_max))


class Warmup(Schedule):
    """Linear warm-up: η_t = η₀ · min(1, (t + 1) / (w + 1)), so the rate climbs
    from η₀/(w+1) to η₀ over the first w steps, then stays at η₀."""

    name = "warmup"
    title = "linear warm-up"

    def __init__(self, optimizer: Optimizer, warmup_steps: int = 100) -> None:
        super().__init__(optimizer)
        self.warmup_steps = _positive_int("warmup_steps", warmup_steps)
        optimizer.lr = self.lr_at(0)

    def lr_at(self, t: int) -> float:
        return self.base_lr * min(1.0, (t + 1) / (self.warmup_steps + 1))


class ReduceOnPlateau(Schedule):
    """×factor when the monitored loss has not improved for ``patience`` evaluations.

    PyTorch ReduceLROnPlateau semantics (mode "min", threshold mode "rel"): a
    value a is an improvement when a < best·(1 − threshold); after more than
    ``patience`` evaluations without one, η ← max(η·factor, min_lr), then
    ``cooldown`` evaluations pass before counting again.  Call ``step(loss)``
    once per evaluation; ``lr_at`` is not defined in advance for this one.
    """

    name = "plateau"
    title = "reduce on plateau"

    def __init__(self, optimizer: Optimizer, factor: float = 0.1, patience: int = 10,
                 threshold: float = 1e-4, min_lr: float = 0.0, cooldown: int = 0) -> None:
        super().__init__(optimizer)
        self.factor = _in_range("factor", factor, 0.0, 1.0)
        self.patience = _nonnegative_int("patience", patience)
        self.threshold = _in_range("threshold", threshold, 0.0, 1.0)
        self.min_lr = _in_range("min_lr", min_lr, 0.0, math.inf)
        self.cooldown = _nonnegative_int("cooldown", cooldown)
        self.best = math.inf
        self.num_bad = 0
        self.cooldown_counter = 0

    def lr_at(self, t: int) -> float:
        return self.optimizer.lr

    def step(self, metric: float | None = None) -> float:
        if metric is None:
            raise ValueError("reduce-on-plateau needs the monitored loss: call step(loss)")
        self.t += 1
        metric = float(metric)
        if metric < self.best * (1.0 - self.threshold):
            self.best = metric
            self.num_bad = 0
        else:
            self.num_bad += 1
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.num_bad = 0
        if self.num_bad > self.patience:
            old = self.optimizer.lr
            new = max(old * self.factor, self.min_lr)
            if old - new > 1e-8 * old and new > 0:
                self.optimizer.lr = new
            self.cooldown_counter = self.cooldown
            self.num_bad = 0
        return self.optimizer.lr


_SCHEDULES: dict[str, type[Schedule]] = {
    cls.name: cls
    for cls in (Constant, StepDecay, ExponentialDecay, InverseTime, Cosine, Warmup, ReduceOnPlateau)
}


def schedule_names() -> list[str]:
    """Names accepted by `create_schedule`."""
    return list(_SCHEDULES)


def create_schedule(name: str, optimizer: Optimizer, **kwargs: Any) -> Schedule:
    """Build the schedule ``name`` for ``optimizer``; ValueError lists the choices."""
    cls = _SCHEDULES.get(name)
    if cls is None:
        raise ValueError(f"unknown schedule {name!r}; choose one of: {', '.join(_SCHEDULES)}")
    import inspect

    allowed = [p for p in inspect.signature(cls.__init__).parameters if p not in ("self", "optimizer")]
    unknown = sorted(set(kwargs) - set(allowed))
    if unknown:
        raise ValueError(
            f"schedule {name!r} has no setting {unknown[0]!r}; valid ones are: {', '.join(allowed) or 'none'}"
        )
    return cls(optimizer, **kwargs)


def _number(key: str, value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{key} must be a number, got {value!r}") from None
    if not math.isfinite(number):
        raise ValueError(f"{key} must be a finite number, got {value!r}")
    return number


def _in_range(key: str, value: Any, low: float, high: float, closed_high: bool = False) -> float:
    number = _number(key, value)
    if not (low <= number and (number <= high if closed_high else number < high)):
        bracket = "]" if closed_high else ")"
        raise ValueError(f"{key} must be in [{low:g}, {high:g}{bracket}, got {value!r}")
    return number


def _positive_int(key: str, value: Any) -> int:
    number = _number(key, value)
    if number != int(number) or number < 1:
        raise ValueError(f"{key} must be a whole number ≥ 1, got {value!r}")
    return int(number)


def _nonnegative_int(key: str, value: Any) -> int:
    number = _number(key, value)
    if number != int(number) or number < 0:
        raise ValueError(f"{key} must be a whole number ≥ 0, got {value!r}")
    return int(number)
