"""The settings dock's presentation tables and texts: choices' titles, where the data comes from,
and `describe` (the next run in words).  The settings' bounds, labels and descriptions are not
here: they are declared once in the core (`optilab.training.config.SETTINGS`, the optimizers'
`optim.HPARAMS`, the schedules' `optim.schedule_settings`), and `ui.widgets.field_for` builds
the fields from them."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFormLayout, QLabel

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
ACTIVATION_TITLES = {"relu": "ReLU", "sigmoid": "sigmoid", "tanh": "tanh", "leaky_relu": "leaky ReLU"}
#: Data source choices (combo index order).
SOURCE_SAMPLE, SOURCE_FOLDER = 0, 1
#: Table sources after them (`dock_table`): the bundled California housing, a CSV file.
SOURCE_HOUSING, SOURCE_CSV = 2, 3
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


def _row(form: QFormLayout, text: str, field: Any) -> QLabel:
    """Add ``field`` to ``form`` with a label showing ``text`` (English) in the current language."""
    label = QLabel()
    bind(label, "setText", text)
    form.addRow(label, field)
    return label


def schedule_title(name: str) -> str:
    """The schedule's title in the current language ("step decay")."""
    return tr(optim.schedule_class(name).title or name)


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
        tr("schedule {s}").format(s=schedule_title(cfg.schedule)),
        f"{net} {ACTIVATION_TITLES.get(cfg.activation, cfg.activation)}, {tr('init')} {init}",
        tr("batch norm") if cfg.batchnorm else tr("no batch norm"),
        tr("dropout p={p}").format(p=format_number(cfg.dropout)) if cfg.dropout else tr("no dropout"),
        tr("λ={w}").format(w=format_number(cfg.weight_decay)) if cfg.weight_decay else tr("no weight decay"),
        *([tr("L1 λ₁={w}").format(w=format_number(cfg.l1))] if cfg.l1 else []),
        *([tr("augmented batches")] if cfg.augment else []),
        tr("batch {b}, {length}").format(b=cfg.batch_size, length=length),
        tr("first {n:,} images").format(n=cfg.train_size) if cfg.train_size else tr("all training images"),
    ]
    if cfg.val_fraction:
        parts.append(tr("{p:.0%} held out for validation").format(p=cfg.val_fraction))
    parts.append(tr("seed {s}").format(s=cfg.seed))
    return f"<b>{tr('Next run')}:</b> " + "; ".join(parts)
