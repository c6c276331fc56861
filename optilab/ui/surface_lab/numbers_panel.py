"""The numbers behind the step: per run x, y, f, g, ‖g‖, state, step taken, equation.

Everything shown is read from the recorded `Trajectory` arrays at the
current step (the equation lines come from the optimizer class's
`step_lines`, given the step's recorded `StepNumbers`);
the panel computes nothing but ‖g‖ for display.  `cell(i, name)` returns the
exact text shown, so tests can compare it with the engine's numbers.

Compact for a projector: one table row per run (the point x_k after step k,
f and the gradient g(x_k) *at that point*, the step taken), then the state
and the equations of one selected run (click a run's name; `select_run`), headed
by the point x_{k−1} and gradient g(x_{k−1}) they use.  A step's note (Newton's
singular or indefinite Hessian, `Trajectory.step_note`) has its own line under
the run's row; a run refused on the surface shows its reason instead.  The hats of m̂ and v̂
are drawn as small images (a circumflex painted over the letter in the
panel's font), so they show whatever font lacks U+0302.

On a loss landscape (`set_landscape`; paths, `Trajectory.is_path`) each row
is a projected path at its snapshot min(k, last): the training iteration,
(α, β), the loss on the plane under the point and the loss of the recorded
weights θᵢ, which lie off the plane; there are no update equations.
"""

from __future__ import annotations

import html
import math

import numpy as np
from PySide6.QtCore import QPointF, QUrl
from PySide6.QtGui import QColor, QFontMetricsF, QImage, QPainter, QPainterPath, QPen, QTextDocument
from PySide6.QtWidgets import QTextBrowser, QWidget

from optilab import optim
from optilab.trajectory import Trajectory
from optilab.ui.i18n import on_language_changed, tr, tr_message
from optilab.ui.palette import THEMES, Theme

#: Significant digits shown.
DIGITS = 6

#: State names → (letter, hatted?).
_STATE_SYMBOL = {"v": ("v", False), "h": ("h", False), "m": ("m", False), "m_hat": ("m", True), "v_hat": ("v", True),
                 # Newton: H's rows, its eigenvalues, the solve; L-BFGS: the direction, (α, evaluations)
                 "hx": ("H₁", False), "hy": ("H₂", False), "lam": ("λ", False), "d": ("d", False),
                 "ls": ("(α, evals)", False)}
#: Hatted letters in equation text → the letter under the hat.
_HATTED = {"m\u0302": "m", "v\u0302": "v"}


