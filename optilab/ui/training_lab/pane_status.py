"""The training-lab pane's status line, speed figure, notes and error line (mixed into the pane)."""

from __future__ import annotations

from html import escape
from typing import Any

from optilab import training
from optilab.messages import Message
from optilab.training import claims
from optilab.training.events import RunInfo
from optilab.ui.i18n import bind, tr, tr_message, unbind
from optilab.ui.training_lab.pane_layout import VIEW_TITLES
from optilab.ui.training_lab.status import rate_text, status_text


class StatusLine:
    """Mixed into `TrainingLabPane` (uses its labels and its `session`)."""

    def _update_status(self) -> None:
        session = self.session
        info = session.current
        if info is not None and self.is_running():
            self.progress.setValue(int(1000 * session.progress()))
        self._render_rate()
        text = status_text(self.status, session)
        if text is None:
            return
        if self.status == "finished":
            self.progress.setValue(1000)
        self._status_source = None
        self._set_status_text(text)

    def _set_status_source(self, text: str) -> None:
        """Show the fixed status ``text`` (English) in the current language."""
        self._status_source = text
        self._set_status_text(tr(text))

    def _render_rate(self) -> None:
        """it/s and ETA while running; "paused" while paused; blank once the job ended."""
        status = self.status if self.is_running() else "ended"
        self.rate_label.setText(rate_text(status, self.session.rate, self.session.eta()))

    def _set_status_text(self, text: str) -> None:
        if text != self._last_status:
            self._last_status = text
            self.status_label.setText(text)

    def _data_text(self, info: RunInfo) -> str:
        text = tr("Data: {source} — training on {n:,} images").format(
            source=tr_message(info.data_source), n=info.n_train)
        if info.n_val:
            text += tr(", {n:,} held out for validation").format(n=info.n_val)
        if info.is_sample:
            text += tr(". This is the bundled sample, not the full MNIST.")
        return text

    def _show_shows(self, preset: training.Preset) -> None:
        self._shows_preset = preset
        # Captions are plain text in rich-text labels: "|W| < 0.001" must not open a tag.
        title, shows = escape(tr(preset.title), quote=False), escape(tr(preset.shows), quote=False)
        text = f"<b>{title}</b> — {tr('look for')}: {shows}"
        if preset.kind == "trajectories":
            text += " " + tr("This lesson runs on the least-squares surface in the surface lab.")
        self.shows_label.setText(text)
        self.landscape.refresh()

    def _show_claim(self) -> None:
        """Under the caption: whether the experiment's claim held, for how many of its seeds
        ("claim holds for 3 of 3 seeds: SGD is last", `optilab.training.claims.check`); shown once
        an experiment finished, hidden when its runs cannot show the claim."""
        session = self.session
        report = None
        if session.preset is not None and self.status == "finished":
            report = claims.check(session.preset, session.results)
        self._claim = report
        if report is None:
            self.claim_label.hide()
            return
        self.claim_label.setText(f"<b>{tr_message(report.message)}</b>")
        self.claim_label.show()

    def _show_table(self) -> None:
        """A lesson with a table (the ensemble, transfer, L1, augmentation): fill the table view with
        `TrainingSession.table` once the job ended; the ensemble and transfer bring it to the front."""
        session = self.session
        if not session.has_table():
            return
        self.table_view.show_rows(session.table())
        if session.kind in ("ensemble", "transfer") and session.results:
            self.views.setCurrentWidget(self.table_view)

    def _show_error(self, message: str, **kwargs: Any) -> None:
        """Show ``message`` (English, formatted with ``kwargs``); it follows the language."""
        bind(self.error_label, "setText", message, **kwargs)
        self.error_label.show()

    def _show_raw_error(self, message: Message | str) -> None:
        """Show a core message as it is (in the current language)."""
        unbind(self.error_label, "setText")
        self.error_label.setText(tr_message(message))
        self.error_label.show()

    def _hide_error(self) -> None:
        self.error_label.hide()
        unbind(self.error_label, "setText")
        self.error_label.setText("")

    def retranslate(self) -> None:
        """Re-compose the texts the pane builds itself (status, data, lesson note, choices) in the
        current language; curves, settings and the running job are untouched."""
        for i in range(self.preset.count()):
            self.preset.setItemText(i, tr(training.get(self.preset.itemData(i)).title))
        for i, title in enumerate(VIEW_TITLES):
            self.views.setTabText(i, tr(title))
        if self._status_source is not None:
            self._set_status_text(tr(self._status_source))
        else:
            self._update_status()
        self._render_rate()
        if self._shows_preset is not None:
            self._show_shows(self._shows_preset)
        if self._claim is not None:
            self.claim_label.setText(f"<b>{tr_message(self._claim.message)}</b>")
        if self._dataset_override is not None and self._data_info is None:
            self.data_label.setText(tr("Data: {source}").format(source=tr(self._dataset_override.source)))
        elif self._data_info is not None:
            self.data_label.setText(self._data_text(self._data_info))

