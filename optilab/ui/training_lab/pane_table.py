"""The training-lab pane's part for tables (mixed into `TrainingLabPane`): which table a job
reads, and the regression view it fills.

The dock's table choice (`dock_table.TableSource.table_choice`), or a tabular experiment's
bundled table (`Preset.table`), becomes a loader the worker thread calls
(`worker.data_spec`); the table it read is kept for the regression view — its axis titles,
and each finished run's predicted-vs-actual and residuals of the test rows
(`optilab.lab.regression`).  An MNIST experiment with a table chosen fails with one line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from optilab.data.table import TableData, open_table
from optilab.lab.regression import curves, fit_on_test_rows
from optilab.training.events import RunDone, RunInfo
from optilab.ui.i18n import tr


class TablePart:
    """Table jobs of the pane (uses its ``dock``, ``session``, ``views`` and ``regression_view``)."""

    _job_table: TableData | None = None

    def _table_loader(self, preset: Any = None) -> Callable[[], TableData] | None:
        """A loader of the table the next job trains on; None when it trains on MNIST."""
        choice = self.dock.table_choice()   # type: ignore[attr-defined]
        needs_table = preset is not None and preset.needs_table
        if choice is None and not needs_table:
            return None
        if preset is not None and not needs_table:
            name = preset.name

            def refuse() -> TableData:
                from optilab.data import DataError
                raise DataError(tr("The experiment “{name}” trains on MNIST: choose MNIST under Data.").format(
                    name=name))
            return refuse
        spec, target, task = choice if choice is not None else (preset.table, None, None)

        def load() -> TableData:
            table = open_table(spec, target, task)
            self._job_table = table
            return table
        return load

    def _is_regression_job(self) -> bool:
        return self._job_table is not None and self._job_table.is_regression

    def _table_run_started(self, info: RunInfo) -> None:
        """The first run of a table job: the regression view gets the table (and comes forward)."""
        table = self._job_table
        view = self.regression_view   # type: ignore[attr-defined]
        if table is None:
            return
        if table.is_regression and view.table is not table:
            view.clear(table)
            self.views.setCurrentWidget(view)   # type: ignore[attr-defined]
        self.data_label.setText(tr("Data: {source} — {n_train:,} training, {n_val:,} validation and {n_test:,} "  # type: ignore[attr-defined]
                                   "test rows").format(source=tr(table.source), n_train=table.n_train,
                                                       n_val=table.n_val, n_test=table.n_test))

    def _table_redraw(self) -> None:
        """RMSE and R² of every run of a regression job, from the session's live histories."""
        table = self._job_table
        if table is None or not table.is_regression:
            return
        session = self.session   # type: ignore[attr-defined]
        runs = [curves(info.config.label, session.histories[info.index]) for info in session.infos
                if info.index in session.histories]
        self.regression_view.show_curves(runs)   # type: ignore[attr-defined]

    def _table_run_done(self, done: RunDone) -> None:
        """A finished run of a regression job: its test rows' fit, offered in the view."""
        table = self._job_table
        if table is None or not table.is_regression or done.result is None:
            return
        fit = fit_on_test_rows(done.result, table)
        if fit is not None and done.result.status == "finished":
            self.regression_view.add_fit(fit)   # type: ignore[attr-defined]
