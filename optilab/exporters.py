"""The one export registry: every file optilab writes from a view, declared once as an `Exporter`.

An `Exporter` says what it writes (``key``, English ``label``, file ``suffix``
and file-dialog ``file_filter``), for which ``view`` (``"surface"``: the
surface lab, its 2-D map, 3-D view and trajectories; ``"training"``: the
training lab, its runs and plots), which options its dialog asks for, and
how: ``write(subject, path, options)``.  The window's Export dialog, the
training pane's Export menu and the CLI list the registry's entries for their
view (`for_view`, `by_format`) instead of keeping lists of their own — as
napari's writer plugins and Orange's ``FileFormat`` registry do: a format is
added in one place and every caller offers it.

This module registers the text formats, which need no Qt: the trajectories as
CSV and JSON (`optilab.trajectory.to_csv`/`to_json`) and the training runs'
loss CSV and summary JSON (`optilab.training.export`).  The picture formats
(PNG/SVG through `optilab.ui.svg`, the 3-D PNG, the animated GIF) are
registered by `optilab.ui.exports`.  Every file goes through `optilab.fileio`
(written atomically; a failure is one `fileio.WriteError` line).

The subject of a text exporter is any object with the attributes it reads
(`TrajectorySource`, `TrainingSource`): a lab pane, or the CLI's results.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from optilab import fileio, messages

__all__ = [
    "UNKNOWN_EXPORT",
    "ExportOptions",
    "Exporter",
    "Runs",
    "TrainingSource",
    "Trajectories",
    "TrajectorySource",
    "by_format",
    "for_view",
    "get",
    "register",
]

#: The views exporters apply to.
VIEWS = ("surface", "training")

UNKNOWN_EXPORT = messages.declare("export.unknown", "unknown export {key!r}; choose one of: {choices}")
# Raised by the picture exporters (`optilab.ui.exports`, `optilab.ui.training_lab.plot_export`),
# declared here with the registry so that the catalogs' extraction (core modules only) finds them.
PNG_OR_SVG = messages.declare("export.png_or_svg", "Choose a file name ending in .png or .svg")
UNKNOWN_PLOT = messages.declare("export.unknown_plot", "unknown plot {which!r}; choose one of: {choices}")
BAD_GIF_VIEW = messages.declare("export.gif_view", "which must be one of {choices}, got {which!r}")
BAD_FPS = messages.declare("export.fps", "fps must be positive, got {fps!r}")
WRONG_SUFFIX = messages.declare(
    "export.wrong_suffix",
    "Choose a file name ending in {suffix}: this export does not write {given} files")


@dataclass(frozen=True)
class ExportOptions:
    """What an export dialog may ask for (each exporter reads those it names in ``Exporter.options``).

    ``width``/``height`` in pixels (``width`` None: as on screen), ``dpi`` written
    in a PNG's metadata, ``which`` view an animation shows, ``fps`` its frame
    rate; ``progress(done, total)`` and ``cancel()`` for long exports.
    """

    width: int | None = None
    height: int | None = None
    dpi: float | None = None
    which: str = "2d"
    fps: float = 10
    progress: Callable[[int, int], object] | None = None
    cancel: Callable[[], bool] | None = None


#: A write function: (subject, path, options) -> the path written, or None when cancelled.
WriteFn = Callable[[Any, Path, ExportOptions], "Path | None"]


@dataclass(frozen=True)
class Exporter:
    """One registered export: what it is called, for which view, and how it is written."""

    key: str
    label: str                 # English; the UI translates it when shown
    suffix: str                # the default file suffix, e.g. ".csv"
    file_filter: str           # English file-dialog filter, e.g. "CSV files (*.csv)"
    view: str                  # one of VIEWS
    write: WriteFn = field(repr=False, compare=False)
    #: The options its dialog asks for (fields of `ExportOptions`).
    options: frozenset[str] = frozenset()
    #: Text of the file without writing it (the CLI prints it); None for pictures.
    render: Callable[[Any], str] | None = field(default=None, repr=False, compare=False)
    #: The short format name the CLI's ``--format`` offers ("csv", "json"); "" for none.
    format: str = ""
    #: Offered by the view's Export menu or dialog (False: the CLI's formats only).
    menu: bool = True
    #: Place in the view's menu (lower first; equal: registration order).
    order: int = 0
    #: English title of the file dialog, and the file name it proposes ("" : "optilab" + suffix).
    title: str = "Export"
    default_name: str = ""
    #: Every suffix it writes, the format chosen by the name (empty: ``suffix`` alone).
    suffixes: tuple[str, ...] = ()

    @property
    def proposed_name(self) -> str:
        """The file name a save dialog proposes."""
        return self.default_name or f"optilab{self.suffix}"

    def text(self, subject: Any) -> str:
        """The file's text for ``subject`` (text formats only; the CLI prints or writes it)."""
        if self.render is None:
            raise TypeError(f"export {self.key!r} is a picture, not text")
        return self.render(subject)

    def __call__(self, subject: Any, path: str | os.PathLike[str],
                 options: ExportOptions | None = None) -> Path | None:
        """Write ``subject`` to ``path``; the path written (None: cancelled, nothing written).

        A file name ending in another suffix (a PNG export asked for ``plot.svg``) is
        `WRONG_SUFFIX`, so a file never holds another format than its name says; a
        name without a suffix is written as given."""
        target = Path(path)
        given = target.suffix.lower()
        accepted = self.suffixes or (self.suffix,)
        if given and given not in accepted:
            raise WRONG_SUFFIX.error(suffix=" or ".join(accepted), given=given)
        return self.write(subject, target, options or ExportOptions())


