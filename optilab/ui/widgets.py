"""Small reusable input widgets: a validated number field and a log slider.

`NumberField` never accepts a bad value: typing something that is not a
number in range turns it red and keeps the last valid value, which is what
`value()` returns and what it shows again when it loses focus.
"""

from __future__ import annotations

import math
from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QSlider, QWidget

from optilab.ui.i18n import tr, tr_message
from optilab.ui.palette import ERROR


def format_number(value: float) -> str:
    """A number as a user would type it: ``0.95``, ``1e-07``, ``1000``."""
    return f"{value:.6g}"


class NumberField(QLineEdit):
    """A line edit holding one float, validated by ``check`` (ValueError → invalid).

    Emits `valueChanged(float)` when the user commits (Enter or focus out) a
    new valid value.  An invalid entry turns the field red with the reason
    as tooltip; `value()` keeps the last valid one.
    """

    valueChanged = Signal(float)

    def __init__(
        self,
        value: float,
        check: Callable[[float], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(format_number(value), parent)
        self._value = float(value)
        self._check = check
        self._valid = True
        self.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.setMaximumWidth(110)
        self.editingFinished.connect(self._commit)
        self.textEdited.connect(self._validate_text)

    def value(self) -> float:
        """The last valid value."""
        return self._value

    def is_valid(self) -> bool:
        """False while the text typed is not an acceptable number."""
        return self._valid

    def set_value(self, value: float) -> None:
        """Set the value from code (no signal) and show it."""
        self._value = float(value)
        self._set_valid(True)
        if not self.hasFocus() or self.text() != format_number(value):
            self.setText(format_number(value))

    def _parse(self, text: str) -> float:
        try:
            number = float(text.strip().replace(",", "."))
        except ValueError:
            raise ValueError(tr("not a number")) from None
        if not math.isfinite(number):
            raise ValueError(tr("must be a finite number"))
        if self._check is not None:
            self._check(number)
        return number

    def _validate_text(self, text: str) -> None:
        try:
            self._parse(text)
        except ValueError as exc:
            self._set_valid(False, tr_message(str(exc)))
        else:
            self._set_valid(True)

    def _commit(self) -> None:
        try:
            number = self._parse(self.text())
        except ValueError as exc:
            self._set_valid(False, tr_message(str(exc)))
            return
        self._set_valid(True)
        if number != self._value:
            self._value = number
            self.valueChanged.emit(number)

    def _set_valid(self, valid: bool, reason: str = "") -> None:
        self._valid = valid
        if valid:
            self.setStyleSheet("")
            self.setToolTip("")
        else:
            self.setStyleSheet(f"QLineEdit {{ border: 2px solid {ERROR}; color: {ERROR}; }}")
            self.setToolTip(reason)


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
        check: Callable[[float], None] | None = None,
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
        return int(round((min(max(v, a), b) - a) / (b - a) * self.STEPS))

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
            self.field._parse(str(value))
        except ValueError:
            return
        self.field.set_value(value)
        self.valueChanged.emit(value)

    def _on_field(self, value: float) -> None:
        self._set_slider(value)
        self.valueChanged.emit(value)
