"""Small reusable input widgets: a validated number field, a log slider, and `field_for`,
which builds the right one of them from a declared `optilab.rules.Setting`.

`NumberField` never accepts a bad value: typing something that is not a
number in range turns it red and keeps the last valid value, which is what
`value()` returns and what it shows again when it loses focus.  Each text
typed is checked once (the check's result is kept for the commit), and the
reason shown is the check's own message, translated by its code.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLineEdit, QSlider, QSpinBox, QWidget

from optilab import messages
from optilab.messages import Message
from optilab.rules import Choice, Flag, Number, Setting
from optilab.ui.i18n import bind, tr, tr_message
from optilab.ui.palette import ERROR

#: The largest value a QSpinBox holds (a C int).
SPIN_MAX = 2**31 - 1
#: The reasons a field gives itself (UI texts, translated with `tr`); a check's own are Messages.
NOT_A_NUMBER, NOT_FINITE = "not a number", "must be a finite number"


def format_number(value: float) -> str:
    """A number as a user would type it: ``0.95``, ``1e-07``, ``1000``."""
    return f"{value:.6g}"


class NumberField(QLineEdit):
    """A line edit holding one number, validated by ``check`` (ValueError → invalid).

    ``check(number)`` may return the value to keep (e.g. an int for a whole-number
    setting); None keeps the number typed.  Emits `valueChanged(float)` when the
    user commits (Enter or focus out) a new valid value, `validityChanged(bool)`
    when the entry turns invalid or valid again.  An invalid entry turns the
    field red with the reason as tooltip; `value()` keeps the last valid one.
    While valid, the tooltip is the hint (`set_hint`).
    """

    valueChanged = Signal(float)
    #: The entry turned invalid (False) or valid again (True).
    validityChanged = Signal(bool)

    def __init__(
        self,
        value: float,
        check: Callable[[float], Any] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(format_number(value), parent)
        self._value: Any = value
        self._check = check
        self._valid = True
        self._error: Message | str | None = None
        self._hint = ""
        self._checked: tuple[str, Any, Message | str | None] | None = None  # (text, value, error) last checked
        self.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.setMaximumWidth(110)
        self.editingFinished.connect(self._commit)
        self.textEdited.connect(self._validate_text)

    def value(self) -> Any:
        """The last valid value."""
        return self._value

    def reason(self) -> Message | str | None:
        """Why the entry is invalid (None while valid)."""
        return self._error

    def is_valid(self) -> bool:
        """False while the text typed is not an acceptable number."""
        return self._valid

    def set_value(self, value: float) -> None:
        """Set the value from code (no signal, no check) and show it."""
        self._value = value
        self._set_valid(None)
        if not self.hasFocus() or self.text() != format_number(value):
            self.setText(format_number(value))

    def set_hint(self, text: str) -> None:
        """The tooltip while the value is valid (already translated: use with `bind`)."""
        self._hint = text
        if self._valid:
            self.setToolTip(text)

    def retranslate(self) -> None:
        """Show the reason of an invalid entry in the current language."""
        self._set_valid(self._error)

    def set_check(self, check: Callable[[float], Any] | None) -> None:
        """Check entries with ``check`` from now on: the text shown is checked again and, when it
        passes, kept (`valueChanged` if that changes the value)."""
        self._check, self._checked = check, None
        self._commit()

    def _parse(self, text: str) -> Any:
        """The value ``text`` stands for; `_Invalid` (a ValueError with the reason) if none.

        The text last checked is not checked again."""
        if self._checked is not None and self._checked[0] == text:
            _, value, error = self._checked
        else:
            value, error = self._read(text)
            self._checked = (text, value, error)
        if error is not None:
            raise _Invalid(error)
        return value

    def _read(self, text: str) -> tuple[Any, Message | str | None]:
        try:
            number = float(text.strip().replace(",", "."))
        except ValueError:
            return None, NOT_A_NUMBER
        if not math.isfinite(number):
            return None, NOT_FINITE
        if self._check is None:
            return number, None
        try:
            kept = self._check(number)
        except ValueError as exc:
            return None, messages.of(exc)
        return (number if kept is None else kept), None

    def _validate_text(self, text: str) -> None:
        try:
            self._parse(text)
        except _Invalid as exc:
            self._set_valid(exc.reason)
        else:
            self._set_valid(None)

    def _commit(self) -> None:
        try:
            number = self._parse(self.text())
        except _Invalid as exc:
            self._set_valid(exc.reason)
            return
        self._set_valid(None)
        if number != self._value:
            self._value = number
            self.valueChanged.emit(float(number))

    def _set_valid(self, error: Message | str | None) -> None:
        changed = self._error != error
        self._valid, self._error = error is None, error
        if changed:
            self.validityChanged.emit(error is None)
        if error is None:
            self.setStyleSheet("")
            self.setToolTip(self._hint)
        else:
            self.setStyleSheet(f"QLineEdit {{ border: 2px solid {ERROR}; color: {ERROR}; }}")
            self.setToolTip(reason_text(error))


class _Invalid(ValueError):
    """A field's entry is not acceptable: ``reason`` is a Message or a UI text."""

    def __init__(self, reason: Message | str) -> None:
        super().__init__(str(reason))
        self.reason = reason


def reason_text(reason: Message | str) -> str:
    """A field's reason in the current language (a core Message by its code, a UI text by `tr`)."""
    return tr_message(reason) if isinstance(reason, Message) else tr(reason)


