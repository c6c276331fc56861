"""`RunConfig`: everything that defines one training run, validated once.

The settings dock of the app edits one, the `Trainer` reads it, a scenario
file stores it as JSON (`to_dict` / `from_dict`).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any, Mapping

import numpy as np

from optilab import optim
from optilab.nn.init import check_init
from optilab.nn.mlp import make_activation

ACTIVATIONS = ("relu", "sigmoid", "tanh", "leaky_relu")
DTYPES = ("float32", "float64")


@dataclass(frozen=True)
class RunConfig:
    """One training run of the book's MLP on MNIST.

    Attributes:
        label: name of the run in plots and CSV files (default: the optimizer).
        optimizer, hparams: as `optilab.optim.create(optimizer, **hparams)`.
        schedule, schedule_args: as `optilab.optim.create_schedule`; "constant"
            keeps η fixed.  Reduce-on-plateau watches the mean training loss
            between evaluations.
        hidden, activation, init, batchnorm, dropout, weight_decay: the `MLP`.
        batch_size: minibatch size; batches are drawn with replacement, as
            the book's ``np.random.choice(N, batch)``.
        iterations / epochs: length of the run; give one (epochs wins when
            set).  An epoch is ⌊N/batch⌋ iterations, at least one.
        train_size: use the first N training images (None: all).
        val_fraction: share of those held out (shuffled by seed) for validation.
        eval_interval: evaluate every k iterations (None: once per epoch),
            always at iteration 0 and at the end.
        eval_train_size: train accuracy is measured on at most this many
            training images (a fixed subset; None: all of them).
        seed: weights, batches and splits all follow from it.
        dtype: "float32" (fast) or "float64".
    """

    label: str = ""
    optimizer: str = "sgd"
    hparams: Mapping[str, Any] = field(default_factory=dict)
    schedule: str = "constant"
    schedule_args: Mapping[str, Any] = field(default_factory=dict)
    hidden: tuple[int, ...] = (100, 100, 100, 100)
    activation: str = "relu"
    init: str | float = "he"
    batchnorm: bool = False
    dropout: float = 0.0
    weight_decay: float = 0.0
    batch_size: int = 100
    iterations: int | None = 2000
    epochs: float | None = None
    train_size: int | None = None
    val_fraction: float = 0.0
    eval_interval: int | None = None
    eval_train_size: int | None = 10000
    seed: int = 0
    dtype: str = "float32"

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        if not isinstance(self.label, str):
            raise ValueError(f"label must be text, got {self.label!r}")
        for key in ("hparams", "schedule_args"):
            if not isinstance(getattr(self, key), Mapping):
                raise ValueError(f"{key} must be a mapping of setting names to values, got {getattr(self, key)!r}")
        if not isinstance(self.batchnorm, (bool, np.bool_)):
            raise ValueError(f"batchnorm must be true or false, got {self.batchnorm!r}")
        name, hparams = self.optimizer, dict(self.hparams)
        optim.create(name, **hparams)  # raises ValueError listing the choices
        set_(self, "optimizer", optim.get_class(name).name)
        set_(self, "hparams", hparams)
        if self.schedule not in optim.schedule_names():
            raise ValueError(
                f"unknown schedule {self.schedule!r}; choose one of: {', '.join(optim.schedule_names())}"
            )
        optim.create_schedule(self.schedule, optim.create(name, **hparams), **dict(self.schedule_args))
        set_(self, "schedule_args", dict(self.schedule_args))
        hidden = tuple(self.hidden)
        if not hidden or len(hidden) > 20 or any(not _is_int(h) or not 1 <= int(h) <= 4096 for h in hidden):
            raise ValueError(f"hidden must be 1 to 20 layer sizes between 1 and 4096, got {list(hidden)}")
        set_(self, "hidden", tuple(int(h) for h in hidden))
        make_activation(self.activation)
        set_(self, "init", check_init(self.init))
        set_(self, "batchnorm", bool(self.batchnorm))
        _check_range("dropout", self.dropout, 0.0, 0.95)
        _check_range("weight_decay", self.weight_decay, 0.0, 100.0)
        _check_int("batch_size", self.batch_size, 1, 100_000)
        if self.epochs is None and self.iterations is None:
            raise ValueError("give either iterations or epochs")
        if self.epochs is not None:
            _check_range("epochs", self.epochs, 1e-9, 100_000)
        if self.iterations is not None:
            _check_int("iterations", self.iterations, 1, 100_000_000)
        if self.train_size is not None:
            _check_int("train_size", self.train_size, 1, 10_000_000)
        _check_range("val_fraction", self.val_fraction, 0.0, 0.9)
        if self.eval_interval is not None:
            _check_int("eval_interval", self.eval_interval, 1, 100_000_000)
        if self.eval_train_size is not None:
            _check_int("eval_train_size", self.eval_train_size, 1, 10_000_000)
        _check_int("seed", self.seed, 0, 2**63 - 1)
        if self.dtype not in DTYPES:
            raise ValueError(f"dtype must be one of {', '.join(DTYPES)}, got {self.dtype!r}")
        if not self.label:
            set_(self, "label", self.optimizer)

    def replace(self, **changes: Any) -> "RunConfig":
        """A copy with some fields changed (validated again)."""
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values."""
        d = asdict(self)
        d["hidden"] = list(self.hidden)
        return d

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "RunConfig":
        """Inverse of `to_dict`; unknown keys raise ValueError naming them."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown training setting {unknown[0]!r}; valid ones are: {', '.join(sorted(known))}")
        kwargs = dict(data)
        if "hidden" in kwargs:
            if not isinstance(kwargs["hidden"], (list, tuple)):
                raise ValueError(f"hidden must be a list of layer sizes, got {kwargs['hidden']!r}")
            kwargs["hidden"] = tuple(kwargs["hidden"])
        return cls(**kwargs)


def _is_int(v: Any) -> bool:
    if isinstance(v, (bool, str)):
        return False
    try:
        return float(v) == int(v)
    except (TypeError, ValueError, OverflowError):
        return False


def _check_int(name: str, v: Any, low: int, high: int) -> None:
    if not _is_int(v) or not low <= int(v) <= high:
        raise ValueError(f"{name} must be a whole number from {low:,} to {high:,}, got {v!r}")


def _check_range(name: str, v: Any, low: float, high: float) -> None:
    ok = not isinstance(v, (bool, str))
    try:
        ok = ok and math.isfinite(float(v)) and low <= float(v) <= high
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise ValueError(f"{name} must be a number from {low:g} to {high:g}, got {v!r}")
