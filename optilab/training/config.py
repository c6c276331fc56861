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

    Whole-number fields (batch_size, iterations, train_size, eval_interval,
    eval_train_size, seed, hidden) accept integral floats such as 100.0 and
    store them as int; 100.5 is refused.
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
        set_(self, "batch_size", _whole("batch_size", self.batch_size, 1, 100_000))
        if self.epochs is None and self.iterations is None:
            raise ValueError("give either iterations or epochs")
        if self.epochs is not None:
            _check_range("epochs", self.epochs, 1e-9, 100_000)
        for name, low, high in _OPTIONAL_WHOLE:
            if getattr(self, name) is not None:
                set_(self, name, _whole(name, getattr(self, name), low, high))
        _check_range("val_fraction", self.val_fraction, 0.0, 0.9)
        if self.train_size is not None:
            split_sizes(self.train_size, self.train_size, self.val_fraction)
        set_(self, "seed", _whole("seed", self.seed, 0, 2**63 - 1))
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


#: Optional whole-number settings and their bounds (None = not set).
_OPTIONAL_WHOLE = (
    ("iterations", 1, 100_000_000),
    ("train_size", 1, 10_000_000),
    ("eval_interval", 1, 100_000_000),
    ("eval_train_size", 1, 10_000_000),
)


def split_sizes(n_available: int, train_size: int | None, val_fraction: float) -> tuple[int, int]:
    """(training images, validation images) of a run on ``n_available`` images.

    The first ``train_size`` images (all when None) are used and
    round(n · val_fraction) of them held out; ValueError, naming the settings,
    when none would be left to train on.  The one rule for `RunConfig` and
    `make_split`.
    """
    n = int(n_available) if train_size is None else min(int(train_size), int(n_available))
    n_val = int(round(n * val_fraction))
    if n - n_val < 1:
        raise ValueError(
            f"val_fraction {val_fraction:g} of {n:,} training images leaves none to train on; "
            "use a larger train_size or a smaller val_fraction"
        )
    return n - n_val, n_val


def as_whole(v: Any) -> int | None:
    """The rule for whole-number settings: ``v`` as an int if it is an int or an
    integral finite float (100.0 -> 100), else None (100.5, nan, bool, text)."""
    if isinstance(v, (bool, np.bool_, str, bytes)):
        return None
    try:
        return int(v) if float(v) == int(v) else None
    except (TypeError, ValueError, OverflowError):
        return None


def _is_int(v: Any) -> bool:
    return as_whole(v) is not None


def _whole(name: str, v: Any, low: int, high: int) -> int:
    """``v`` as an int in [low, high] (see `as_whole`), or ValueError naming the setting."""
    n = as_whole(v)
    if n is None or not low <= n <= high:
        raise ValueError(f"{name} must be a whole number from {low:,} to {high:,}, got {v!r}")
    return n


def _check_range(name: str, v: Any, low: float, high: float) -> None:
    ok = not isinstance(v, (bool, str))
    try:
        ok = ok and math.isfinite(float(v)) and low <= float(v) <= high
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise ValueError(f"{name} must be a number from {low:g} to {high:g}, got {v!r}")
