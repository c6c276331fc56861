"""`RunConfig`: everything that defines one training run, validated once.

Every training setting is declared ONCE here, in `SETTINGS` (an
`optilab.rules.Setting` each: key, rule, label, description, range): the
settings dock builds its fields from them, the ``optilab train`` parser its
options, help and checks, and `RunConfig` (which the scenario loader reaches
through `RunConfig.from_dict`) checks its fields through them.  The
optimizer's and the schedule's own settings are declared with them in
`optilab.optim`.

The settings dock of the app edits one, the `Trainer` reads it, a scenario
file stores it as JSON (`to_dict` / `from_dict`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields, replace
from types import MappingProxyType
from typing import Any

from optilab import messages, optim
from optilab.nn.init import INIT_CHOICES, check_init
from optilab.nn.mlp import ACTIVATIONS as _ACTIVATION_LAYERS
from optilab.nn.mlp import BAD_FREEZE, FREEZE_BATCHNORM, make_activation
from optilab.rules import Choice, Flag, Number, Setting, fmt

__all__ = [
    "ACTIVATIONS",
    "DTYPES",
    "MAX_LAYERS",
    "SETTINGS",
    "RunConfig",
    "check_digits",
    "check_hidden",
    "parse_hidden",
    "split_sizes",
]

ACTIVATIONS: tuple[str, ...] = tuple(_ACTIVATION_LAYERS)
DTYPES = ("float32", "float64")
#: The most hidden layers a run may have (the size of each is `SETTINGS["hidden"]`).
MAX_LAYERS = 20


def _whole(low: int, high: int) -> Number:
    return Number(low, high, integer=True)


#: Every training setting, declared once (the optimizer's hyperparameters: `optilab.optim`).
SETTINGS: Mapping[str, Setting] = MappingProxyType({s.key: s for s in (
    Setting("optimizer", Choice(tuple(optim.names(network=True))), label="Optimizer",
            description="The optimizer that updates the weights"),
    # η's bound is the optimizers' (optim.HPARAMS); the training lab's slider reaches lower.
    replace(optim.HPARAMS["lr"], label="Learning rate η", description="Learning rate η: changes a running run at once",
            slider=(1e-5, 10.0, True)),
    Setting("schedule", Choice(tuple(optim.schedule_names())), symbol="η", label="η schedule",
            description="How the learning rate η changes during the run"),
    Setting("init", Choice(INIT_CHOICES), label="Weight init",
            description="Weight initialisation: zeros, xavier, he, or the standard deviation STD ≥ 0"),
    Setting("activation", Choice(ACTIVATIONS), label="Activation", description="Activation of the hidden layers"),
    Setting("hidden", _whole(1, 4096), label="Hidden layers",
            description="Sizes of the hidden layers, e.g. 100,100,100,100"),
    Setting("batchnorm", Flag(), label="Batch normalisation",
            description="Batch normalisation before each activation"),
    Setting("dropout", Number(0.0, 0.95), symbol="p", label="Dropout p", description="Dropout probability"),
    Setting("weight_decay", Number(0.0, 100.0), symbol="λ", label="Weight decay λ",
            description="L2 weight decay λ"),
    Setting("batch_size", _whole(1, 100_000), label="Batch size", description="Minibatch size"),
    Setting("iterations", _whole(1, 100_000_000), label="iterations", description="Number of iterations"),
    Setting("epochs", Number(1e-9, 100_000), label="epochs", description="Number of epochs (may be fractional)"),
    Setting("train_size", _whole(1, 10_000_000), label="Training images",
            description="Train on the first N images only (the overfitting lessons use 300)"),
    Setting("val_fraction", Number(0.0, 0.9), label="Validation share",
            description="Share of the training images held out for validation"),
    Setting("eval_interval", _whole(1, 100_000_000), label="Evaluate every",
            description="Measure accuracy every N iterations"),
    Setting("eval_train_size", _whole(1, 10_000_000), label="Train accuracy on",
            description="Measure train accuracy on at most N training images (a fixed subset)"),
    Setting("seed", _whole(0, 2**63 - 1), label="Seed", description="Random seed"),
    Setting("dtype", Choice(DTYPES), label="Precision", description="float32 (fast) or float64"),
    Setting("snapshots", _whole(0, 10_000), label="Weight snapshots",
            description="Weight vectors kept for the loss landscape, evenly spaced (0 keeps none)"),
    # CS231n lecture 7's regularisers (docs/experiments.md#l1 … #transfer).
    Setting("l1", Number(0.0, 100.0), symbol="λ₁", label="L1 λ₁",
            description="L1 penalty λ₁ Σ|W| on the weights"),
    Setting("augment", Flag(), label="Augmentation",
            description="Shift each training image by up to ±2 px and rotate it by up to ±15° (new every batch)"),
    Setting("digits", _whole(0, 9), label="Digits",
            description="Train and test on these digits only, e.g. 5,6,7,8,9 (all when empty)"),
    Setting("per_class", _whole(1, 1_000_000), label="Images per digit",
            description="Train on the first N training images of each digit only"),
    Setting("freeze", _whole(0, MAX_LAYERS), label="Frozen layers",
            description="The N lowest layers are not updated (copied from the pre-training run when there is one)"),
    Setting("keep_probabilities", Flag(), label="Keep test probabilities",
            description="Keep the softmax probabilities of the test images at the end (for ensembles)"),
)})

UNKNOWN_SETTING = messages.declare(
    "training.unknown_setting", "unknown training setting {key}; valid ones are: {valid}")
LABEL_NOT_TEXT = messages.declare("training.label_not_text", "label must be text, got {value}")
NOT_A_MAPPING = messages.declare(
    "training.not_a_mapping", "{key} must be a mapping of setting names to values, got {value}")
NO_LENGTH = messages.declare("training.no_length", "give either iterations or epochs")
HIDDEN_NOT_LIST = messages.declare("training.hidden_not_list", "hidden must be a list of layer sizes, got {value}")
HIDDEN_TEXT = messages.declare(
    "training.hidden_text", "{name} needs comma-separated whole numbers like 100,100,100, got {value}")
HIDDEN_SIZES = messages.declare(
    "training.hidden_sizes", "{name} must be 1 to {max_layers} layer sizes between {low} and {high}, got {value}")
DIGITS = messages.declare(
    "training.digits", "digits must be distinct digits 0 to 9 like 5,6,7,8,9, got {value}")
PRETRAIN_KEYS = messages.declare(
    "training.pretrain_keys", "pretrain cannot set {key}: the pre-training run shares the network's layers")
PRETRAIN_FREEZE = messages.declare(
    "training.pretrain_freeze", "pretrain copies the frozen layers: give freeze of at least 1")
NONE_LEFT = messages.declare(
    "training.none_left_to_train",
    "val_fraction {fraction} of {n} training images leaves none to train on; "
    "use a larger train_size or a smaller val_fraction")

#: RunConfig fields checked by their Setting alone (None allowed where the field is optional).
_CHECKED = ("dropout", "weight_decay", "batch_size", "val_fraction", "seed", "dtype", "batchnorm", "snapshots",
            "l1", "augment", "freeze", "keep_probabilities")
_OPTIONAL = ("iterations", "epochs", "train_size", "eval_interval", "eval_train_size", "per_class")
#: Fields a pre-training run may not change: the layers it hands over are the network's own.
_SHARED_WITH_PRETRAIN = ("hidden", "activation", "batchnorm", "dtype", "pretrain", "freeze")


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
        snapshots: how many weight vectors θ the run keeps for the loss
            landscape (`optilab.training.snapshots`): evenly spaced over the
            run, iteration 0 and the last included; 0 keeps none.  Fewer when
            they would exceed the run's byte budget.
        l1: λ₁ of the L1 penalty λ₁ Σ|W| (`MLP`).
        augment: each minibatch's images shifted and rotated (`optilab.data.augment`).
        digits: train, validate and test on these digits only (None: all);
            the labels keep their values (the output layer has max + 1 units).
        per_class: of the training images (after ``train_size``), the first
            N of each digit only (the few examples of transfer learning).
        freeze: the N lowest Affine layers are not updated by the optimizer.
        pretrain: None, or the changes (`RunConfig` fields) that make this
            config the pre-training run (e.g. ``{"digits": [0, 1, 2, 3, 4]}``):
            it is trained first, then its ``freeze`` lowest layers are copied
            into this run's network and frozen (transfer learning).
        keep_probabilities: the run's result keeps the softmax probabilities of
            the test images at the end (`RunResult.test_probabilities`).

    Each field's bound is its `SETTINGS` entry.  Whole-number fields
    (batch_size, iterations, train_size, eval_interval, eval_train_size,
    seed, snapshots, hidden) accept integral floats such as 100.0 and store them as
    int; 100.5 is refused.
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
    snapshots: int = 40
    l1: float = 0.0
    augment: bool = False
    digits: tuple[int, ...] | None = None
    per_class: int | None = None
    freeze: int = 0
    pretrain: Mapping[str, Any] | None = None
    keep_probabilities: bool = False

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        if not isinstance(self.label, str):
            raise LABEL_NOT_TEXT.error(value=repr(self.label))
        for key in ("hparams", "schedule_args"):
            if not isinstance(getattr(self, key), Mapping):
                raise NOT_A_MAPPING.error(key=key, value=repr(getattr(self, key)))
        name, hparams = self.optimizer, dict(self.hparams)
        optim.create(name, **hparams)  # the optimizer's own checks (its hyperparameters' Settings)
        optim.check_network(name)      # Newton and L-BFGS read a 2-D surface: a scenario naming them fails here
        set_(self, "optimizer", optim.get_class(name).name)
        set_(self, "hparams", hparams)
        optim.create_schedule(self.schedule, optim.create(name, **hparams), **dict(self.schedule_args))
        set_(self, "schedule_args", dict(self.schedule_args))
        set_(self, "hidden", check_hidden(self.hidden))
        make_activation(self.activation)
        set_(self, "init", check_init(self.init))
        for key in _CHECKED:
            set_(self, key, SETTINGS[key].check(getattr(self, key)))
        if self.epochs is None and self.iterations is None:
            raise NO_LENGTH.error()
        for key in _OPTIONAL:
            if getattr(self, key) is not None:
                set_(self, key, SETTINGS[key].check(getattr(self, key)))
        if self.train_size is not None:
            split_sizes(self.train_size, self.train_size, self.val_fraction)
        if not self.label:
            set_(self, "label", self.optimizer)
        if self.digits is not None:
            set_(self, "digits", check_digits(self.digits))
        if self.freeze > len(self.hidden):
            raise BAD_FREEZE.error(most=len(self.hidden), value=repr(self.freeze))
        if self.freeze and self.batchnorm:
            raise FREEZE_BATCHNORM.error()
        if self.pretrain is not None:
            if not isinstance(self.pretrain, Mapping):
                raise NOT_A_MAPPING.error(key="pretrain", value=repr(self.pretrain))
            set_(self, "pretrain", dict(self.pretrain))
            self.pretraining()          # its own checks

    def pretraining(self) -> RunConfig | None:
        """The pre-training run (`pretrain` applied to this config; no pretrain, freeze, few
        examples, probabilities of its own), or None without one."""
        if self.pretrain is None:
            return None
        if self.freeze < 1:
            raise PRETRAIN_FREEZE.error()
        shared = sorted(set(self.pretrain) & set(_SHARED_WITH_PRETRAIN))
        if shared:
            raise PRETRAIN_KEYS.error(key=shared[0])
        base = replace(self, pretrain=None, freeze=0, per_class=None, keep_probabilities=False, snapshots=0,
                       label=f"{self.label} (pre-training)")
        return RunConfig.from_dict({**base.to_dict(), **self.pretrain})

    def replace(self, **changes: Any) -> RunConfig:
        """A copy with some fields changed (validated again)."""
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values."""
        d = asdict(self)
        d["hidden"] = list(self.hidden)
        if self.digits is not None:
            d["digits"] = list(self.digits)
        return d

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RunConfig:
        """Inverse of `to_dict`; an unknown key raises `UNKNOWN_SETTING` naming it (the one such check)."""
        known = sorted(f.name for f in fields(cls))
        unknown = sorted(set(data) - set(known))
        if unknown:
            raise UNKNOWN_SETTING.error(key=repr(unknown[0]), valid=", ".join(known))
        kwargs = dict(data)
        if "hidden" in kwargs and not isinstance(kwargs["hidden"], (list, tuple)):
            raise HIDDEN_NOT_LIST.error(value=repr(kwargs["hidden"]))
        return cls(**kwargs)


