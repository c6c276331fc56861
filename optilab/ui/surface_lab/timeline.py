"""The surface lab's timeline: play/pause, one step back or forward, a scrub slider, the step and speed.

It only shows the step and emits clicks; the pane moves the lab's step.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QSlider, QWidget

from optilab.ui.i18n import bind, on_language_changed, tr

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