class SliderField(QWidget):
    """A slider with an exact number field beside it, linear or logarithmic.

    The slider covers ``[low, high]`` (on a log10 scale when ``log``); the
    field accepts any value ``check`` allows, even beyond the slider's range.
    Emits `valueChanged(float)` on every slider move and field commit.
    """

    valueChanged = Signal(float)
    STEPS = 1000

    def __init__(
        self,
        value: float,
        low: float,
        high: float,
        log: bool = False,
        check: Callable[[float], Any] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.low, self.high, self.log = low, high, log
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, self.STEPS)
        self.field = NumberField(value, check)
        self.field.setMaximumWidth(90)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.field)
        self._set_slider(value)
        self.slider.valueChanged.connect(self._on_slider)
        self.field.valueChanged.connect(self._on_field)

    def value(self) -> float:
        """The current (valid) value."""
        return self.field.value()

    def set_value(self, value: float) -> None:
        """Set from code, without emitting."""
        self.field.set_value(value)
        self._set_slider(value)

    def _to_position(self, value: float) -> int:
        if self.log:
            a, b, v = math.log10(self.low), math.log10(self.high), math.log10(max(value, 1e-300))
        else:
            a, b, v = self.low, self.high, value
        return round((min(max(v, a), b) - a) / (b - a) * self.STEPS)

    def _from_position(self, position: int) -> float:
        frac = position / self.STEPS
        if self.log:
            a, b = math.log10(self.low), math.log10(self.high)
            return float(f"{10 ** (a + frac * (b - a)):.3g}")
        return float(f"{self.low + frac * (self.high - self.low):.4g}")

    def _set_slider(self, value: float) -> None:
        self.slider.blockSignals(True)
        self.slider.setValue(self._to_position(value))
        self.slider.blockSignals(False)

    def _on_slider(self, position: int) -> None:
        value = self._from_position(position)
        try:
            kept = self.field._parse(format_number(value))
        except ValueError:
            return
        self.field.set_value(kept)
        self.valueChanged.emit(float(kept))

    def _on_field(self, value: float) -> None:
        self._set_slider(value)
        self.valueChanged.emit(value)


# -- fields built from declared settings ---------------------------------------------

def setting_check(setting: Setting, owner: str | None = None) -> Callable[[Any], Any]:
    """A field check: ``setting.check(value, owner)`` — the setting's one rule and message."""
    def check(value: Any) -> Any:
        return setting.check(value, owner)
    return check


def label_of(setting: Setting) -> str:
    """The English text of a setting's field: its ``field_label()`` where it has one ("η (lr)"), else its label."""
    field_label = getattr(setting, "field_label", None)
    return field_label() if callable(field_label) else (setting.label or setting.key)


def field_for(
    setting: Setting,
    value: Any,
    owner: str | None = None,
    *,
    optional: bool = False,
    titles: Mapping[str, str] | None = None,
    slider: bool = True,
) -> Any:
    """The input widget for ``setting``, showing ``value``, its range and tooltip from the declaration.

    Flag → a check box labelled `label_of`; Choice → a combo box (item data =
    the choice, text = ``titles`` or the choice); whole number with an upper
    bound → a `SpinField` over the rule's range (``optional``: one below it
    stands for None; give it a special text); number with a ``slider`` → a
    `SliderField` (unless ``slider`` is False); other numbers → a `NumberField`.
    Number fields check every entry with the setting (its message shown,
    translated, when it fails).  The tooltip is the setting's description
    (English, translated live).
    """
    rule = setting.rule
    widget: Any
    if isinstance(rule, Flag):
        widget = QCheckBox()
        bind(widget, "setText", label_of(setting))
        widget.setChecked(bool(value))
    elif isinstance(rule, Choice):
        widget = QComboBox()
        for choice in rule.choices:
            widget.addItem((titles or {}).get(choice, choice), choice)
        widget.setCurrentIndex(max(widget.findData(value), 0))
    elif isinstance(rule, Number) and rule.integer and rule.high is not None:
        low = int(rule.low or 0) - (1 if optional else 0)
        widget = SpinField(low, int(min(rule.high, SPIN_MAX)), low if value is None else int(min(value, SPIN_MAX)))
    elif slider and setting.slider is not None:
        widget = SliderField(value, *setting.slider, check=setting_check(setting, owner))
    else:
        widget = NumberField(value, setting_check(setting, owner))
    if setting.description:
        setter = "set_hint" if isinstance(widget, NumberField) else (
            "set_description" if isinstance(widget, SpinField) else "setToolTip")
        bind(widget, setter, setting.description)
    return widget


class SpinField(QSpinBox):
    """A whole-number spin box whose tooltip is a description and, optionally, what its special
    value means ("…; 0 = all"), each part translated (`set_description`, `set_hint_suffix` with `bind`)."""

    def __init__(self, low: int, high: int, value: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._parts = ["", ""]
        self.setRange(low, high)
        self.setValue(value)
        self.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.setKeyboardTracking(True)

    def set_description(self, text: str) -> None:
        self._parts[0] = text
        self.setToolTip("; ".join(p for p in self._parts if p))

    def set_hint_suffix(self, text: str) -> None:
        self._parts[1] = text
        self.setToolTip("; ".join(p for p in self._parts if p))


__all__ = [
    "SPIN_MAX",
    "NumberField",
    "SliderField",
    "field_for",
    "format_number",
    "label_of",
    "reason_text",
    "setting_check",
]