def check_hidden(sizes: Sequence[Any], name: str = "hidden") -> tuple[int, ...]:
    """The hidden layer sizes as ints: 1 to `MAX_LAYERS` of them, each allowed by ``SETTINGS["hidden"]``
    (``name``: what the message calls them)."""
    rule = SETTINGS["hidden"].rule
    assert isinstance(rule, Number)
    layers = tuple(sizes)
    converted = [rule.convert(h) for h in layers]
    if not layers or len(layers) > MAX_LAYERS or any(h is None for h in converted):
        raise HIDDEN_SIZES.error(name=name, max_layers=MAX_LAYERS, low=fmt(rule.low or 0),
                                 high=fmt(rule.high or 0), value=list(layers))
    return tuple(int(h) for h in converted if h is not None)


def check_digits(digits: Sequence[Any]) -> tuple[int, ...] | None:
    """The digits as a sorted tuple of distinct ints 0…9 (``SETTINGS["digits"]``); None for none."""
    rule = SETTINGS["digits"].rule
    assert isinstance(rule, Number)
    if isinstance(digits, (str, bytes)) or not isinstance(digits, Sequence):
        raise DIGITS.error(value=repr(digits))
    converted = [rule.convert(d) for d in digits]
    if any(d is None for d in converted) or len(set(converted)) != len(converted):
        raise DIGITS.error(value=repr(list(digits)))
    return tuple(sorted(int(d) for d in converted if d is not None)) or None


def parse_hidden(text: str, name: str = "hidden") -> tuple[int, ...]:
    """"100, 100,100" (commas, semicolons or spaces) → (100, 100, 100), checked by `check_hidden`.

    ``name`` is what the message calls the text ("--hidden" on the command line).
    """
    parts = [p.strip() for p in text.replace(";", ",").replace(" ", ",").split(",") if p.strip()]
    try:
        sizes = [int(p) for p in parts]
    except ValueError:
        raise HIDDEN_TEXT.error(name=name, value=repr(text)) from None
    return check_hidden(sizes, name)


def split_sizes(n_available: int, train_size: int | None, val_fraction: float) -> tuple[int, int]:
    """(training images, validation images) of a run on ``n_available`` images.

    The first ``train_size`` images (all when None) are used and
    round(n · val_fraction) of them held out; ValueError, naming the settings,
    when none would be left to train on.  The one rule for `RunConfig` and
    `make_split`.
    """
    n = int(n_available) if train_size is None else min(int(train_size), int(n_available))
    n_val = round(n * val_fraction)
    if n - n_val < 1:
        raise NONE_LEFT.error(fraction=f"{val_fraction:g}", n=f"{n:,}")
    return n - n_val, n_val

