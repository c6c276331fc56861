"""The settings dock's tables, field helpers and texts: choices, checks, where the data comes from,
and `describe` (the next run in words)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QSpinBox

from optilab import data as datamod
from optilab import optim
from optilab.training import RunConfig
from optilab.ui import settings as store
from optilab.ui.i18n import bind, tr
from optilab.ui.widgets import format_number

#: Weight-init choices of the dock: (shown text, RunConfig.init value; None = custom std).
INIT_CHOICES: tuple[tuple[str, Any], ...] = (
    ("zeros", "zeros"),
    ("std 0.01", 0.01),
    ("std 1", 1.0),
    ("Xavier", "xavier"),
    ("He", "he"),
    ("custom std", None),
)
#: Labels of the optimizers' hyperparameters (English; shown translated), as in the surface lab.
HPARAM_LABELS = {"momentum": "μ (momentum)", "decay_rate": "ρ (decay)", "beta1": "β₁", "beta2": "β₂", "eps": "ε",
                 "weight_decay": "λ (weight decay)", "bias_correction": "bias correction (m̂, v̂)"}
ACTIVATION_TITLES = {"relu": "ReLU", "sigmoid": "sigmoid", "tanh": "tanh", "leaky_relu": "leaky ReLU"}
SCHEDULE_CLASSES = {cls.name: cls for cls in (optim.Constant, optim.StepDecay, optim.ExponentialDecay,
                                             optim.InverseTime, optim.Cosine, optim.Warmup, optim.ReduceOnPlateau)}
#: Data source choices (combo index order).
SOURCE_SAMPLE, SOURCE_FOLDER = 0, 1
#: Where the folder shown came from → the dock's note about it (English; {folder}, {var}).
ORIGIN_NOTES = {
    "chosen": "Full MNIST: 60,000 training and 10,000 test images, from the folder above.",
    "remembered": "Full MNIST from {folder}: the folder chosen last time.",
    "env": "Full MNIST from {folder}: set by the {var} environment variable.",
    "cache": "Full MNIST from the download cache {folder}.",
}


def initial_source() -> tuple[str, str]:
    """The data the lab starts with, in the CLI's order: the folder chosen last time (when it is
    still a folder) or ``OPTILAB_MNIST_DIR``, then the download cache, then the bundled sample.
    Returns (origin, folder): origin "remembered", "env", "cache" or "sample" (folder '')."""
    remembered = store.value(store.LAST_DATA_FOLDER)
    if remembered:
        try:
            if Path(remembered).expanduser().is_dir():
                return "remembered", str(remembered)
        except OSError:
            pass
    try:
        kind, folder = datamod.resolve()
    except OSError:
        return "sample", ""
    if kind in ("env", "cache") and folder is not None:
        return kind, str(folder)
    return "sample", ""


def _range_check(low: float, high: float, what: str):
    """A NumberField check: ``what`` (English, translated when the check fails) must lie in [low, high]."""
    def check(v: float) -> None:
        if not low <= v <= high:
            raise ValueError(tr("{what} must be from {low} to {high}").format(
                what=tr(what), low=format_number(low), high=format_number(high)))
    return check


def _row(form: QFormLayout, text: str, field: Any) -> QLabel:
    """Add ``field`` to ``form`` with a label showing ``text`` (English) in the current language."""
    label = QLabel()
    bind(label, "setText", text)
    form.addRow(label, field)
    return label


def parse_hidden(text: str) -> tuple[int, ...]:
    """"100, 100,100" → (100, 100, 100); ValueError with a readable reason."""
    parts = [p.strip() for p in text.replace(";", ",").replace(" ", ",").split(",") if p.strip()]
    try:
        sizes = tuple(int(p) for p in parts)
    except ValueError:
        raise ValueError(tr("hidden layers: whole numbers separated by commas, e.g. 100,100,100")) from None
    if not sizes or len(sizes) > 20 or any(not 1 <= s <= 4096 for s in sizes):
        raise ValueError(tr("hidden layers: 1 to 20 sizes from 1 to 4096"))
    return sizes


def _spin(low: int, high: int, value: int, special: str | None = None) -> QSpinBox:
    box = QSpinBox()
    box.setRange(low, high)
    box.setValue(value)
    box.setAlignment(Qt.AlignmentFlag.AlignRight)
    box.setKeyboardTracking(True)
    if special:
        box.setSpecialValueText(special)
    return box


def hparam_check(name: str, key: str):
    """A NumberField check: the optimizer ``name`` accepts ``key`` = v (its own one-line reason if not)."""
    def check(v: float) -> None:
        optim.create(name, **{key: v})
    return check


def schedule_check(name: str, key: str):
    """A NumberField check: the schedule ``name`` accepts ``key`` = v."""
    def check(v: float) -> None:
        optim.create_schedule(name, optim.create("sgd"), **{key: int(v) if float(v).is_integer() else v})
    return check


def _schedule_title(name: str) -> str:
    cls = SCHEDULE_CLASSES.get(name)
    return tr(getattr(cls, "title", "") or name) if cls is not None else name


def describe(cfg: RunConfig) -> str:
    """What a run will use, in words (rich text for the dock)."""
    extra = ", ".join(f"{k} {format_number(v) if not isinstance(v, bool) else v}"
                      for k, v in cfg.hparams.items() if k != "lr")
    init = cfg.init if isinstance(cfg.init, str) else f"std {format_number(cfg.init)}"
    net = "784-" + "-".join(str(h) for h in cfg.hidden) + "-10"
    length = (tr("{n} epochs").format(n=format_number(cfg.epochs)) if cfg.epochs is not None
              else tr("{n} iterations").format(n=f"{cfg.iterations:,}"))
    parts = [
        f"{cfg.optimizer} η={format_number(cfg.hparams.get('lr', math.nan))}" + (f" ({extra})" if extra else ""),
        tr("schedule {s}").format(s=_schedule_title(cfg.schedule)),
        f"{net} {ACTIVATION_TITLES.get(cfg.activation, cfg.activation)}, {tr('init')} {init}",
        tr("batch norm") if cfg.batchnorm else tr("no batch norm"),
        tr("dropout p={p}").format(p=format_number(cfg.dropout)) if cfg.dropout else tr("no dropout"),
        tr("λ={w}").format(w=format_number(cfg.weight_decay)) if cfg.weight_decay else tr("no weight decay"),
        tr("batch {b}, {length}").format(b=cfg.batch_size, length=length),
        tr("first {n:,} images").format(n=cfg.train_size) if cfg.train_size else tr("all training images"),
    ]
    if cfg.val_fraction:
        parts.append(tr("{p:.0%} held out for validation").format(p=cfg.val_fraction))
    parts.append(tr("seed {s}").format(s=cfg.seed))
    return f"<b>{tr('Next run')}:</b> " + "; ".join(parts)
