"""What a loss landscape is, for the controls column in landscape mode (issue #14 item 3).

In place of the optimizer editor, the lab says what the map shows: whose
landscape, which directions (the PCA shares of the trajectory's variance,
or filter-normalised random directions), how it was sampled (grid, images,
subset, span) and, for a student, what the plane, α and β and the paths
are (Li et al., "Visualizing the Loss Landscape of Neural Nets", NeurIPS
2018; docs/landscape.md).  `axis_titles` names the map's axes after the
directions.  Text only: every number shown is read from the `Landscape`.
"""

from __future__ import annotations

import html
import math

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QLabel, QVBoxLayout, QWidget

from optilab.landscape import Landscape
from optilab.ui.i18n import bind, on_language_changed, tr


def percent(share: float) -> str:
    """A share of the variance as the axis titles show it: 91, 5, 0.4 (per cent)."""
    value = 100.0 * float(share)
    return f"{value:.0f}" if value >= 1 or value == 0 else f"{value:.1f}"


def headline(landscape: Landscape) -> str:
    """"Loss landscape of Adam: PCA directions (PC1 91 %, PC2 5 % of the variance)", or random directions."""
    if landscape.explained is not None:
        p1, p2 = (percent(v) for v in landscape.explained)
        return tr("Loss landscape of {title}: PCA directions (PC1 {p1} %, PC2 {p2} % of the variance)").format(
            title=tr(landscape.title), p1=p1, p2=p2)
    return tr("Loss landscape of {title}: filter-normalised random directions").format(title=tr(landscape.title))


def axis_titles(landscape: Landscape) -> tuple[str, str]:
    """The map's axis titles: "α (PC1, 91 %)", "β (PC2, 5 %)" for PCA, "α (direction δ)", "β (direction η)"."""
    if landscape.explained is not None:
        p1, p2 = (percent(v) for v in landscape.explained)
        return (tr("α (PC1, {p} %)").format(p=p1), tr("β (PC2, {p} %)").format(p=p2))
    return tr("α (direction δ)"), tr("β (direction η)")


def sampling(landscape: Landscape) -> list[str]:
    """How the slice was sampled — grid, images (with thousands separators, 2,000), subset, span —
    and, on a line of its own, the centre's loss L(θ*) (a "·" before it would read as a product)."""
    o = landscape.options
    # One whole sentence per subset (no lone "training" entry in the catalogs: a message's field
    # named 'training' would be translated by it).
    text = (tr("Grid {n}×{m}, the loss on {samples} training images, span {span:g}") if o.subset == "train"
            else tr("Grid {n}×{m}, the loss on {samples} test images, span {span:g}"))
    lines = [text.format(n=len(landscape.alphas), m=len(landscape.betas), samples=f"{o.samples:,}", span=o.span)]
    if math.isfinite(landscape.center_loss):
        lines.append(tr("L(θ*) = {loss}").format(loss=f"{landscape.center_loss:.4g}"))
    return lines


def explanation(landscape: Landscape) -> str:
    """What the plane, α, β, the map and the paths are, for a student."""
    text = tr("The plane passes through the final weights θ* of the first run: θ = θ* + αδ + βη, so α and β "
              "are the coordinates along the two directions δ and η, and (0, 0) is θ*. The map shows the "
              "loss of the network with the weights at each point of the plane.")
    if landscape.paths:
        text += " " + tr("Each path is a run's recorded weights θᵢ, projected onto the plane; the numbers "
                         "give the loss on the plane under the point and the loss of θᵢ itself.")
    else:
        text += " " + tr("Random directions carry no path: the weights a run went through lie off this plane.")
    return text


class LandscapeInfo(QGroupBox):
    """The controls column's account of the landscape shown (`show_landscape`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        bind(self, "setTitle", "Loss landscape")
        self.headline = QLabel()
        self.sampling = QLabel()
        self.explanation = QLabel()
        self.hint = QLabel()
        for label in (self.headline, self.sampling, self.explanation, self.hint):
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.RichText)
        bind(self.hint, "setText", "Choose a surface or a lesson to leave the landscape.")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        for label in (self.headline, self.sampling, self.explanation, self.hint):
            layout.addWidget(label)
        self.landscape: Landscape | None = None
        on_language_changed(self.retranslate)

    def show_landscape(self, landscape: Landscape | None) -> None:
        """Say what ``landscape`` is (None: hide)."""
        self.landscape = landscape
        self.setVisible(landscape is not None)
        if landscape is None:
            return
        self.headline.setText(f"<b>{html.escape(headline(landscape))}</b>")
        self.sampling.setText("<br>".join(html.escape(line) for line in sampling(landscape)))
        self.explanation.setText(html.escape(explanation(landscape)))

    def retranslate(self) -> None:
        """The texts in the current language."""
        self.show_landscape(self.landscape)

    def text(self) -> str:
        """Everything shown, as plain text (for tests)."""
        return "\n".join(label.text() for label in (self.headline, self.sampling, self.explanation, self.hint))