def fmt(value: float) -> str:
    """One number as shown in the panel (never "−0")."""
    value = float(value) + 0.0
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
        self.selected = 0
        self.axis_names = ("x", "y")
        self.anchorClicked.connect(self._on_anchor)
        self.step = 0
        self.landscape = False     # recorded paths on a loss landscape (`set_landscape`)
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

    def set_axis_names(self, x: str, y: str) -> None:
        """Name the point's coordinates (e.g. "w", "b"); "x", "y" by default."""
        self.axis_names = (str(x), str(y))
        self.show_step(self.step)

    def select_run(self, i: int) -> None:
        """Show the equations of run ``i``."""
        self.selected = int(i)
        self.show_step(self.step)

    def _on_anchor(self, url: QUrl) -> None:
        if url.scheme() == "run":
            self.select_run(int(url.path()))

    def symbol_html(self, name: str) -> str:
        """The HTML of a state symbol (a hatted letter is an image drawn by `loadResource`)."""
        letter, hat = _STATE_SYMBOL.get(name, (name, False))
        if hat:
            return f"<img src='hat:{letter}'>"
        return html.escape(letter)

    def _hats(self, escaped: str) -> str:
        """``escaped`` HTML with every m̂, v̂ replaced by its drawn image."""
        for text, letter in _HATTED.items():
            escaped = escaped.replace(text, f"<img src='hat:{letter}'>")
        return escaped

    def loadResource(self, kind: int, url: QUrl):
        """The images of hatted letters (``hat:m``), drawn in the panel's font and text colour."""
        if url.scheme() == "hat" and kind == int(QTextDocument.ResourceType.ImageResource.value):
            return hat_image(url.path(), self.font(), QColor(self.palette().text().color()))
        return super().loadResource(kind, url)

    def set_landscape(self, on: bool) -> None:
        """Show paths on a loss landscape (run, iteration, α, β, the loss on the plane and of θᵢ)
        instead of optimizer steps (shown from the next `set_trajectories` and `show_step`)."""
        self.landscape = bool(on)

    def _show_paths(self, k: int) -> None:
        """The landscape's table at step ``k``: per path its snapshot min(k, last), read from the trajectory."""
        e = html.escape
        self._cells, self._equations = [], []
        muted = self.theme.muted
        rows = []
        for i, t in enumerate(self._trajectories):
            if not t.is_path:
                continue
            j = min(k, t.last_step)
            cells = {"iteration": str(int(t.iterations[j])), "x": fmt(t.x[j]), "y": fmt(t.y[j]),
                     "f": fmt(t.loss[j]), "weights_loss": fmt(t.weights_loss[j]), "status": ""}
            self._cells.append(cells)
            self._equations.append([])
            rows.append(f"<tr>{self._name(i, t)}<td>{j}</td><td>{e(cells['iteration'])}</td>"
                        f"<td>({e(cells['x'])}, {e(cells['y'])})</td><td>{e(cells['f'])}</td>"
                        f"<td>{e(cells['weights_loss'])}</td></tr>")
        style = (f"<style>td {{ padding: 0 10px 0 0; white-space: nowrap; }} th {{ padding: 0 10px 0 0; "
                 f"text-align: left; color: {muted}; font-weight: normal; }} a {{ text-decoration: none; }}</style>")
        ax, ay = (e(n) for n in self.axis_names)
        if self._trajectories:
            body = ("<table cellspacing='0'><tr>"
                    f"<th>{e(tr('run'))}</th><th>k</th><th>{e(tr('iteration'))}</th><th>({ax}, {ay})</th>"
                    f"<th>{e(tr('loss on the plane'))}</th><th>{e(tr('loss of θᵢ'))}</th></tr>" + "".join(rows)
                    + f"</table><p style='color:{muted}; margin:4px 0 0 0'>"
                    + e(tr("The loss on the plane is the map's value under the point, at θ* + αδ + βη; the loss of "
                           "θᵢ is that of the weights recorded at that iteration, which lie off the plane.")) + "</p>")
        else:
            body = f"<p>{e(tr('Random directions carry no path: the map shows the loss around θ*, at (0, 0).'))}</p>"
        scroll = self.verticalScrollBar().value()
        self.setHtml(style + body)
        self.verticalScrollBar().setValue(scroll)

    def set_runs(self, titles: list[str], colors: list[str]) -> None:
        """The runs' titles and colours."""
        self._titles, self._colors = list(titles), list(colors)

    def set_trajectories(self, trajectories: list[Trajectory]) -> None:
        """The trajectories to read from (same order as `set_runs`)."""
        self._trajectories = list(trajectories)

    def cell(self, i: int, name: str) -> str:
        """The text shown for run ``i``: name is x, y, f, g, |g|, step, status, note (Newton's
        singular or indefinite Hessian at the step shown) or a state name
        (on a landscape: iteration, x, y, f — on the plane — and weights_loss)."""
        return self._cells[i][name]

    def equation_lines(self, i: int) -> list[str]:
        """The substituted update equations shown for run ``i``."""
        return list(self._equations[i])

    def show_step(self, k: int) -> None:
        """Fill the table for step ``k``."""
        self.step = k
        # The trajectories say what they are (the flag, when there are none: random directions).
        if any(t.is_path for t in self._trajectories) or (self.landscape and not self._trajectories):
            self._show_paths(k)
            return
        self._cells, self._equations = [], []
        e = html.escape
        rows, details = [], ""
        muted = self.theme.muted
        self.selected = min(max(self.selected, 0), max(len(self._trajectories) - 1, 0))
        for i, t in enumerate(self._trajectories):
            j = min(k, t.last_step)
            if j < 0:
                # No point at all: f is not defined at the start, or the method is refused on this surface.
                cells = dict.fromkeys(("x", "y", "f", "g", "|g|", "step", *t.state), "—")
                cells["status"] = (tr_message(t.refusal) if t.refusal is not None
                                   else tr("diverged at step {k}").format(k=t.diverged_at or 0))
                cells["note"] = ""
                self._cells.append(cells)
                self._equations.append([])
                rows.append(self._empty_row(i, t))
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
            note = t.step_note(j)           # Newton: H singular or indefinite at the point stepped from
            cells["note"] = tr_message(note) if note is not None else ""
            self._cells.append(cells)
            equations = t.step_lines(j)
            self._equations.append(equations)
            rows.append(self._row(i, t, j, cells))
            if i == self.selected:
                details = self._details(i, t, j, equations)
        parts = [
            "<style>td { padding: 0 8px 0 0; white-space: nowrap; } "
            f"th {{ padding: 0 8px 0 0; white-space: nowrap; text-align: left; color: {muted}; "
            f"font-weight: normal; }} .eq {{ font-family: monospace; color: {muted}; }} "
            ".div { color: #c0392b; font-weight: bold; } .note { color: #d35400; } a { text-decoration: none; }</style>"
        ]
        if self._trajectories:
            ax, ay = (e(n) for n in self.axis_names)
            parts.append(
                "<table cellspacing='0'><tr>"
                f"<th>{e(tr('run'))}</th><th>k</th><th>({ax}, {ay})<sub>k</sub></th><th>f(x<sub>k</sub>)</th>"
                f"<th>g(x<sub>k</sub>)</th><th>‖g(x<sub>k</sub>)‖</th><th>x<sub>k</sub> − x<sub>k−1</sub></th></tr>"
                + "".join(rows) + "</table>" + details
            )
        else:
            parts.append(f"<p>{e(tr('Tick an optimizer to see the numbers behind each step.'))}</p>")
        scroll = self.verticalScrollBar().value()
        self.setHtml("".join(parts))
        self.verticalScrollBar().setValue(scroll)

    def _style(self, i: int, t: Trajectory) -> tuple[str, str]:
        """Run ``i``'s colour and title (the trajectory's label before `set_runs`)."""
        color = self._colors[i] if i < len(self._colors) else "#000"
        title = self._titles[i] if i < len(self._titles) else t.label
        return color, title

    def _name(self, i: int, t: Trajectory) -> str:
        color, title = self._style(i, t)
        weight = "bold" if i == self.selected else "normal"
        return (f"<td><span style='color:{color}'>■</span> <a href='run:{i}' style='color:{self.theme.text}; "
                f"font-weight:{weight}'>{html.escape(title)}</a></td>")

    def _empty_row(self, i: int, t: Trajectory) -> str:
        x0, y0 = t.start
        text = tr("f is not defined at the start ({x}, {y}): no step was taken.").format(x=fmt(x0), y=fmt(y0))
        if t.refusal is not None:
            text = tr_message(t.refusal)
        return f"<tr>{self._name(i, t)}<td colspan='7'><span class='div'>{html.escape(text)}</span></td></tr>"

    def _row(self, i: int, t: Trajectory, j: int, cells: dict[str, str]) -> str:
        e = html.escape
        status = f" <span class='div'>{e(cells['status'])}</span>" if cells["status"] else ""
        row = (
            f"<tr>{self._name(i, t)}<td>{j}</td><td>({e(cells['x'])}, {e(cells['y'])})</td>"
            f"<td>{e(cells['f'])}</td><td>{e(cells['g'])}</td><td>{e(cells['|g|'])}</td>"
            f"<td>{e(cells['step'])}</td></tr>"
        )
        if status:      # its own line: a wide k column would push the numbers off the panel
            row += f"<tr><td></td><td colspan='6'>{status}</td></tr>"
        if cells.get("note"):
            row += f"<tr><td></td><td colspan='6'><span class='note'>⚠ {e(cells['note'])}</span></td></tr>"
        return row

    def _details(self, i: int, t: Trajectory, j: int, equations: list[str]) -> str:
        """The selected run's update equations, headed by the point and gradient they use."""
        e = html.escape
        _, title = self._style(i, t)
        eq_title = self._hats(e(optim.get_class(t.optimizer).equation))
        if j >= 1:
            head = e(tr("step {k} was made from {point} = {x} with the gradient there, {grad} = {g}:")).format(
                k=j, point=f"x<sub>{j - 1}</sub>", x=e(fmt_pair((t.x[j - 1], t.y[j - 1]))),
                grad=f"g(x<sub>{j - 1}</sub>)", g=e(fmt_pair(t.grad[j - 1])))
        else:
            head = ""
        cells = self._cells[i]
        state = "&nbsp;&nbsp; ".join(f"{self.symbol_html(name)}&nbsp;=&nbsp;{e(cells[name])}" for name in t.state)
        state_html = f"<p style='margin:0'><b>{e(tr('state'))}</b> (k = {j}): {state}</p>" if state else ""
        return (
            f"<p style='margin:4px 0 0 0'><b>{e(title)}</b> "
            f"<span style='color:{self.theme.muted}'>{eq_title}</span>{' — ' + head if head else ''}</p>" + state_html
            + "".join(f"<div class='eq'>{self._hats(e(line))}</div>" for line in equations)
        )


def hat_image(letter: str, font, color: QColor) -> QImage:
    """``letter`` with a circumflex painted above it, in ``font`` (no U+0302 glyph needed)."""
    fm = QFontMetricsF(font)
    width = max(fm.horizontalAdvance(letter), 1.0)
    height = fm.ascent()
    image = QImage(math.ceil(width) + 1, math.ceil(height) + 1, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    p.setFont(font)
    p.setPen(color)
    p.drawText(QPointF(0.0, height), letter)
    top = height - fm.xHeight()            # top of the lowercase letter
    gap = max(top * 0.75, 3.0)
    hat = QPainterPath(QPointF(width * 0.2, top - gap * 0.25))
    hat.lineTo(QPointF(width * 0.5, top - gap))
    hat.lineTo(QPointF(width * 0.8, top - gap * 0.25))
    pen = QPen(color, max(font.pointSizeF() / 10.0, 1.1))
    p.setPen(pen)
    p.drawPath(hat)
    p.end()
    return image
