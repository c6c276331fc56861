"""The settings dock: edits the `RunConfig` of the next run, and the data source.

Every field is built from its declared setting (`training.config.SETTINGS`,
the optimizer's and the schedule's settings in `optilab.optim`) by
`ui.widgets.field_for`: label, range, tooltip and check come from there.  A
value is checked once, by its field as it is typed (a bad value turns red,
with the setting's message, and is not used); after each change the dock
builds the `RunConfig` — which checks what no field can alone, such as a
validation split leaving no image to train on — and shows in plain words what
the next run will use, or the one-line reason it cannot.  The learning rate also changes a running run
live (`lr_changed`); everything else applies to the next run, and the dock
says so while training runs.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDockWidget,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from optilab import data as datamod
from optilab import messages, optim
from optilab.messages import Message
from optilab.nn.init import check_init
from optilab.training import RunConfig
from optilab.training.config import SETTINGS, parse_hidden
from optilab.ui.i18n import bind, on_language_changed, tr, tr_message
from optilab.ui.palette import ERROR
from optilab.ui.training_lab.dock_data import DataSource
from optilab.ui.training_lab.dock_parts import (
    ACTIVATION_TITLES,
    INIT_CHOICES,
    ORIGIN_NOTES,
    SOURCE_FOLDER,
    SOURCE_SAMPLE,
    _row,
    describe,
    initial_source,
    schedule_title,
)
from optilab.ui.training_lab.dock_table import TableSource
from optilab.ui.training_lab.worker import DataSpec
from optilab.ui.widgets import NumberField, field_for, label_of, reason_text, setting_check

SETTINGS_DEFAULT_HIDDEN: tuple[int, ...] = RunConfig().hidden


class SettingsDock(DataSource, TableSource, QDockWidget):
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
        self._hidden: tuple[int, ...] = SETTINGS_DEFAULT_HIDDEN
        self._hidden_error: Message | None = None
        self._building = False
        self._last_error = ""
        self._origin = "sample"          # where the data folder came from (see ORIGIN_NOTES)
        self._experiment: str | None = None

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 6)
        self.running_note = QLabel()
        bind(self.running_note, "setText", "Training is running: η changes now; other settings apply to the next run.")
        self.running_note.setWordWrap(True)
        self.running_note.setStyleSheet("QLabel { background: #fff3cd; color: #5c4400; padding: 4px; }")
        self.running_note.hide()
        layout.addWidget(self.running_note)
        self.experiment_note = QLabel()
        self.experiment_note.setWordWrap(True)
        self.experiment_note.setStyleSheet("QLabel { background: #dbeafe; color: #0b2a4a; padding: 4px; }")
        self.experiment_note.hide()
        layout.addWidget(self.experiment_note)
        layout.addWidget(self._data_group())
        layout.addWidget(self._optimizer_group())
        layout.addWidget(self._network_group())
        layout.addWidget(self._training_group())
        for field in self._number_fields():   # a bad entry shows in the summary at once
            field.validityChanged.connect(self._on_edit)
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
        origin, folder = initial_source()
        if folder:
            self._origin = origin
            self.folder.setText(folder)
            self.source.blockSignals(True)
            self.source.setCurrentIndex(SOURCE_FOLDER)
            self.source.blockSignals(False)
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
        self._retranslate_tables()
        for i in range(self.schedule.count()):
            self.schedule.setItemText(i, schedule_title(self.schedule.itemData(i)))
        for i, (text, _value) in enumerate(INIT_CHOICES):
            self.init.setItemText(i, tr(text))
        self.length_unit.setItemText(0, tr(SETTINGS["iterations"].label))
        self.length_unit.setItemText(1, tr(SETTINGS["epochs"].label))
        for field in self._number_fields():
            field.retranslate()
        self._show_hidden_state()
        self._render_texts()
        self._fit_width()

    # -- groups ------------------------------------------------------------
    def _optimizer_group(self) -> QGroupBox:
        box = QGroupBox()
        bind(box, "setTitle", "Optimizer")
        self.optimizer_box = box
        self.opt_form = QFormLayout(box)
        self.optimizer = self._field(self.opt_form, "optimizer", "sgd",     # "Adam", as the surface lab says
                                     titles={name: optim.get_class(name).title for name in optim.names()})
        self.lr = self._field(self.opt_form, "lr", 0.01)
        self.find_lr = QPushButton()     # the range test (lr_find_dialog), right under the η it sets
        bind(self.find_lr, "setText", "Find η…")
        bind(self.find_lr, "setToolTip", "Run the learning-rate range test on these settings and pick η from its curve")
        self.find_lr.clicked.connect(self.open_lr_find)
        self.opt_form.addRow("", self.find_lr)   # in the field column, so η's slider keeps its width
        self.hparam_box = QWidget()
        self.hparam_form = QFormLayout(self.hparam_box)
        self.hparam_form.setContentsMargins(0, 0, 0, 0)
        self.opt_form.addRow(self.hparam_box)
        self.schedule = field_for(SETTINGS["schedule"], "constant",
                                  titles={name: schedule_title(name) for name in optim.schedule_names()})
        _row(self.opt_form, SETTINGS["schedule"].label, self.schedule)
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
        self.init_std = NumberField(0.1, check_init)   # a custom std: the network's own rule (≥ 0)
        bind(self.init_std, "set_hint", SETTINGS["init"].description)
        init_row = QHBoxLayout()
        init_row.addWidget(self.init, 1)
        init_row.addWidget(self.init_std)
        _row(form, SETTINGS["init"].label, init_row)
        self.activation = field_for(SETTINGS["activation"], "relu", titles=ACTIVATION_TITLES)
        _row(form, SETTINGS["activation"].label, self.activation)
        self.hidden = QLineEdit(",".join(str(h) for h in SETTINGS_DEFAULT_HIDDEN))
        _row(form, SETTINGS["hidden"].label, self.hidden)
        self.batchnorm = field_for(SETTINGS["batchnorm"], False)
        form.addRow(self.batchnorm)
        self.dropout = self._field(form, "dropout", 0.0)
        self.weight_decay = self._field(form, "weight_decay", 0.0)
        self.l1 = self._field(form, "l1", 0.0)
        self.augment = field_for(SETTINGS["augment"], False)
        form.addRow(self.augment)
        self.init.currentIndexChanged.connect(self._on_edit)
        self.init_std.valueChanged.connect(self._on_edit)
        self.activation.currentIndexChanged.connect(self._on_edit)
        self.hidden.textChanged.connect(self._hidden_typed)   # typed or set: checked once per text
        self.hidden.editingFinished.connect(self._on_edit)
        self.batchnorm.toggled.connect(self._on_edit)
        self.dropout.valueChanged.connect(self._on_edit)
        self.weight_decay.valueChanged.connect(self._on_edit)
        self.l1.valueChanged.connect(self._on_edit)
        self.augment.toggled.connect(self._on_edit)
        return box

    def _training_group(self) -> QGroupBox:
        box = QGroupBox()
        bind(box, "setTitle", "Training")
        self.training_box = box
        form = QFormLayout(box)
        self.batch_size = self._field(form, "batch_size", 100)
        self.length_unit = QComboBox()
        self.length_unit.addItems([tr(SETTINGS["iterations"].label), tr(SETTINGS["epochs"].label)])
        self.length = NumberField(1000, setting_check(SETTINGS["iterations"]))
        length_row = QHBoxLayout()
        length_row.addWidget(self.length)
        length_row.addWidget(self.length_unit, 1)
        _row(form, "Train for", length_row)
        self.train_size = self._optional(form, "train_size", None, "all images", "0 = all")
        self.val_fraction = self._field(form, "val_fraction", 0.0)
        self.eval_interval = self._optional(form, "eval_interval", 100, "once per epoch",
                                            "0 = once per epoch (the book)")
        self.eval_train_size = self._optional(form, "eval_train_size", 10_000, "all images", "0 = all")
        self.seed = self._field(form, "seed", 0)
        self.snapshots = self._field(form, "snapshots", RunConfig().snapshots)
        for w in (self.batch_size, self.train_size, self.eval_interval, self.eval_train_size, self.seed,
                  self.snapshots):
            w.valueChanged.connect(self._on_edit)
        self.length_unit.currentIndexChanged.connect(self._unit_changed)
        self.length.valueChanged.connect(self._on_edit)
        self.val_fraction.valueChanged.connect(self._on_edit)
        return box

    def _field(self, form: QFormLayout, key: str, value: Any, optional: bool = False,
               titles: Mapping[str, str] | None = None) -> Any:
        """The field of training setting ``key`` (`field_for`), in a row labelled as declared."""
        field = field_for(SETTINGS[key], value, optional=optional, titles=titles)
        _row(form, SETTINGS[key].label, field)
        return field

    def _optional(self, form: QFormLayout, key: str, value: Any, special: str, hint: str) -> Any:
        """The spin box of an optional whole-number setting: 0 shows ``special`` and means None."""
        field = self._field(form, key, value, optional=True)
        bind(field, "setSpecialValueText", special)
        bind(field, "set_hint_suffix", hint)
        return field

    # -- hyperparameter forms ------------------------------------------------
    def _rebuild_hparams(self, name: str, values: dict[str, Any]) -> None:
        while self.hparam_form.rowCount():
            self.hparam_form.removeRow(0)
        self._hparam_fields = {}
        cls = optim.get_class(name)
        for setting in cls.settings():
            if setting.key == "lr":
                continue
            value = values.get(setting.key, cls.defaults[setting.key])
            field: Any = field_for(setting, value, owner=cls.name, slider=False)
            if isinstance(field, QCheckBox):
                field.toggled.connect(self._on_edit)
                self.hparam_form.addRow(field)
            else:
                field.valueChanged.connect(self._on_edit)
                field.validityChanged.connect(self._on_edit)
                _row(self.hparam_form, label_of(setting), field)
            self._hparam_fields[setting.key] = field

    def _rebuild_schedule(self, name: str, values: dict[str, Any]) -> None:
        while self.schedule_form.rowCount():
            self.schedule_form.removeRow(0)
        self._schedule_fields = {}
        defaults = optim.schedule_defaults(name)
        for setting in optim.schedule_settings(name):
            field = field_for(setting, values.get(setting.key, defaults[setting.key]), slider=False)
            field.valueChanged.connect(self._on_edit)
            field.validityChanged.connect(self._on_edit)
            self._schedule_fields[setting.key] = field
            self.schedule_form.addRow(setting.key, field)
        self.schedule_box.setVisible(bool(self._schedule_fields))

    # -- reading and writing -------------------------------------------------
    def config(self) -> RunConfig:
        """The `RunConfig` the next run will use; ValueError (one line) if a field is invalid."""
        bad = [w.reason() for w in self._number_fields() if not w.is_valid()]
        if self._hidden_error is not None:
            bad.append(self._hidden_error)
        if bad:   # the field's own reason, not checked again
            raise messages.OptilabError(bad[0]) if isinstance(bad[0], Message) else ValueError(bad[0])
        name = self.optimizer.currentData()
        hparams: dict[str, Any] = {"lr": self.lr.value()}
        for key, field in self._hparam_fields.items():
            hparams[key] = field.isChecked() if isinstance(field, QCheckBox) else field.value()
        sched = self.schedule.currentData()
        sargs = {k: f.value() for k, f in self._schedule_fields.items()}
        init_value = INIT_CHOICES[self.init.currentIndex()][1]
        init = self.init_std.value() if init_value is None else init_value
        epochs = self.length_unit.currentIndex() == 1
        length = self.length.value()
        return RunConfig(
            label=name, optimizer=name, hparams=hparams, schedule=sched, schedule_args=sargs,
            hidden=self._hidden, activation=self.activation.currentData(), init=init,
            batchnorm=self.batchnorm.isChecked(), dropout=self.dropout.value(),
            weight_decay=self.weight_decay.value(), batch_size=self.batch_size.value(),
            iterations=None if epochs else length, epochs=length if epochs else None,
            train_size=self.train_size.value() or None, val_fraction=self.val_fraction.value(),
            eval_interval=self.eval_interval.value() or None, eval_train_size=self.eval_train_size.value() or None,
            seed=self.seed.value(), snapshots=self.snapshots.value(),
            l1=self.l1.value(), augment=self.augment.isChecked(),
        )

    def set_config(self, cfg: RunConfig) -> None:
        """Show ``cfg`` in the fields (no `lr_changed`; emits `changed` once)."""
        self._building = True
        try:
            self.optimizer.setCurrentIndex(max(self.optimizer.findData(cfg.optimizer), 0))
            cls = optim.get_class(cfg.optimizer)
            self.lr.set_value(cfg.hparams.get("lr", cls.defaults["lr"]))
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
            self.l1.set_value(cfg.l1)
            self.augment.setChecked(cfg.augment)
            self.batch_size.setValue(cfg.batch_size)
            unit = "epochs" if cfg.epochs is not None else "iterations"
            self.length_unit.setCurrentIndex(1 if cfg.epochs is not None else 0)
            self.length.set_check(setting_check(SETTINGS[unit]))
            length = cfg.epochs if cfg.epochs is not None else cfg.iterations
            self.length.set_value(length if length is not None else 0)   # (RunConfig has one of them)
            self.train_size.setValue(cfg.train_size or 0)
            self.val_fraction.set_value(cfg.val_fraction)
            self.eval_interval.setValue(cfg.eval_interval or 0)
            self.eval_train_size.setValue(cfg.eval_train_size or 0)
            self.seed.setValue(min(cfg.seed, self.seed.maximum()))   # a QSpinBox holds at most 2³¹ − 1
            self.snapshots.setValue(cfg.snapshots)
        finally:
            self._building = False
        self._on_edit()

    def data_spec(self) -> DataSpec:
        """The data source chosen (the folder is checked when it is loaded)."""
        if self.source.currentIndex() == SOURCE_FOLDER:
            return DataSpec("folder", self.folder.text().strip())
        return DataSpec("sample")

    def open_lr_find(self) -> Any:
        """Open the range test on the current settings; its chosen η goes to `apply_lr` (the dialog)."""
        from optilab.ui.training_lab.lr_find_dialog import LRFindDialog

        dialog = LRFindDialog(self.config(), self.data_spec(), self)
        dialog.lr_chosen.connect(self.apply_lr)
        dialog.show()
        dialog.start()
        return dialog

    def apply_lr(self, lr: float) -> None:
        """Put ``lr`` in the η field as if typed (a running run takes it live, as an edit)."""
        self.lr.set_value(lr)
        self._lr_edited(self.lr.value())

    def set_experiment_note(self, title: str | None) -> None:
        """Say that these settings are for single runs while experiment ``title`` (English) is shown."""
        self._experiment = title
        self.experiment_note.setVisible(title is not None)
        self._render_texts()

    def set_running(self, running: bool) -> None:
        """Say that edits (but η) apply to the next run."""
        self.running_note.setVisible(running)

    @property
    def error(self) -> str:
        """The reason the current settings are invalid ('' when valid)."""
        return self._last_error

    # -- reactions -----------------------------------------------------------
    def _number_fields(self) -> list[NumberField]:
        fields = [self.lr.field, self.init_std, self.dropout, self.weight_decay, self.l1, self.length,
                  self.val_fraction]
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

    def _unit_changed(self) -> None:
        if self._building:
            return
        unit = "epochs" if self.length_unit.currentIndex() == 1 else "iterations"
        self._building = True   # one summary for the switch, below
        self.length.set_check(setting_check(SETTINGS[unit]))   # the text shown, checked as the new unit
        self._building = False
        self._on_edit()

    def _hidden_typed(self, text: str) -> None:
        """Check the layer sizes once as they are typed (the core's rule); `config` uses the result."""
        before = self._hidden_error
        try:
            self._hidden, self._hidden_error = parse_hidden(text), None
        except messages.OptilabError as exc:
            self._hidden_error = exc.message
        self._show_hidden_state()
        if self._hidden_error != before:   # the summary says at once why the run cannot start
            self._on_edit()

    def _show_hidden_state(self) -> None:
        """Red with the reason, or the setting's description (re-run by `retranslate`)."""
        if self._hidden_error is not None:
            self.hidden.setStyleSheet(f"QLineEdit {{ border: 2px solid {ERROR}; color: {ERROR}; }}")
            self.hidden.setToolTip(reason_text(self._hidden_error))
        else:
            self.hidden.setStyleSheet("")
            self.hidden.setToolTip(tr(SETTINGS["hidden"].description))

    def _on_edit(self, *_args: Any) -> None:
        if self._building:
            return
        self.init_std.setEnabled(INIT_CHOICES[self.init.currentIndex()][1] is None)
        folder_mode = self.source.currentIndex() == SOURCE_FOLDER
        self.folder.setEnabled(folder_mode)
        self.browse.setEnabled(folder_mode)
        self._table_enable()
        self._render_texts()
        self.changed.emit()

    def _render_texts(self) -> None:
        """The data note and the summary of the next run, in the current language."""
        if self._experiment is not None:
            self.experiment_note.setText(tr("These settings are for ▶ Start (single runs). The experiment "
                                            "“{title}” ran its own settings: see each run's label.").format(
                title=tr(self._experiment)))
        if self.table_note() is not None:
            self.data_note.setText(self.table_note())
        elif self.source.currentIndex() == SOURCE_FOLDER:
            note = ORIGIN_NOTES.get(self._origin, ORIGIN_NOTES["chosen"])
            self.data_note.setText(tr(note).format(folder=self.folder.text().strip(), var=datamod.ENV_VAR))
        else:
            self.data_note.setText(tr("The bundled sample: 8,000 training and 2,000 test images taken from "
                                      "MNIST's test set — not the full MNIST. Accuracies are a little lower."))
        try:
            cfg = self.config()
        except ValueError as exc:
            self._last_error = str(exc)
            self.find_lr.setEnabled(False)
            reason = html.escape(tr_message(messages.of(exc)))
            self.summary.setText(f"<b>{tr('Cannot start')}</b>: <span style='color:{ERROR}'>{reason}</span>")
        else:
            self._last_error = ""
            self.find_lr.setEnabled(True)
            self.summary.setText(describe(cfg))
