"""Learning-rate schedules (docs/equations.md#schedules): small objects that set ``optimizer.lr``.

Call ``schedule.step()`` once per optimizer step (``step(metric)`` for
reduce-on-plateau, once per evaluation).  Each schedule remembers the
optimizer's learning rate at construction as η₀ and exposes ``lr_at(t)``, the
rate it sets after t steps, so a plot can show the whole curve in advance.

Each schedule declares its parameters once as `Setting`s (``parameters``;
their defaults are those of ``__init__``): the schedule checks its values
with them, and the training dock, the CLI and the config read them through
`schedule_settings` / `schedule_defaults`.  Naming a subclass registers it.
"""

from __future__ import annotations

import inspect
import math
from typing import Any, ClassVar

from optilab import messages
from optilab.optim.base import Optimizer
from optilab.rules import Number, Setting

UNKNOWN_SCHEDULE = messages.declare("optim.schedule.unknown", "unknown schedule {name}; choose one of: {choices}")
NO_SETTING = messages.declare(
    "optim.schedule.no_setting", "schedule {name} has no setting {key}; valid ones are: {valid}")
NO_SETTING_NONE = messages.declare("optim.schedule.none", "none")
NEEDS_METRIC = messages.declare(
    "optim.schedule.needs_metric", "reduce-on-plateau needs the monitored loss: call step(loss)")

_FRACTION = Number(0.0, 1.0, high_open=True)          # [0, 1)
_FACTOR = Number(0.0, 1.0)                            # [0, 1]
_COUNT = Number(1, integer=True)                      # 1, 2, …
_NONNEGATIVE_COUNT = Number(0, integer=True)          # 0, 1, …
_NONNEGATIVE = Number(0.0)                            # [0, ∞)

MIN_LR = Setting("min_lr", _NONNEGATIVE, symbol="η_min", label="minimum learning rate",
                 description="The learning rate never falls below this.")

_REGISTRY: dict[str, type[Schedule]] = {}


