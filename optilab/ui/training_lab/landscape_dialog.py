"""The "Show its loss landscape" dialog: which runs, and how to sample the slice.

Its fields are built by `widgets.field_for` from the declared
`optilab.landscape.SETTINGS` (the same rules and messages as the CLI's
options), showing the last options used (`LandscapeOptions` defaults at
first).  With several runs a picker offers "All runs (shared plane)" — one
plane from every run's snapshots, all their paths on one map (Li et al.
2018; docs/landscape.md#shared-plane) — or one run alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget

from optilab import messages
from optilab.landscape import SETTINGS, LandscapeOptions
from optilab.ui.i18n import bind, tr, tr_message
from optilab.ui.palette import ERROR
from optilab.ui.widgets import NumberField, SliderField, field_for, label_of, reason_text

#: The choices' texts in the fields (English, translated when shown).
CHOICE_TITLES = {
    "random": "Random (filter-normalised)", "pca": "PCA of the trajectory",
    "train": "Training images", "test": "Test images",
    "zero": "Zeroed", "keep": "Kept", "recompute": "Recomputed",
}
#: The settings that only matter for random directions.
RANDOM_ONLY = ("bias_bn",)
#: The run picker's data for "all runs on one plane".
ALL_RUNS = -1


def field_value(widget: Any) -> Any:
    """The value a `field_for` widget holds (a combo box: its item's data)."""
    if isinstance(widget, QComboBox):
        return widget.currentData()
    return widget.value()


class LandscapeDialog(QDialog):
    """The landscape's settings and, for an experiment, the run picker; OK / Cancel."""

    def __init__(self, labels: Sequence[str], options: LandscapeOptions | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        bind(self, "setWindowTitle", "Show its loss landscape")
        options = options if options is not None else LandscapeOptions()
        form = QFormLayout(self)
        intro = QLabel()
        intro.setWordWrap(True)
        bind(intro, "setText", "The loss of the network on a plane through its final weights θ*: α and β move "
             "along two directions (PCA: the two along which the training moved most).")
        form.addRow(intro)
        self.run = QComboBox()
        self.run.addItem(tr("All runs (shared plane)"), ALL_RUNS)
        for i, label in enumerate(labels):
            self.run.addItem(tr(label), i)
        bind(self.run, "setToolTip", "One plane through all the runs' weights (their paths on one map), or one run")
        run_label = QLabel()
        bind(run_label, "setText", "Runs")
        form.addRow(run_label, self.run)
        run_label.setVisible(len(labels) > 1)
        self.run.setVisible(len(labels) > 1)
        titles = {k: tr(v) for k, v in CHOICE_TITLES.items()}
        self.fields: dict[str, Any] = {}
        self.labels: dict[str, QLabel] = {}
        for key, setting in SETTINGS.items():
            widget = field_for(setting, getattr(options, key), titles=titles, slider=False)
            label = QLabel()
            bind(label, "setText", label_of(setting))
            self.fields[key], self.labels[key] = widget, label
            form.addRow(label, widget)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"QLabel {{ color: {ERROR}; }}")
        self.error.hide()
        form.addRow(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.fields["directions"].currentIndexChanged.connect(self._directions_changed)
        self._directions_changed()

    def _directions_changed(self) -> None:
        random = self.fields["directions"].currentData() == "random"
        for key in RANDOM_ONLY:
            self.fields[key].setEnabled(random)
            self.labels[key].setEnabled(random)

    def set_value(self, key: str, value: Any) -> None:
        """Set field ``key`` (a `SETTINGS` key) to ``value``, as the user would."""
        widget = self.fields[key]
        if isinstance(widget, QComboBox):
            widget.setCurrentIndex(widget.findData(value))
        elif isinstance(widget, NumberField | SliderField):
            widget.set_value(value)
        else:
            widget.setValue(value)

    def set_runs(self, runs: int) -> None:
        """Pick run ``runs`` (an index), or `ALL_RUNS`."""
        self.run.setCurrentIndex(max(self.run.findData(runs), 0))

    def runs(self, count: int) -> tuple[int, ...]:
        """The indices of the runs chosen, of ``count`` runs."""
        chosen = self.run.currentData()
        return tuple(range(count)) if chosen in (None, ALL_RUNS) else (int(chosen),)

    def options(self) -> LandscapeOptions:
        """The options entered (ValueError with the setting's message when one is not acceptable)."""
        return LandscapeOptions(**{key: field_value(w) for key, w in self.fields.items()})

    def problem(self) -> str | None:
        """Why the entries cannot be used, in the current language (None: they can)."""
        for widget in self.fields.values():
            if isinstance(widget, NumberField) and not widget.is_valid():
                reason = widget.reason()
                return reason_text(reason) if reason is not None else None
        try:
            self.options()
        except ValueError as exc:
            return tr_message(messages.of(exc))
        return None

    def _accept(self) -> None:
        problem = self.problem()
        if problem is not None:
            self.error.setText(problem)
            self.error.show()
            return
        self.accept()
