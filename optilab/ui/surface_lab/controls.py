"""The surface lab's controls: surface picker, run list with hyperparameters,
start point and steps (the lesson bar and the timeline have modules of their own).

The widgets only edit values and emit signals; the lab's state is the
Qt-free `optilab.lab.surface.SurfaceLab`, which `SurfaceLabPane` edits.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap, QValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from optilab import optim, surfaces
from optilab.lab.surface import MAX_STEPS
from optilab.optim.hparams import Hyperparameter
from optilab.rules import Flag
from optilab.surfaces import Surface
from optilab.trajectory import Run
from optilab.ui.i18n import bind, on_language_changed, tr
from optilab.ui.palette import ERROR
from optilab.ui.widgets import NumberField, field_for


class _RunTitle:
    """A format argument: the run's title in the language of the moment the text is (re)composed."""

    def __init__(self, title: Callable[[], str]) -> None:
        self.title = title

    def __format__(self, spec: str) -> str:
        return format(self.title(), spec)


class HparamEditor(QGroupBox):
    """Sliders and exact fields for the selected run's hyperparameters.

    Emits `changed(key, value)` at every slider move or committed field.
    """

    changed = Signal(str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        bind(self, "setTitle", "Hyperparameters")
        self.form = QFormLayout(self)
        self.form.setContentsMargins(6, 6, 6, 6)
        self.fields: dict[str, Any] = {}
        self.optimizer: str | None = None
        self._title = ""

    def edit(self, run: Run | None, title: Callable[[], str] = lambda: "") -> None:
        """Show the fields of ``run`` (rebuilt only when the optimizer kind changes);
        ``title`` gives the run's title in the current language."""
        if run is None:
            self._clear()
            self.optimizer = None
            bind(self, "setTitle", "Hyperparameters")
            return
        if run.optimizer != self.optimizer:
            self._clear()
            self.optimizer = run.optimizer
            for setting in optim.get_class(run.optimizer).settings():
                self.fields[setting.key] = self._field(setting, run.optimizer)
        for key, value in run.settings.items():
            widget = self.fields[key]
            if isinstance(widget, QCheckBox):
                widget.blockSignals(True)
                widget.setChecked(bool(value))
                widget.blockSignals(False)
            elif isinstance(widget, QSpinBox):      # a whole number (L-BFGS's history m)
                widget.blockSignals(True)
                widget.setValue(int(value))
                widget.blockSignals(False)
            else:
                widget.set_value(float(value))
        self.retitle(title)

    def retitle(self, title: Callable[[], str]) -> None:
        """Name the run edited (its title follows its settings); the fields are not touched."""
        bind(self, "setTitle", "Hyperparameters of {title}", title=_RunTitle(title))

    def _field(self, setting: Hyperparameter, optimizer: str) -> QWidget:
        """The field of one hyperparameter, built from its declaration (`optim.HPARAMS`)."""
        key = setting.key
        widget = field_for(setting, setting.slider[0] if setting.slider else False, optimizer)
        if isinstance(setting.rule, Flag):
            widget.toggled.connect(lambda on: self.changed.emit(key, bool(on)))
            self.form.addRow(widget)
            return widget
        widget.valueChanged.connect(lambda v: self.changed.emit(key, float(v)))
        label_widget = QLabel()
        bind(label_widget, "setText", setting.field_label())
        self.form.addRow(label_widget, widget)
        return widget

    def _clear(self) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self.fields = {}


class RunList(QWidget):
    """The checklist of runs, with add and remove buttons.

    Signals: `toggled(row, on)`, `selected(row)`, `add_requested(optimizer)`,
    `remove_requested(row)`.
    """

    toggled = Signal(int, bool)
    selected = Signal(int)
    add_requested = Signal(str)
    remove_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.list = QListWidget()
        self.list.setMinimumHeight(130)
        self.add_button = QPushButton()  # a push button sizes itself with room for the menu arrow
        bind(self.add_button, "setText", "Add optimizer")
        menu = QMenu(self.add_button)
        for name in optim.names():
            action = menu.addAction(optim.get_class(name).title)
            action.triggered.connect(lambda _=False, n=name: self.add_requested.emit(n))
        self.add_button.setMenu(menu)
        self.remove_button = QPushButton()
        bind(self.remove_button, "setText", "Remove")
        self.remove_button.clicked.connect(self._remove)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        self.list.itemChanged.connect(self._on_item_changed)
        self.list.currentRowChanged.connect(self.selected)

    def set_runs(self, rows: Sequence[tuple[str, str | None, bool]], current: int = 0) -> None:
        """Show the runs (title, colour, ticked), selecting row ``current``."""
        self.list.blockSignals(True)
        self.list.clear()
        for title, color, enabled in rows:
            item = QListWidgetItem(_swatch(color or "#808080"), title)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if enabled else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.list.blockSignals(False)
        if rows:
            self.list.setCurrentRow(min(max(current, 0), len(rows) - 1))
        self.selected.emit(self.list.currentRow())

    def show_row(self, row: int, title: str, enabled: bool) -> None:
        """Reflect one run's title and tick without signals."""
        item = self.list.item(row)
        if item is not None:
            self.list.blockSignals(True)
            item.setText(title)
            item.setCheckState(Qt.CheckState.Checked if enabled else Qt.CheckState.Unchecked)
            self.list.blockSignals(False)

    def _on_item_changed(self, item: QListWidgetItem) -> None:
        self.toggled.emit(self.list.row(item), item.checkState() == Qt.CheckState.Checked)

    def _remove(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            self.remove_requested.emit(row)


def _swatch(color: str) -> QIcon:
    pixmap = QPixmap(18, 18)
    pixmap.fill(QColor(color))
    return QIcon(pixmap)


#: The surface name of a sampled loss landscape (`optilab.surfaces.sampled`).
LANDSCAPE = "landscape"


class SurfaceControls(QGroupBox):
    """Surface picker and custom formula with an inline error line.

    Signals: `surface_chosen(name)`, `formula_entered(text)`.
    """

    surface_chosen = Signal(str)
    formula_entered = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        bind(self, "setTitle", "Surface")
        self.combo = QComboBox()
        for name in surfaces.names():
            self.combo.addItem(tr(surfaces.get(name).title), name)
        self.combo.addItem(tr("Custom formula"), "custom")
        self.formula = QLineEdit()
        bind(self.formula, "setPlaceholderText", "f(x, y), e.g. x**2 + 3*sin(y)")
        self.apply_button = QPushButton()
        bind(self.apply_button, "setText", "Apply")
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {ERROR};")
        self.error.setVisible(False)
        row = QHBoxLayout()
        row.addWidget(self.formula, 1)
        row.addWidget(self.apply_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.combo)
        layout.addLayout(row)
        layout.addWidget(self.error)
        self.combo.activated.connect(self._on_combo)
        self.formula.returnPressed.connect(self._on_formula)
        self.apply_button.clicked.connect(self._on_formula)
        on_language_changed(self.retranslate)

    def retranslate(self) -> None:
        """Re-read the surface titles in the current language."""
        for i in range(self.combo.count()):
            name = self.combo.itemData(i)
            self.combo.setItemText(i, tr("Custom formula") if name == "custom" else
                                   tr("Loss landscape") if name == LANDSCAPE else tr(surfaces.get(name).title))

    def show_surface(self, surface: Surface) -> None:
        """Reflect the lab's surface (combo entry and formula text) without signals; a sampled
        loss landscape gets an entry of its own while shown, and no formula to edit."""
        self.combo.blockSignals(True)
        landscape = surface.name == LANDSCAPE and surface.name not in surfaces.names()
        entry = self.combo.findData(LANDSCAPE)
        if landscape and entry < 0:
            self.combo.addItem(tr("Loss landscape"), LANDSCAPE)
        elif not landscape and entry >= 0:
            self.combo.removeItem(entry)
        index = self.combo.findData(surface.name)
        if index < 0 or (surface.name not in surfaces.names() and not landscape):
            index = self.combo.findData("custom")
        self.combo.setCurrentIndex(index)
        self.combo.blockSignals(False)
        self.formula.setText("" if landscape else surface.formula)
        self.formula.setEnabled(not landscape)
        self.apply_button.setEnabled(not landscape)
        self.show_error("")

    def show_error(self, message: str) -> None:
        """Show (or with '' hide) the inline error."""
        _say(self.error, message)
        self.formula.setStyleSheet(f"QLineEdit {{ border: 2px solid {ERROR}; }}" if message else "")

    def _on_combo(self, index: int) -> None:
        name = self.combo.itemData(index)
        if name == LANDSCAPE:       # the landscape shown: nothing to choose
            return
        if name == "custom":
            self.formula.setEnabled(True)
            self.apply_button.setEnabled(True)
            self.formula.setFocus()
            self.formula.selectAll()
        else:
            self.surface_chosen.emit(name)

    def _on_formula(self) -> None:
        self.formula_entered.emit(self.formula.text())


class StepsBox(QSpinBox):
    """A spin box that takes any whole number typed and clamps it to its range,
    emitting `clamped(asked)` when the number typed was above the maximum."""

    clamped = Signal(int)

    def validate(self, text: str, pos: int):
        if text.strip().isdigit():
            return QValidator.State.Acceptable, text, pos
        return super().validate(text, pos)

    def valueFromText(self, text: str) -> int:
        if not text.strip().isdigit():
            return super().valueFromText(text)
        asked = int(text.strip())
        if asked > self.maximum():
            self.clamped.emit(asked)
        return min(max(asked, self.minimum()), self.maximum())


def _message_label(color: str | None = None) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    if color:
        label.setStyleSheet(f"color: {color};")
    label.setVisible(False)
    return label


def _say(label: QLabel, text: str) -> None:
    """Show ``text`` in a `_message_label` ('' hides it)."""
    label.setText(text)
    label.setVisible(bool(text))


class StartControls(QGroupBox):
    """Start point (typed or clicked on the map) and the number of steps.

    Below the start: `error` (a start refused) or `note` (where the runs
    start, when not where asked); below the steps: `steps_note` (the limit).
    """

    start_changed = Signal(float, float)
    steps_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        bind(self, "setTitle", "Start and steps")
        self.x_field = NumberField(0.0)
        self.y_field = NumberField(0.0)
        self.steps = StepsBox()
        self.steps.setRange(1, MAX_STEPS)
        self.steps.setValue(30)
        self.steps.setKeyboardTracking(False)
        hint = self.hint = QLabel()
        bind(hint, "setText", "or click on the 2-D map")
        self.error = _message_label(ERROR)
        self.note = _message_label()
        self.steps_note = _message_label(ERROR)
        self.x_name, self.y_name = QLabel("x"), QLabel("y")
        row = QHBoxLayout()
        row.addWidget(self.x_name)
        row.addWidget(self.x_field)
        row.addWidget(self.y_name)
        row.addWidget(self.y_field)
        form = QFormLayout(self)
        form.setContentsMargins(6, 6, 6, 6)
        start_label, steps_label = QLabel(), QLabel()
        bind(start_label, "setText", "Start")
        bind(steps_label, "setText", "Steps")
        form.addRow(start_label, row)
        form.addRow("", hint)
        form.addRow("", self.error)
        form.addRow("", self.note)
        form.addRow(steps_label, self.steps)
        form.addRow("", self.steps_note)
        self.x_field.valueChanged.connect(self._emit_start)
        self.y_field.valueChanged.connect(self._emit_start)
        self.steps.valueChanged.connect(self._on_steps)
        self.steps.clamped.connect(self.show_steps_limit)

    def set_axis_names(self, x: str, y: str) -> None:
        """Name the start's coordinates as the map's axes (w, b for a line)."""
        self.x_name.setText(x)
        self.y_name.setText(y)

    def show_note(self, message: str) -> None:
        """Show (or with '' hide) a note on where the runs start."""
        _say(self.note, message)

    def show_steps_limit(self, asked: int) -> None:
        """Say that ``asked`` steps were more than the lab draws (0: hide)."""
        text = tr("at most {max} steps: {asked} became {max}").format(max=MAX_STEPS, asked=asked) \
            if asked > MAX_STEPS else ""
        _say(self.steps_note, text)

    def _on_steps(self, steps: int) -> None:
        if steps < MAX_STEPS:
            self.show_steps_limit(0)
        self.steps_changed.emit(steps)

    def show_start(self, x: float, y: float) -> None:
        """Reflect the start point without signals."""
        self.x_field.set_value(x)
        self.y_field.set_value(y)

    def show_error(self, message: str) -> None:
        """Show (or with '' hide) the inline error under the start point."""
        _say(self.error, message)

    def show_steps(self, steps: int) -> None:
        """Reflect the number of steps without signals."""
        self.steps.blockSignals(True)
        self.steps.setValue(steps)
        self.steps.blockSignals(False)

    def _emit_start(self, _value: float) -> None:
        self.start_changed.emit(self.x_field.value(), self.y_field.value())
