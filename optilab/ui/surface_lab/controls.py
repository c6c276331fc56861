"""The surface lab's controls: lesson bar, surface picker, run list with
hyperparameters, start point and steps, and the timeline (play, step, scrub).

The widgets only edit values and emit signals; `SurfaceLabPane` owns the
state and recomputes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QPixmap, QValidator
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
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from optilab import lessons, optim, surfaces
from optilab.surfaces import Surface
from optilab.ui.i18n import bind, on_language_changed, tr
from optilab.ui.palette import ERROR
from optilab.ui.widgets import NumberField, SliderField


@dataclass
class RunConfig:
    """One row of the run list: an optimizer with its settings and colour.

    ``surface`` overrides the lab's surface for this run (the minibatch
    variants of the least-squares lesson); None means the lab's surface.
    ``label`` names the settings ``label_for`` (a lesson's label) and is
    shown while the settings are those; otherwise the title is made from the
    settings.  With ``label_for`` None the label is the user's own and kept.
    """

    optimizer: str
    hparams: dict[str, Any]
    color: str
    label: str | None = None
    enabled: bool = True
    surface: Surface | None = field(default=None, repr=False)
    label_for: dict[str, Any] | None = None

    def _title(self, translate: Callable[[str], str]) -> str:
        if self.label and (self.label_for is None or lessons.same_settings(self.optimizer, self.label_for, self.hparams)):
            return translate(self.label)
        base = self.label if self.label and self.surface is not None else None  # a minibatch run keeps its data's name
        return lessons.settings_label(self.optimizer, self.hparams, base=base,
                                      reference=self.label_for if base else None, translate=translate)

    @property
    def title(self) -> str:
        """Legend text, language independent (what a scenario stores)."""
        return self._title(str)

    def display_title(self) -> str:
        """Legend text in the current language."""
        return self._title(tr)


def _checker(optimizer: str, key: str) -> Callable[[float], None]:
    """A validator that asks the optimizer class itself (ValueError with its reason)."""
    cls = optim.get_class(optimizer)

    def check(value: float) -> None:
        cls(**{key: value})

    return check


# Slider ranges per hyperparameter: (low, high, log, label).
_HPARAM_UI: dict[str, tuple[float, float, bool, str]] = {
    "lr": (1e-4, 10.0, True, "η (lr)"),
    "momentum": (0.0, 0.999, False, "μ (momentum)"),
    "decay_rate": (0.0, 0.999, False, "ρ (decay)"),
    "beta1": (0.0, 0.999, False, "β₁"),
    "beta2": (0.9, 0.9999, False, "β₂"),
    "eps": (1e-10, 1e-1, True, "ε"),
    "weight_decay": (1e-4, 1.0, True, "λ (weight decay)"),
}


class _RunTitle:
    """A format argument: the run's title in the language of the moment the text is (re)composed."""

    def __init__(self, run: RunConfig) -> None:
        self.run = run

    def __format__(self, spec: str) -> str:
        return format(self.run.display_title(), spec)


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

    def edit(self, run: RunConfig | None) -> None:
        """Show the fields of ``run`` (rebuilt only when the optimizer kind changes)."""
        if run is None:
            self._clear()
            self.optimizer = None
            bind(self, "setTitle", "Hyperparameters")
            return
        cls = optim.get_class(run.optimizer)
        if run.optimizer != self.optimizer:
            self._clear()
            self.optimizer = run.optimizer
            for key, default in cls.defaults.items():
                value = run.hparams.get(key, default)
                if key == "bias_correction":
                    box = QCheckBox()
                    bind(box, "setText", "bias correction (m̂, v̂)")
                    box.setChecked(bool(value))
                    box.toggled.connect(lambda on, k=key: self.changed.emit(k, bool(on)))
                    self.form.addRow(box)
                    self.fields[key] = box
                    continue
                low, high, log, label = _HPARAM_UI[key]
                widget = SliderField(float(value), low, high, log, _checker(run.optimizer, key))
                widget.valueChanged.connect(lambda v, k=key: self.changed.emit(k, float(v)))
                label_widget = QLabel()
                bind(label_widget, "setText", label)
                self.form.addRow(label_widget, widget)
                self.fields[key] = widget
        for key, default in cls.defaults.items():
            value = run.hparams.get(key, default)
            widget = self.fields[key]
            if isinstance(widget, QCheckBox):
                widget.blockSignals(True)
                widget.setChecked(bool(value))
                widget.blockSignals(False)
            else:
                widget.set_value(float(value))
        bind(self, "setTitle", "Hyperparameters of {title}", title=_RunTitle(run))

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

    def set_runs(self, runs: list[RunConfig], current: int = 0) -> None:
        """Show ``runs``, selecting row ``current``."""
        self.list.blockSignals(True)
        self.list.clear()
        for run in runs:
            item = QListWidgetItem(_swatch(run.color), run.display_title())
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if run.enabled else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.list.blockSignals(False)
        if runs:
            self.list.setCurrentRow(min(max(current, 0), len(runs) - 1))
        self.selected.emit(self.list.currentRow())

    def set_title(self, row: int, title: str) -> None:
        """Rename a row."""
        item = self.list.item(row)
        if item is not None:
            self.list.blockSignals(True)
            item.setText(title)
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
            self.combo.setItemText(i, tr("Custom formula") if name == "custom" else tr(surfaces.get(name).title))

    def show_surface(self, surface: Surface) -> None:
        """Reflect the lab's surface (combo entry and formula text) without signals."""
        self.combo.blockSignals(True)
        index = self.combo.findData(surface.name)
        if index < 0 or surface.name not in surfaces.names():
            index = self.combo.findData("custom")
        self.combo.setCurrentIndex(index)
        self.combo.blockSignals(False)
        self.formula.setText(surface.formula)
        self.show_error("")

    def show_error(self, message: str) -> None:
        """Show (or with '' hide) the inline error."""
        _say(self.error, message)
        self.formula.setStyleSheet(f"QLineEdit {{ border: 2px solid {ERROR}; }}" if message else "")

    def _on_combo(self, index: int) -> None:
        name = self.combo.itemData(index)
        if name == "custom":
            self.formula.setFocus()
            self.formula.selectAll()
        else:
            self.surface_chosen.emit(name)

    def _on_formula(self) -> None:
        self.formula_entered.emit(self.formula.text())


#: The most steps per run the lab computes and draws.
MAX_STEPS = 5000


class StepsBox(QSpinBox):
    """A spin box that takes any whole number typed and clamps it to its range,
    emitting `clamped(asked)` when the number typed was above the maximum."""

    clamped = Signal(int)

    def validate(self, text: str, pos: int):  # noqa: D102 - Qt override
        if text.strip().isdigit():
            return QValidator.State.Acceptable, text, pos
        return super().validate(text, pos)

    def valueFromText(self, text: str) -> int:  # noqa: N802 - Qt override
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


#: Playback speeds offered, in steps per second.
SPEEDS = (2, 5, 10, 30, 60, 120, 300)


class Timeline(QWidget):
    """Play/pause, one step back/forward, a scrub slider, the step and speed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        big = QFont()
        big.setPointSize(13)
        self.play_button = QPushButton()
        self.back_button = QPushButton()
        self.forward_button = QPushButton()
        self._playing = False
        self._shown = (0, 30)
        bind(self.back_button, "setText", "◀ Step")
        bind(self.forward_button, "setText", "Step ▶")
        bind(self.back_button, "setToolTip", "One step back (Left arrow)")
        bind(self.forward_button, "setToolTip", "One step forward (Right arrow)")
        bind(self.play_button, "setToolTip", "Play or pause (Space)")
        for button in (self.play_button, self.back_button, self.forward_button):
            button.setFont(big)
            button.setMinimumWidth(95)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 30)
        self.step_label = QLabel()
        self.step_label.setFont(big)
        self.step_label.setFixedWidth(170)  # a changing width would re-layout the window every frame
        self.speed = QComboBox()
        for s in SPEEDS:
            self.speed.addItem(tr("{n} steps/s").format(n=s), s)
        self.speed.setCurrentIndex(SPEEDS.index(10))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.addWidget(self.back_button)
        layout.addWidget(self.play_button)
        layout.addWidget(self.forward_button)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.step_label)
        self.speed_label = QLabel()
        bind(self.speed_label, "setText", "Speed")
        layout.addWidget(self.speed_label)
        layout.addWidget(self.speed)
        self.show_playing(False)
        on_language_changed(self.retranslate)

    def set_scale(self, factor: float) -> None:
        """Scale the big buttons and the step counter (presentation mode)."""
        big = QFont()
        big.setPointSizeF(13 * factor)
        for widget in (self.play_button, self.back_button, self.forward_button, self.step_label):
            widget.setFont(big)
        self.step_label.setFixedWidth(int(170 * factor))
        for button in (self.play_button, self.back_button, self.forward_button):
            button.setMinimumWidth(int(95 * factor))

    def retranslate(self) -> None:
        """Texts composed here (speeds, step counter, play/pause) in the current language."""
        for i, s in enumerate(SPEEDS):
            self.speed.setItemText(i, tr("{n} steps/s").format(n=s))
        self.show_step(*self._shown)
        self.show_playing(self._playing)

    def show_step(self, k: int, last: int) -> None:
        """Reflect step ``k`` of ``last`` without signals."""
        self.slider.blockSignals(True)
        self.slider.setRange(0, last)
        self.slider.setValue(k)
        self.slider.blockSignals(False)
        self._shown = (k, last)
        self.step_label.setText(tr("step {k} / {n}").format(k=k, n=last))

    def show_playing(self, playing: bool) -> None:
        """Switch the play button's text."""
        self._playing = playing
        self.play_button.setText(tr("❚❚ Pause") if playing else tr("▶ Play"))

    def speed_value(self) -> int:
        """Steps per second chosen."""
        return int(self.speed.currentData())


class LessonBar(QWidget):
    """The lesson picker with the lesson's caption and what to look at."""

    lesson_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.combo = QComboBox()
        self.combo.addItem(tr("Lessons…"), "")
        self._lesson: lessons.Lesson | None = None
        self.edited = False
        for lesson in lessons.LESSONS:
            self.combo.addItem(tr(lesson.title), lesson.key)
        self.combo.setMinimumWidth(330)
        title_font = QFont()
        title_font.setPointSize(12)
        self.combo.setFont(title_font)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        caption_font = QFont()
        caption_font.setPointSize(13)
        self.caption.setFont(caption_font)
        self.look_at = QLabel()
        self.look_at.setWordWrap(True)
        self.set_accent("#0072B2")
        look_font = QFont()
        look_font.setPointSize(11)
        look_font.setItalic(True)
        self.look_at.setFont(look_font)
        text = QVBoxLayout()
        text.setSpacing(0)
        text.addWidget(self.caption)
        text.addWidget(self.look_at)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.combo, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(text, 1)
        self.combo.activated.connect(self._on_combo)
        self.show_lesson(None)
        on_language_changed(self.retranslate)

    def set_accent(self, color: str) -> None:
        """The colour of the "look at" line (it follows the theme)."""
        self.look_at.setStyleSheet(f"color: {color};")

    def set_scale(self, factor: float) -> None:
        """Scale the lesson picker and caption fonts (presentation mode)."""
        for widget, size in ((self.combo, 12), (self.caption, 13), (self.look_at, 11)):
            font = QFont()
            font.setPointSizeF(size * factor)
            font.setItalic(widget is self.look_at)
            widget.setFont(font)
        self.combo.setMinimumWidth(int(330 * factor))

    def retranslate(self) -> None:
        """Lesson titles and the caption in the current language."""
        for i in range(1, self.combo.count()):
            self.combo.setItemText(i, tr(lessons.get(self.combo.itemData(i)).title))
        self.combo.setItemText(0, tr("Lessons…"))
        self.show_lesson(self._lesson, self.edited)

    def show_lesson(self, lesson: lessons.Lesson | None, edited: bool = False) -> None:
        """Show a lesson's caption (None: a hint; ``edited``: that the settings
        are no longer the lesson's, so its caption does not hold) without signals."""
        self._lesson, self.edited = lesson, bool(lesson is not None and edited)
        self.combo.blockSignals(True)
        self.combo.setCurrentIndex(self.combo.findData(lesson.key) if lesson else 0)
        self.combo.blockSignals(False)
        if lesson is None:
            self.caption.setText(tr("Pick a lesson, or choose a surface and optimizers on the left."))
            self.look_at.setText("")
        elif self.edited:
            self.caption.setText(tr("Edited: these settings are no longer the lesson “{title}”, so its caption "
                                    "does not apply. Choose the lesson again in the list to reload it.")
                                 .format(title=tr(lesson.title)))
            self.look_at.setText("")
        else:
            self.caption.setText(tr(lesson.caption))
            self.look_at.setText(tr("Look at: ") + tr(lesson.look_at) if lesson.look_at else "")
        self.look_at.setVisible(bool(self.look_at.text()))

    def _on_combo(self, index: int) -> None:
        key = self.combo.itemData(index)
        if key:
            self.lesson_chosen.emit(key)
