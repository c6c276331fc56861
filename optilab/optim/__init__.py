"""Optimizers of SPEC §1 and learning-rate schedules.

    >>> from optilab import optim
    >>> opt = optim.create("adam", lr=0.1)
    >>> opt.step(params, grads)          # dicts of numpy arrays, updated in place

`names()` lists the optimizers; `parse_spec("momentum:lr=0.1,momentum=0.8")`
turns the command-line form into ``(name, hparams)``.
"""

from __future__ import annotations

from typing import Any

from optilab.optim.adaptive import AdaGrad, Adam, AdamW, RMSprop
from optilab.optim.base import MAX_LR, Optimizer
from optilab.optim.schedules import (
    Constant,
    Cosine,
    ExponentialDecay,
    InverseTime,
    ReduceOnPlateau,
    Schedule,
    StepDecay,
    Warmup,
    create_schedule,
    schedule_names,
)
from optilab.optim.sgd import SGD, Momentum, Nesterov

_REGISTRY: dict[str, type[Optimizer]] = {
    cls.name: cls for cls in (SGD, Momentum, Nesterov, AdaGrad, RMSprop, Adam, AdamW)
}

__all__ = [
    "Optimizer", "SGD", "Momentum", "Nesterov", "AdaGrad", "RMSprop", "Adam", "AdamW",
    "create", "names", "get_class", "parse_spec", "MAX_LR",
    "Schedule", "Constant", "StepDecay", "ExponentialDecay", "InverseTime", "Cosine", "Warmup",
    "ReduceOnPlateau", "create_schedule", "schedule_names",
]


def names() -> list[str]:
    """The optimizer names, in teaching order."""
    return list(_REGISTRY)


def get_class(name: str) -> type[Optimizer]:
    """The optimizer class for ``name``; ValueError lists the choices."""
    cls = _REGISTRY.get(str(name).strip().lower())
    if cls is None:
        raise ValueError(f"unknown optimizer {name!r}; choose one of: {', '.join(_REGISTRY)}")
    return cls


def create(name: str, **hparams: Any) -> Optimizer:
    """Make the optimizer ``name`` with SPEC defaults overridden by ``hparams``."""
    return get_class(name)(**hparams)


def parse_spec(spec: str) -> tuple[str, dict[str, Any]]:
    """Parse ``"NAME[:key=value,...]"`` into ``(name, hparams)`` and validate it.

    Values are numbers, or true/false for ``bias_correction``.  Raises
    ValueError with a one-line reason (unknown optimizer or key, bad number).
    """
    name, _, rest = str(spec).partition(":")
    cls = get_class(name)
    hparams: dict[str, Any] = {}
    for item in filter(None, (part.strip() for part in rest.split(","))):
        key, eq, value = item.partition("=")
        key, value = key.strip(), value.strip()
        if not eq or not key or not value:
            raise ValueError(f"bad setting {item!r} in {spec!r}; write key=value, e.g. {cls.name}:lr=0.1")
        if key not in cls.defaults:
            raise ValueError(
                f"{cls.name} has no hyperparameter {key!r}; valid ones are: {', '.join(cls.defaults)}"
            )
        if key == "bias_correction":
            lowered = value.lower()
            if lowered not in ("true", "false", "1", "0", "yes", "no", "on", "off"):
                raise ValueError(f"{cls.name}: bias_correction must be true or false, got {value!r}")
            hparams[key] = lowered in ("true", "1", "yes", "on")
        else:
            try:
                hparams[key] = float(value)
            except ValueError:
                raise ValueError(f"{cls.name}: {key} must be a number, got {value!r}") from None
    cls(**hparams)  # validates ranges
    return cls.name, hparams