_REGISTRY: dict[str, Exporter] = {}


def register(exporter: Exporter) -> Exporter:
    """Add ``exporter`` (registering the same key again replaces it: a module reloaded)."""
    if exporter.view not in VIEWS:
        raise ValueError(f"exporter {exporter.key!r}: view must be one of {', '.join(VIEWS)}")
    _REGISTRY[exporter.key] = exporter
    return exporter


def get(key: str) -> Exporter:
    """The exporter ``key``; `UNKNOWN_EXPORT` (an `OptilabError`) when there is none."""
    try:
        return _REGISTRY[key]
    except KeyError:
        raise UNKNOWN_EXPORT.error(key=key, choices=", ".join(_REGISTRY)) from None


def for_view(view: str, menu: bool = True) -> list[Exporter]:
    """The exporters of ``view`` in the order they were registered (the order menus show);
    ``menu``: only those its Export menu offers."""
    chosen = [e for e in _REGISTRY.values() if e.view == view and (e.menu or not menu)]
    return sorted(chosen, key=lambda e: e.order)


def by_format(view: str) -> dict[str, Exporter]:
    """``view``'s text exporters by their short format name (the CLI's ``--format`` choices)."""
    return {e.format: e for e in for_view(view, menu=False) if e.format and e.render is not None}


def text_exporter(key: str, label: str, suffix: str, file_filter: str, view: str,
                  render: Callable[[Any], str], **fields: Any) -> Exporter:
    """An exporter writing ``render(subject)`` as UTF-8 text, atomically (`fileio.write_text_atomic`)."""
    def write(subject: Any, path: Path, _options: ExportOptions) -> Path:
        return fileio.write_text_atomic(path, render(subject))

    return register(Exporter(key, label, suffix, file_filter, view, write, render=render, **fields))


# -- the text formats ------------------------------------------------------------------
class TrajectorySource(Protocol):
    """What the trajectory exporters read: the runs and the surface they ran on."""

    trajectories: Sequence[Any]
    surface: Any


class TrainingSource(Protocol):
    """What the training exporters read: the finished runs (`optilab.training.RunResult`)."""

    results: Sequence[Any]


def _trajectory_csv(subject: TrajectorySource) -> str:
    from optilab.trajectory import to_csv

    return to_csv(subject.trajectories)


def _trajectory_json(subject: TrajectorySource) -> str:
    from optilab.trajectory import to_json

    return to_json(subject.trajectories, subject.surface)


@dataclass(frozen=True)
class Trajectories:
    """A `TrajectorySource` outside the app (the CLI's runs)."""

    trajectories: Sequence[Any]
    surface: Any


@dataclass(frozen=True)
class Runs:
    """A `TrainingSource` outside the app (the CLI's results; ``summary_extra``: fields added to
    the summary JSON, such as the preset's name)."""

    results: Sequence[Any]
    summary_extra: Mapping[str, Any] | None = None


def _loss_csv(subject: TrainingSource) -> str:
    from optilab.training.export import loss_csv

    return loss_csv(subject.results)


def _summary_json(subject: TrainingSource) -> str:
    from optilab.training.export import summary_json

    extra: Mapping[str, Any] | None = getattr(subject, "summary_extra", None)
    return summary_json(subject.results, dict(extra) if extra else None)


# The menus' order: the surface lab's pictures (10-40, `optilab.ui.exports`), its trajectories,
# then the animation (70); the training lab's loss CSV, then its plots (20-50).
TRAJECTORY_CSV = text_exporter("csv", "Trajectories as CSV", ".csv", "CSV files (*.csv)", "surface",
                               _trajectory_csv, format="csv", order=50)
TRAJECTORY_JSON = text_exporter("json", "Trajectories as JSON", ".json", "JSON files (*.json)", "surface",
                                _trajectory_json, format="json", order=60)
LOSS_CSV = text_exporter("loss-csv", "Loss CSV…", ".csv", "CSV files (*.csv)", "training", _loss_csv,
                         format="csv", order=10, title="Export loss CSV", default_name="training.csv")
SUMMARY_JSON = text_exporter("summary-json", "Summary JSON…", ".json", "JSON files (*.json)", "training",
                             _summary_json, format="json", menu=False, order=90)
