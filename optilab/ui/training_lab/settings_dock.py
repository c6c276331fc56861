"""The settings dock: edits the `RunConfig` of the next run, and the data source.

Every field is validated as it is typed (a bad value turns red and is not
used); after each change the dock builds the whole `RunConfig` — the core
validates it — and shows in plain words what the next run will use, or the
one-line reason it cannot.  The learning rate also changes a running run
live (`lr_changed`); everything else applies to the next run, and the dock
says so while training runs.
"""

from __future__ import annotations

import html
import inspect
import math
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDockWidget,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from optilab import optim
from optilab.training import ACTIVATIONS, RunConfig
from optilab.ui.i18n import bind, on_language_changed, tr, tr_message
from optilab.ui.palette import ERROR
from optilab.ui.training_lab.worker import DataSpec
from optilab.ui.widgets import NumberField, SliderField, format_number

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


class SettingsDock(QDockWidget):
    """Settings of the next training run (see the module docstring).

    `config()` → the `RunConfig` the next Start uses (ValueError if invalid);
    `set_config(cfg)` fills the fields; `data_spec()` → `DataSpec`.
    Signals: ``changed()`` after any edit, ``lr_changed(float)`` for the live
    learning rate, ``download_requested()``.
    """

    changed = Signal()
    lr_changed = Signal(float)
    download_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        bind(self, "setWindowTitle", "Training settings")
        self.setObjectName("training_settings_dock")
        self.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        self._hparam_fields: dict[str, Any] = {}
        self._schedule_fields: dict[str, NumberField] = {}
        self._building = False
        self._last_error = ""

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 6)
        self.running_note = QLabel()
        bind(self.running_note, "setText", "Training is running: η changes now; other settings apply to the next run.")
        self.running_note.setWordWrap(True)
        self.running_note.setStyleSheet("QLabel { background: #fff3cd; color: #5c4400; padding: 4px; }")
        self.running_note.hide()
        layout.addWidget(self.running_note)
        layout.addWidget(self._data_group())
        layout.addWidget(self._optimizer_group())
        layout.addWidget(self._network_group())
        layout.addWidget(self._training_group())
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.summary)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(340)
        for combo in body.findChildren(QComboBox):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(8)
        self.setWidget(scroll)
        self.set_config(RunConfig(optimizer="adam", hparams={"lr": 0.001}, iterations=1000, eval_interval=100))
        # Wide enough for the fields (no horizontal clipping) beside the vertical scroll bar.
        self._scroll, self._body = scroll, body
        self._fit_width()
        on_language_changed(self.retranslate)

    def _fit_width(self) -> None:
        scroll, body = self._scroll, self._body
        scroll.setMinimumWidth(body.minimumSizeHint().width() + scroll.verticalScrollBar().sizeHint().width() + 4)

    def retranslate(self) -> None:
        """Texts the dock composes itself, in the current language (fields, choices and config unchanged)."""
        self.source.setItemText(SOURCE_SAMPLE, tr("Bundled sample (8,000 + 2,000 images)"))
        self.source.setItemText(SOURCE_FOLDER, tr("Full MNIST from a folder"))
        for i in range(self.schedule.count()):
            cls = SCHEDULE_CLASSES[self.schedule.itemData(i)]
            self.schedule.setItemText(i, tr(getattr(cls, "title", "") or cls.name))
        for i, (text, _value) in enumerate(INIT_CHOICES):
            self.init.setItemText(i, tr(text))
        self.length_unit.setItemText(0, tr("iterations"))
        self.length_unit.setItemText(1, tr("epochs"))
        for field in self._number_fields():
            if not field.is_valid():
                field._validate_text(field.text())
        self._hidden_typed(self.hidden.text())
        self._render_texts()
        self._fit_width()

    # -- groups ------------------------------------------------------------
    def _data_group(self) -> QGroupBox:
        box = QGroupBox()
        bind(box, "setTitle", "Data")
        self.data_box = box
        form = QVBoxLayout(box)
        self.source = QComboBox()
        self.source.addItem(tr("Bundled sample (8,000 + 2,000 images)"))
        self.source.addItem(tr("Full MNIST from a folder"))
        self.folder = QLineEdit()
        bind(self.folder, "setPlaceholderText", "folder with the 4 MNIST files")
        self.browse = QPushButton()
        bind(self.browse, "setText", "Browse…")
        self.download_button = QPushButton()
        bind(self.download_button, "setText", "Download MNIST…")
        bind(self.download_button, "setToolTip", "Download the 60,000 + 10,000 images (about 11 MB) into the cache")
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(self.browse)
        self.data_note = QLabel()
        self.data_note.setWordWrap(True)
        form.addWidget(self.source)
        form.addLayout(row)
        form.addWidget(self.download_button)
        form.addWidget(self.data_note)
        self.source.currentIndexChanged.connect(self._on_edit)
        self.folder.editingFinished.connect(self._on_edit)
        self.browse.clicked.connect(self._browse)
        self.download_button.clicked.connect(self.download_requested)
        return box

    def _optimizer_group(self) -> QGroupBox:
        box = QGroupBox()
        bind(box, "setTitle", "Optimizer")
        self.optimizer_box = box
        self.opt_form = QFormLayout(box)
        self.optimizer = QComboBox()
        for name in optim.names():
            self.optimizer.addItem(optim.get_class(name).name, name)
        _row(self.opt_form, "Optimizer", self.optimizer)
        self.lr = SliderField(0.01, 1e-5, 10.0, log=True, check=_range_check(1e-12, optim.MAX_LR, "η"))
        bind(self.lr, "setToolTip", "Learning rate η: changes a running run at once")
        _row(self.opt_form, "Learning rate η", self.lr)
        self.hparam_box = QWidget()
        self.hparam_form = QFormLayout(self.hparam_box)
        self.hparam_form.setContentsMargins(0, 0, 0, 0)
        self.opt_form.addRow(self.hparam_box)
        self.schedule = QComboBox()
        for name in optim.schedule_names():
            self.schedule.addItem(tr(getattr(SCHEDULE_CLASSES[name], "title", "") or name), name)
        _row(self.opt_form, "η schedule", self.schedule)
        self.schedule_box = QWidget()
        self.schedule_form = QFormLayout(self.schedule_box)
        self.schedule_form.setContentsMargins(0, 0, 0, 0)
        self.opt_form.addRow(self.schedule_box)
        self.optimizer.currentIndexChanged.connect(self._optimizer_changed)
        self.schedule.currentIndexChanged.connect(self._schedule_changed)
        self.lr.valueChanged.connect(self._lr_edited)
        return box

    def _network_group(self) -> QGroupBox:
        box = QGroupBox()
        bind(box, "setTitle", "Network")
        self.network_box = box
        form = QFormLayout(box)
        self.init = QComboBox()
        for text, _value in INIT_CHOICES:
            self.init.addItem(tr(text))
        self.init_std = NumberField(0.1, _range_check(0.0, 100.0, "std"))
        init_row = QHBoxLayout()
        init_row.addWidget(self.init, 1)
        init_row.addWidget(self.init_std)
        _row(form, "Weight init", init_row)
        self.activation = QComboBox()
        for name in ACTIVATIONS:
            self.activation.addItem(ACTIVATION_TITLES.get(name, name), name)
        _row(form, "Activation", self.activation)
        self.hidden = QLineEdit("100,100,100,100")
        self.hidden.setToolTip(tr("Sizes of the hidden layers, e.g. 100,100,100,100"))
        _row(form, "Hidden layers", self.hidden)
        self.batchnorm = QCheckBox()
        bind(self.batchnorm, "setText", "Batch normalisation")
        form.addRow(self.batchnorm)
        self.dropout = NumberField(0.0, _range_check(0.0, 0.95, "dropout p"))
        _row(form, "Dropout p", self.dropout)
        self.weight_decay = NumberField(0.0, _range_check(0.0, 100.0, "λ"))
        _row(form, "Weight decay λ", self.weight_decay)
        self.init.currentIndexChanged.connect(self._on_edit)
        self.init_std.valueChanged.connect(self._on_edit)
        self.activation.currentIndexChanged.connect(self._on_edit)
        self.hidden.textEdited.connect(self._hidden_typed)
        self.hidden.editingFinished.connect(self._on_edit)
        self.batchnorm.toggled.connect(self._on_edit)
        self.dropout.valueChanged.connect(self._on_edit)
        self.weight_decay.valueChanged.connect(self._on_edit)
        return box

    def _training_group(self) -> QGroupBox:
        box = QGroupBox()
        bind(box, "setTitle", "Training")
        self.training_box = box
        form = QFormLayout(box)
        self.batch_size = _spin(1, 100_000, 100)
        _row(form, "Batch size", self.batch_size)
        self.length_unit = QComboBox()
        self.length_unit.addItems([tr("iterations"), tr("epochs")])
        self.length = NumberField(1000, _range_check(1e-6, 1e8, "length"))
        length_row = QHBoxLayout()
        length_row.addWidget(self.length)
        length_row.addWidget(self.length_unit, 1)
        _row(form, "Train for", length_row)
        self.train_size = _spin(0, 10_000_000, 0)
        bind(self.train_size, "setSpecialValueText", "all images")
        bind(self.train_size, "setToolTip",
             "Train on the first N images only (the overfitting lessons use 300); 0 = all")
        _row(form, "Training images", self.train_size)
        self.val_fraction = NumberField(0.0, _range_check(0.0, 0.9, "validation share"))
        _row(form, "Validation share", self.val_fraction)
        self.eval_interval = _spin(0, 100_000_000, 100)
        bind(self.eval_interval, "setSpecialValueText", "once per epoch")
        bind(self.eval_interval, "setToolTip", "Measure accuracy every N iterations; 0 = once per epoch (the book)")
        _row(form, "Evaluate every", self.eval_interval)
        self.eval_train_size = _spin(0, 10_000_000, 10_000)
        bind(self.eval_train_size, "setSpecialValueText", "all images")
        bind(self.eval_train_size, "setToolTip",
             "Measure train accuracy on at most N training images (a fixed subset); 0 = all")
        _row(form, "Train accuracy on", self.eval_train_size)
        self.seed = _spin(0, 2_147_483_647, 0)
        _row(form, "Seed", self.seed)
        for w in (self.batch_size, self.train_size, self.eval_interval, self.eval_train_size, self.seed):
            w.valueChanged.connect(self._on_edit)
        self.length_unit.currentIndexChanged.connect(self._on_edit)
        self.length.valueChanged.connect(self._on_edit)
        self.val_fraction.valueChanged.connect(self._on_edit)
        return box

    # -- hyperparameter forms ------------------------------------------------
    def _rebuild_hparams(self, name: str, values: dict[str, Any]) -> None:
        while self.hparam_form.rowCount():
            self.hparam_form.removeRow(0)
        self._hparam_fields = {}
        for key, default in optim.get_class(name).defaults.items():
            if key == "lr":
                continue
            value = values.get(key, default)
            label = HPARAM_LABELS.get(key, key)
            if isinstance(default, bool):
                field: Any = QCheckBox()
                bind(field, "setText", label)
                field.setChecked(bool(value))
                field.toggled.connect(self._on_edit)
                self.hparam_form.addRow(field)
            else:
                field = NumberField(float(value), self._hparam_check(name, key))
                field.valueChanged.connect(self._on_edit)
                _row(self.hparam_form, label, field)
            self._hparam_fields[key] = field

    @staticmethod
    def _hparam_check(name: str, key: str):
        def check(v: float) -> None:
            optim.create(name, **{key: v})
        return check

    def _rebuild_schedule(self, name: str, values: dict[str, Any]) -> None:
        while self.schedule_form.rowCount():
            self.schedule_form.removeRow(0)
        self._schedule_fields = {}
        params = inspect.signature(SCHEDULE_CLASSES[name].__init__).parameters
        for key, p in params.items():
            if key in ("self", "optimizer"):
                continue
            value = values.get(key, p.default)
            field = NumberField(float(value), self._schedule_check(name, key))
            field.valueChanged.connect(self._on_edit)
            self._schedule_fields[key] = field
            self.schedule_form.addRow(key, field)
        self.schedule_box.setVisible(bool(self._schedule_fields))

    @staticmethod
    def _schedule_check(name: str, key: str):
        def check(v: float) -> None:
            optim.create_schedule(name, optim.create("sgd"), **{key: int(v) if float(v).is_integer() else v})
        return check

    # -- reading and writing -------------------------------------------------
    def config(self) -> RunConfig:
        """The `RunConfig` the next run will use; ValueError (one line) if a field is invalid."""
        bad = [w for w in self._number_fields() if not w.is_valid()]
        if bad:
            raise ValueError(bad[0].toolTip() or tr("a field holds an invalid value"))
        name = self.optimizer.currentData()
        hparams: dict[str, Any] = {"lr": self.lr.value()}
        for key, field in self._hparam_fields.items():
            hparams[key] = field.isChecked() if isinstance(field, QCheckBox) else field.value()
        sched = self.schedule.currentData()
        sargs = {k: (int(f.value()) if float(f.value()).is_integer() else f.value())
                 for k, f in self._schedule_fields.items()}
        init_value = INIT_CHOICES[self.init.currentIndex()][1]
        init = self.init_std.value() if init_value is None else init_value
        epochs = self.length_unit.currentIndex() == 1
        length = self.length.value()
        if not epochs and not float(length).is_integer():
            raise ValueError(tr("iterations must be a whole number"))
        return RunConfig(
            label=name, optimizer=name, hparams=hparams, schedule=sched, schedule_args=sargs,
            hidden=parse_hidden(self.hidden.text()), activation=self.activation.currentData(), init=init,
            batchnorm=self.batchnorm.isChecked(), dropout=self.dropout.value(),
            weight_decay=self.weight_decay.value(), batch_size=self.batch_size.value(),
            iterations=None if epochs else int(length), epochs=length if epochs else None,
            train_size=self.train_size.value() or None, val_fraction=self.val_fraction.value(),
            eval_interval=self.eval_interval.value() or None, eval_train_size=self.eval_train_size.value() or None,
            seed=self.seed.value(),
        )

    def set_config(self, cfg: RunConfig) -> None:
        """Show ``cfg`` in the fields (no `lr_changed`; emits `changed` once)."""
        self._building = True
        try:
            self.optimizer.setCurrentIndex(max(self.optimizer.findData(cfg.optimizer), 0))
            cls = optim.get_class(cfg.optimizer)
            self.lr.set_value(float(cfg.hparams.get("lr", cls.defaults["lr"])))
            self._rebuild_hparams(cfg.optimizer, dict(cfg.hparams))
            self.schedule.setCurrentIndex(max(self.schedule.findData(cfg.schedule), 0))
            self._rebuild_schedule(cfg.schedule, dict(cfg.schedule_args))
            index = next((i for i, (_t, v) in enumerate(INIT_CHOICES) if v is not None and v == cfg.init), None)
            if index is None:
                index = len(INIT_CHOICES) - 1
                self.init_std.set_value(float(cfg.init))
            self.init.setCurrentIndex(index)
            self.activation.setCurrentIndex(max(self.activation.findData(cfg.activation), 0))
            self.hidden.setText(",".join(str(h) for h in cfg.hidden))
            self.batchnorm.setChecked(cfg.batchnorm)
            self.dropout.set_value(cfg.dropout)
            self.weight_decay.set_value(cfg.weight_decay)
            self.batch_size.setValue(cfg.batch_size)
            if cfg.epochs is not None:
                self.length_unit.setCurrentIndex(1)
                self.length.set_value(cfg.epochs)
            else:
                self.length_unit.setCurrentIndex(0)
                self.length.set_value(cfg.iterations)
            self.train_size.setValue(cfg.train_size or 0)
            self.val_fraction.set_value(cfg.val_fraction)
            self.eval_interval.setValue(cfg.eval_interval or 0)
            self.eval_train_size.setValue(cfg.eval_train_size or 0)
            self.seed.setValue(min(cfg.seed, self.seed.maximum()))
        finally:
            self._building = False
        self._on_edit()

    def data_spec(self) -> DataSpec:
        """The data source chosen (the folder is checked when it is loaded)."""
        if self.source.currentIndex() == SOURCE_FOLDER:
            return DataSpec("folder", self.folder.text().strip())
        return DataSpec("sample")

    def set_data_folder(self, folder: str) -> None:
        """Use the full MNIST from ``folder`` (e.g. after a download)."""
        self.folder.setText(folder)
        self.source.setCurrentIndex(SOURCE_FOLDER)
        self._on_edit()

    def set_running(self, running: bool) -> None:
        """Say that edits (but η) apply to the next run."""
        self.running_note.setVisible(running)

    @property
    def error(self) -> str:
        """The reason the current settings are invalid ('' when valid)."""
        return self._last_error

    # -- reactions -----------------------------------------------------------
    def _number_fields(self) -> list[NumberField]:
        fields = [self.lr.field, self.init_std, self.dropout, self.weight_decay, self.length, self.val_fraction]
        fields += [f for f in self._hparam_fields.values() if isinstance(f, NumberField)]
        fields += list(self._schedule_fields.values())
        return fields

    def _optimizer_changed(self) -> None:
        if self._building:
            return
        name = self.optimizer.currentData()
        self._building = True
        self.lr.set_value(optim.get_class(name).defaults["lr"])
        self._rebuild_hparams(name, {})
        self._building = False
        self._on_edit()

    def _schedule_changed(self) -> None:
        if self._building:
            return
        self._rebuild_schedule(self.schedule.currentData(), {})
        self._on_edit()

    def _lr_edited(self, value: float) -> None:
        if not self._building:
            self.lr_changed.emit(value)
            self._on_edit()

    def _hidden_typed(self, text: str) -> None:
        try:
            parse_hidden(text)
        except ValueError as exc:
            self.hidden.setStyleSheet(f"QLineEdit {{ border: 2px solid {ERROR}; color: {ERROR}; }}")
            self.hidden.setToolTip(tr_message(str(exc)))
        else:
            self.hidden.setStyleSheet("")
            self.hidden.setToolTip(tr("Sizes of the hidden layers, e.g. 100,100,100,100"))
        # (re-run by `retranslate`, so the tooltip follows the language)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, tr("Folder with the MNIST files"), self.folder.text())
        if folder:
            self.set_data_folder(folder)

    def _on_edit(self, *_args: Any) -> None:
        if self._building:
            return
        self.init_std.setEnabled(INIT_CHOICES[self.init.currentIndex()][1] is None)
        folder_mode = self.source.currentIndex() == SOURCE_FOLDER
        self.folder.setEnabled(folder_mode)
        self.browse.setEnabled(folder_mode)
        self._render_texts()
        self.changed.emit()

    def _render_texts(self) -> None:
        """The data note and the summary of the next run, in the current language."""
        if self.source.currentIndex() == SOURCE_FOLDER:
            self.data_note.setText(tr("Full MNIST: 60,000 training and 10,000 test images, from the folder above."))
        else:
            self.data_note.setText(tr("The bundled sample: 8,000 training and 2,000 test images taken from "
                                      "MNIST's test set — not the full MNIST. Accuracies are a little lower."))
        try:
            cfg = self.config()
        except ValueError as exc:
            self._last_error = str(exc)
            reason = html.escape(tr_message(str(exc)))
            self.summary.setText(f"<b>{tr('Cannot start')}</b>: <span style='color:{ERROR}'>{reason}</span>")
        else:
            self._last_error = ""
            self.summary.setText(describe(cfg))


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
