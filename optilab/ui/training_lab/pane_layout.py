"""The widgets of the training-lab pane and their layout (built once, by `build`)."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QFont, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
)

from optilab import training
from optilab.training import seeds
from optilab.training.remote import JOBS, default_jobs
from optilab.ui.i18n import bind, tr
from optilab.ui.palette import ERROR
from optilab.ui.training_lab.bn_view import BatchNormView
from optilab.ui.training_lab.experiments_view import RandomSearchView
from optilab.ui.training_lab.gradients import GradNormView
from optilab.ui.training_lab.histograms import HistogramView
from optilab.ui.training_lab.lesson_table_view import LessonTableView
from optilab.ui.training_lab.plots import CurvesView
from optilab.ui.training_lab.regression_view import RegressionView
from optilab.ui.widgets import field_for

#: Titles of the view tabs, in tab order.
VIEW_TITLES = ("Curves", "Gradients", "Histograms", "Random search", "Batch norm",
               "Lesson table", "Regression")


def build(pane: Any) -> None:
    """Make the pane's buttons, status line, notes and view tabs, and lay them out."""
    pane.start_button = QPushButton()
    bind(pane.start_button, "setText", "▶ Start")
    bind(pane.start_button, "setToolTip", "Train one run with the settings on the right (F5)")
    pane.start_button.setShortcut(QKeySequence("F5"))
    pane.pause_button = QPushButton()
    bind(pane.pause_button, "setText", "Pause")
    pane.pause_button.setCheckable(True)
    pane.stop_button = QPushButton()
    bind(pane.stop_button, "setText", "■ Stop")
    pane.stop_button.setShortcut(QKeySequence("Shift+F5"))
    pane.preset = QComboBox()
    for name in training.names():
        pane.preset.addItem(tr(training.get(name).title), name)
    bind(pane.preset, "setToolTip", "The lessons' experiments: the book's chapter 6, CS231n lecture 7's "
         "regularisers, the PyTorch chapter's regression")
    # Wide enough for the longest title (it was cut at 1280×800), on a row of its own.
    pane.preset.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    pane.quick = QCheckBox()
    bind(pane.quick, "setText", "Quick")
    bind(pane.quick, "setToolTip", "A short version of the experiment for a demo")
    # Off, as in `optilab train --preset`: every experiment opens at the size that shows its lesson;
    # hidden when no training experiment has a shorter mode left.
    pane.quick.setChecked(False)
    if not any(p.quick or p.quick_pick for p in map(training.get, training.names()) if p.needs_mnist):
        pane.quick.hide()
    # Seeds and processes of an experiment (#15 items 2 and 4): the declared settings' fields;
    # processes 1 … the cores this process may use, all of them by default.
    pane.seeds_field = field_for(seeds.SEEDS, 1)
    pane.jobs_field = field_for(JOBS, default_jobs())
    pane.jobs_field.setMaximum(default_jobs())
    pane.seeds_title, pane.jobs_title = QLabel(), QLabel()
    bind(pane.seeds_title, "setText", seeds.SEEDS.label)
    bind(pane.jobs_title, "setText", JOBS.label)
    pane.run_preset_button = QPushButton()
    bind(pane.run_preset_button, "setText", "Run experiment")
    pane.export_button = QToolButton()
    bind(pane.export_button, "setText", "Export")
    pane.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
    menu = QMenu(pane.export_button)
    pane.export_actions = pane.fill_export_menu(menu)   # the export registry's training entries
    pane.export_button.setMenu(menu)

    pane.start_button.clicked.connect(lambda: pane.start())
    pane.pause_button.toggled.connect(pane._pause_toggled)
    pane.stop_button.clicked.connect(pane.stop)
    pane.run_preset_button.clicked.connect(lambda: pane.start_preset(pane.preset.currentData()))
    pane.preset.currentIndexChanged.connect(pane._preset_chosen)

    row = QHBoxLayout()
    for w in (pane.start_button, pane.pause_button, pane.stop_button):
        row.addWidget(w)
    row.addStretch(1)
    row.addWidget(pane.landscape.button)
    row.addWidget(pane.export_button)
    experiment_row = QHBoxLayout()
    pane.experiment_label = QLabel()
    bind(pane.experiment_label, "setText", "Experiment")
    experiment_row.addWidget(pane.experiment_label)
    experiment_row.addWidget(pane.preset)
    experiment_row.addWidget(pane.quick)
    experiment_row.addWidget(pane.run_preset_button)
    experiment_row.addStretch(1)
    # The experiment's seeds and processes on a row of their own under it: beside the chooser or
    # the Start buttons they widened the pane past what the dock leaves it at 150 % zoom.
    seed_row = QHBoxLayout()
    for widget in (pane.seeds_title, pane.seeds_field, pane.jobs_title, pane.jobs_field):
        seed_row.addWidget(widget)
    seed_row.addStretch(1)
    # The landscape lessons here, not beside Run experiment: there the row was wider than the pane
    # the dock leaves at 150 % zoom (tests/audit/test_zoom_audit.py: Export cut to 5 px).
    seed_row.addWidget(pane.landscape.lessons_button)

    pane.status_label = QLabel(tr("Ready"))
    pane._last_status = pane.status_label.text()
    font = QFont(pane.status_label.font())
    font.setPointSizeF(font.pointSizeF() * 1.2)
    font.setBold(True)
    pane.status_label.setFont(font)
    pane.status_label.setWordWrap(True)
    pane.status_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    pane.progress = QProgressBar()
    pane.progress.setRange(0, 1000)
    pane.progress.setValue(0)
    pane.progress.setTextVisible(True)
    pane.progress.setFormat("%p%")
    pane.progress.setMaximumWidth(260)
    pane.rate_label = QLabel("")
    pane.rate_label.setMinimumWidth(190)
    status_row = QHBoxLayout()
    status_row.addWidget(pane.status_label, 1)
    status_row.addWidget(pane.progress)
    status_row.addWidget(pane.rate_label)

    pane.shows_label = QLabel()
    pane.shows_label.setWordWrap(True)
    #: Whether the experiment's claim held for each of its seeds (`optilab.training.claims`).
    pane.claim_label = QLabel()
    pane.claim_label.setWordWrap(True)
    pane.claim_label.hide()
    pane.data_label = QLabel()
    pane.data_label.setWordWrap(True)
    pane.error_label = QLabel()
    pane.error_label.setWordWrap(True)
    pane.error_label.setStyleSheet(f"QLabel {{ color: {ERROR}; font-weight: bold; }}")
    pane.error_label.hide()
    pane.surface_link = QPushButton()
    bind(pane.surface_link, "setText", "Open the surface lab")
    pane.surface_link.clicked.connect(pane._open_surface_lesson)
    pane.surface_link.hide()

    pane.curves = CurvesView()
    pane.grad_view = GradNormView()
    pane.hist_view = HistogramView()
    pane.search_view = RandomSearchView()
    pane.bn_view = BatchNormView()
    pane.table_view = LessonTableView()
    pane.regression_view = RegressionView()
    pane.views = QTabWidget()
    for view, title in zip((pane.curves, pane.grad_view, pane.hist_view, pane.search_view, pane.bn_view,
                            pane.table_view, pane.regression_view),
                           VIEW_TITLES, strict=False):
        pane.views.addTab(view, tr(title))

    layout = QVBoxLayout(pane)
    layout.setContentsMargins(6, 6, 6, 6)
    layout.addLayout(row)
    layout.addLayout(experiment_row)
    layout.addLayout(seed_row)
    layout.addLayout(status_row)
    layout.addWidget(pane.error_label)
    layout.addWidget(pane.data_label)
    info = QHBoxLayout()
    info.addWidget(pane.shows_label, 1)
    info.addWidget(pane.surface_link)
    layout.addLayout(info)
    layout.addWidget(pane.claim_label)
    # A lesson's map buttons on a row of their own under its caption: beside it they squeezed the
    # caption to half the width (six lines at 1280×800) and grew with the run labels' language.
    layout.addWidget(pane.landscape.lesson_views)
    layout.addWidget(pane.views, 1)