class Schedule:
    """Base: ``step()`` advances t by one and sets ``optimizer.lr = lr_at(t)``.

    A subclass sets `name`, `title`, `order` and `parameters` (one `Setting`
    per keyword of its ``__init__``) and writes `lr_at`.
    """

    name: ClassVar[str] = ""
    title: ClassVar[str] = ""
    #: Place in `schedule_names()` (constant first).
    order: ClassVar[float] = 1000
    #: The `Setting` of each keyword of ``__init__``, in its order.
    parameters: ClassVar[tuple[Setting, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "name" not in cls.__dict__ or not cls.name:
            return
        keywords = [p for p in inspect.signature(cls.__init__).parameters if p not in ("self", "optimizer")]
        if keywords != [s.key for s in cls.parameters]:
            raise TypeError(f"{cls.__qualname__}: parameters must declare a Setting for each of {keywords}, in order")
        _REGISTRY[cls.name] = cls

    def __init__(self, optimizer: Optimizer) -> None:
        self.optimizer = optimizer
        self.base_lr = optimizer.lr
        self.t = 0

    @classmethod
    def _check(cls, key: str, value: Any) -> Any:
        """``value`` checked by the parameter's `Setting` ("gamma must be a number in [0, 1], got 2")."""
        return next(s for s in cls.parameters if s.key == key).check(value)

    @classmethod
    def defaults(cls) -> dict[str, Any]:
        """Each parameter's default value (those of ``__init__``)."""
        params = inspect.signature(cls.__init__).parameters
        return {s.key: params[s.key].default for s in cls.parameters}

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
    order = 10

    def lr_at(self, t: int) -> float:
        return self.base_lr


class StepDecay(Schedule):
    """η_t = η₀ · γ^⌊t / k⌋  (×γ every k steps; PyTorch StepLR)."""

    name = "step"
    title = "step decay"
    order = 20
    parameters = (
        Setting("step_size", _COUNT, symbol="k", label="steps per decay",
                description="The learning rate is multiplied by γ every this many steps."),
        Setting("gamma", _FACTOR, symbol="γ", label="decay factor",
                description="The factor the learning rate is multiplied by at each decay."),
    )

    def __init__(self, optimizer: Optimizer, step_size: int = 1000, gamma: float = 0.1) -> None:
        super().__init__(optimizer)
        self.step_size: int = self._check("step_size", step_size)
        self.gamma: float = self._check("gamma", gamma)

    def lr_at(self, t: int) -> float:
        return self.base_lr * self.gamma ** (t // self.step_size)


class ExponentialDecay(Schedule):
    """η_t = η₀ · γ^t  (PyTorch ExponentialLR)."""

    name = "exponential"
    title = "exponential decay"
    order = 30
    parameters = (
        Setting("gamma", _FACTOR, symbol="γ", label="decay factor",
                description="The factor the learning rate is multiplied by every step."),
    )

    def __init__(self, optimizer: Optimizer, gamma: float = 0.999) -> None:
        super().__init__(optimizer)
        self.gamma: float = self._check("gamma", gamma)

    def lr_at(self, t: int) -> float:
        return self.base_lr * self.gamma**t


class InverseTime(Schedule):
    """η_t = η₀ / (1 + k t)  (1/t decay)."""

    name = "inverse-time"
    title = "1/t decay"
    order = 40
    parameters = (
        Setting("k", _NONNEGATIVE, symbol="k", label="decay speed",
                description="How fast the learning rate falls: η₀ / (1 + k t)."),
    )

    def __init__(self, optimizer: Optimizer, k: float = 0.01) -> None:
        super().__init__(optimizer)
        self.k: float = self._check("k", k)

    def lr_at(self, t: int) -> float:
        return self.base_lr / (1.0 + self.k * t)


class Cosine(Schedule):
    """η_t = η_min + ½(η₀ − η_min)(1 + cos(π t / T)) for t ≤ T, then η_min
    (PyTorch CosineAnnealingLR without restarts)."""

    name = "cosine"
    title = "cosine"
    order = 50
    parameters = (
        Setting("t_max", _COUNT, symbol="T", label="steps to the minimum",
                description="The steps over which the learning rate falls along the cosine to its minimum."),
        MIN_LR,
    )

    def __init__(self, optimizer: Optimizer, t_max: int = 2000, min_lr: float = 0.0) -> None:
        super().__init__(optimizer)
        self.t_max: int = self._check("t_max", t_max)
        self.min_lr: float = self._check("min_lr", min_lr)

    def lr_at(self, t: int) -> float:
        t = min(t, self.t_max)
        return self.min_lr + 0.5 * (self.base_lr - self.min_lr) * (1.0 + math.cos(math.pi * t / self.t_max))


class Warmup(Schedule):
    """Linear warm-up: η_t = η₀ · min(1, (t + 1) / (w + 1)), so the rate climbs
    from η₀/(w+1) to η₀ over the first w steps, then stays at η₀."""

    name = "warmup"
    title = "linear warm-up"
    order = 60
    parameters = (
        Setting("warmup_steps", _COUNT, symbol="w", label="warm-up steps",
                description="The steps over which the learning rate climbs linearly to η₀."),
    )

    def __init__(self, optimizer: Optimizer, warmup_steps: int = 100) -> None:
        super().__init__(optimizer)
        self.warmup_steps: int = self._check("warmup_steps", warmup_steps)
        optimizer.lr = self.lr_at(0)

    def lr_at(self, t: int) -> float:
        return self.base_lr * min(1.0, (t + 1) / (self.warmup_steps + 1))


class ReduceOnPlateau(Schedule):
    """×factor when the monitored loss has not improved for ``patience`` evaluations
    (docs/equations.md#reduce-on-plateau).

    PyTorch ReduceLROnPlateau semantics (mode "min", threshold mode "rel"): a
    value a is an improvement when a < best·(1 − threshold); after more than
    ``patience`` evaluations without one, η ← max(η·factor, min_lr), then
    ``cooldown`` evaluations pass before counting again.  Call ``step(loss)``
    once per evaluation; ``lr_at`` is not defined in advance for this one.
    """

    name = "plateau"
    title = "reduce on plateau"
    order = 70
    parameters = (
        Setting("factor", _FRACTION, label="reduction factor",
                description="The factor the learning rate is multiplied by when the loss stops improving."),
        Setting("patience", _NONNEGATIVE_COUNT, label="patience",
                description="The evaluations without improvement tolerated before the learning rate is cut."),
        Setting("threshold", _FRACTION, label="threshold",
                description="The relative fall of the loss that counts as an improvement."),
        MIN_LR,
        Setting("cooldown", _NONNEGATIVE_COUNT, label="cooldown",
                description="The evaluations to wait after a cut before counting again."),
    )

    def __init__(self, optimizer: Optimizer, factor: float = 0.1, patience: int = 10,
                 threshold: float = 1e-4, min_lr: float = 0.0, cooldown: int = 0) -> None:
        super().__init__(optimizer)
        self.factor: float = self._check("factor", factor)
        self.patience: int = self._check("patience", patience)
        self.threshold: float = self._check("threshold", threshold)
        self.min_lr: float = self._check("min_lr", min_lr)
        self.cooldown: int = self._check("cooldown", cooldown)
        self.best = math.inf
        self.num_bad = 0
        self.cooldown_counter = 0

    def lr_at(self, t: int) -> float:
        return self.optimizer.lr

    def step(self, metric: float | None = None) -> float:
        if metric is None:
            raise NEEDS_METRIC.error()
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


def schedule_names() -> list[str]:
    """Names accepted by `create_schedule`, constant first."""
    return sorted(_REGISTRY, key=lambda name: _REGISTRY[name].order)


def schedule_class(name: str) -> type[Schedule]:
    """The schedule class ``name``; `UNKNOWN_SCHEDULE` lists the choices."""
    cls = _REGISTRY.get(name)
    if cls is None:
        raise UNKNOWN_SCHEDULE.error(name=repr(name), choices=", ".join(schedule_names()))
    return cls


def schedule_settings(name: str) -> list[Setting]:
    """The `Setting` of each parameter of schedule ``name``, in the order of its ``__init__``."""
    return list(schedule_class(name).parameters)


def schedule_defaults(name: str) -> dict[str, Any]:
    """The default value of each parameter of schedule ``name``."""
    return schedule_class(name).defaults()


def create_schedule(name: str, optimizer: Optimizer, **kwargs: Any) -> Schedule:
    """Build the schedule ``name`` for ``optimizer``, each value checked by its `Setting`."""
    cls = schedule_class(name)
    allowed = [s.key for s in cls.parameters]
    unknown = sorted(set(kwargs) - set(allowed))
    if unknown:
        raise NO_SETTING.error(name=repr(name), key=repr(unknown[0]),
                               valid=", ".join(allowed) if allowed else NO_SETTING_NONE())
    return cls(optimizer, **kwargs)
