"""The numbers behind the step: per run x, y, f, g, ‖g‖, state, step taken, equation.

Everything shown is read from the recorded `Trajectory` arrays at the
current step (the equation lines come from `optilab.lessons.step_lines`);
the panel computes nothing but ‖g‖ for display.  `cell(i, name)` returns the
exact text shown, so tests can compare it with the engine's numbers.
"""

from __future__ import annotations

import html
import math

import numpy as np
from PySide6.QtWidgets import QTextBrowser, QWidget

from optilab import optim
from optilab.lessons import step_lines
from optilab.trajectory import Trajectory
from optilab.ui.i18n import on_language_changed, tr
from optilab.ui.palette import THEMES, Theme

#: Significant digits shown.
DIGITS = 6

_STATE_SYMBOL = {"v": "v", "h": "h", "m": "m", "m_hat": "m̂", "v_hat": "v̂"}


def fmt(value: float) -> str:
    """One number as shown in the panel."""
    value = float(value)
    if not math.isfinite(value):
        return str(value)
    return f"{value:.{DIGITS}g}"


def fmt_pair(pair) -> str:
    """A 2-vector as shown: ``(a, b)``."""
    return f"({fmt(pair[0])}, {fmt(pair[1])})"


class NumbersPanel(QTextBrowser):
    """A read-only rich-text table of the current step, one block per run."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setOpenLinks(False)
        font = self.font()
        font.setPointSize(11)
        self.setFont(font)
        self._trajectories: list[Trajectory] = []
        self._titles: list[str] = []
        self._colors: list[str] = []
        self._cells: list[dict[str, str]] = []
        self._equations: list[list[str]] = []
        self.step = 0
        self.theme: Theme = THEMES["light"]
        on_language_changed(self.retranslate)

    def retranslate(self) -> None:
        """Show the current step again in the current language."""
        self.show_step(self.step)

    def set_scale(self, factor: float) -> None:
        """Scale the text (presentation mode)."""
        font = self.font()
        font.setPointSizeF(11 * factor)
        self.setFont(font)

    def set_theme(self, theme: Theme) -> None:
        """Text colours of the table for a light or dark background."""
        self.theme = theme

    def set_runs(self, titles: list[str], colors: list[str]) -> None:
        """The runs' titles and colours."""
        self._titles, self._colors = list(titles), list(colors)

    def set_trajectories(self, trajectories: list[Trajectory]) -> None:
        """The trajectories to read from (same order as `set_runs`)."""
        self._trajectories = list(trajectories)

    def cell(self, i: int, name: str) -> str:
        """The text shown for run ``i``: name is x, y, f, g, |g|, step, status or a state name."""
        return self._cells[i][name]

    def equation_lines(self, i: int) -> list[str]:
        """The substituted update equations shown for run ``i``."""
        return list(self._equations[i])

    def show_step(self, k: int) -> None:
        """Fill the table for step ``k``."""
        self.step = k
        self._cells, self._equations = [], []
        parts = [
            "<style>td { padding: 1px 8px 1px 0; } .eq { font-family: monospace; color: %s; }" % self.theme.muted +
            " .div { color: #c0392b; font-weight: bold; }</style>"
        ]
        for i, t in enumerate(self._trajectories):
            j = min(k, t.last_step)
            if j < 0:
                # No point at all: f is not defined at the start.
                cells = dict.fromkeys(("x", "y", "f", "g", "|g|", "step", *t.state), "—")
                cells["status"] = tr("diverged at step {k}").format(k=t.diverged_at or 0)
                self._cells.append(cells)
                self._equations.append([])
                parts.append(self._empty_block(i, t))
                continue
            g = t.grad[j]
            cells = {
                "x": fmt(t.x[j]),
                "y": fmt(t.y[j]),
                "f": fmt(t.loss[j]),
                "g": fmt_pair(g),
                "|g|": fmt(float(np.hypot(g[0], g[1]))),
                "step": fmt_pair(t.step_taken(j)),
                "status": "",
            }
            for name, arr in t.state.items():
                cells[name] = fmt_pair(arr[j])
            if t.diverged_at is not None and k >= t.diverged_at:
                cells["status"] = tr("diverged at step {k}").format(k=t.diverged_at)
            self._cells.append(cells)
            equations = step_lines(t, j)
            self._equations.append(equations)
            parts.append(self._block(i, t, j, cells, equations))
        if not self._trajectories:
            parts.append(f"<p>{html.escape(tr('Tick an optimizer to see the numbers behind each step.'))}</p>")
        scroll = self.verticalScrollBar().value()
        self.setHtml("".join(parts))
        self.verticalScrollBar().setValue(scroll)

    def _style(self, i: int, t: Trajectory) -> tuple[str, str]:
        """Run ``i``'s colour and title (the trajectory's label before `set_runs`)."""
        color = self._colors[i] if i < len(self._colors) else "#000"
        title = self._titles[i] if i < len(self._titles) else t.label
        return color, title

    def _empty_block(self, i: int, t: Trajectory) -> str:
        color, title = self._style(i, t)
        e = html.escape
        x0, y0 = t.start
        return (
            f"<p style='margin:6px 0 0 0'><span style='color:{color}; font-size:15pt'>■</span> "
            f"<b>{e(title)}</b> — <span class='div'>"
            f"{e(tr('f is not defined at the start ({x}, {y}): no step was taken.').format(x=fmt(x0), y=fmt(y0)))}"
            "</span></p>"
        )

    def _block(self, i: int, t: Trajectory, j: int, cells: dict[str, str], equations: list[str]) -> str:
        color, title = self._style(i, t)
        e = html.escape
        status = f" <span class='div'>{e(cells['status'])}</span>" if cells["status"] else ""
        state = "  ".join(
            f"{e(_STATE_SYMBOL.get(name, name))} = {e(cells[name])}" for name in t.state
        )
        state_html = f"<td><b>{e(tr('state'))}</b> {state}</td>" if state else ""
        eq_title = optim.get_class(t.optimizer).equation
        return (
            f"<p style='margin:6px 0 0 0'><span style='color:{color}; font-size:15pt'>■</span> "
            f"<b>{e(title)}</b> — {e(tr('step'))} {j}{status}"
            f"&nbsp;&nbsp;<span style='color:{self.theme.muted}'>{e(eq_title)}</span></p>"
            "<table><tr>"
            f"<td><b>x, y</b> = ({e(cells['x'])}, {e(cells['y'])})</td>"
            f"<td><b>f</b> = {e(cells['f'])}</td>"
            f"<td><b>g</b> = {e(cells['g'])}</td>"
            f"<td><b>‖g‖</b> = {e(cells['|g|'])}</td>"
            "</tr><tr>"
            f"<td><b>{e(tr('step taken'))}</b> Δx = {e(cells['step'])}</td>"
            f"{state_html}"
            "</tr></table>"
            + "".join(f"<div class='eq'>{e(line)}</div>" for line in equations)
        )
